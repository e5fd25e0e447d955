import Config
import Core
import CSV

/// A rejected row's first failure (SPEC §6: only the first is reported).
struct RowFailure: Error {
    let column: String
    let code: IssueCode
    let message: String
}

/// One field's value after validation, in the schema's units: quantities in thousandths,
/// prices in millionths, money in cents.
enum FieldValue: Equatable {
    case empty
    case text(String)
    case date(Day)
    case number(Int128)
    case flag(Bool)
    case status(OrderStatus)
    case move(MoveType)
    case month(Month)
    case integer(Int64)
}

/// Validates a record column by column in schema order (empty required → parse → sign) and
/// converts every present column, used by the row type or not (SPEC §6).
final class RowParser {
    let schema: KindSchema
    let map: HeaderMap
    let options: InputOptions
    let datePattern: DatePattern?
    private(set) var values: [FieldValue]
    private let moveTypeColumn: Int?

    init(schema: KindSchema, map: HeaderMap, options: InputOptions) {
        self.schema = schema
        self.map = map
        self.options = options
        self.datePattern = options.dateFormat.flatMap(DatePattern.init)
        self.values = Array(repeating: .empty, count: schema.columns.count)
        self.moveTypeColumn = schema.kind == .movements ? schema.index(of: "move_type") : nil
    }

    /// Parses the record's fields; `lineNumber` stands in for an empty or missing line_no.
    func parse(_ record: borrowing CSVRecord, lineNumber: String?) throws {
        for (index, column) in schema.columns.enumerated() {
            let value = try withValue(of: index, in: record) { bytes throws in
                try convert(bytes, column: column, index: index)
            }
            if value == .empty, column.id == "line_no", let lineNumber {
                values[index] = .text(lineNumber)
            } else {
                values[index] = value
            }
        }
    }

    private func withValue<R>(of index: Int, in record: borrowing CSVRecord,
                              _ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        switch map.sources[index] {
        case .field(let field):
            return try record.withField(field) { bytes throws in try body(trimmed(bytes)) }
        case .constant(let constant):
            return try constant.withUnsafeBufferPointer { bytes throws in try body(trimmed(bytes)) }
        case .absent:
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
    }

    private func isRequired(_ column: ColumnSpec) -> Bool {
        if column.required { return true }
        // Receipt types other than OLD_PART_IN need a unit cost, reversals included (SPEC §6).
        if column.id == "unit_cost", let moveTypeColumn, case .move(let type) = values[moveTypeColumn] {
            return type.isReceipt && type != .oldPartIn
        }
        return false
    }

    private func convert(_ bytes: UnsafeBufferPointer<UInt8>, column: ColumnSpec, index: Int) throws -> FieldValue {
        if bytes.isEmpty {
            if isRequired(column) {
                throw RowFailure(column: column.id, code: .emptyRequired, message: "\(column.id) (\(column.label)) is required but empty")
            }
            return .empty
        }
        func text() -> String { String(decoding: bytes, as: UTF8.self) }
        switch column.type {
        case .text:
            return .text(text())
        case .date:
            guard let day = FieldParsers.date(bytes, pattern: datePattern) else {
                let form = options.dateFormat ?? "YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD or YYYY年M月D日"
                throw RowFailure(column: column.id, code: .badDate, message: "\(column.id) \"\(text())\" is not a date (expected \(form))")
            }
            return .date(day)
        case .qty(let sign):
            return try number(bytes, column, decimals: 3, sign: sign, what: "a quantity with at most 3 decimals")
        case .price(let sign):
            return try number(bytes, column, decimals: 6, sign: sign, what: "a price with at most 6 decimals")
        case .money(let sign):
            // Money is read exactly with up to 6 decimals, then rounded half away from zero to cents.
            guard case .number(let micro) = try number(bytes, column, decimals: 6, sign: sign, what: "an amount with at most 6 decimals") else { return .empty }
            return .number(Int128(Money(rounding: micro, scale: 6).cents))
        case .bool:
            guard let flag = FieldParsers.bool(bytes) else {
                throw RowFailure(column: column.id, code: .badBool, message: "\(column.id) \"\(text())\" is not Y/N, yes/no, true/false, 1/0 or 是/否")
            }
            return .flag(flag)
        case .orderStatus:
            let raw = text()
            guard let status = OrderStatus(rawValue: raw.lowercased()) ?? OrderStatus.allCases.first(where: { $0.label == raw }) else {
                throw RowFailure(column: column.id, code: .unknownStatus, message: "status \"\(raw)\" is not open/未发货, shipped/已发货 or cancelled/已取消")
            }
            return .status(status)
        case .moveType:
            let raw = text()
            guard let type = MoveType(rawValue: raw.uppercased()) ?? MoveType.allCases.first(where: { $0.label == raw }) else {
                throw RowFailure(column: column.id, code: .unknownMoveType, message: "move_type \"\(raw)\" is not a known type (PURCHASE 采购入库, SALE 销售出库, …)")
            }
            return .move(type)
        case .integer:
            // A whole number, written like any other number (SPEC §2.1: "1,200" is 1200).
            guard case .number(let n) = try number(bytes, column, decimals: 0, sign: .nonNegative, what: "a whole number") else { return .empty }
            return .integer(Int64(n))
        case .month:
            guard let month = FieldParsers.month(bytes) else {
                throw RowFailure(column: column.id, code: .badDate, message: "\(column.id) \"\(text())\" is not a month (expected YYYY-MM)")
            }
            return .month(month)
        }
    }

    private func number(_ bytes: UnsafeBufferPointer<UInt8>, _ column: ColumnSpec, decimals: Int, sign: Sign, what: String) throws -> FieldValue {
        guard let mantissa = FieldParsers.number(bytes, decimals: decimals, decimalMark: options.decimalMark) else {
            throw RowFailure(column: column.id, code: .badNumber,
                             message: "\(column.id) \"\(String(decoding: bytes, as: UTF8.self))\" is not \(what)")
        }
        guard mantissa.magnitude <= ExactRange.largestReadNumber.magnitude * pow10(decimals).magnitude else {
            throw RowFailure(column: column.id, code: .badNumber,
                             message: "\(column.id) \"\(String(decoding: bytes, as: UTF8.self))\" is beyond the largest number accepted, 1,000,000,000,000")
        }
        guard sign.admits(mantissa) else {
            throw RowFailure(column: column.id, code: .wrongSign,
                             message: "\(column.id) is \(decimalString(mantissa, scale: decimals)); expected \(sign.wording)")
        }
        return .number(mantissa)
    }

    /// A 64-bit FNV-1a fingerprint of the parsed values, for telling exact duplicates from
    /// conflicts (compared only between rows with the same key, alongside the typed rows).
    var contentFingerprint: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func byte(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        func number(_ n: Int128) { var v = UInt128(bitPattern: n); for _ in 0..<16 { byte(UInt8(truncatingIfNeeded: v)); v >>= 8 } }
        for value in values {
            switch value {
            case .empty: byte(0)
            case .text(let s): byte(1); for b in s.utf8 { byte(b) }; byte(0xFF)
            case .date(let d): byte(2); number(Int128(d.ordinal))
            case .number(let n): byte(3); number(n)
            case .flag(let b): byte(b ? 4 : 5)
            case .status(let status): byte(6); for b in status.rawValue.utf8 { byte(b) }
            case .move(let type): byte(7); for b in type.rawValue.utf8 { byte(b) }
            case .month(let m): byte(8); number(Int128(m.year * 12 + m.month))
            case .integer(let n): byte(9); number(Int128(n))
            }
        }
        return h
    }

    // MARK: Typed access for the row builders

    func text(_ id: String) -> String {
        if case .text(let s) = values[schema.index(of: id)!] { return s }
        return ""
    }
    func date(_ id: String) -> Day? {
        if case .date(let d) = values[schema.index(of: id)!] { return d }
        return nil
    }
    func number(_ id: String) -> Int128? {
        if case .number(let n) = values[schema.index(of: id)!] { return n }
        return nil
    }
    func quantity(_ id: String) -> Quantity? { number(id).map { Quantity(milli: Int64($0)) } }
    func money(_ id: String) -> Money? { number(id).map { Money(cents: Int64($0)) } }
    func price(_ id: String) -> UnitPrice? { number(id).map { UnitPrice(mantissa: $0, scale: 6) } }
    func flag(_ id: String) -> Bool? {
        if case .flag(let b) = values[schema.index(of: id)!] { return b }
        return nil
    }
    func value(_ id: String) -> FieldValue { values[schema.index(of: id)!] }
}

/// The bytes without surrounding spaces and tabs (SPEC §6: a value of only spaces is empty).
func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var start = 0, end = bytes.count
    while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    return UnsafeBufferPointer(rebasing: bytes[start..<end])
}
