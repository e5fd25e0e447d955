import Ingest
import Render

/// rejects.csv (rejected rows and warnings, SPEC §2.3) and duplicates.csv (exact duplicates dropped, §6).
enum IssueFiles {
    static func rejects(_ issues: [DataIssue]) -> [UInt8] {
        var out: [UInt8] = []
        line(["file", "line", "column", "severity", "code", "message", "raw_row"], &out)
        for i in issues {
            line([i.file, String(i.line), i.column, i.severity.rawValue, i.code.rawValue, i.message, i.rawRow], &out)
        }
        return out
    }

    static func duplicates(_ rows: [DuplicateRow]) -> [UInt8] {
        var out: [UInt8] = []
        line(["file", "line", "first_file", "first_line"], &out)
        for d in rows { line([d.file, String(d.line), d.firstFile, String(d.firstLine)], &out) }
        return out
    }

    private static func line(_ fields: [String], _ out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            CSVTwin.appendField(field, to: &out)
        }
        out.append(UInt8(ascii: "\n"))
    }
}
