/// What happened to rows that were not simply accepted (SPEC §2.3): every one names file,
/// line (1-based physical line; 0 = the whole file) and column.
public struct DataIssue: Sendable, Equatable {
    public enum Severity: String, Sendable { case error, warning }

    public let file: String
    public let line: Int
    public let column: String
    public let severity: Severity
    public let code: IssueCode
    public let message: String
    /// The row as it stood in the file (empty for whole-file issues).
    public let rawRow: String

    public init(file: String, line: Int, column: String, severity: Severity, code: IssueCode, message: String, rawRow: String) {
        self.file = file; self.line = line; self.column = column
        self.severity = severity; self.code = code; self.message = message; self.rawRow = rawRow
    }
}

/// The `code` column of rejects.csv (SPEC §6).
public enum IssueCode: String, Sendable, CaseIterable {
    // Errors: the row is rejected.
    case fieldCount = "field_count"
    case emptyRequired = "empty_required"
    case badDate = "bad_date"
    case badNumber = "bad_number"
    case badBool = "bad_bool"
    case wrongSign = "wrong_sign"
    case unknownStatus = "unknown_status"
    case unknownMoveType = "unknown_move_type"
    case missingShipDate = "missing_ship_date"
    case fieldTooLong = "field_too_long"
    case duplicateConflict = "duplicate_conflict"
    /// A receivables row whose doc_type is not invoice, credit or payment (SPEC §8.4).
    case unknownDocType = "unknown_doc_type"
    /// The file ended inside a quoted field (an extension of the spec's list).
    case unterminatedQuote = "unterminated_quote"
    // Warnings: the row is used.
    case unknownPart = "unknown_part"
    case unknownDealer = "unknown_dealer"
    case amountMismatch = "amount_mismatch"
    case oldPartInWrongWarehouse = "old_part_in_wrong_warehouse"
    case returnUnmatched = "return_unmatched"
    /// A payment whose ref_no names no invoice of its dealer (SPEC §8.4): applied as unreferenced.
    case paymentUnmatched = "payment_unmatched"
    case duplicateFile = "duplicate_file"

    public var severity: DataIssue.Severity {
        switch self {
        case .unknownPart, .unknownDealer, .amountMismatch, .oldPartInWrongWarehouse,
             .returnUnmatched, .paymentUnmatched, .duplicateFile: return .warning
        default: return .error
        }
    }
}

/// An exact duplicate row that was dropped (listed in duplicates.csv).
public struct DuplicateRow: Sendable, Equatable {
    public let file: String
    public let line: Int
    public let firstFile: String
    public let firstLine: Int
}

/// Where a row came from: an index into `Dataset.files` and its line. Later stages use it
/// to raise warnings against the row (return_unmatched).
public struct RowRef: Hashable, Sendable {
    public let file: Int32
    public let line: Int32
    public init(file: Int32, line: Int32) { self.file = file; self.line = line }
    /// File, then line, as one integer: sorting by it sorts by (file, line).
    public var order: UInt64 { UInt64(UInt32(bitPattern: file)) << 32 | UInt64(UInt32(bitPattern: line)) }
}

/// A whole-file problem (SPEC §2.3): the run stops before any report is written, exit 3.
public enum IngestError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case missingColumn(file: String, column: String, label: String)
    case invalidEncoding(file: String, line: Int, byteOffset: Int)
    case noHeader(file: String)
    case missingKind(kind: String, neededBy: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): cannot read the file: \(reason)"
        case let .missingColumn(file, column, label):
            return "\(file): required column \(column) (\(label)) is missing from the header; map it in the config under [inputs.<kind>.columns] or give it a default"
        case let .invalidEncoding(file, line, offset):
            return "\(file):\(line): the file is neither valid UTF-8 nor valid GB18030 (byte offset \(offset))"
        case let .noHeader(file): return "\(file): the file is empty: it has no header row"
        case let .missingKind(kind, report):
            return "no \(kind)*.csv file in the input folder, which the \(report) report needs"
        }
    }
}
