import Core

// Small helpers for the data generator: a seeded PRNG, civil-date
// arithmetic, exact fixed-point rounding and weighted choice. Nothing here reads the
// wall clock or uses binary floating point for a quantity or an amount.

/// SplitMix64 (Steele, Lea, Flood 2014). One independent stream per purpose, so a change
/// in one part of the generator does not reshuffle every other file.
struct Rng {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (stream &+ 1) &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (Lemire's multiply-high; the bias is far below anything visible).
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(0)")
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Uniform in lo...hi.
    mutating func between(_ lo: Int, _ hi: Int) -> Int {
        hi <= lo ? lo : lo + below(hi - lo + 1)
    }

    /// True with probability num/den.
    mutating func chance(_ num: Int, _ den: Int) -> Bool { below(den) < num }

    /// 0..<n skewed towards 0 (minimum of two draws).
    mutating func skewLow(_ n: Int) -> Int { Swift.min(below(n), below(n)) }

    /// Fisher–Yates permutation of 0..<n.
    mutating func permutation(_ n: Int) -> [Int] {
        var a = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) {
                let j = below(i + 1)
                a.swapAt(i, j)
            }
        }
        return a
    }
}

/// Cumulative integer weights; `pick` is a binary search.
struct WeightedTable {
    private(set) var cumulative: [Int64] = []

    init(_ weights: [Int64]) {
        var c: Int64 = 0
        cumulative.reserveCapacity(weights.count)
        for w in weights {
            c += Swift.max(0, w)
            cumulative.append(c)
        }
    }

    var total: Int64 { cumulative.last ?? 0 }
    var count: Int { cumulative.count }

    func pick(_ r: inout Rng) -> Int {
        precondition(total > 0, "empty weighted table")
        let x = Int64(r.next().multipliedFullWidth(by: UInt64(total)).high)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Day numbers (days since 1970-01-01) through Core's `Day`.
enum Cal {
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int { Int(Day(year: y, month: m, day: d)!.ordinal) }

    static func civil(_ n: Int) -> (y: Int, m: Int, d: Int) {
        let c = Day(ordinal: Int32(n)).components
        return (c.year, c.month, c.day)
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    static func weekday(_ n: Int) -> Int { ((n % 7) + 7 + 4) % 7 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int { Day.daysIn(year: y, month: m) }

    static func iso(_ n: Int) -> String { Day(ordinal: Int32(n)).description }

    static func compact(_ n: Int) -> String {
        let c = civil(n)
        return pad(c.y, 4) + pad(c.m, 2) + pad(c.d, 2)
    }
}

/// A calendar month.
struct Month: Equatable {
    let y: Int
    let m: Int

    init(y: Int, m: Int) {
        self.y = y
        self.m = m
    }

    /// Parses `YYYY-MM`.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), y >= 1900, y <= 9000
        else { return nil }
        self.init(y: y, m: m)
    }

    var first: Int { Cal.day(y, m, 1) }
    var count: Int { Cal.daysInMonth(y, m) }
    var last: Int { first + count - 1 }
    var text: String { pad(y, 4) + "-" + pad(m, 2) }

    func adding(_ k: Int) -> Month {
        let idx = y * 12 + (m - 1) + k
        return Month(y: idx / 12, m: idx % 12 + 1)
    }

    func contains(_ day: Int) -> Bool { day >= first && day <= last }
}

func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// round(n / d) half away from zero; d > 0.
@inline(__always)
func divRound(_ n: Int64, _ d: Int64) -> Int64 {
    let q = n / d
    let r = n % d
    if r == 0 { return q }
    if 2 * (r < 0 ? -r : r) >= d { return n < 0 ? q - 1 : q + 1 }
    return q
}

/// Exact money: qty in thousandths × price in ten-thousandths → cents, round2 (half away from zero).
@inline(__always)
func amountCents(qtyMilli: Int64, price4: Int64) -> Int64 {
    divRound(qtyMilli * price4, 100_000)
}

/// Fixed-point text: `v` scaled by 10^scale, all `scale` decimals written.
func fixedText(_ v: Int64, _ scale: Int) -> String {
    var p: Int64 = 1
    for _ in 0..<scale { p *= 10 }
    let neg = v < 0
    let a = neg ? -v : v
    var s = (neg ? "-" : "") + String(a / p)
    if scale > 0 { s += "." + pad(Int(a % p), scale) }
    return s
}

/// A quantity in thousandths as the CSV files write it.
func qtyText(_ milli: Int64, kg: Bool) -> String {
    kg || milli % 1000 != 0 ? fixedText(milli, 3) : String(milli / 1000)
}

struct GenError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

extension String {
    func replacingAll(_ target: String, _ with: String) -> String {
        replacing(target, with: with)
    }
}

/// A CSV field as bytes, quoted when needed (RFC 4180).
func csvEscaped(_ s: String) -> [UInt8] {
    var needs = false
    for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { needs = true; break }
    if !needs { return Array(s.utf8) }
    var out: [UInt8] = [0x22]
    for b in s.utf8 {
        if b == 0x22 { out.append(0x22) }
        out.append(b)
    }
    out.append(0x22)
    return out
}
