import Ingest
import Render

/// rejects.csv (rejected rows and warnings, SPEC §2.3) and duplicates.csv (exact duplicates dropped, §6).
/// Both start with a UTF-8 BOM (SPEC §8.1): people open them in Excel, which reads a CSV without one in
/// the system code page (GBK on a Chinese Windows). The machine-read CSV files have none.
enum IssueFiles {
    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func rejects(_ issues: RunIssues) -> [UInt8] {
        let raised = issues.raised.map(\.issue)
        var out = utf8BOM
        // Sized once (quotes and the short fields aside): regrowing ~0.1 GB by doubling copied it twice over.
        out.reserveCapacity([issues.read, raised].joined().reduce(64) {
            $0 + $1.file.utf8.count + $1.message.utf8.count + $1.rawRow.utf8.count + 48
        })
        CSVTwin.appendLine(["file", "line", "column", "severity", "code", "message", "raw_row"], to: &out)
        for i in [issues.read, raised].joined() {
            CSVTwin.appendLine([i.file, String(i.line), i.column, i.severity.rawValue, i.code.rawValue, i.message, i.rawRow], to: &out)
        }
        return out
    }

    static func duplicates(_ rows: [DuplicateRow]) -> [UInt8] {
        var out = utf8BOM
        CSVTwin.appendLine(["file", "line", "first_file", "first_line"], to: &out)
        for d in rows { CSVTwin.appendLine([d.file, String(d.line), d.firstFile, String(d.firstLine)], to: &out) }
        return out
    }
}
