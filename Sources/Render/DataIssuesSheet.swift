import Core
import Ingest
import Reports
import XLSX

/// The Data issues sheet every workbook ends with (SPEC §8.1): a summary of all the run's issues by
/// (severity, code) with count, files and what the code means, then the issues raised on the kinds
/// the report reads (at most 200 per code) with a line per code cut short. The two blocks share the
/// sheet's columns so that widths fit both and severity, code and meaning / message stand one above
/// the other: summary = files (A:B) | count | severity | code | meaning, details = file | line |
/// column | severity | code | message.
enum DataIssuesSheet {
    static let filesShown = 3
    static let lineHeight = 15.0
    /// The six columns' last (F).
    static let lastCol = DataIssues.schema.columns.count - 1

    static func write(_ issues: IssueSheet, in workbook: Workbook, report: Report, template: Template,
                      context: RenderContext) throws {
        let words = template.issuesSheet
        let text = template.table(DataIssues.schema.id)
        let sheet = try workbook.addWorksheet(text.sheet)
        let details = issues.details
        let widths = columnWidths(issues, template: template)

        // Rows in the order they are written (the workbook streams them): title, subtitle, summary heading
        // and header, summary rows, a blank row, details heading and header, detail rows, cut lines.
        let summaryHeader = 3
        let summaryRows = max(issues.summary.count, 1)
        let detailsHeader = summaryHeader + summaryRows + 3
        let lastDetailRow = detailsHeader + max(details.rows.count, 1)
        for (col, width) in widths.enumerated() { try sheet.setColumn(first: col, last: col, width: width) }
        sheet.freezePanes(row: detailsHeader + 1, col: 0)
        if !details.rows.isEmpty {
            try sheet.autofilter(CellRange(firstRow: detailsHeader, firstCol: 0, lastRow: lastDetailRow, lastCol: lastCol))
        }
        sheet.setLandscape()
        sheet.fitToWidth()
        let title = [context.company, template.title].filter { !$0.isEmpty }.joined(separator: " ")
        try sheet.setFooter("&L\(escapeHeaderFooter(title)) \(report.period)&R&P / &N")

        try sheet.setRow(0, height: 28)
        try sheet.mergeRange(CellRange(firstRow: 0, firstCol: 0, lastRow: 0, lastCol: lastCol), string: title,
                             format: CellFormat(bold: true, fontSize: 16, verticalAlign: .center))
        try sheet.mergeRange(CellRange(firstRow: 1, firstCol: 0, lastRow: 1, lastCol: lastCol),
                             string: "\(template.word("period"))：\(report.period)    \(text.title)",
                             format: CellFormat(italic: true, fontColor: 0x595959))
        let heading = CellFormat(bold: true, fontSize: 12)
        let header = CellFormat(bold: true, fillColor: WorkbookRenderer.headerFill, border: .thin, borderColor: 0x9BC2E6,
                                align: .center, verticalAlign: .center, wrap: true)
        let body = CellFormat(border: .hair, borderColor: 0xBFBFBF, verticalAlign: .top, wrap: true)
        let noData = CellFormat(italic: true, fontColor: 0x808080)

        try sheet.write(row: summaryHeader - 1, col: 0, string: words["summary"] ?? "summary", format: heading)
        try sheet.mergeRange(CellRange(firstRow: summaryHeader, firstCol: 0, lastRow: summaryHeader, lastCol: 1),
                             string: words["files"] ?? "files", format: header)
        for (col, key) in [(2, "count"), (3, "severity"), (4, "code"), (5, "meaning")] {
            try sheet.write(row: summaryHeader, col: col, string: words[key] ?? key, format: header)
        }
        var row = summaryHeader + 1
        if issues.summary.isEmpty {
            try sheet.write(row: row, col: 0, string: template.word("no_data"), format: noData)
        }
        let count = workbook.format(body.with(template.formats["count"]))
        for entry in issues.summary {
            let files = filesText(entry.files)
            let meaning = template.meanings[entry.code.rawValue] ?? ""
            let lines = max(lineCount(files, width: widths[0] + widths[1]), lineCount(meaning, width: widths[5]))
            try sheet.setRow(row, height: lineHeight * Double(lines))
            try sheet.mergeRange(CellRange(firstRow: row, firstCol: 0, lastRow: row, lastCol: 1), string: files, format: body)
            try sheet.write(row: row, col: 2, integer: Int64(entry.count), format: count)
            try sheet.write(row: row, col: 3, string: template.code(entry.severity.rawValue), format: body)
            try sheet.write(row: row, col: 4, string: template.code(entry.code.rawValue), format: body)
            try sheet.write(row: row, col: 5, string: meaning, format: body)
            row += 1
        }

        row = detailsHeader
        try sheet.write(row: row - 1, col: 0, string: words["details"] ?? "details", format: heading)
        for (col, id) in details.columns.enumerated() {
            try sheet.write(row: row, col: col, string: template.column(id), format: header)
        }
        row += 1
        if details.rows.isEmpty {
            try sheet.write(row: row, col: 0, string: template.word("no_data"), format: noData)
            row += 1
        }
        let formats = ColumnFormats(CellFormat(border: .hair, borderColor: 0xBFBFBF), template: template, in: workbook)
        for cells in details.rows {
            for (col, cell) in cells.enumerated() {
                try WorkbookRenderer.write(cell, row: row, col: col, on: sheet, formats: formats, template: template)
            }
            row += 1
        }
        for (code, more) in issues.more {
            let line = (words["more"] ?? "{code}: {n} more in rejects.csv")
                .replacingOccurrences(of: "{code}", with: template.code(code.rawValue))
                .replacingOccurrences(of: "{n}", with: grouped(String(more)))
            try sheet.write(row: row, col: 0, string: line, format: CellFormat(italic: true, fontColor: 0x595959))
            row += 1
        }
    }

    /// At most `filesShown` names, then how many more: "a.csv, b.csv, c.csv (+3)".
    static func filesText(_ files: [String]) -> String {
        let shown = files.prefix(filesShown).joined(separator: ", ")
        return files.count > filesShown ? "\(shown) (+\(files.count - filesShown))" : shown
    }

    /// Widths of the six shared columns: the details' cells and headers, and room for the summary's
    /// counts; the file lists (A:B) and the meanings (F) wrap within at most 60 characters.
    static func columnWidths(_ issues: IssueSheet, template: Template) -> [Double] {
        let table = issues.details
        var widest = table.columns.map { displayWidth(template.column($0)) }
        for cells in table.rows {
            for (col, cell) in cells.enumerated() {
                widest[col] = max(widest[col], WorkbookRenderer.shownWidth(cell, fractionalQty: false, template: template))
            }
        }
        let words = template.issuesSheet
        for entry in issues.summary {
            widest[2] = max(widest[2], groupedWidth(digits: decimalDigits(UInt(entry.count))), displayWidth(words["count"] ?? ""))
            widest[3] = max(widest[3], displayWidth(template.code(entry.severity.rawValue)))
            widest[4] = max(widest[4], displayWidth(template.code(entry.code.rawValue)))
            widest[0] = max(widest[0], displayWidth(filesText(entry.files)) - widest[1])
            widest[5] = max(widest[5], displayWidth(template.meanings[entry.code.rawValue] ?? ""))
        }
        return widest.map { Double(min(max($0 + 2, 6), 60)) }
    }

    /// Lines a text wraps to in a column `width` characters wide (at least 1).
    static func lineCount(_ text: String, width: Double) -> Int {
        max(1, Int((Double(displayWidth(text)) / max(width - 2, 1)).rounded(.up)))
    }
}
