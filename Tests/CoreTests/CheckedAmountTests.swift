import XCTest
@testable import Core

/// `UnitPrice.checkedAmount(for:)`: round2(qty × price), nil instead of a trap when the amount
/// does not fit in Money (found by fuzzing the Loader: an order line with an absurd qty × price).
final class CheckedAmountTests: XCTestCase {
    func testSameAsAmountWhereItFits() {
        let price = UnitPrice(mantissa: 12_345_678, scale: 6)  // 12.345678
        for milli: Int64 in [0, 1, 999, 1000, 2500, -2500, 19_285] {
            let qty = Quantity(milli: milli)
            XCTAssertEqual(price.checkedAmount(for: qty), price.amount(for: qty), "qty \(qty)")
        }
    }

    func testBoundaryOfMoney() {
        // Int64.max cents = 92233720368547758.07 yuan.
        let top = UnitPrice(numerator: Int128(Int64.max), denominator: 100)
        XCTAssertEqual(top.checkedAmount(for: Quantity(units: 1)), Money(cents: .max))
        XCTAssertNil(top.checkedAmount(for: Quantity(milli: 1001)))
        XCTAssertEqual(top.checkedAmount(for: Quantity(units: -1)), Money(cents: -.max))
        let big = UnitPrice(mantissa: 9_000_000_000_000_000_000, scale: 6)  // 9e12 yuan
        XCTAssertNil(big.checkedAmount(for: Quantity(units: 9_000_000_000_000)))
    }

    func testProductBeyondInt128IsNil() {
        // A derived price (value / qty) can have a numerator near Int64.max × 10.
        let price = UnitPrice(numerator: Int128(Int64.max) * 10, denominator: 1)
        XCTAssertNil(price.checkedAmount(for: Quantity(milli: .max)))
    }
}
