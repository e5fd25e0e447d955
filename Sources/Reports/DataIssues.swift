import Ingest

/// The "Data issues" sheet every workbook of a run carries (SPEC §2.3): rejected rows and warnings.
public enum DataIssues {
    public static let schema = TableSchema("data_issues", [
        .text("file"), .count("line"), .text("column"), .code("severity"), .code("code"), .text("message"),
    ], key: ["file", "line", "column", "code"])

    /// The table of `issues` (the ones found reading the inputs, then the later stages' warnings), in order.
    public static func table(_ issues: [DataIssue]...) -> Table {
        var rows: [[Cell]] = []
        rows.reserveCapacity(issues.reduce(0) { $0 + $1.count })   // sized once: ~0.5M rows at month10
        for issue in issues.joined() {
            rows.append([.text(issue.file), .count(issue.line), .text(issue.column), .code(issue.severity.rawValue),
                         .code(issue.code.rawValue), .text(issue.message)])
        }
        return Table(schema, rows: rows)
    }
}
