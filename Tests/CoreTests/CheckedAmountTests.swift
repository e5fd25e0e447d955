import XCTest
@testable import Core

/// `UnitPrice.checkedAmount(for:)`: round2(qty × price), nil instead of a trap when the amount
/// does not fit in Money (found by fuzzing the Loader: an order line with an absurd qty × price).
final class CheckedAmountTests: XCTestCase {
    /// Where the amount fits, the hand-worked round2(qty × 12.345678), half away from zero. (Not
    /// compared with `amount(for:)`: that calls `checkedAmount(for:)`, so the comparison could not fail.)
    func testHandWorkedAmountsWhereItFits() {
        let price = UnitPrice(mantissa: 12_345_678, scale: 6)  // 12.345678
        let expected: [(milli: Int64, cents: Int64)] = [
            (0, 0),             // 0
            (1, 1),             // 0.001 × 12.345678 = 0.012345678 → 0.01
            (999, 1_233),       // 0.999 × 12.345678 = 12.333332322 → 12.33
            (1000, 1_235),      // 12.345678 → 12.35
            (2500, 3_086),      // 2.5 × 12.345678 = 30.864195 → 30.86
            (-2500, -3_086),    // −30.864195 → −30.86
            (19_285, 23_809),   // 19.285 × 12.345678 = 234.567882 + 3.51851823 = 238.08640023 → 238.09
        ]
        for (milli, cents) in expected {
            XCTAssertEqual(price.checkedAmount(for: Quantity(milli: milli)), Money(cents: cents), "qty \(milli)‰")
            XCTAssertEqual(price.amount(for: Quantity(milli: milli)), Money(cents: cents), "qty \(milli)‰")
        }
        // Exactly half a cent rounds away from zero: 0.005 × 1 and −0.005 × 1.
        let halfCent = UnitPrice(mantissa: 5, scale: 3)
        XCTAssertEqual(halfCent.checkedAmount(for: Quantity(units: 1)), Money(cents: 1))
        XCTAssertEqual(halfCent.checkedAmount(for: Quantity(units: -1)), Money(cents: -1))
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
