import Core
import Ingest
import Reports

/// A warning a report raises against a row that was read (profit's unmatched returns).
struct RowWarning: Sendable {
    let ref: RowRef
    let issue: DataIssue

    init(_ ref: RowRef, column: String, code: IssueCode, message: String, in dataset: Dataset) {
        self.ref = ref
        issue = DataIssue(file: dataset.file(ref).name, line: Int(ref.line), column: column, severity: .warning,
                          code: code, message: message, rawRow: "")
    }

    /// `warnings` without repeats: profit and receivables both value the month's returns and warn
    /// about the same unmatched ones; a row's warning is listed once.
    static func once(_ warnings: [RowWarning]) -> [RowWarning] {
        struct Key: Hashable { let ref: RowRef, code: IssueCode }
        var seen = Set<Key>()
        return warnings.filter { seen.insert(Key(ref: $0.ref, code: $0.issue.code)).inserted }
    }
}

/// Every issue of a run in the order rejects.csv and the Data issues sheets list them (SPEC §2.3):
/// those found reading the inputs, then the warnings the reports raised against rows that were read.
struct RunIssues: Sendable {
    let read: [DataIssue]
    let raised: [RowWarning]

    var count: Int { read.count + raised.count }
    /// The reconciliation's `data_issues.csv`: every issue, built only for the CSV twin.
    func table() -> Table { DataIssues.table(read, raised.map(\.issue)) }
    /// What every workbook's Data issues sheet is cut from.
    func digest() -> IssueDigest { IssueDigest(read, raised.map(\.issue)) }
}

/// What the reports stage hands to render and publish: nothing in it holds a typed row.
struct ReportTables: Sendable {
    var reports: [Report]
    /// Files of the period's folder besides the reports (closing-balances-M.csv, count-adjustments-M.csv).
    var files: [(report: ReportID, name: String, table: LaterTable)]
    let issues: RunIssues
    /// Each report's Data issues sheet (SPEC §8.1).
    let issueSheets: [ReportID: IssueSheet]
    /// The dataset without its typed rows: the files, masters and duplicates the manifest and the
    /// issue files read (`Dataset.releaseRows`).
    let inputs: Dataset
    /// Each dealer's 对账单 when the receivables report runs: what `statements/statement-M-<dealer_id>.xlsx`
    /// are rendered from (SPEC §8.4), one workbook per dealer, in dealer id order.
    var statements: [DealerStatement] = []
    /// Per report, the tables its CSV twin has after the report's own, made when written.
    var laterTwins: [ReportID: [LaterTable]] = [:]

    /// The tables of `report`'s CSV twin, each made when `make` is called.
    func csvTables(of report: Report) -> [LaterTable] {
        report.tables.map(LaterTable.init) + (laterTwins[report.id] ?? []) + (report.id.listsRunIssues ? [LaterTable(issues.table())] : [])
    }

    /// The rows of the CSV twins.
    var rowCount: Int {
        reports.reduce(0) { total, report in
            total + report.tables.reduce(0) { $0 + $1.rows.count } + (laterTwins[report.id] ?? []).reduce(0) { $0 + $1.rowCount }
                + (report.id.listsRunIssues ? issues.count : 0)
        }
    }
}
