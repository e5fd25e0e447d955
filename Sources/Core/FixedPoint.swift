/// Exact decimal arithmetic on scaled integers (SPEC §2.1, §4.1): no binary
/// floating point anywhere a price, quantity or amount is computed.

/// Divides `numerator` by `denominator` and rounds half away from zero (四舍五入).
@inlinable
public func roundedDivision(_ numerator: Int128, _ denominator: Int128) -> Int128 {
    precondition(denominator != 0, "division by zero")
    // Nearly every division fits 64 bits, where the CPU divides (or, by a constant, multiplies)
    // instead of calling the 128-bit division routine.
    if let n = Int64(exactly: numerator), let d = Int64(exactly: denominator), n != .min {
        let (q, r) = n.quotientAndRemainder(dividingBy: d)
        if r.magnitude * 2 >= d.magnitude { return Int128((n < 0) != (d < 0) ? q - 1 : q + 1) }
        return Int128(q)
    }
    let (q, r) = numerator.quotientAndRemainder(dividingBy: denominator)
    // |r| * 2 >= |d| means the exact quotient is at least half-way to the next integer.
    if r.magnitude * 2 >= denominator.magnitude {
        return (numerator < 0) != (denominator < 0) ? q - 1 : q + 1
    }
    return q
}

/// 10^n for 0 ≤ n ≤ 30. Computed, not read from a table: a global table cost a call per use on
/// the per-field path, and n is mostly a constant the compiler folds.
@inlinable public func pow10(_ n: Int) -> Int128 {
    precondition(n >= 0 && n <= 30, "10^\(n) is out of range")
    var p: Int128 = 1
    for _ in 0..<n { p &*= 10 }
    return p
}

/// Writes `mantissa / 10^scale` as a plain decimal with exactly `scale` fraction digits; `trimmed`:
/// without trailing fraction zeros, and without the point when none is left ("2.5", "3").
public func decimalString(_ mantissa: Int128, scale: Int, trimmed: Bool = false) -> String {
    // The digits right to left into a stack buffer, by 64-bit division once the rest fits: through
    // String(Int128), padding and String indexes this was a tenth of printing profit's summary cogs
    // explained (~390k lines with two or three figures each) at the month scale.
    let scale = max(scale, 0)
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40 + scale) { digits in
        var start = digits.count, wide = mantissa.magnitude
        func put(_ digit: some BinaryInteger) { start -= 1; digits[start] = UInt8(ascii: "0") + UInt8(digit) }
        while wide > UInt128(UInt64.max) { put(wide % 10); wide /= 10 }
        var rest = UInt64(wide)
        while rest > 0 || digits.count - start <= scale { put(rest % 10); rest /= 10 }   // one digit at least before the point
        let point = digits.count - scale
        var end = digits.count
        if trimmed { while end > point, digits[end - 1] == UInt8(ascii: "0") { end -= 1 } }
        return String(unsafeUninitializedCapacity: end - start + 2) { text in
            var n = 0
            func append(_ byte: UInt8) { text[n] = byte; n += 1 }
            if mantissa < 0 { append(UInt8(ascii: "-")) }
            for i in start..<point { append(digits[i]) }
            if end > point { append(UInt8(ascii: ".")); for i in point..<end { append(digits[i]) } }
            return n
        }
    }
}

/// An amount of money in cents (0.01 yuan). Every amount written to a report is one of these.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var cents: Int64
    @inlinable public init(cents: Int64) { self.cents = cents }
    public static let zero = Money(cents: 0)

    /// round2 of an exact decimal `mantissa / 10^scale`.
    @inlinable public init(rounding mantissa: Int128, scale: Int) {
        let exact = scale >= 2 ? roundedDivision(mantissa, pow10(scale - 2)) : mantissa * pow10(2 - scale)
        cents = ExactRange.fit(exact, "an amount of \(decimalString(mantissa, scale: scale))")
    }
    // Sums are watched (see ExactRange); negation cannot overflow, as no sum, product or value read
    // is Int64.min (ExactRange treats it as out of range).
    @inlinable public static func + (a: Money, b: Money) -> Money { Money(cents: ExactRange.sum(a.cents, b.cents, "the amount", scale: 2)) }
    @inlinable public static func - (a: Money, b: Money) -> Money { a + -b }
    @inlinable public static prefix func - (a: Money) -> Money { Money(cents: -a.cents) }
    @inlinable public static func += (a: inout Money, b: Money) { a = a + b }
    @inlinable public static func -= (a: inout Money, b: Money) { a = a + -b }
    @inlinable public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }
    public var isZero: Bool { cents == 0 }
    /// "1234.56", "-0.50": the CSV twin's form.
    public var description: String { decimalString(Int128(cents), scale: 2) }
}

/// A quantity in thousandths of a unit (refrigerant is sold by the kg with 3 decimals).
public struct Quantity: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milli: Int64
    @inlinable public init(milli: Int64) { self.milli = milli }
    public init(units: Int64) { milli = units * 1000 }
    public static let zero = Quantity(milli: 0)
    @inlinable public static func + (a: Quantity, b: Quantity) -> Quantity { Quantity(milli: ExactRange.sum(a.milli, b.milli, "the quantity", scale: 3)) }
    @inlinable public static func - (a: Quantity, b: Quantity) -> Quantity { a + -b }
    @inlinable public static prefix func - (a: Quantity) -> Quantity { Quantity(milli: -a.milli) }
    @inlinable public static func += (a: inout Quantity, b: Quantity) { a = a + b }
    @inlinable public static func -= (a: inout Quantity, b: Quantity) { a = a + -b }
    @inlinable public static func < (a: Quantity, b: Quantity) -> Bool { a.milli < b.milli }
    public var isZero: Bool { milli == 0 }
    public var magnitude: Quantity { Quantity(milli: abs(milli)) }
    /// Plain decimal without trailing zeros: "3", "2.375", "-1.5".
    public var description: String { decimalString(Int128(milli), scale: 3, trimmed: true) }
}

/// A price or unit cost per unit, kept as an exact rational (yuan = numerator / denominator).
/// Prices read from a file are decimals with up to 6 places; averages (value / qty) and
/// prices derived from a line amount (amount / qty) are exact fractions, rounded only
/// where a figure is written (SPEC §4.1: unit costs are shown with 4 decimals).
public struct UnitPrice: Hashable, Sendable, CustomStringConvertible {
    public let numerator: Int128
    public let denominator: Int128   // always > 0, fraction reduced

    public init(numerator: Int128, denominator: Int128) {
        precondition(denominator != 0, "unit price with zero denominator")
        let sign: Int128 = denominator < 0 ? -1 : 1
        let g = gcd(numerator.magnitude, denominator.magnitude)
        self.numerator = sign * numerator / Int128(g)
        self.denominator = sign * denominator / Int128(g)
    }
    public static let zero = UnitPrice(numerator: 0, denominator: 1)

    /// A decimal price `mantissa / 10^scale`.
    public init(mantissa: Int128, scale: Int) { self.init(numerator: mantissa, denominator: pow10(scale)) }
    /// value / qty, exactly. `qty` must not be zero.
    public init(value: Money, per qty: Quantity) {
        // (cents / 100) / (milli / 1000) = cents * 10 / milli
        self.init(numerator: Int128(value.cents) * 10, denominator: Int128(qty.milli))
    }

    /// round2(qty × price), watched (see ExactRange).
    public func amount(for qty: Quantity) -> Money {
        if let amount = checkedAmount(for: qty) { return amount }
        return Money(cents: ExactRange.outOfRange("the amount \(qty) × \(self)", negative: (qty.milli < 0) != (numerator < 0)))
    }
    /// round2(qty × price), or nil when it does not fit in `Money` (a read row with an absurd
    /// qty and price, e.g. 9,000,000,000,000 × 9,000,000,000,000).
    public func checkedAmount(for qty: Quantity) -> Money? {
        // qty/1000 × n/d yuan = qty × n × 100 / (1000 × d) cents
        let (product, overflow) = Int128(qty.milli).multipliedReportingOverflow(by: numerator)
        guard !overflow, let cents = Int64(exactly: roundedDivision(product, 10 * denominator)), cents != .min else { return nil }
        return Money(cents: cents)
    }
    /// The price rounded half away from zero to `places` decimals, as a mantissa.
    public func rounded(places: Int) -> Int128 { roundedDivision(numerator * pow10(places), denominator) }
    /// Four decimals, as unit costs are shown (SPEC §4.1).
    public var description: String { decimalString(rounded(places: 4), scale: 4) }
    public var isZero: Bool { numerator == 0 }
}

/// A `UnitPrice?` in 16 bytes, for rows kept by the million: `UnitPrice?` takes 48 bytes in a row
/// (two Int128, aligned to 16). Holds a price whose reduced numerator and denominator fit Int64 —
/// every price a row can carry: read with at most 6 decimals up to 10^12, or an amount over a
/// quantity (cents × 10 over thousandths, each at most 10^15).
public struct StoredPrice: Hashable, Sendable {
    private let numerator: Int64
    private let denominator: Int64   // 0: no price

    public init(_ price: UnitPrice?) {
        guard let price else { (numerator, denominator) = (0, 0); return }
        guard let n = Int64(exactly: price.numerator), let d = Int64(exactly: price.denominator) else {
            preconditionFailure("unit price \(price.numerator)/\(price.denominator) does not fit a stored price")
        }
        (numerator, denominator) = (n, d)
    }

    public var price: UnitPrice? {
        denominator == 0 ? nil : UnitPrice(reducedNumerator: Int128(numerator), denominator: Int128(denominator))
    }
}

extension UnitPrice {
    /// A fraction already reduced, with a positive denominator (from a `StoredPrice`).
    fileprivate init(reducedNumerator: Int128, denominator: Int128) {
        self.numerator = reducedNumerator
        self.denominator = denominator
    }
}

/// The greatest common divisor of `a` and `b`; 1 for (0, 0), so that dividing by it is always safe.
@inlinable public func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a == 0 ? 1 : a
}

/// A percentage with 2 decimals, half away from zero: round2(part / whole × 100).
/// Nil when `whole` is zero (shown blank).
public struct Percent: Hashable, Sendable, CustomStringConvertible {
    public let hundredths: Int64
    public init(hundredths: Int64) { self.hundredths = hundredths }
    public init?(_ part: Int128, of whole: Int128) {
        guard whole != 0 else { return nil }
        hundredths = ExactRange.fit(roundedDivision(part * 10_000, whole), "the percentage \(part) / \(whole)")
    }
    public var description: String { decimalString(Int128(hundredths), scale: 2) }
}

/// A plain decimal literal kept exactly: `mantissa / 10^scale` (config values such as tolerances).
public struct ExactDecimal: Hashable, Sendable, CustomStringConvertible {
    public let mantissa: Int128
    public let scale: Int
    public init(mantissa: Int128, scale: Int) { self.mantissa = mantissa; self.scale = scale }
    public static let zero = ExactDecimal(mantissa: 0, scale: 0)

    /// Parses `[-]digits[.digits]`; nil for anything else.
    public init?(plain text: String) {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
              body.count <= 30, let value = Int128(parts.joined()) else { return nil }
        mantissa = negative ? -value : value
        scale = parts.count == 2 ? parts[1].count : 0
    }
    /// The value rescaled to `places` decimals; nil when that would drop non-zero digits.
    public func exactly(places: Int) -> Int128? {
        if places >= scale { return mantissa * pow10(places - scale) }
        let (q, r) = mantissa.quotientAndRemainder(dividingBy: pow10(scale - places))
        return r == 0 ? q : nil
    }
    public var description: String { decimalString(mantissa, scale: scale) }
}
