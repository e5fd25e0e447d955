import Ingest

/// The "Data issues" sheet every workbook of a run carries (SPEC §2.3): rejected rows and warnings.
public enum DataIssues {
    public static func table(_ issues: [DataIssue]) -> Table {
        Table(id: "data_issues", columns: ["file", "line", "column", "severity", "code", "message"],
              rows: issues.map { issue in
                  [.text(issue.file), .count(issue.line), .text(issue.column), .code(issue.severity.rawValue),
                   .code(issue.code.rawValue), .text(issue.message)]
              })
    }
}
