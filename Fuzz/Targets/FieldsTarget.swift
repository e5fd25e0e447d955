import Core
import Ingest

// Fuzz target `fields`: the field parsers of SPEC §2.1/§6 (FieldParsers.number for both decimal
// marks and 0…6 decimals, date with the standard forms and with DatePatterns, month, bool,
// integer), DatePattern itself (the pattern text is taken from the input too), and the Core
// parsers of plain decimals, ISO days and months.
// Invariants, for each parser an independent reference (written from the spec, not from the
// code) must agree, plus:
// - an accepted number is below 10^(24+decimals), is accepted with one more decimal as 10× the
//   value, and its `decimalString` (with the decimal mark swapped in) parses back to it;
// - an accepted date is a valid calendar date whose ISO, compact and 年月日 forms parse back to
//   it; a date written with any DatePattern that the input spells parses back to the same day;
// - an accepted month, ExactDecimal, Day(iso:) or Month(iso:) round-trips through `description`.

private let dot = UInt8(ascii: "."), comma = UInt8(ascii: ",")
private let patterns = ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y年%m月%d日", "%Y%m%d", "%d%%%m%%%Y"].map { DatePattern($0)! }

func fuzzTarget(_ data: UnsafeBufferPointer<UInt8>) {
    let field = Array(data)
    checkNumbers(field)
    checkDates(field)
    checkMonth(field)
    checkSmallParsers(field)
    checkPatternText(field)
    // Every line of the input as a field of its own too (the corpus has one value per line).
    if field.contains(0x0A) {
        for part in field.split(separator: 0x0A, omittingEmptySubsequences: true) where part.count < field.count {
            let f = Array(part)
            checkNumbers(f)
            checkDates(f)
            checkMonth(f)
            checkSmallParsers(f)
        }
    }
}

// MARK: Numbers

func checkNumbers(_ field: [UInt8]) {
    field.withUnsafeBufferPointer { bytes in
        for mark in [dot, comma] {
            var previous: Int128?
            for decimals in 0 ... 6 {
                let value = FieldParsers.number(bytes, decimals: decimals, decimalMark: mark)
                let expected = referenceNumber(field, decimals: decimals, mark: mark)
                check(value == expected, "number(\(show(field)), decimals: \(decimals), mark: \(show([mark]))) = \(String(describing: value)), the reference says \(String(describing: expected))")
                if let previous { check(value == previous * 10, "\(show(field)) is \(previous) with \(decimals - 1) decimals but \(String(describing: value)) with \(decimals)") }
                previous = value
                guard let value else { continue }
                check(value.magnitude < UInt128(pow10(24 + decimals)), "\(show(field)) parsed to \(value), over 24 integer digits")
                var text = Array(decimalString(value, scale: decimals).utf8)
                if mark == comma { text = text.map { $0 == dot ? comma : $0 } }
                let back = text.withUnsafeBufferPointer { FieldParsers.number($0, decimals: decimals, decimalMark: mark) }
                check(back == value, "\(show(field)) parsed to \(value), written \(show(text)), read back as \(String(describing: back))")
            }
        }
    }
}

/// SPEC §2.1/§6 numbers: a sign and a yuan sign in either order (each at most once), an integer
/// part of plain digits or proper groups of three, an optional fraction of 1…`decimals` digits.
func referenceNumber(_ field: [UInt8], decimals: Int, mark: UInt8) -> Int128? {
    let group = mark == comma ? dot : comma
    let signs: [[UInt8]] = [[], [UInt8(ascii: "-")], [UInt8(ascii: "+")]]
    let yuans: [[UInt8]] = [[], Array("¥".utf8), Array("￥".utf8)]
    for sign in signs {
        for yuan in yuans {
            for prefix in [sign + yuan, yuan + sign] where field.starts(with: prefix) {
                let body = Array(field[prefix.count...])
                guard let magnitude = referenceBody(body, decimals: decimals, mark: mark, group: group) else { continue }
                return sign == [UInt8(ascii: "-")] ? -magnitude : magnitude
            }
        }
    }
    return nil
}

private func referenceBody(_ body: [UInt8], decimals: Int, mark: UInt8, group: UInt8) -> Int128? {
    let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    let parts = body.split(separator: mark, omittingEmptySubsequences: false)
    guard parts.count <= 2 else { return nil }
    let integer = parts[0], fraction = parts.count == 2 ? parts[1] : []
    if parts.count == 2 { guard (1 ... max(1, decimals)).contains(fraction.count), decimals > 0, fraction.allSatisfy(isDigit) else { return nil } }
    let groups = integer.split(separator: group, omittingEmptySubsequences: false)
    guard groups.allSatisfy({ $0.allSatisfy(isDigit) }), (1 ... 3).contains(groups[0].count) || (groups.count == 1 && !groups[0].isEmpty),
          groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
    let digits = groups.joined()
    guard digits.count <= 24 else { return nil }
    var value: Int128 = 0
    for d in digits { value = value * 10 + Int128(d - UInt8(ascii: "0")) }
    for i in 0 ..< decimals { value = value * 10 + (i < fraction.count ? Int128(fraction[fraction.startIndex + i] - UInt8(ascii: "0")) : 0) }
    return value
}

// MARK: Dates

/// SPEC §2.1/§6 dates, read by splitting rather than scanning: the date part (up to the first
/// space or tab) in one of the five forms, then optionally white space and a valid HH:MM[:SS].
func referenceDate(_ field: [UInt8]) -> Day? {
    guard let text = String(validating: field, as: UTF8.self) else { return nil }
    let scalars = text.unicodeScalars
    let isSpace = { (c: Unicode.Scalar) in c == " " || c == "\t" }
    let dateEnd = scalars.firstIndex(where: isSpace) ?? scalars.endIndex
    let datePart = String(scalars[..<dateEnd])
    if dateEnd != scalars.endIndex {
        let parts = String(scalars[dateEnd...].drop(while: isSpace)).split(separator: ":", omittingEmptySubsequences: false)
        guard (2 ... 3).contains(parts.count), isDigits(parts[0], 1 ... 2), isDigits(parts[1], 2 ... 2),
              parts.count == 2 || isDigits(parts[2], 2 ... 2),
              Int(parts[0])! < 24, Int(parts[1])! < 60, parts.count == 2 || Int(parts[2])! < 61 else { return nil }
    }
    let pieces: [Substring], widths: [ClosedRange<Int>]
    if datePart.contains("年") {
        guard datePart.hasSuffix("日") else { return nil }
        let yearRest = datePart.dropLast().split(separator: "年", omittingEmptySubsequences: false)
        guard yearRest.count == 2 else { return nil }
        pieces = [yearRest[0]] + yearRest[1].split(separator: "月", omittingEmptySubsequences: false)
        widths = [4 ... 4, 1 ... 2, 1 ... 2]
    } else if datePart.contains("-") {
        pieces = datePart.split(separator: "-", omittingEmptySubsequences: false)
        widths = [4 ... 4, 2 ... 2, 2 ... 2]
    } else if let separator = ["/", "."].first(where: { datePart.contains($0) }) {
        pieces = datePart.split(separator: separator, omittingEmptySubsequences: false)
        widths = [4 ... 4, 1 ... 2, 1 ... 2]
    } else {
        guard isDigits(Substring(datePart), 8 ... 8) else { return nil }
        let d = Array(datePart)
        pieces = [Substring(String(d[0 ..< 4])), Substring(String(d[4 ..< 6])), Substring(String(d[6 ..< 8]))]
        widths = [4 ... 4, 2 ... 2, 2 ... 2]
    }
    guard pieces.count == 3, zip(pieces, widths).allSatisfy({ isDigits($0, $1) }) else { return nil }
    return Day(year: Int(pieces[0])!, month: Int(pieces[1])!, day: Int(pieces[2])!)
}

/// ASCII digits only, as many as `count` allows.
func isDigits(_ s: Substring, _ count: ClosedRange<Int>) -> Bool {
    count.contains(s.count) && s.allSatisfy { $0.isASCII && $0.isNumber }
}

func checkDates(_ field: [UInt8]) {
    field.withUnsafeBufferPointer { bytes in
        let day = FieldParsers.date(bytes, pattern: nil)
        let expected = referenceDate(field)
        check(day == expected, "date(\(show(field))) = \(String(describing: day)), the reference says \(String(describing: expected))")
        if let day { checkDay(day, from: field) }
        for pattern in patterns {
            if let d = FieldParsers.date(bytes, pattern: pattern) { checkDay(d, from: field) }
        }
    }
}

/// A parsed day is a valid date and its standard forms read back to it.
func checkDay(_ day: Day, from field: [UInt8]) {
    let (y, m, d) = day.components
    check(Day(year: y, month: m, day: d) == day, "\(show(field)) parsed to \(y)-\(m)-\(d), which is no calendar date")
    for form in ["\(day)", "\(day) 23:59:60", String(y).leftPadded(4) + String(m).leftPadded(2) + String(d).leftPadded(2),
                 "\(String(y).leftPadded(4))年\(m)月\(d)日", "\(String(y).leftPadded(4))/\(m)/\(d)\t0:00"] {
        let back = Array(form.utf8).withUnsafeBufferPointer { FieldParsers.date($0, pattern: nil) }
        check(back == day, "\(show(field)) parsed to \(day), but \(form) reads as \(String(describing: back))")
    }
    check(Day(iso: day.description) == day, "Day(iso: \(day)) does not read back")
}

/// The input as a date pattern: if DatePattern accepts it, a date written with it reads back.
func checkPatternText(_ field: [UInt8]) {
    let text = String(decoding: field.prefix(64), as: UTF8.self)
    guard let pattern = DatePattern(text) else { return }
    let seed = fingerprint(field.withUnsafeBufferPointer { $0 })
    let day = Day(ordinal: Int32(seed % 3_000_000) - 719_162)  // 0001-01-01 … 8183
    let (y, m, d) = day.components
    var written: [UInt8] = []
    var bytes = Array(text.utf8)[...]
    while let b = bytes.popFirst() {
        guard b == UInt8(ascii: "%") else { written.append(b); continue }
        switch bytes.popFirst() {
        case UInt8(ascii: "Y"): written += Array(String(y).leftPadded(4).utf8)
        case UInt8(ascii: "m"): written += Array(String(m).leftPadded(2).utf8)
        case UInt8(ascii: "d"): written += Array(String(d).leftPadded(2).utf8)
        case UInt8(ascii: "%"): written.append(b)
        default: fail("DatePattern accepted \(show(Array(text.utf8))) with an unknown directive")
        }
    }
    let back = written.withUnsafeBufferPointer { FieldParsers.date($0, pattern: pattern) }
    check(back == day, "pattern \(show(Array(text.utf8))): \(day) written as \(show(written)) reads as \(String(describing: back))")
}

// MARK: Months, booleans, integers, Core parsers

/// SPEC fleet months: `YYYY-MM`, `YYYY/M`, `YYYY.M`, `YYYY年M月`, by splitting.
func referenceMonth(_ field: [UInt8]) -> Month? {
    guard let text = String(validating: field, as: UTF8.self) else { return nil }
    let pieces: [Substring], width: ClosedRange<Int>
    if text.contains("年") {
        guard text.hasSuffix("月") else { return nil }
        pieces = text.dropLast().split(separator: "年", omittingEmptySubsequences: false)
        width = 1 ... 2
    } else if text.contains("-") {
        pieces = text.split(separator: "-", omittingEmptySubsequences: false)
        width = 2 ... 2
    } else if let separator = ["/", "."].first(where: { text.contains($0) }) {
        pieces = text.split(separator: separator, omittingEmptySubsequences: false)
        width = 1 ... 2
    } else {
        return nil
    }
    guard pieces.count == 2, isDigits(pieces[0], 4 ... 4), isDigits(pieces[1], width) else { return nil }
    return Month(year: Int(pieces[0])!, month: Int(pieces[1])!)
}

func checkMonth(_ field: [UInt8]) {
    let month = field.withUnsafeBufferPointer { FieldParsers.month($0) }
    let expected = referenceMonth(field)
    check(month == expected, "month(\(show(field))) = \(String(describing: month)), the reference says \(String(describing: expected))")
    if let month {
        check(Month(iso: month.description) == month, "Month(iso: \(month)) does not read back")
        let back = Array(month.description.utf8).withUnsafeBufferPointer { FieldParsers.month($0) }
        check(back == month, "\(month) does not read back through month()")
    }
}

func checkSmallParsers(_ field: [UInt8]) {
    field.withUnsafeBufferPointer { bytes in
        let flag = FieldParsers.bool(bytes)
        let words: [String: Bool] = ["y": true, "yes": true, "true": true, "1": true, "是": true,
                                     "n": false, "no": false, "false": false, "0": false, "否": false]
        let lower = String(validating: field, as: UTF8.self)?.lowercased()
        check(flag == lower.flatMap { words[$0] }, "bool(\(show(field))) = \(String(describing: flag))")

        let integer = FieldParsers.integer(bytes)
        let isDigits = !field.isEmpty && field.count <= 18 && field.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        check(integer == (isDigits ? Int64(String(decoding: field, as: UTF8.self)) : nil), "integer(\(show(field))) = \(String(describing: integer))")
    }
    let text = String(decoding: field, as: UTF8.self)
    if let d = ExactDecimal(plain: text) {
        check(ExactDecimal(plain: d.description) == d, "ExactDecimal \(show(field)) → \(d) does not read back")
        for places in 0 ... 8 {
            if let m = d.exactly(places: places) { check(ExactDecimal(mantissa: m, scale: places).exactly(places: d.scale) == d.mantissa, "ExactDecimal \(d) at \(places) places") }
        }
    }
    if let day = Day(iso: text) { check(day.description == text, "Day(iso: \(show(field))) = \(day)") }
    if let month = Month(iso: text) { check(month.description == text, "Month(iso: \(show(field))) = \(month)") }
}
