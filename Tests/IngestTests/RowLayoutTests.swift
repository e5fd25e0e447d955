import Core
@testable import Ingest
import XCTest

/// Rows are kept by the million (3.3M movement lines at ten times a month): a row's size is memory.
final class RowLayoutTests: XCTestCase {
    func testPricesAreStoredIn16BytesAndRoundTrip() {
        XCTAssertEqual(MemoryLayout<Core.StoredPrice>.size, 16)
        XCTAssertLessThanOrEqual(MemoryLayout<Movement>.stride, 128)
        XCTAssertLessThanOrEqual(MemoryLayout<OrderLine>.stride, 144)
        XCTAssertLessThanOrEqual(MemoryLayout<RepairLine>.stride, 152)   // 3.35M repair lines at ten times a month
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
