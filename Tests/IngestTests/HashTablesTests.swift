import Core
@testable import Ingest
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

/// Rows are kept by the million (3.3M movement lines at ten times a month): a row's size is memory.
final class RowLayoutTests: XCTestCase {
    func testPricesAreStoredIn16BytesAndRoundTrip() {
        XCTAssertEqual(MemoryLayout<Core.StoredPrice>.size, 16)
        XCTAssertLessThanOrEqual(MemoryLayout<Movement>.stride, 128)
        XCTAssertLessThanOrEqual(MemoryLayout<OrderLine>.stride, 144)
        let largest = UnitPrice(mantissa: 1_000_000_000_000_000_000, scale: 6)   // 10^12 yuan, read with 6 decimals
        let derived = UnitPrice(value: Money(cents: 100_000_000_000_000), per: Quantity(milli: 999_999_999_999_999))
        for price in [largest, derived, .zero, UnitPrice(mantissa: -12_345_678, scale: 6)] {
            XCTAssertEqual(StoredPrice(price).price, price)
        }
        XCTAssertNil(StoredPrice(nil).price)
    }

    func testRecentTextsGiveTheStringOfTheBytes() {
        // Two columns, texts of every length 1–15 and many more than the 64 entries per column, so that
        // entries are taken over; each answer must be the String of exactly the bytes asked for.
        var recent = RecentTexts(columns: 2)
        var texts = (1 ... 15).map { String(repeating: "7", count: $0) } + ["配件", "A\u{0}", "A", "NEW", "OLD"]
        texts += (0 ..< 500).map { "P-\($0 % 300)" }
        for (n, text) in (texts + texts.reversed()).enumerated() {
            let got = Array(text.utf8).withUnsafeBufferPointer { recent.string($0, column: n % 2) }
            XCTAssertEqual(got, text)
        }
    }
}
