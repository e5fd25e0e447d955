import XCTest
@testable import Core

/// Arithmetic beyond Int64 inside `ExactRange.watch`: saturated and reported, not a trap.
final class ExactRangeTests: XCTestCase {
    func testSumsWithinRangeAreExactAndReportNothing() {
        let (sum, overflow) = ExactRange.watch { Money(cents: .max - 5) + Money(cents: 5) - Money(cents: 7) }
        XCTAssertEqual(sum, Money(cents: .max - 7))
        XCTAssertNil(overflow)
    }

    func testMoneySumBeyondRangeSaturatesAndIsReported() {
        let (sum, overflow) = ExactRange.watch {
            var total = Money.zero
            for _ in 0..<92_234 { total += Money(cents: 100_000_000_000_000) }   // 10^12 yuan each
            return total
        }
        XCTAssertEqual(sum, Money(cents: .max))
        // The first failing step: 92,233 × 10^12 yuan + one more.
        XCTAssertEqual(overflow, "the amount 92233000000000000.00 + 1000000000000.00")
    }

    func testNegativeOverflowSaturatesAtMinusMax() {
        let (difference, overflow) = ExactRange.watch { Money(cents: -.max) - Money(cents: 2) }
        XCTAssertEqual(difference, Money(cents: -.max))
        XCTAssertEqual(overflow, "the amount -92233720368547758.07 + -0.02")
        let (qty, qtyOverflow) = ExactRange.watch { Quantity(milli: .max) + Quantity(milli: 1) }
        XCTAssertEqual(qty, Quantity(milli: .max))
        XCTAssertEqual(qtyOverflow, "the quantity 9223372036854775.807 + 0.001")
    }

    func testProductAndPercentBeyondRangeAreReported() {
        let price = UnitPrice(mantissa: 1_000_000_000_000, scale: 0)   // 10^12 yuan per unit
        let (amount, overflow) = ExactRange.watch { price.amount(for: Quantity(units: -1_000_000_000_000)) }
        XCTAssertEqual(amount, Money(cents: -.max))
        XCTAssertEqual(overflow, "the amount -1000000000000 × 1000000000000.0000")
        let (percent, percentOverflow) = ExactRange.watch { Percent(Int128(Int64.max), of: 1) }
        XCTAssertEqual(percent?.hundredths, .max)
        XCTAssertEqual(percentOverflow, "the percentage 9223372036854775807 / 1")
    }

    func testOnlyTheFirstOverflowIsKeptAndWatchesAreIndependent() {
        let (_, first) = ExactRange.watch {
            _ = Money(cents: .max) + Money(cents: 1)
            _ = Quantity(milli: .max) + Quantity(milli: 1)
        }
        XCTAssertEqual(first, "the amount 92233720368547758.07 + 0.01")
        let (_, second) = ExactRange.watch { Money(cents: 1) + Money(cents: 1) }
        XCTAssertNil(second, "a new watch starts clean")
    }

    func testInt64MinIsOutOfRangeSoEveryFigureCanBeNegated() {
        let (sum, overflow) = ExactRange.watch { Money(cents: -.max) + Money(cents: -1) }
        XCTAssertEqual(sum, Money(cents: -.max))
        XCTAssertEqual(overflow, "the amount -92233720368547758.07 + -0.01")
        let (qty, qtyOverflow) = ExactRange.watch { Quantity(milli: -.max) - Quantity(milli: 1) }
        XCTAssertEqual(qty, Quantity(milli: -.max))
        XCTAssertEqual(qtyOverflow, "the quantity -9223372036854775.807 + -0.001")

        let price = UnitPrice(mantissa: 16_777_216, scale: 2)          // 167,772.16 = 2^24 / 100
        let reversal = Quantity(milli: -549_755_813_888_000)           // −2^39 units
        XCTAssertNil(price.checkedAmount(for: reversal), "−2^63 cents is not an amount")
        let (amount, amountOverflow) = ExactRange.watch { price.amount(for: reversal) }
        XCTAssertEqual(amount, Money(cents: -.max))
        XCTAssertEqual(amountOverflow, "the amount -549755813888 × 167772.1600")
        XCTAssertEqual(-amount, Money(cents: .max), "and it negates")

        let (fitted, fitOverflow) = ExactRange.watch { ExactRange.fit(Int128(Int64.min), "Int64.min") }
        XCTAssertEqual(fitted, -.max)
        XCTAssertEqual(fitOverflow, "Int64.min")
    }
}
