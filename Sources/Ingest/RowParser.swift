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
    private let unitCostColumn: Int?
    private let lineNoColumn: Int?

    init(schema: KindSchema, map: HeaderMap, options: InputOptions) {
        self.schema = schema
        self.map = map
        self.options = options
        self.datePattern = options.dateFormat.flatMap(DatePattern.init)
        self.values = Array(repeating: .empty, count: schema.columns.count)
        self.moveTypeColumn = schema.kind == .movements ? schema.index(of: "move_type") : nil
        self.unitCostColumn = schema.index(of: "unit_cost")
        self.lineNoColumn = schema.index(of: "line_no")
    }

    /// Parses the record's fields; `lineNumber` stands in for an empty or missing line_no.
    func parse(_ record: borrowing CSVRecord, lineNumber: Int?) throws {
        for (index, column) in schema.columns.enumerated() {
            let value = try withValue(of: index, in: record) { bytes throws in
                try convert(bytes, column: column, index: index)
            }
            if value == .empty, index == lineNoColumn, let lineNumber {
                values[index] = .text(String(lineNumber))
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

    private func isRequired(_ column: ColumnSpec, at index: Int) -> Bool {
        if column.required { return true }
        // Receipt types other than OLD_PART_IN need a unit cost, reversals included (SPEC §6).
        if index == unitCostColumn, let moveTypeColumn, case .move(let type) = values[moveTypeColumn] {
            return type.isReceipt && type != .oldPartIn
        }
        return false
    }

    private func convert(_ bytes: UnsafeBufferPointer<UInt8>, column: ColumnSpec, index: Int) throws -> FieldValue {
        if bytes.isEmpty {
            if isRequired(column, at: index) {
                throw RowFailure(column: column.id, code: .emptyRequired, message: "\(column.id) (\(column.label)) is required but empty")
            }
            return .empty
        }
        func text() -> String { String(decoding: bytes, as: UTF8.self) }
        switch column.type {
        case .text:
            return .text(bytes.count > 15 ? texts[texts.entry(bytes, inserting: text())] : text())
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
            guard let status = OrderStatus.spellings.match(bytes) else {
                throw RowFailure(column: column.id, code: .unknownStatus, message: "status \"\(text())\" is not open/未发货, shipped/已发货 or cancelled/已取消")
            }
            return .status(status)
        case .moveType:
            guard let type = MoveType.spellings.match(bytes) else {
                throw RowFailure(column: column.id, code: .unknownMoveType, message: "move_type \"\(text())\" is not a known type (PURCHASE 采购入库, SALE 销售出库, …)")
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
        guard ExactRange.admits(mantissa, scale: decimals) else {
            throw RowFailure(column: column.id, code: .badNumber,
                             message: "\(column.id) \"\(String(decoding: bytes, as: UTF8.self))\" is beyond the largest number accepted, 1,000,000,000,000")
        }
        guard sign.admits(mantissa) else {
            throw RowFailure(column: column.id, code: .wrongSign,
                             message: "\(column.id) is \(decimalString(mantissa, scale: decimals)); expected \(sign.wording)")
        }
        return .number(mantissa)
    }

    /// A 64-bit fingerprint of the parsed values, for telling exact duplicates from conflicts
    /// (compared only between rows with the same key, alongside the typed rows). Values are mixed
    /// a 64-bit word at a time (tag, then payload), text a byte at a time.
    var contentFingerprint: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func word(_ w: UInt64) { h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15; h ^= h >> 29 }
        func number(_ n: Int128) { let v = UInt128(bitPattern: n); word(UInt64(truncatingIfNeeded: v)); word(UInt64(truncatingIfNeeded: v >> 64)) }
        for value in values {
            switch value {
            case .empty: word(0)
            case .text(var s):
                word(1)
                s.withUTF8 { for b in $0 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
                word(UInt64(s.utf8.count))
            case .date(let d): word(2); number(Int128(d.ordinal))
            case .number(let n): word(3); number(n)
            case .flag(let b): word(b ? 4 : 5)
            case .status(let status): word(6); word(UInt64(OrderStatus.allCases.firstIndex(of: status)!))
            case .move(let type): word(7); word(UInt64(moveTypes.firstIndex(of: type)!))
            case .month(let m): word(8); number(Int128(m.year * 12 + m.month))
            case .integer(let n): word(9); number(Int128(n))
            }
        }
        return h
    }

    /// Texts longer than 15 bytes (Swift keeps shorter ones inline) are stored once per file: fault
    /// descriptions, models and serial numbers repeat over hundreds of thousands of rows.
    private var texts = TextTable<String>()

    // MARK: Typed access for the row builders

    /// Where the column `id` is. The builders name columns by literal, and a literal's address is
    /// fixed, so each call site's id is looked up once per file and then found by address
    /// (hashing the name on every field of every row cost ~3 % of ingest). A builder asks for the
    /// same columns in the same order on every row, so the entry after the last one found is tried first.
    private var positions: [(id: UnsafeRawPointer, index: Int)] = []
    private var nextGuess = 0
    private func position(_ id: StaticString) -> Int {
        let address = UnsafeRawPointer(id.utf8Start)
        if nextGuess < positions.count, positions[nextGuess].id == address {
            nextGuess += 1
            return positions[nextGuess - 1].index
        }
        for (n, entry) in positions.enumerated() where entry.id == address {
            nextGuess = n + 1
            return entry.index
        }
        guard let index = schema.index(of: id.description) else { preconditionFailure("\(schema.kind) has no column \(id)") }
        positions.append((address, index))
        nextGuess = positions.count
        return index
    }

    func text(_ id: StaticString) -> String {
        if case .text(let s) = values[position(id)] { return s }
        return ""
    }
    func date(_ id: StaticString) -> Day? {
        if case .date(let d) = values[position(id)] { return d }
        return nil
    }
    func number(_ id: StaticString) -> Int128? {
        if case .number(let n) = values[position(id)] { return n }
        return nil
    }
    func quantity(_ id: StaticString) -> Quantity? { number(id).map { Quantity(milli: Int64($0)) } }
    func money(_ id: StaticString) -> Money? { number(id).map { Money(cents: Int64($0)) } }
    func price(_ id: StaticString) -> UnitPrice? { number(id).map { UnitPrice(mantissa: $0, scale: 6) } }
    func flag(_ id: StaticString) -> Bool? {
        if case .flag(let b) = values[position(id)] { return b }
        return nil
    }
    func value(_ id: StaticString) -> FieldValue { values[position(id)] }
}

/// The bytes without surrounding spaces and tabs (SPEC §6: a value of only spaces is empty).
func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var start = 0, end = bytes.count
    while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    return UnsafeBufferPointer(rebasing: bytes[start..<end])
}

/// The move types once, in `allCases` order (`allCases` builds a new array on every call).
private let moveTypes = MoveType.allCases

/// The accepted spellings of an enum's values, matched on a field's bytes without making a
/// String: the code in any ASCII case ("shipped", "SHIPPED") or the Chinese label (已发货).
struct Spellings<Value: Sendable>: Sendable {
    let entries: [(value: Value, code: [UInt8], label: [UInt8])]

    func match(_ field: UnsafeBufferPointer<UInt8>) -> Value? {
        for entry in entries {
            if field.elementsEqual(entry.label) { return entry.value }
            if field.count == entry.code.count, zip(field, entry.code).allSatisfy({ asciiLowercase($0) == asciiLowercase($1) }) {
                return entry.value
            }
        }
        return nil
    }
}

extension OrderStatus {
    static let spellings = Spellings(entries: allCases.map { ($0, Array($0.rawValue.utf8), Array($0.label.utf8)) })
}

extension MoveType {
    static let spellings = Spellings(entries: allCases.map { ($0, Array($0.rawValue.utf8), Array($0.label.utf8)) })
}
