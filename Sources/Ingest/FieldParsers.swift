import Core

/// Parsers for the field forms of SPEC §2.1 and §6, working on the (trimmed) UTF-8 bytes
/// of one field: no String is made for a number or a date.
public enum FieldParsers {
    private static let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= zero && b <= nine }

    // MARK: Numbers

    /// Parses `[sign][¥|￥][sign]digits[,ddd…][.fraction]` into a mantissa scaled to
    /// `decimals` places. Nil when the form is wrong or it has more than `decimals` decimals
    /// (never rounded). With `decimalMark` "," the roles of "," and "." swap.
    public static func number(_ field: UnsafeBufferPointer<UInt8>, decimals: Int, decimalMark: UInt8 = UInt8(ascii: ".")) -> Int128? {
        if let plain = plainNumber(field, decimals: decimals, decimalMark: decimalMark) { return plain }
        let groupMark: UInt8 = decimalMark == UInt8(ascii: ",") ? UInt8(ascii: ".") : UInt8(ascii: ",")
        var i = 0
        let n = field.count
        var negative = false
        var signSeen = false
        var yuanSeen = false
        // A sign and a yuan sign, in either order, each at most once.
        while i < n {
            let b = field[i]
            if (b == UInt8(ascii: "-") || b == UInt8(ascii: "+")) && !signSeen {
                signSeen = true; negative = b == UInt8(ascii: "-"); i += 1
            } else if !yuanSeen, let width = yuanSignWidth(field, at: i) {
                yuanSeen = true; i += width
            } else { break }
        }
        var mantissa: Int128 = 0
        var integerDigits = 0
        var groupDigits = 0          // digits since the last group separator
        var grouped = false
        while i < n {
            let b = field[i]
            if isDigit(b) {
                mantissa = mantissa * 10 + Int128(b - zero)
                integerDigits += 1; groupDigits += 1
                if integerDigits > 24 { return nil }
            } else if b == groupMark {
                // The first group has 1–3 digits, every later one exactly 3.
                if integerDigits == 0 || (grouped ? groupDigits != 3 : groupDigits > 3) { return nil }
                grouped = true; groupDigits = 0
            } else { break }
            i += 1
        }
        if integerDigits == 0 || (grouped && groupDigits != 3) { return nil }
        var fractionDigits = 0
        if i < n && field[i] == decimalMark {
            i += 1
            while i < n && isDigit(field[i]) {
                fractionDigits += 1
                if fractionDigits > decimals { return nil }
                mantissa = mantissa * 10 + Int128(field[i] - zero)
                i += 1
            }
            if fractionDigits == 0 { return nil }   // "5." is a bad number
        }
        guard i == n else { return nil }
        mantissa *= pow10(decimals - fractionDigits)
        return negative ? -mantissa : mantissa
    }

    /// The form of nearly every exported number, `digits[.digits]` in at most 19 bytes, read in 64 bits;
    /// nil for anything else, which `number` then reads in full.
    @inline(__always)
    private static func plainNumber(_ field: UnsafeBufferPointer<UInt8>, decimals: Int, decimalMark: UInt8) -> Int128? {
        let n = field.count
        guard n > 0, n <= 19 else { return nil }
        var value: UInt64 = 0, i = 0
        while i < n, isDigit(field[i]) { value = value &* 10 &+ UInt64(field[i] &- zero); i += 1 }
        guard i > 0 else { return nil }
        var fractionDigits = 0
        if i < n {
            guard field[i] == decimalMark else { return nil }
            i += 1
            while i < n, isDigit(field[i]) { value = value &* 10 &+ UInt64(field[i] &- zero); fractionDigits += 1; i += 1 }
            guard i == n, fractionDigits > 0, fractionDigits <= decimals else { return nil }
        }
        return Int128(value) * pow10(decimals - fractionDigits)
    }

    /// Byte width of a "¥" (C2 A5) or "￥" (EF BF A5) at `i`.
    private static func yuanSignWidth(_ f: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        if i + 1 < f.count, f[i] == 0xC2, f[i + 1] == 0xA5 { return 2 }
        if i + 2 < f.count, f[i] == 0xEF, f[i + 1] == 0xBF, f[i + 2] == 0xA5 { return 3 }
        return nil
    }

    /// A whole number without sign, separators or fraction (fleet units).
    public static func integer(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !field.isEmpty, field.count <= 18, field.allSatisfy(isDigit) else { return nil }
        return field.reduce(0) { $0 * 10 + Int64($1 - zero) }
    }

    // MARK: Dates

    /// Parses the date forms of SPEC §2.1 (`YYYY-MM-DD`, `YYYY/M/D`, `YYYY.M.D`, `YYYYMMDD`,
    /// `YYYY年M月D日`), each optionally followed by white space and `HH:MM[:SS]`, which is ignored.
    /// With `pattern` (e.g. `%d/%m/%Y`) only that form is read, again with an optional time.
    public static func date(_ field: UnsafeBufferPointer<UInt8>, pattern: DatePattern? = nil) -> Day? {
        var cursor = Cursor(field)
        let parsed: (Int, Int, Int)?
        if let pattern { parsed = pattern.read(&cursor) } else { parsed = standardDate(&cursor) }
        guard let (y, m, d) = parsed, cursor.skipOptionalTime() else { return nil }
        return Day(year: y, month: m, day: d)
    }

    private static func standardDate(_ c: inout Cursor) -> (Int, Int, Int)? {
        let start = c.position
        guard let year = c.digits(min: 4, max: 4) else { return nil }
        if c.atEnd || c.peekIsSpace {
            return nil
        }
        if isDigit(c.peek) {
            // YYYYMMDD: exactly 8 digits.
            c.position = start
            guard let all = c.digits(min: 8, max: 8), c.atEnd || c.peekIsSpace else { return nil }
            return (all / 10_000, all / 100 % 100, all % 100)
        }
        if c.consume(UInt8(ascii: "-")) {
            guard let m = c.digits(min: 2, max: 2), c.consume(UInt8(ascii: "-")), let d = c.digits(min: 2, max: 2) else { return nil }
            return (year, m, d)
        }
        for separator in [UInt8(ascii: "/"), UInt8(ascii: ".")] where c.consume(separator) {
            guard let m = c.digits(min: 1, max: 2), c.consume(separator), let d = c.digits(min: 1, max: 2) else { return nil }
            return (year, m, d)
        }
        if c.consume(Cursor.nian) {
            guard let m = c.digits(min: 1, max: 2), c.consume(Cursor.yue), let d = c.digits(min: 1, max: 2),
                  c.consume(Cursor.ri) else { return nil }
            return (year, m, d)
        }
        return nil
    }

    /// `YYYY-MM` (also `YYYY/M`, `YYYY.M`, `YYYY年M月`): a fleet month.
    public static func month(_ field: UnsafeBufferPointer<UInt8>) -> Month? {
        var c = Cursor(field)
        guard let year = c.digits(min: 4, max: 4) else { return nil }
        let m: Int?
        if c.consume(UInt8(ascii: "-")) { m = c.digits(min: 2, max: 2) }
        else if c.consume(UInt8(ascii: "/")) || c.consume(UInt8(ascii: ".")) { m = c.digits(min: 1, max: 2) }
        else if c.consume(Cursor.nian) { m = c.digits(min: 1, max: 2); if !c.consume(Cursor.yue) { return nil } }
        else { return nil }
        guard let m, c.atEnd else { return nil }
        return Month(year: year, month: m)
    }

    // MARK: Booleans

    /// `Y/N`, `yes/no`, `true/false`, `1/0`, `是/否`, in any ASCII case; matched on the bytes
    /// against literals (a table in a static would cost a lazy-initialisation check per field).
    public static func bool(_ field: UnsafeBufferPointer<UInt8>) -> Bool? {
        func spells(_ word: StaticString) -> Bool {
            guard field.count == word.utf8CodeUnitCount else { return false }
            let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            return zip(field, w).allSatisfy { asciiLowercase($0) == $1 }
        }
        if spells("y") || spells("yes") || spells("true") || spells("1") || spells("是") { return true }
        if spells("n") || spells("no") || spells("false") || spells("0") || spells("否") { return false }
        return nil
    }
}

@inline(__always) func asciiLowercase(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

/// An explicit date pattern from the config: `%Y` (4 digits), `%m`, `%d` (1–2 digits),
/// `%%`, and literal characters. Day-first dates can only be read this way.
public struct DatePattern: Sendable, Equatable {
    enum Piece: Equatable { case year, month, day, literal([UInt8]) }
    let pieces: [Piece]

    /// Nil when the pattern has an unknown `%` directive or lacks %Y, %m or %d.
    public init?(_ text: String) {
        var pieces: [Piece] = []
        var bytes = Array(text.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%") {
                switch bytes.popFirst() {
                case UInt8(ascii: "Y"): pieces.append(.year)
                case UInt8(ascii: "m"): pieces.append(.month)
                case UInt8(ascii: "d"): pieces.append(.day)
                case UInt8(ascii: "%"): pieces.append(.literal([b]))
                default: return nil
                }
            } else {
                pieces.append(.literal([b]))
            }
        }
        guard pieces.filter({ $0 == .year }).count == 1, pieces.filter({ $0 == .month }).count == 1,
              pieces.filter({ $0 == .day }).count == 1 else { return nil }
        self.pieces = pieces
    }

    func read(_ c: inout Cursor) -> (Int, Int, Int)? {
        var y = 0, m = 0, d = 0
        for piece in pieces {
            switch piece {
            case .year: guard let v = c.digits(min: 4, max: 4) else { return nil }; y = v
            case .month: guard let v = c.digits(min: 1, max: 2) else { return nil }; m = v
            case .day: guard let v = c.digits(min: 1, max: 2) else { return nil }; d = v
            case .literal(let bytes): for b in bytes { guard c.consume(b) else { return nil } }
            }
        }
        return (y, m, d)
    }
}

/// A read position in one field's bytes.
struct Cursor {
    static let nian: [UInt8] = Array("年".utf8), yue: [UInt8] = Array("月".utf8), ri: [UInt8] = Array("日".utf8)

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8 { bytes[position] }
    var peekIsSpace: Bool { !atEnd && (peek == UInt8(ascii: " ") || peek == UInt8(ascii: "\t")) }

    mutating func consume(_ b: UInt8) -> Bool {
        guard !atEnd, peek == b else { return false }
        position += 1
        return true
    }
    mutating func consume(_ sequence: [UInt8]) -> Bool {
        guard bytes.count - position >= sequence.count,
              sequence.indices.allSatisfy({ bytes[position + $0] == sequence[$0] }) else { return false }
        position += sequence.count
        return true
    }
    /// Between `min` and `max` ASCII digits (greedy), as a number.
    mutating func digits(min: Int, max: Int) -> Int? {
        var value = 0, count = 0
        while count < max, !atEnd, peek >= UInt8(ascii: "0"), peek <= UInt8(ascii: "9") {
            value = value * 10 + Int(peek - UInt8(ascii: "0")); position += 1; count += 1
        }
        return count >= min ? value : nil
    }
    /// Nothing more, or white space then `H[H]:MM[:SS]` and nothing after it.
    mutating func skipOptionalTime() -> Bool {
        if atEnd { return true }
        guard peekIsSpace else { return false }
        while peekIsSpace { position += 1 }
        guard let h = digits(min: 1, max: 2), h < 24, consume(UInt8(ascii: ":")),
              let m = digits(min: 2, max: 2), m < 60 else { return false }
        if consume(UInt8(ascii: ":")) {
            guard let s = digits(min: 2, max: 2), s < 61 else { return false }
        }
        return atEnd
    }
}
