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
}

/// Every issue of a run in the order rejects.csv and the Data issues sheets list them (SPEC §2.3):
/// those found reading the inputs, then the warnings the reports raised against rows that were read.
struct RunIssues: Sendable {
    let read: [DataIssue]
    let raised: [RowWarning]

    var count: Int { read.count + raised.count }
    /// The Data issues sheet of every workbook and the reconciliation's `data_issues.csv`: built once.
    func table() -> Table { DataIssues.table(read, raised.map(\.issue)) }
}

/// What the reports stage hands to render and publish: nothing in it holds a typed row.
struct ReportTables: Sendable {
    var reports: [Report]
    /// Files of the period's folder besides the reports (closing-balances-M.csv, count-adjustments-M.csv).
    var files: [(name: String, table: Table)]
    let issues: RunIssues
    let issuesTable: Table
    /// The dataset without its typed rows: the files, masters and duplicates the manifest and the
    /// issue files read (`Dataset.releaseRows`).
    let inputs: Dataset

    /// The tables of `report`'s CSV twin.
    func csvTables(of report: Report) -> [Table] {
        report.tables + (report.id.listsRunIssues ? [issuesTable] : [])
    }

    var rowCount: Int { reports.reduce(0) { $0 + csvTables(of: $1).reduce(0) { $0 + $1.rows.count } } }
}
