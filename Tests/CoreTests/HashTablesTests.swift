@testable import Core
import XCTest

final class HashTablesTests: XCTestCase {
    func testTextTableFindsEveryKeyItStoredThroughGrowth() {
        var table = TextTable<Int>()
        let keys = (0..<20_000).map { "P\($0)" } + ["", "配件-滤清器", "P1 ", "p1"]
        for (n, key) in keys.enumerated() {
            XCTAssertEqual(table.entry(key, inserting: n * 10), n)
        }
        XCTAssertEqual(table.count, keys.count)
        for (n, key) in keys.enumerated() {
            XCTAssertEqual(table.entry(key), n, key)
            XCTAssertEqual(table[n], n * 10)
        }
        // Inserting again finds the stored entry and leaves its value alone.
        XCTAssertEqual(table.entry("P7", inserting: -1), 7)
        XCTAssertEqual(table[7], 70)
        // Keys that are prefixes or extensions of stored ones are not there.
        for absent in ["P", "P200000", "P1  ", "配件", "P19999x"] { XCTAssertNil(table.entry(absent), absent) }
    }

    func testTextTableLooksUpBytesWithoutAString() {
        var counters = TextTable<Int>()
        for parent in ["SO-1", "SO-2", "SO-1", "SO-1"] {
            let entry = Array(parent.utf8).withUnsafeBufferPointer { counters.entry($0, inserting: 0) }
            counters[entry] += 1
        }
        XCTAssertEqual(counters.values, [3, 1])
    }

    /// Codes up to 16 bytes live in the slots, longer ones in a side table; a code that is a prefix
    /// of another, or differs only by trailing NULs, is another code.
    func testCodeSetKnowsShortAndLongCodes() {
        let long = "P-0123456789ABCDEF-X"   // 20 bytes
        let codes = CodeSet(["D001", "D002", "", "1234567890123456", long, "D001", "零件", "A\0", "112400129", "12345678"])
        for known in ["D001", "D002", "", "1234567890123456", long, "零件", "A\0", "112400129", "12345678"] {
            XCTAssertTrue(codes.contains(known), known)
        }
        for unknown in ["D003", "D00", "D0011", "1234567890123457", "123456789012345", String(long.dropLast()), "零", "A", "A\0\0",
                        "112400128", "212400129", "11240012", "1124001290", "12345679", "1234567"] {
            XCTAssertFalse(codes.contains(unknown), unknown)
        }
        // Far more codes than the first table size: every one still found.
        let many = CodeSet((0..<5_000).map { "P\($0)" })
        XCTAssertTrue((0..<5_000).allSatisfy { many.contains("P\($0)") })
        XCTAssertFalse(many.contains("P5000"))
    }
}
