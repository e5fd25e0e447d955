import Core
import Ingest

/// The run's issues counted once, from which each workbook's Data issues sheet is cut (SPEC §8.1):
/// a summary of all of them by (severity, code), and per (input kind, code) the count and the first
/// `rowsPerCode` issues in run order. One pass over the issues (~0.5M at ten times a month); a
/// workbook's sheet then copies at most `rowsPerCode` rows per code.
public struct IssueDigest: Sendable {
    public static let rowsPerCode = 200

    /// One (severity, code) of the run: how many issues, in which files (distinct, in run order).
    public struct CodeSummary: Sendable, Equatable {
        public let code: IssueCode
        public internal(set) var count: Int
        public internal(set) var files: [String]
        public var severity: DataIssue.Severity { code.severity }
    }

    /// Errors first, then warnings; the most frequent code first, then by code.
    public let summary: [CodeSummary]

    private struct KindCode: Hashable { let kind: InputKind?; let code: IssueCode }
    private struct Kept: Sendable {
        var count = 0
        /// (position in the run's issues, issue), the first `rowsPerCode`.
        var first: [(Int, DataIssue)] = []
    }
    private let kept: [KindCode: Kept]

    /// `issues`: the issues found reading the inputs, then the later stages' warnings, in that order.
    /// An issue's kind is its file's kind (a whole-file `duplicate_file` too).
    public init(_ issues: [DataIssue]...) {
        var byCode: [IssueCode: CodeSummary] = [:]
        var kept: [KindCode: Kept] = [:]
        // Issues come in runs of one file: its kind is found once per run.
        var lastFile = "", lastKind: InputKind?
        for (position, issue) in issues.joined().enumerated() {
            if issue.file != lastFile { (lastFile, lastKind) = (issue.file, InputKind.of(fileName: issue.file)) }
            byCode[issue.code, default: CodeSummary(code: issue.code, count: 0, files: [])].count += 1
            if byCode[issue.code]!.files.last != issue.file && !byCode[issue.code]!.files.contains(issue.file) {
                byCode[issue.code]!.files.append(issue.file)
            }
            let key = KindCode(kind: lastKind, code: issue.code)
            kept[key, default: Kept()].count += 1
            if kept[key]!.first.count < Self.rowsPerCode { kept[key]!.first.append((position, issue)) }
        }
        summary = byCode.values.sorted { a, b in
            if a.severity != b.severity { return a.severity == .error }
            if a.count != b.count { return a.count > b.count }
            return a.code.rawValue < b.code.rawValue
        }
        self.kept = kept
    }

    /// The sheet of a workbook whose report reads `kinds`: the run's summary, then the issues raised on
    /// those kinds, at most `rowsPerCode` per code in run order, and per code cut short how many more.
    public func sheet(kinds: Set<InputKind>) -> IssueSheet {
        var rows: [(Int, DataIssue)] = []
        var more: [(code: IssueCode, count: Int)] = []
        for code in summary.map(\.code) {
            let parts = kept.filter { $0.key.code == code && $0.key.kind.map(kinds.contains) == true }.map(\.value)
            let total = parts.reduce(0) { $0 + $1.count }
            rows += parts.flatMap(\.first).sorted { $0.0 < $1.0 }.prefix(Self.rowsPerCode)
            if total > Self.rowsPerCode { more.append((code, total - Self.rowsPerCode)) }
        }
        rows.sort { $0.0 < $1.0 }
        return IssueSheet(summary: summary, details: DataIssues.table(rows.map(\.1)), more: more, kinds: kinds)
    }
}

/// One workbook's Data issues sheet (SPEC §8.1).
public struct IssueSheet: Sendable {
    /// Every issue of the run, by (severity, code).
    public let summary: [IssueDigest.CodeSummary]
    /// The issues on the kinds the report reads, at most `IssueDigest.rowsPerCode` per code.
    public let details: Table
    /// The codes cut short, in summary order, with the number of issues not listed.
    public let more: [(code: IssueCode, count: Int)]
    /// The input kinds the report reads (also the input files its overview's changes block names).
    public let kinds: Set<InputKind>
}
