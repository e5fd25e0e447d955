import Config
import Core
import CSV

/// A rejected row's first failure (SPEC §6: only the first is reported).
struct RowFailure: Error {
    let column: String
    let code: IssueCode
    let message: String
}

/// Validates a record column by column in schema order (empty required → parse → sign) and
/// converts every present column, used by the row type or not (SPEC §6).
///
/// A parsed row is kept as each column's trimmed bytes and, for the non-text types, one number
/// (see `Parsed`); the builders then read typed values by column id. Nothing is allocated per row:
/// texts become Strings only when a builder asks for them. The bytes point into the record being
/// parsed, so the typed accessors are valid only until the next record (the builders run in between).
final class RowParser {
    let schema: KindSchema
    let options: InputOptions
    let datePattern: DatePattern?
    /// Per column: where its bytes come from and how it is read (no Strings, so copying one is cheap).
    private let plans: [Plan]
    private let parsed: UnsafeMutableBufferPointer<Parsed>
    /// The decimal digits of the line number standing in for an empty line_no.
    private let lineNumberDigits = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 20)
    /// The statuses' and move types' spellings, held here: reading a static costs a call per use.
    private let statuses = OrderStatus.spellings, moveTypes = MoveType.spellings, docTypes = DocType.spellings
    private let moveTypeColumn: Int?
    private let unitCostColumn: Int?
    private let lineNoColumn: Int?
    /// A 64-bit hash of the last record's parsed values, for telling exact duplicates from conflicts
    /// (compared only between rows with the same key, alongside the typed rows).
    private(set) var contentFingerprint: UInt64 = 0

    private struct Plan {
        /// The record's field, or -1 for a column whose bytes are `constant` (the config's default; empty when absent).
        let field: Int
        let constant: UnsafeBufferPointer<UInt8>
        let type: FieldType
        let required: Bool
    }

    /// One column of the last record: its trimmed bytes (empty: the value is empty) and, by type,
    /// the quantity / price / money / whole number in the schema's units (thousandths, millionths,
    /// cents), the date's ordinal, 1 or 0 for a flag, the status or move type's place in `Spellings`,
    /// or year × 12 + month − 1.
    private struct Parsed {
        var bytes: UnsafeBufferPointer<UInt8>
        var number: Int128
    }

    init(schema: KindSchema, map: HeaderMap, options: InputOptions) {
        self.schema = schema
        self.options = options
        self.datePattern = options.dateFormat.flatMap(DatePattern.init)
        var plans: [Plan] = [], constants: [UnsafeMutableBufferPointer<UInt8>] = []
        for (column, source) in zip(schema.columns, map.sources) {
            var field = -1, constant = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            switch source {
            case .field(let index): field = index
            case .constant(let bytes):
                let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
                _ = copy.initialize(from: bytes)
                constants.append(copy)
                constant = trimmed(UnsafeBufferPointer(copy))
            case .absent: break
            }
            plans.append(Plan(field: field, constant: constant, type: column.type, required: column.required))
        }
        self.plans = plans
        self.constants = constants
        self.parsed = .allocate(capacity: schema.columns.count)
        self.recentTexts = RecentTexts(columns: schema.columns.count)
        self.positions = .allocate(capacity: 2 * schema.columns.count)
        parsed.initialize(repeating: Parsed(bytes: UnsafeBufferPointer(start: nil, count: 0), number: 0))
        self.moveTypeColumn = schema.kind == .movements ? schema.index(of: "move_type") : nil
        self.unitCostColumn = schema.index(of: "unit_cost")
        self.lineNoColumn = schema.index(of: "line_no")
    }

    /// The copies of the constants the plans point into.
    private let constants: [UnsafeMutableBufferPointer<UInt8>]

    deinit {
        for constant in constants { constant.deallocate() }
        parsed.deallocate()
        positions.deallocate()
        lineNumberDigits.deallocate()
    }

    /// Parses the record's fields; `lineNumber` stands in for an empty or missing line_no.
    func parse(_ record: borrowing CSVRecord, lineNumber: Int?) throws(RowFailure) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in plans.indices {
            let plan = plans[index]
            let bytes = bytes(ofColumn: index, in: record, lineNumber: lineNumber)
            if bytes.isEmpty {
                if isRequired(plan, at: index) {
                    let column = schema.columns[index]
                    throw RowFailure(column: column.id, code: .emptyRequired, message: "\(column.id) (\(column.label)) is required but empty")
                }
                parsed[index] = Parsed(bytes: bytes, number: 0)
                hash = hashMix(hash, 0)
                continue
            }
            let number = try convert(bytes, type: plan.type, index: index)
            parsed[index] = Parsed(bytes: bytes, number: number)
            // Columns are in schema order and each has one type, so the values alone tell rows apart.
            if case .text = plan.type {
                hash = byteMix(UnsafeRawBufferPointer(bytes), into: hash)
            } else {
                let bits = UInt128(bitPattern: number)
                hash = hashMix(hashMix(hash, UInt64(truncatingIfNeeded: bits) | 1), UInt64(truncatingIfNeeded: bits >> 64))
            }
        }
        contentFingerprint = hash
    }

    /// Column `index`'s trimmed bytes in `record`, the line number standing in for an empty line_no.
    func bytes(ofColumn index: Int, in record: borrowing CSVRecord, lineNumber: Int?) -> UnsafeBufferPointer<UInt8> {
        let plan = plans[index]
        let bytes = plan.field >= 0 ? trimmed(record.unsafeField(plan.field)) : plan.constant
        if bytes.isEmpty, index == lineNoColumn, let lineNumber { return digits(of: lineNumber) }
        return bytes
    }

    /// Whether column `index` is empty in `record` (false when its field is past the record's end:
    /// such a row is rejected for its field count).
    func isEmpty(column index: Int, in record: borrowing CSVRecord) -> Bool {
        let field = plans[index].field
        if field >= record.count { return false }
        return (field >= 0 ? trimmed(record.unsafeField(field)) : plans[index].constant).isEmpty
    }

    private func digits(of lineNumber: Int) -> UnsafeBufferPointer<UInt8> {
        var n = lineNumber, count = 0
        repeat { lineNumberDigits[19 - count] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10; count += 1 } while n > 0
        return UnsafeBufferPointer(rebasing: lineNumberDigits[(20 - count)...])
    }

    private func isRequired(_ plan: Plan, at index: Int) -> Bool {
        if plan.required { return true }
        // Receipt types other than OLD_PART_IN need a unit cost, reversals included (SPEC §6).
        if index == unitCostColumn, let moveTypeColumn, !parsed[moveTypeColumn].bytes.isEmpty {
            let type = moveTypes.value(at: Int(parsed[moveTypeColumn].number))
            return type.isReceipt && type != .oldPartIn
        }
        return false
    }

    private func convert(_ bytes: UnsafeBufferPointer<UInt8>, type: FieldType, index: Int) throws(RowFailure) -> Int128 {
        // The column is looked up only for a message: copying its spec retained two Strings per field.
        var column: ColumnSpec { schema.columns[index] }
        func text() -> String { String(decoding: bytes, as: UTF8.self) }
        switch type {
        case .text:
            return 0
        case .date:
            guard let day = FieldParsers.date(bytes, pattern: datePattern) else {
                let form = options.dateFormat ?? "YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD or YYYY年M月D日"
                throw RowFailure(column: column.id, code: .badDate, message: "\(column.id) \"\(text())\" is not a date (expected \(form))")
            }
            return Int128(day.ordinal)
        case .qty(let sign):
            return try number(bytes, column: index, decimals: 3, sign: sign, what: "a quantity with at most 3 decimals")
        case .price(let sign):
            return try number(bytes, column: index, decimals: 6, sign: sign, what: "a price with at most 6 decimals")
        case .money(let sign):
            // Money is read exactly with up to 6 decimals, then rounded half away from zero to cents.
            let micro = try number(bytes, column: index, decimals: 6, sign: sign, what: "an amount with at most 6 decimals")
            return Int128(Money(rounding: micro, scale: 6).cents)
        case .bool:
            guard let flag = FieldParsers.bool(bytes) else {
                throw RowFailure(column: column.id, code: .badBool, message: "\(column.id) \"\(text())\" is not Y/N, yes/no, true/false, 1/0 or 是/否")
            }
            return flag ? 1 : 0
        case .orderStatus:
            guard let status = statuses.place(of: bytes) else {
                throw RowFailure(column: column.id, code: .unknownStatus, message: "status \"\(text())\" is not open/未发货, shipped/已发货 or cancelled/已取消")
            }
            return Int128(status)
        case .moveType:
            guard let type = moveTypes.place(of: bytes) else {
                throw RowFailure(column: column.id, code: .unknownMoveType, message: "move_type \"\(text())\" is not a known type (PURCHASE 采购入库, SALE 销售出库, …)")
            }
            return Int128(type)
        case .docType:
            guard let type = docTypes.place(of: bytes) else {
                throw RowFailure(column: column.id, code: .unknownDocType, message: "doc_type \"\(text())\" is not invoice/发票, credit/贷项 or payment/收款")
            }
            return Int128(type)
        case .integer:
            // A whole number, written like any other number (SPEC §2.1: "1,200" is 1200).
            return try number(bytes, column: index, decimals: 0, sign: .nonNegative, what: "a whole number")
        case .month:
            guard let month = FieldParsers.month(bytes) else {
                throw RowFailure(column: column.id, code: .badDate, message: "\(column.id) \"\(text())\" is not a month (expected YYYY-MM)")
            }
            return Int128(month.year * 12 + month.month - 1)
        }
    }

    private func number(_ bytes: UnsafeBufferPointer<UInt8>, column index: Int, decimals: Int, sign: Sign, what: String) throws(RowFailure) -> Int128 {
        var column: ColumnSpec { schema.columns[index] }
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
                             message: "\(column.id) is \(String(decoding: bytes, as: UTF8.self)); expected \(sign.wording)")
        }
        return mantissa
    }

    /// Texts longer than 15 bytes (Swift keeps shorter ones inline) are stored once per file: fault
    /// descriptions, models and serial numbers repeat over hundreds of thousands of rows.
    private var texts = TextTable<String>()
    /// Shorter texts recently made, per column: codes, line numbers, warehouses and channels repeat
    /// from row to row, and a String made from bytes cost more than finding it here.
    private var recentTexts: RecentTexts

    // MARK: Typed access for the row builders

    /// Where the column `id` is. The builders name columns by literal, and a literal's address is
    /// fixed, so each call site's id is looked up once per file and then found by address
    /// (hashing the name on every field of every row cost ~3 % of ingest). A builder asks for the
    /// same columns in the same order on every row, so the entry after the last one found is tried first.
    /// Raw storage, not an array: reading an array held by this class cost a retain and a release per call.
    private let positions: UnsafeMutablePointer<(id: UnsafeRawPointer, index: Int)>
    private var positionCount = 0
    private var nextGuess = 0
    @inline(__always)
    private func position(_ id: StaticString) -> Int {
        let address = UnsafeRawPointer(id.utf8Start)
        if nextGuess < positionCount, positions[nextGuess].id == address {
            nextGuess += 1
            return positions[nextGuess - 1].index
        }
        return findPosition(address, id)
    }
    private func findPosition(_ address: UnsafeRawPointer, _ id: StaticString) -> Int {
        for n in 0..<positionCount where positions[n].id == address {
            nextGuess = n + 1
            return positions[n].index
        }
        guard let index = schema.index(of: id.description) else { preconditionFailure("\(schema.kind) has no column \(id)") }
        // Room for every call site of the builders (twice the columns: a column is rarely asked for twice); past it,
        // ids are looked up by name.
        guard positionCount < 2 * schema.columns.count else { return index }
        positions[positionCount] = (address, index)
        positionCount += 1
        nextGuess = positionCount
        return index
    }

    /// The column's number, nil when it is empty.
    private func number(_ id: StaticString) -> Int128? {
        let field = parsed[position(id)]
        return field.bytes.isEmpty ? nil : field.number
    }

    func text(_ id: StaticString) -> String {
        let column = position(id)
        let bytes = parsed[column].bytes
        if bytes.isEmpty { return "" }
        if bytes.count <= 15 { return recentTexts.string(bytes, column: column) }
        return texts[texts.entry(bytes, inserting: String(decoding: bytes, as: UTF8.self))]
    }
    func date(_ id: StaticString) -> Day? { number(id).map { Day(ordinal: Int32($0)) } }
    func quantity(_ id: StaticString) -> Quantity? { number(id).map { Quantity(milli: Int64($0)) } }
    func money(_ id: StaticString) -> Money? { number(id).map { Money(cents: Int64($0)) } }
    func price(_ id: StaticString) -> UnitPrice? { number(id).map { UnitPrice(mantissa: $0, scale: 6) } }
    func flag(_ id: StaticString) -> Bool? { number(id).map { $0 != 0 } }
    func integer(_ id: StaticString) -> Int64? { number(id).map { Int64($0) } }
    func status(_ id: StaticString) -> OrderStatus? { number(id).map { statuses.value(at: Int($0)) } }
    func moveType(_ id: StaticString) -> MoveType? { number(id).map { moveTypes.value(at: Int($0)) } }
    func docType(_ id: StaticString) -> DocType? { number(id).map { docTypes.value(at: Int($0)) } }
    func month(_ id: StaticString) -> Month? { number(id).map { Month(year: Int($0 / 12), month: Int($0 % 12) + 1)! } }
}

/// The Strings last made from texts of up to 15 bytes, 64 per column, each found by a hash of its
/// bytes (a later text with the same hash takes its place).
struct RecentTexts {
    private static let perColumn = 64
    /// Per entry, the text's bytes zero-padded to 16 with the count in the last byte (empty: none yet).
    private var keys: [(UInt64, UInt64)]
    private var strings: [String]

    init(columns: Int) {
        keys = Array(repeating: (0, 0), count: columns * Self.perColumn)
        strings = Array(repeating: "", count: columns * Self.perColumn)
    }

    /// The String of `bytes` (1–15 of them) of column `column`.
    @inline(__always)
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>, column: Int) -> String {
        let key = Self.key(UnsafeRawBufferPointer(bytes))
        let mixed = (key.0 ^ key.1.byteSwapped) &* 0x9E37_79B9_7F4A_7C15
        let entry = column * Self.perColumn + Int(truncatingIfNeeded: mixed >> 58)
        if keys[entry] == key { return strings[entry] }
        let string = String(decoding: bytes, as: UTF8.self)
        keys[entry] = key
        strings[entry] = string
        return string
    }

    /// The bytes (1–15) as two little-endian words, zero-padded, the count in the last byte; read
    /// in overlapping loads, not byte by byte.
    @inline(__always)
    private static func key(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        let n = bytes.count
        let count = UInt64(n) << 56
        if n >= 8 {  // bytes 8..<n are the top n − 8 bytes of the last word
            let last = bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            return (bytes.loadUnaligned(as: UInt64.self), last >> (8 * (16 - n)) | count)
        }
        if n >= 4 {
            let last = UInt64(bytes.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            return (UInt64(bytes.loadUnaligned(as: UInt32.self)) | (last >> (8 * (8 - n))) << 32, count)
        }
        var low: UInt64 = 0
        for i in 0..<n { low |= UInt64(bytes[i]) << (8 * i) }
        return (low, count)
    }
}

/// The bytes without surrounding spaces and tabs (SPEC §6: a value of only spaces is empty).
func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var start = 0, end = bytes.count
    while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
    return UnsafeBufferPointer(rebasing: bytes[start..<end])
}

/// The accepted spellings of an enum's values, matched on a field's bytes without making a
/// String: the code in any ASCII case ("shipped", "SHIPPED") or the Chinese label (已发货).
struct Spellings<Value: Sendable>: Sendable {
    let entries: [(value: Value, code: [UInt8], label: [UInt8])]

    /// The place in `entries` of the value `field` spells.
    func place(of field: UnsafeBufferPointer<UInt8>) -> Int? {
        for (place, entry) in entries.enumerated() {
            if field.count == entry.code.count, zip(field, entry.code).allSatisfy({ asciiLowercase($0) == asciiLowercase($1) }) {
                return place
            }
            if field.count == entry.label.count, zip(field, entry.label).allSatisfy({ $0 == $1 }) { return place }
        }
        return nil
    }

    func value(at place: Int) -> Value { entries[place].value }
}

extension OrderStatus {
    static let spellings = Spellings(entries: allCases.map { ($0, Array($0.rawValue.utf8), Array($0.label.utf8)) })
}

extension DocType {
    static let spellings = Spellings(entries: allCases.map { ($0, Array($0.rawValue.utf8), Array($0.label.utf8)) })
}

extension MoveType {
    static let spellings = Spellings(entries: allCases.map { ($0, Array($0.rawValue.utf8), Array($0.label.utf8)) })
}
