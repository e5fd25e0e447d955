import Core
import Reports
import XLSX

/// The overview sheet a workbook opens on (SPEC §8.2), laid out to be read on one screen: the title
/// block (company, report, period, costing method, what the comparisons are), the key figures with
/// previous / change % / year to date on the left, and on the right the sheets with their
/// exceptions (each linked to its sheet) above the inputs' row counts.
public enum OverviewSheet {
    /// The `[overview]` words of the templates this sheet shows.
    static let words = ["sheet", "title", "costing", "compared_with", "ytd_covers", "key_figures", "metric", "current",
                        "previous", "change_pct", "ytd", "sheets", "sheet_name", "rows", "exceptions", "inputs", "file",
                        "files_of_kind", "read", "accepted", "warned", "rejected", "ytd_without", "note_missing",
                        "note_unreadable", "note_report_not_run", "changes", "changes_previous", "changes_current",
                        "changes_cells", "changes_inputs", "changes_change", "changes_read", "changes_accepted",
                        "changes_rejected"] + CostingWords.all + Overview.Changes.InputFile.Change.allCases.map { "change_\($0.rawValue)" }
    static let figuresHeaderRow = 5
    static let bordered = CellFormat(border: .hair, borderColor: 0xBFBFBF)
    /// The first column of the sheets and inputs blocks, after the key figures and a narrow gap.
    static let rightBlock = 6

    static func write(_ overview: Overview, of report: Report, template: Template,
                      context: RenderContext, in workbook: Workbook) throws {
        let sheet = try workbook.addWorksheet(template.overviewWord("sheet"))
        sheet.activate()
        sheet.hideGridlines()
        sheet.setLandscape()
        sheet.fitToWidth()
        let grid = Grid()

        // Title block.
        let title = [context.company, template.title, template.overviewWord("title")].filter { !$0.isEmpty }.joined(separator: " ")
        var facts = ["\(template.word("period"))：\(report.period)"]
        if let costing = overview.costing {
            facts.append("\(template.overviewWord("costing"))：\(template.overviewWord("costing_\(costing)"))")
        }
        if let previous = overview.previousPeriod { facts.append("\(template.overviewWord("compared_with"))：\(previous)") }
        if let covers = Self.ytdCoverage(of: overview, template: template) {
            facts.append("\(template.overviewWord("ytd_covers"))：\(covers)")
        }
        grid.text(0, 0, title, CellFormat(bold: true, fontSize: 16))
        grid.text(1, 0, facts.joined(separator: "    "), CellFormat(italic: true, fontColor: 0x595959))
        if !overview.notes.isEmpty {
            grid.text(2, 0, overview.notes.map { note(of: $0, template: template) }.joined(separator: "; "), CellFormat(fontColor: 0xC00000))
        }

        // Key figures.
        let section = CellFormat(bold: true, fontSize: 12, fontColor: 0x1F4E78)
        let header = CellFormat(bold: true, fillColor: WorkbookRenderer.headerFill, border: .thin, borderColor: 0x9BC2E6,
                                align: .center, wrap: true)
        let labelFormat = bordered
        let hasYTD = overview.ytdMonths != nil
        let figureColumns = ["metric", "current", "previous", "change_pct"] + (hasYTD ? ["ytd"] : [])
        grid.text(figuresHeaderRow - 1, 0, template.overviewWord("key_figures"), section)
        for (col, word) in figureColumns.enumerated() { grid.text(figuresHeaderRow, col, template.overviewWord(word), header) }
        let whole = ColumnFormats(labelFormat.with(template.formats["qty_integer"]), template: template, in: workbook)
        let fractional = ColumnFormats(labelFormat.with(template.formats["qty"]), template: template, in: workbook)
        var labelWidth = displayWidth(template.overviewWord("metric"))
        for (n, metric) in overview.metrics.enumerated() {
            let row = figuresHeaderRow + 1 + n, label = template.label(of: metric)
            labelWidth = max(labelWidth, displayWidth(label))
            let cells: [Cell] = [metric.current, metric.previous, .percent(metric.changePct)] + (hasYTD ? [metric.ytd] : [])
            let formats = cells.contains { if case .qty(let q) = $0 { q.milli % 1000 != 0 } else { false } } ? fractional : whole
            grid.text(row, 0, label, labelFormat)
            for (c, cell) in cells.enumerated() { grid.cell(row, 1 + c, cell, formats) }
        }
        let lastFigureRow = figuresHeaderRow + max(overview.metrics.count, 1)
        if let changes = overview.changes {
            let formats = ChangesFormats(section: section, header: header, label: labelFormat, figures: whole,
                                         count: ColumnFormats(labelFormat, template: template, in: workbook))
            let width = changesBlock(changes, of: overview, at: lastFigureRow + 2, template: template, formats: formats, in: grid)
            labelWidth = max(labelWidth, width)
        }

        // The sheets, each with its rows and exceptions, linked.
        let right = rightBlock
        grid.text(figuresHeaderRow - 1, right, template.overviewWord("sheets"), section)
        for (c, word) in ["sheet_name", "rows", "exceptions"].enumerated() {
            grid.text(figuresHeaderRow, right + c, template.overviewWord(word), header)
        }
        let count = ColumnFormats(labelFormat, template: template, in: workbook)
        var nameWidth = displayWidth(template.overviewWord("file"))
        let lines = Self.sheetLines(of: report, template: template)
        for (n, line) in lines.enumerated() {
            let row = figuresHeaderRow + 1 + n, name = line.sheet, exceptions = line.exceptions
            nameWidth = max(nameWidth, displayWidth(name))
            grid.link(row, right, sheet: name, CellFormat(fontColor: 0x0563C1, border: .hair, borderColor: 0xBFBFBF))
            grid.cell(row, right + 1, .count(line.rows), count)
            grid.cell(row, right + 2, exceptions.map(Cell.count) ?? .empty, count,
                      emphasis: (exceptions ?? 0) > 0 ? CellFormat(bold: true, fontColor: 0xC00000, border: .hair, borderColor: 0xBFBFBF) : nil)
        }

        // The inputs, below the sheets.
        let inputsRow = figuresHeaderRow + lines.count + 2
        grid.text(inputsRow, right, template.overviewWord("inputs"), section)
        let inputColumns = ["file", "read", "accepted", "warned", "rejected"]
        for (c, word) in inputColumns.enumerated() { grid.text(inputsRow + 1, right + c, template.overviewWord(word), header) }
        for (n, input) in overview.inputs.enumerated() {
            let row = inputsRow + 2 + n
            let name = input.files.count == 1 ? input.files[0]
                : template.overviewWord("files_of_kind").replacingOccurrences(of: "{kind}", with: input.kind)
                    .replacingOccurrences(of: "{n}", with: "\(input.files.count)")
            nameWidth = max(nameWidth, displayWidth(name))
            grid.text(row, right, name, labelFormat)
            for (c, value) in [input.read, input.accepted, input.warned, input.rejected].enumerated() {
                grid.cell(row, right + 1 + c, .count(value), count)
            }
        }

        // Widths and the red of negative figures are set before the first row is written (constant memory).
        try sheet.setColumn(first: 0, last: 0, width: Double(min(labelWidth + 2, 48)))
        // The changes block's input files take five columns, the key figures four or five.
        let leftColumns = max(figureColumns.count, overview.changes?.inputs.isEmpty == false ? 5 : 0)
        try sheet.setColumn(first: 1, last: leftColumns - 1, width: 16)
        try sheet.setColumn(first: leftColumns, last: right - 1, width: 3)
        try sheet.setColumn(first: right, last: right, width: Double(min(nameWidth + 2, 40)))
        try sheet.setColumn(first: right + 1, last: right + inputColumns.count - 1, width: 10)
        try sheet.conditionalFormat(CellRange(firstRow: figuresHeaderRow + 1, firstCol: 1, lastRow: lastFigureRow,
                                              lastCol: figureColumns.count - 1),
                                    rule: .cellValue(.lessThan, 0), format: CellFormat(fontColor: 0xC00000))
        try sheet.setRow(0, height: 28)
        try grid.write(on: sheet, template: template)
    }

    struct ChangesFormats {
        let section: CellFormat, header: CellFormat, label: CellFormat
        let figures: ColumnFormats, count: ColumnFormats
    }

    /// The "changes since the previous run" block (SPEC §8.6) from `row` down, below the key figures: the
    /// figures that differ (previous run, this run), the cells of the report's tables that differ, the
    /// input files added, removed or changed with their row-count deltas. Returns its widest first column.
    static func changesBlock(_ changes: Overview.Changes, of overview: Overview, at top: Int, template: Template,
                             formats: ChangesFormats, in grid: Grid) -> Int {
        var row = top, width = 0
        grid.text(row, 0, template.overviewWord("changes"), formats.section)
        row += 1
        if !changes.figures.isEmpty {
            for (c, word) in ["metric", "changes_previous", "changes_current"].enumerated() {
                grid.text(row, c, template.overviewWord(word), formats.header)
            }
            for figure in changes.figures {
                row += 1
                let label = overview.metrics.first { $0.id == figure.id }.map(template.label(of:)) ?? figure.id
                width = max(width, displayWidth(label))
                grid.text(row, 0, label, formats.label)
                grid.cell(row, 1, figure.previous, formats.figures)
                grid.cell(row, 2, figure.current, formats.figures)
            }
            row += 1
        }
        if changes.cells > 0 {
            grid.text(row, 0, template.overviewWord("changes_cells").replacingOccurrences(of: "{n}", with: "\(changes.cells)"),
                      CellFormat(italic: true))
            row += 1
        }
        guard !changes.inputs.isEmpty else { return width }
        row += 1
        grid.text(row, 0, template.overviewWord("changes_inputs"), formats.section)
        row += 1
        for (c, word) in ["file", "changes_change", "changes_read", "changes_accepted", "changes_rejected"].enumerated() {
            grid.text(row, c, template.overviewWord(word), formats.header)
        }
        for input in changes.inputs {
            row += 1
            width = max(width, displayWidth(input.file))
            grid.text(row, 0, input.file, formats.label)
            grid.text(row, 1, template.overviewWord("change_\(input.change.rawValue)"), formats.label)
            for (c, delta) in [input.read, input.accepted, input.rejected].enumerated() { grid.cell(row, 2 + c, .count(delta), formats.count) }
        }
        return width
    }

    /// One line of the sheets block: a sheet, its rows and its exceptions (nil: the table has no
    /// notion of one).
    public struct SheetLine: Sendable, Equatable {
        public let table: String, sheet: String, rows: Int, exceptions: Int?
    }

    /// The sheets block of `report`'s overview, in workbook order, the Data issues sheet last: what the
    /// overview sheet lists and the mail repeats (figures.json). Sheets named as `WorkbookRenderer` names them.
    public static func sheetLines(of report: Report, template: Template) -> [SheetLine] {
        var lines = report.workbookTables.map { table in
            SheetLine(table: table.id, sheet: WorkbookRenderer.sheetName(table, template: template), rows: table.rows.count,
                      exceptions: Overview.exceptions(in: table, of: report.id))
        }
        if let issues = report.issues {
            let (rows, exceptions) = Overview.issueCounts(issues)
            lines.append(SheetLine(table: DataIssues.schema.id, sheet: template.table(DataIssues.schema.id).sheet, rows: rows,
                                   exceptions: exceptions))
        }
        return lines
    }

    /// The months profit's ytd column sums, as the overview names them ("2026-01…2026-10（缺 2026-03）").
    public static func ytdCoverage(of overview: Overview, template: Template) -> String? {
        overview.ytdMonths.map { months in
            months + (overview.ytdMissing.map { template.overviewWord("ytd_without").replacingOccurrences(of: "{months}", with: $0) } ?? "")
        }
    }

    /// A metric label part as the template names it.
    static func text(_ label: Overview.Label, _ template: Template) -> String {
        switch label {
        case .warehouse(let code): warehouseText(code, template)
        case .sheet(let id): template.table(id).sheet
        case .code(let code): template.code(code)
        case .column(let id): template.column(id)
        case .word(let word): template.overviewWord(word)
        }
    }

    /// Why a month's figures are missing, in the reader's words (templates `note_*`).
    static func note(of note: Overview.Note, template: Template) -> String {
        let text: String
        switch note.reason {
        case .missing: text = template.overviewWord("note_missing")
        case .unreadable(let why): text = template.overviewWord("note_unreadable").replacingOccurrences(of: "{reason}", with: why)
        case .reportNotRun: text = template.overviewWord("note_report_not_run")
        }
        return text.replacingOccurrences(of: "{month}", with: note.month)
    }

    /// How a warehouse code is shown in the overview: the one place to name warehouses (SPEC §8.7).
    static func warehouseText(_ code: String, _ template: Template) -> String { template.code(code) }

    /// The sheet's cells collected in any order and written row by row, as constant memory mode needs.
    final class Grid {
        enum Item {
            case text(String, CellFormat)
            case cell(Cell, ColumnFormats, emphasis: CellFormat?)
            case link(String, CellFormat)
            case blank
        }
        private var items: [Int: [Int: Item]] = [:]

        func text(_ row: Int, _ col: Int, _ text: String, _ format: CellFormat) { items[row, default: [:]][col] = .text(text, format) }
        /// A blank figure (no previous, no change) keeps the table's borders.
        func cell(_ row: Int, _ col: Int, _ cell: Cell, _ formats: ColumnFormats, emphasis: CellFormat? = nil) {
            let blank = cell == .empty || cell == .percent(nil)
            items[row, default: [:]][col] = blank ? .blank : .cell(cell, formats, emphasis: emphasis)
        }
        func link(_ row: Int, _ col: Int, sheet: String, _ format: CellFormat) { items[row, default: [:]][col] = .link(sheet, format) }

        func write(on sheet: Worksheet, template: Template) throws {
            for row in items.keys.sorted() {
                for (col, item) in items[row]!.sorted(by: { $0.key < $1.key }) {
                    switch item {
                    case .text(let text, let format): try sheet.write(row: row, col: col, string: text, format: format)
                    case .cell(.count(let n), _, let emphasis?):
                        try sheet.write(row: row, col: col, integer: Int64(n), format: emphasis.with(template.formats["count"]))
                    case .cell(let cell, let formats, _):
                        try WorkbookRenderer.write(cell, row: row, col: col, on: sheet, formats: formats, template: template)
                    case .link(let name, let format): try sheet.writeLink(row: row, col: col, toSheet: name, text: name, format: format)
                    case .blank: try sheet.writeBlank(row: row, col: col, format: OverviewSheet.bordered)
                    }
                }
            }
        }
    }

    /// The `[overview]` words naming the config's costing methods.
    enum CostingWords {
        static let all = ["costing_monthly-average", "costing_moving-average", "costing_fifo"]
    }
}

extension Template {
    /// How the overview names a metric ("新仓 · 期末金额"): the one place, used by the overview sheet
    /// and by figures.json, which the mail body reads (SPEC §8.5).
    public func label(of metric: Overview.Metric) -> String {
        metric.label.map { OverviewSheet.text($0, self) }.joined(separator: " · ")
    }
}
