import XCTest
@testable import Core

final class RoundingTests: XCTestCase {
    func testRoundedDivisionHalfAwayFromZero() {
        // 5 / 10 = 0.5 → 1; −5 / 10 = −0.5 → −1 (四舍五入, not banker's rounding)
        XCTAssertEqual(roundedDivision(5, 10), 1)
        XCTAssertEqual(roundedDivision(-5, 10), -1)
        XCTAssertEqual(roundedDivision(5, -10), -1)
        XCTAssertEqual(roundedDivision(-5, -10), 1)
        // 2.5 → 3, −2.5 → −3 (banker's would give 2)
        XCTAssertEqual(roundedDivision(25, 10), 3)
        XCTAssertEqual(roundedDivision(-25, 10), -3)
        // Just below and above a half.
        XCTAssertEqual(roundedDivision(49, 100), 0)
        XCTAssertEqual(roundedDivision(-49, 100), 0)
        XCTAssertEqual(roundedDivision(51, 100), 1)
        XCTAssertEqual(roundedDivision(-51, 100), -1)
        // 10 / 3 = 3.33 → 3; 20 / 3 = 6.67 → 7; −20 / 3 → −7
        XCTAssertEqual(roundedDivision(10, 3), 3)
        XCTAssertEqual(roundedDivision(20, 3), 7)
        XCTAssertEqual(roundedDivision(-20, 3), -7)
        // Exact quotients are untouched.
        XCTAssertEqual(roundedDivision(12, 4), 3)
        XCTAssertEqual(roundedDivision(-12, 4), -3)
        XCTAssertEqual(roundedDivision(0, 7), 0)
    }

    func testRoundedDivisionAgreesOnBothSidesOfSixtyFourBits() {
        // Operands that fit 64 bits are divided in 64 bits; the answer must be the 128-bit one,
        // also at the edges (Int64.min, halves of odd divisors, a numerator just past 64 bits).
        func reference(_ n: Int128, _ d: Int128) -> Int128 {
            let (q, r) = n.quotientAndRemainder(dividingBy: d)
            if r.magnitude * 2 >= d.magnitude { return (n < 0) != (d < 0) ? q - 1 : q + 1 }
            return q
        }
        let edges: [Int128] = [0, 1, -1, 2, -2, 3, 7, -7, 10_000, -10_000, 999_999, Int128(Int64.max), Int128(Int64.max) - 1,
                               Int128(Int64.min), Int128(Int64.min) + 1, Int128(Int64.max) + 1, Int128(Int64.min) - 1]
        for n in edges {
            for d in edges where d != 0 {
                XCTAssertEqual(roundedDivision(n, d), reference(n, d), "\(n) / \(d)")
            }
        }
        XCTAssertEqual(pow10(0), 1)
        XCTAssertEqual(pow10(6), 1_000_000)
        XCTAssertEqual(pow10(30), Int128(1_000_000_000_000_000_000) * 1_000_000_000_000)
    }

    func testMoneyRoundingOfHalves() {
        // 0.005 → 0.01, −0.005 → −0.01, 0.00499 → 0.00
        XCTAssertEqual(Money(rounding: 5, scale: 3).cents, 1)
        XCTAssertEqual(Money(rounding: -5, scale: 3).cents, -1)
        XCTAssertEqual(Money(rounding: 499, scale: 5).cents, 0)
        XCTAssertEqual(Money(rounding: -499, scale: 5).cents, 0)
        // 0.015 → 0.02; 0.025 → 0.03 (not to even)
        XCTAssertEqual(Money(rounding: 15, scale: 3).cents, 2)
        XCTAssertEqual(Money(rounding: 25, scale: 3).cents, 3)
        // 957.5775 → 957.58 (SPEC §6's example of a line amount)
        XCTAssertEqual(Money(rounding: 9_575_775, scale: 4).cents, 95_758)
        XCTAssertEqual(Money(rounding: 9_575_775, scale: 4).description, "957.58")
        // 957.574999 (6 places) → 957.57
        XCTAssertEqual(Money(rounding: 957_574_999, scale: 6).cents, 95_757)
    }

    func testMoneyFromFewerThanTwoDecimals() {
        XCTAssertEqual(Money(rounding: 12, scale: 0).cents, 1200)
        XCTAssertEqual(Money(rounding: -125, scale: 1).cents, -1250)
        XCTAssertEqual(Money(rounding: 1234, scale: 2).cents, 1234)
    }

    func testMoneyArithmeticAndDescription() {
        var m = Money(cents: 150)
        m += Money(cents: 75)
        XCTAssertEqual(m, Money(cents: 225))
        m -= Money(cents: 300)
        XCTAssertEqual(m.description, "-0.75")
        XCTAssertEqual((-m).description, "0.75")
        XCTAssertEqual(Money(cents: 5).description, "0.05")
        XCTAssertEqual(Money(cents: -5).description, "-0.05")
        XCTAssertEqual(Money.zero.description, "0.00")
        XCTAssertEqual(Money(cents: 123_456_789).description, "1234567.89")
        XCTAssertTrue(Money(cents: -1) < Money.zero)
        XCTAssertTrue(Money.zero.isZero)
    }
}

final class DecimalStringTests: XCTestCase {
    func testPadsAndSigns() {
        XCTAssertEqual(decimalString(5, scale: 3), "0.005")
        XCTAssertEqual(decimalString(-5, scale: 3), "-0.005")
        XCTAssertEqual(decimalString(12345, scale: 2), "123.45")
        XCTAssertEqual(decimalString(-12, scale: 0), "-12")
        XCTAssertEqual(decimalString(0, scale: 4), "0.0000")
    }

    /// Beyond 64 bits (an exact sum's numerator): 2^64 = 18446744073709551616, and Int128's extremes.
    func testMantissasWiderThan64Bits() {
        XCTAssertEqual(decimalString(Int128(1) << 64, scale: 4), "1844674407370955.1616")
        XCTAssertEqual(decimalString(-(Int128(1) << 64) - 1, scale: 0), "-18446744073709551617")
        XCTAssertEqual(decimalString(Int128.min, scale: 2), "-1701411834604692317316873037158841057.28")
        XCTAssertEqual(decimalString(Int128.max, scale: 38), "1.70141183460469231731687303715884105727")
    }

    func testTrimmedDropsFractionZerosOnly() {
        XCTAssertEqual(decimalString(100, scale: 2, trimmed: true), "1")
        XCTAssertEqual(decimalString(-1050, scale: 3, trimmed: true), "-1.05")
        XCTAssertEqual(decimalString(0, scale: 3, trimmed: true), "0")
        XCTAssertEqual(decimalString(1200, scale: 0, trimmed: true), "1200")
    }
}

final class QuantityTests: XCTestCase {
    func testDescriptionDropsTrailingZeros() {
        XCTAssertEqual(Quantity(milli: 2375).description, "2.375")
        XCTAssertEqual(Quantity(milli: 3000).description, "3")
        XCTAssertEqual(Quantity(milli: -1500).description, "-1.5")
        XCTAssertEqual(Quantity(milli: 10_000).description, "10")
        XCTAssertEqual(Quantity(milli: 1200).description, "1.2")
        XCTAssertEqual(Quantity(milli: 5).description, "0.005")
        XCTAssertEqual(Quantity(milli: -50).description, "-0.05")
        XCTAssertEqual(Quantity.zero.description, "0")
        XCTAssertEqual(Quantity(units: 7).milli, 7000)
    }

    func testArithmetic() {
        var q = Quantity(milli: 1500)
        q -= Quantity(units: 2)
        XCTAssertEqual(q, Quantity(milli: -500))
        XCTAssertEqual(q.magnitude, Quantity(milli: 500))
        XCTAssertEqual((q + Quantity(milli: 500)).isZero, true)
        XCTAssertTrue(Quantity(milli: -1) < .zero)
    }
}

final class UnitPriceTests: XCTestCase {
    func testReduction() {
        let p = UnitPrice(numerator: 20, denominator: 6)
        XCTAssertEqual(p.numerator, 10)
        XCTAssertEqual(p.denominator, 3)
        // A negative denominator moves the sign to the numerator.
        let q = UnitPrice(numerator: 4, denominator: -6)
        XCTAssertEqual(q.numerator, -2)
        XCTAssertEqual(q.denominator, 3)
        // Zero is 0/1, whatever it was written as.
        XCTAssertEqual(UnitPrice(numerator: 0, denominator: 5), UnitPrice.zero)
        XCTAssertEqual(UnitPrice.zero.denominator, 1)
        XCTAssertTrue(UnitPrice(numerator: 0, denominator: -7).isZero)
        // The same value written differently is equal (and hashes alike).
        XCTAssertEqual(UnitPrice(mantissa: 1_500_000, scale: 6), UnitPrice(mantissa: 15, scale: 1))
        XCTAssertEqual(Set([UnitPrice(mantissa: 1_500_000, scale: 6), UnitPrice(numerator: 3, denominator: 2)]).count, 1)
    }

    func testDescriptionHasFourDecimalsRoundedHalfAwayFromZero() {
        XCTAssertEqual(UnitPrice(numerator: 10, denominator: 3).description, "3.3333")
        XCTAssertEqual(UnitPrice(numerator: 2, denominator: 3).description, "0.6667")
        XCTAssertEqual(UnitPrice(numerator: -2, denominator: 3).description, "-0.6667")
        XCTAssertEqual(UnitPrice(mantissa: 12, scale: 0).description, "12.0000")
        // 0.00005 → 0.0001; 1.23445 → 1.2345 (a half rounds up)
        XCTAssertEqual(UnitPrice(mantissa: 5, scale: 5).description, "0.0001")
        XCTAssertEqual(UnitPrice(mantissa: 123_445, scale: 5).description, "1.2345")
        XCTAssertEqual(UnitPrice(mantissa: 123_444_999, scale: 8).description, "1.2344")
        XCTAssertEqual(UnitPrice(numerator: 1, denominator: 8).rounded(places: 2), 13)   // 0.125 → 0.13
    }

    func testAmountForQuantity() {
        // 3 × 10/3 = 10.00 exactly.
        XCTAssertEqual(UnitPrice(numerator: 10, denominator: 3).amount(for: Quantity(units: 3)), Money(cents: 1000))
        // 1 × 10/3 = 3.333… → 3.33; 2 × 10/3 = 6.666… → 6.67
        XCTAssertEqual(UnitPrice(numerator: 10, denominator: 3).amount(for: Quantity(units: 1)).cents, 333)
        XCTAssertEqual(UnitPrice(numerator: 10, denominator: 3).amount(for: Quantity(units: 2)).cents, 667)
        // 2.5 kg × 12.345 = 30.8625 → 30.86
        XCTAssertEqual(UnitPrice(mantissa: 12_345, scale: 3).amount(for: Quantity(milli: 2500)).cents, 3086)
        // 1.5 × 0.01 = 0.015 → 0.02 (half away from zero); a reversal −1.5 → −0.02
        XCTAssertEqual(UnitPrice(mantissa: 1, scale: 2).amount(for: Quantity(milli: 1500)).cents, 2)
        XCTAssertEqual(UnitPrice(mantissa: 1, scale: 2).amount(for: Quantity(milli: -1500)).cents, -2)
        // 0.001 kg × 0.000001 → 0.00
        XCTAssertEqual(UnitPrice(mantissa: 1, scale: 6).amount(for: Quantity(milli: 1)).cents, 0)
        // 12 × 63.8148125 = 765.77775 → 765.78
        XCTAssertEqual(UnitPrice(mantissa: 638_148_125, scale: 7).amount(for: Quantity(units: 12)).cents, 76_578)
    }

    func testValuePerQuantityIsExact() {
        // 100.00 / 3 = 100/3, not 33.333333
        let third = UnitPrice(value: Money(cents: 10_000), per: Quantity(units: 3))
        XCTAssertEqual(third, UnitPrice(numerator: 100, denominator: 3))
        XCTAssertEqual(third.amount(for: Quantity(units: 3)), Money(cents: 10_000))
        XCTAssertEqual(third.description, "33.3333")
        // 957.58 / 2.5 kg = 383.032
        let perKg = UnitPrice(value: Money(cents: 95_758), per: Quantity(milli: 2500))
        XCTAssertEqual(perKg, UnitPrice(mantissa: 383_032, scale: 3))
        // 10.00 / 0.003 = 3333.333…
        let tiny = UnitPrice(value: Money(cents: 1000), per: Quantity(milli: 3))
        XCTAssertEqual(tiny, UnitPrice(numerator: 10_000, denominator: 3))
        XCTAssertEqual(tiny.amount(for: Quantity(milli: 3)).cents, 1000)
        // A negative value per a positive qty, and the other way round.
        XCTAssertEqual(UnitPrice(value: Money(cents: -600), per: Quantity(units: 4)), UnitPrice(numerator: -3, denominator: 2))
        XCTAssertEqual(UnitPrice(value: Money(cents: 600), per: Quantity(units: -4)), UnitPrice(numerator: -3, denominator: 2))
    }
}

final class PercentTests: XCTestCase {
    func testTwoDecimalsHalfAwayFromZero() {
        XCTAssertEqual(Percent(1, of: 3)?.description, "33.33")
        XCTAssertEqual(Percent(2, of: 3)?.description, "66.67")
        XCTAssertEqual(Percent(1, of: 8)?.description, "12.50")
        XCTAssertEqual(Percent(-1, of: 8)?.description, "-12.50")
        // 1/16 = 6.25 %; 1/1600 = 0.0625 % → 0.06; 1/800 = 0.125 % → 0.13
        XCTAssertEqual(Percent(1, of: 16)?.hundredths, 625)
        XCTAssertEqual(Percent(1, of: 1600)?.hundredths, 6)
        XCTAssertEqual(Percent(1, of: 800)?.hundredths, 13)
        XCTAssertEqual(Percent(-1, of: 800)?.hundredths, -13)
        XCTAssertEqual(Percent(3, of: 2)?.description, "150.00")
        XCTAssertEqual(Percent(0, of: 5)?.description, "0.00")
        XCTAssertNil(Percent(5, of: 0))
        XCTAssertEqual(Percent(hundredths: -5).description, "-0.05")
    }
}

final class ExactDecimalTests: XCTestCase {
    func testParsesPlainDecimalsExactly() {
        let half = ExactDecimal(plain: "0.5")
        XCTAssertEqual(half?.mantissa, 5)
        XCTAssertEqual(half?.scale, 1)
        XCTAssertEqual(ExactDecimal(plain: "12")?.mantissa, 12)
        XCTAssertEqual(ExactDecimal(plain: "12")?.scale, 0)
        XCTAssertEqual(ExactDecimal(plain: "-1.250")?.mantissa, -1250)
        XCTAssertEqual(ExactDecimal(plain: "-1.250")?.scale, 3)
        XCTAssertEqual(ExactDecimal(plain: "+3.1")?.mantissa, 31)
        XCTAssertEqual(ExactDecimal(plain: "0.1")?.description, "0.1")
        XCTAssertEqual(ExactDecimal(plain: "-1.250")?.description, "-1.250")
    }

    func testRejectsOtherForms() {
        for text in ["", "-", ".5", "5.", "1.2.3", "1e3", "1,000", " 1", "abc", "--1", "0x10", "1.5e-3"] {
            XCTAssertNil(ExactDecimal(plain: text), text)
        }
    }

    func testExactlyRescales() {
        let d = ExactDecimal(plain: "2.5")!
        XCTAssertEqual(d.exactly(places: 3), 2500)
        XCTAssertEqual(d.exactly(places: 1), 25)
        XCTAssertNil(d.exactly(places: 0))               // would drop the .5
        XCTAssertEqual(ExactDecimal(plain: "3.000")!.exactly(places: 0), 3)
        XCTAssertEqual(ExactDecimal(plain: "-0.10")!.exactly(places: 1), -1)
        XCTAssertNil(ExactDecimal(plain: "0.005")!.exactly(places: 2))
        XCTAssertEqual(ExactDecimal.zero.exactly(places: 2), 0)
    }
}
