import Core
@testable import Ingest
import XCTest

final class KindRowTests: XCTestCase {
    /// `InputKind.rowType` is an exhaustive switch, so every kind has a row type; each must be its own.
    func testEveryKindIsRegisteredWithItsOwnRowType() {
        for kind in InputKind.allCases { XCTAssertEqual(kind.rowType.kind, kind, kind.rawValue) }
        XCTAssertEqual(Set(InputKind.allCases.map { ObjectIdentifier(($0.rowType)) }).count, InputKind.allCases.count)
    }

    /// Each kind's key column is one of its columns.
    func testKeyColumnsAreColumnsOfTheirKind() {
        for kind in InputKind.allCases { XCTAssertTrue(kind.columnIds.contains(kind.rowType.keyColumn), kind.rawValue) }
    }
}
