@testable import Core
import XCTest

final class InputKindMatchingTests: XCTestCase {
    func testTheLongestMatchingPrefixWins() {
        // A kind named like another's prefix (release 2 could add one) gets its own files.
        let prefixes = ["orders", "orders_x"]
        XCTAssertEqual(longestPrefix(of: "orders_x-2026-10.csv", among: prefixes) { $0 }, "orders_x")
        XCTAssertEqual(longestPrefix(of: "orders_x.csv", among: prefixes.reversed()) { $0 }, "orders_x")
        XCTAssertEqual(longestPrefix(of: "orders-2026-10-01.csv", among: prefixes) { $0 }, "orders")
        XCTAssertNil(longestPrefix(of: "Orders.csv", among: prefixes) { $0 })   // case-sensitive (SPEC §6)
    }

    func testFilesGoToTheirKind() {
        XCTAssertEqual(InputKind.of(fileName: "orders-2026-10-01.csv"), .orders)
        XCTAssertEqual(InputKind.of(fileName: "opening.csv"), .opening)
        XCTAssertEqual(InputKind.of(fileName: "fleet2026.csv"), .fleet)
        XCTAssertNil(InputKind.of(fileName: "notes.csv"))
    }

    func testEveryKindHasColumnsWithDistinctIds() {
        for kind in InputKind.allCases {
            XCTAssertFalse(kind.columns.isEmpty, kind.rawValue)
            XCTAssertEqual(Set(kind.columnIds).count, kind.columnIds.count, kind.rawValue)
        }
    }
}
