import Core
import Foundation
import Reports
import XLSX

/// What a workbook says about its run, besides the tables: never the wall clock, so a rerun
/// on the same inputs writes the same bytes (SPEC §5.2).
public struct RenderContext: Sendable {
    public var company: String
    /// The date the document carries: the last day of the period.
    public var documentDate: Day
    public var toolVersion: String

    public init(company: String, documentDate: Day, toolVersion: String) {
        self.company = company
        self.documentDate = documentDate
        self.toolVersion = toolVersion
    }
}

/// Lays a report out for people (SPEC §5.1): the overview sheet (SPEC §8.2), then one sheet per table with a title block, a frozen
/// and filtered header row, fitting widths, number formats with thousands separators, a totals
/// row, negative numbers in red; then the Data issues sheet (`DataIssuesSheet`).
public enum WorkbookRenderer {
    static let titleRows = 2            // title, then period / table heading
    static let headerRow = titleRows    // zero-based
    static let headerFill: UInt32 = 0xDDEBF7
    static let totalsFill: UInt32 = 0xF2F2F2

    public static func write(_ report: Report, template: Template, context: RenderContext, to path: String) throws {
        let workbook = try Workbook(path: path, constantMemory: true)
        workbook.properties = DocumentProperties(
            title: "\(template.title) \(report.period)", subject: report.id.rawValue, author: "aftersales \(context.toolVersion)",
            company: context.company.isEmpty ? nil : context.company,
            created: Date(timeIntervalSince1970: TimeInterval(Int(context.documentDate.ordinal) * 86_400)))
        let names = report.workbookTables.map { sheetName($0, template: template) }
        if let overview = report.overview {
            try OverviewSheet.write(overview, of: report, template: template, context: context, in: workbook)
        }
        for (index, whole) in report.workbookTables.enumerated() {
            for (part, table) in sheetParts(whole, maxRows: maxDataRows).enumerated() {
                let name = names[index]
                let sheet = try workbook.addWorksheet(part == 0 ? name : String("\(name.prefix(25)) (\(part + 1))"))
                if index == 0 && part == 0 && report.overview == nil { sheet.activate() }
                try writeTable(table, on: sheet, in: workbook, report: report, template: template, context: context)
                if part == 0 {
                    try writeCharts(report.charts.filter { $0.table == table.id }, of: table, on: sheet, in: workbook, template: template)
                }
            }
        }
        if let issues = report.issues {
            try DataIssuesSheet.write(issues, in: workbook, report: report, template: template, context: context)
        }
        try workbook.close()
    }

    /// Data rows a sheet takes: Excel's 1,048,576 rows less the title block, header and totals row.
    static let maxDataRows = 1_048_576 - headerRow - 2

    /// A table longer than a sheet holds continues on further sheets ("… (2)"), each with the
    /// totals of its own rows, so every sheet still foots. The CSV twin keeps the table whole.
    static func sheetParts(_ table: Table, maxRows: Int) -> [Table] {
        guard table.rows.count > maxRows else { return [table] }
        return stride(from: 0, to: table.rows.count, by: maxRows).map { start in
            var part = table
            part.rows = Array(table.rows[start..<min(start + maxRows, table.rows.count)])
            part.totals = table.totals.map { whole in
                let summed = Set(whole.indices.compactMap { c -> String? in
                    switch whole[c] { case .count, .money, .qty: return table.columns[c]; default: return nil }
                })
                return Table.totals(of: part.rows, columns: table.columns, summing: summed)
            }
            return part
        }
    }

    static func writeTable(_ table: Table, on sheet: Worksheet, in workbook: Workbook, report: Report, template: Template,
                           context: RenderContext) throws {
        let formats = Formats(template: template, table: table)
        let widths = columnWidths(table, template: template, formats: formats)
        let lastCol = max(table.columns.count - 1, 0)
        let heading = template.heading(of: table)

        // Title block: company and report title, then the period, what this sheet holds and, when the
        // template has one, who receives the report (报：营销、生产、品质、采购、技术).
        let title = [context.company, template.title].filter { !$0.isEmpty }.joined(separator: " ")
        let subtitle = ["\(template.word("period"))：\(report.period)", heading.title, template.text["distribution"]]
            .compactMap { $0 }.joined(separator: "    ")
        let span = titleSpan(needed: max(Double(displayWidth(title)) * 1.5, Double(displayWidth(subtitle))), widths: widths,
                             atLeast: max(lastCol, 3))
        // The workbook streams rows to disk in order (constant memory): everything about the sheet and
        // its row ranges is set before the first row is written.
        let lastDataRow = headerRow + max(table.rows.count, 1)
        for (col, width) in widths.enumerated() {
            try sheet.setColumn(first: col, last: col, width: width)
        }
        sheet.freezePanes(row: headerRow + 1, col: 0)
        if !table.rows.isEmpty {
            try sheet.autofilter(CellRange(firstRow: headerRow, firstCol: 0, lastRow: lastDataRow, lastCol: lastCol))
            // Negative figures in red wherever they stand (variances, reversals, returns over sales).
            for (col, kind) in formats.kinds.enumerated() where kind.isNumeric {
                try sheet.conditionalFormat(CellRange(firstRow: headerRow + 1, firstCol: col, lastRow: lastDataRow, lastCol: col),
                                            rule: .cellValue(.lessThan, 0), format: CellFormat(fontColor: 0xC00000))
            }
        }
        sheet.setLandscape()
        sheet.fitToWidth()
        try sheet.repeatRows(first: 0, last: headerRow)
        try sheet.setFooter("&L\(escapeHeaderFooter(title)) \(report.period)&R&P / &N")

        try sheet.setRow(0, height: 28)
        try sheet.mergeRange(CellRange(firstRow: 0, firstCol: 0, lastRow: 0, lastCol: span), string: title,
                             format: CellFormat(bold: true, fontSize: 16, verticalAlign: .center))
        try sheet.mergeRange(CellRange(firstRow: 1, firstCol: 0, lastRow: 1, lastCol: span), string: subtitle,
                             format: CellFormat(italic: true, fontColor: 0x595959))

        for (col, id) in table.columns.enumerated() {
            try sheet.write(row: headerRow, col: col, string: template.column(id), format: formats.header)
        }
        var row = headerRow + 1
        if table.rows.isEmpty {
            try sheet.write(row: row, col: 0, string: heading.empty ?? template.word("no_data"), format: CellFormat(italic: true, fontColor: 0x808080))
            row += 1
        }
        let columnFormats = formats.body.map { ColumnFormats($0, template: template, in: workbook) }
        for cells in table.rows {
            for (col, cell) in cells.enumerated() {
                try write(cell, row: row, col: col, on: sheet, formats: columnFormats[col], template: template)
            }
            row += 1
        }
        assert(row == lastDataRow + 1)
        if let totals = table.totals, !table.rows.isEmpty {
            try writeTotals(totals, row: row, firstDataRow: headerRow + 1, lastDataRow: lastDataRow,
                            on: sheet, in: workbook, formats: formats, template: template)
        }
    }

    /// The last column the title block spans: at least `atLeast`, and further while its text needs the
    /// room (a merged cell never overflows into its neighbours; columns past the table have Excel's 8.43).
    static func titleSpan(needed: Double, widths: [Double], atLeast: Int) -> Int {
        func width(_ col: Int) -> Double { widths.indices.contains(col) ? widths[col] : 8.43 }
        var last = atLeast
        var spanned = (0...last).reduce(0) { $0 + width($1) }
        while spanned < needed {
            last += 1
            spanned += width(last)
        }
        return last
    }

    /// The report's charts of `table`, stacked to the right of it after one empty column so that none
    /// covers a cell: plotting the table's data rows, titled and named from the template.
    static func writeCharts(_ charts: [ChartSpec], of table: Table, on sheet: Worksheet, in workbook: Workbook,
                            template: Template) throws {
        guard !table.rows.isEmpty else { return }
        var top = headerRow
        for spec in charts {
            let rows = table.rows.prefix(spec.firstRows ?? table.rows.count)
            func cells(_ id: String) -> CellRange {
                let col = table.column(id)!
                return CellRange(firstRow: headerRow + 1, firstCol: col, lastRow: headerRow + rows.count, lastCol: col)
            }
            // Wider for many categories and taller for long names (tilted under the axis), so both stay readable.
            let longest = rows.map { displayWidth(CSVTwin.plain($0[table.column(spec.category)!])) }.max() ?? 0
            let width = min(max(480, 160 + 56 * Double(rows.count)), 1600)
            let height = min(280 + 5 * Double(longest), 600)
            let chart = try workbook.addChart(spec.kind == .column ? .column : .line)
            chart.setTitle(template.word(spec.title))
            let labels = spec.labels.map { id -> Chart.DataLabels in
                let col = table.column(id)!
                return .texts(rows.map { row in
                    if case .percent(let p?) = row[col] { return "\(p)%" }
                    return CSVTwin.plain(row[col])
                })
            }
            for (i, id) in spec.values.enumerated() {
                try chart.addSeries(values: cells(id), categories: cells(spec.category), in: sheet, name: template.column(id),
                                    labels: i == 0 ? labels : nil)
            }
            if let max = spec.axisMax { chart.setYAxis(min: 0, max: max) }
            chart.setLegend(spec.values.count > 1 ? .bottom : .none)
            try sheet.insertChart(chart, row: top, col: table.columns.count + 1, width: width, height: height)
            top += Int(height / 20) + 2     // rows are 20 px high
        }
    }

    /// The template's sheet name, with the variant's label for a sliced table ("收发存 新件库").
    static func sheetName(_ table: Table, template: Template) -> String {
        let base = template.table(table.id).sheet
        guard let variant = table.variant else { return base }
        return String("\(base) \(template.code(variant))".prefix(31))
    }

    static func write(_ cell: Cell, row: Int, col: Int, on sheet: Worksheet, formats: ColumnFormats, template: Template) throws {
        switch cell {
        case .empty: return
        case .text(let s): try sheet.write(row: row, col: col, string: s, format: formats.plain)
        case .code(let code): try sheet.write(row: row, col: col, string: template.code(code), format: formats.plain)
        case .count(let n): try sheet.write(row: row, col: col, integer: Int64(n), format: formats.count)
        case .money(let m): try sheet.write(row: row, col: col, decimal: m.cents, scale: 2, format: formats.money)
        case .qty(let q): try sheet.write(row: row, col: col, decimal: q.milli, scale: 3, format: formats.plain)
        case .unitCost(let p): try sheet.write(row: row, col: col, decimal: p, scale: 4, format: formats.unitCost)
        case .percent(let p):
            guard let p else { return }
            try sheet.write(row: row, col: col, decimal: p.hundredths, scale: 2, format: formats.percent)
        case .date(let d):
            let c = d.components
            try sheet.write(row: row, col: col, date: (c.year, c.month, c.day), format: formats.date)
        }
    }

    /// The totals row: SUBTOTAL formulas (so filtering updates them) carrying the exact total as cached value.
    static func writeTotals(_ totals: [Cell], row: Int, firstDataRow: Int, lastDataRow: Int,
                            on sheet: Worksheet, in workbook: Workbook, formats: Formats, template: Template) throws {
        for (col, cell) in totals.enumerated() {
            var format = formats.body[col]
            format.bold = true
            format.fillColor = totalsFill
            format.border = .thin
            let range = "\(columnLetter(col))\(firstDataRow + 1):\(columnLetter(col))\(lastDataRow + 1)"
            switch cell {
            case .count(let n):
                try sheet.write(row: row, col: col, formula: "=SUBTOTAL(9,\(range))", cachedValue: (Int64(n), 0),
                                format: format.with(template.formats["count"]))
            case .money(let m):
                try sheet.write(row: row, col: col, formula: "=SUBTOTAL(9,\(range))", cachedValue: (m.cents, 2),
                                format: format.with(template.formats["money"]))
            case .qty(let q):
                try sheet.write(row: row, col: col, formula: "=SUBTOTAL(9,\(range))", cachedValue: (q.milli, 3), format: format)
            case .percent:
                // A ratio of the totals (a margin), not a sum: written as a value.
                try write(cell, row: row, col: col, on: sheet, formats: ColumnFormats(format, template: template, in: workbook),
                          template: template)
            default:
                if col == 0 {
                    try sheet.write(row: row, col: col, string: template.word("totals"), format: format)
                } else {
                    try sheet.writeBlank(row: row, col: col, format: format)
                }
            }
        }
    }

    /// Widths that fit the header and the longest value as Excel shows it (thousands separators, the
    /// column's decimals), counting CJK characters double.
    static func columnWidths(_ table: Table, template: Template, formats: Formats) -> [Double] {
        var widest = table.columns.map { displayWidth(template.column($0)) }
        for row in table.rows {
            for (col, cell) in row.enumerated() {
                let width = shownWidth(cell, fractionalQty: formats.kinds[col] == .fractionalQty, template: template)
                if width > widest[col] { widest[col] = width }
            }
        }
        return widest.map { Double(min(max($0 + 2, 6), 60)) }
    }

    /// The characters a cell shows, counted without making its text: numbers are `grouped` with the
    /// decimals `CSVTwin.plain` gives them, quantities in a kg column with 3 decimals more.
    static func shownWidth(_ cell: Cell, fractionalQty: Bool, template: Template) -> Int {
        switch cell {
        case .empty: return 0
        case .text(let s): return displayWidth(s)
        case .code(let code): return displayWidth(template.code(code))
        case .count(let n): return sign(n < 0) + groupedWidth(digits: decimalDigits(n.magnitude))
        case .money(let m): return sign(m.cents < 0) + groupedWidth(digits: decimalDigits(m.cents.magnitude / 100)) + 3
        case .qty(let q):
            let units = q.milli.magnitude / 1000, thousandths = q.milli.magnitude % 1000
            let decimals = thousandths == 0 ? 0 : thousandths % 100 == 0 ? 1 : thousandths % 10 == 0 ? 2 : 3
            return sign(q.milli < 0) + groupedWidth(digits: decimalDigits(units)) + (decimals > 0 ? decimals + 1 : 0)
                + (fractionalQty ? 3 : 0)
        case .unitCost(let p):
            return sign(p < 0) + decimalDigits(p.magnitude / 10_000) + 5
        case .percent(let p):
            guard let p else { return 0 }
            return sign(p.hundredths < 0) + decimalDigits(p.hundredths.magnitude / 100) + 3
        case .date: return 10
        }
    }

    private static func sign(_ negative: Bool) -> Int { negative ? 1 : 0 }
}

/// Decimal digits of `n`, at least 1.
func decimalDigits<T: UnsignedInteger>(_ n: T) -> Int {
    var n = n, digits = 1
    while n >= 10 { n /= 10; digits += 1 }
    return digits
}

/// Characters of an integer part of `digits` digits with a separator every three ("1,234,567": 9).
func groupedWidth(digits: Int) -> Int { digits + (digits - 1) / 3 }

/// One column's formats in the workbook, by the kind of cell, made once per table rather than looked up
/// for every cell.
struct ColumnFormats {
    let plain: Format, count: Format, money: Format, unitCost: Format, percent: Format, date: Format

    init(_ base: CellFormat, template: Template, in workbook: Workbook) {
        plain = workbook.format(base)
        count = workbook.format(base.with(template.formats["count"]))
        money = workbook.format(base.with(template.formats["money"]))
        unitCost = workbook.format(base.with(template.formats["unit_cost"]))
        percent = workbook.format(base.with(template.formats["percent"]))
        date = workbook.format(base.with(template.formats["date"]))
    }
}

/// The formats of one table's columns, picked from its cells.
struct Formats {
    enum Kind: Equatable {
        case text, integerQty, fractionalQty, other
        var isNumeric: Bool { self != .text }
    }
    let header: CellFormat
    let body: [CellFormat]
    let kinds: [Kind]

    init(template: Template, table: Table) {
        header = CellFormat(bold: true, fillColor: WorkbookRenderer.headerFill, border: .thin, borderColor: 0x9BC2E6,
                            align: .center, verticalAlign: .center, wrap: true)
        // One pass over the rows: which columns hold quantities, fractional ones, other numbers.
        var quantities = [Bool](repeating: false, count: table.columns.count)
        var fractional = quantities, numbers = quantities
        for row in table.rows {
            for (col, cell) in row.enumerated() {
                switch cell {
                case .qty(let q):
                    quantities[col] = true
                    if q.milli % 1000 != 0 { fractional[col] = true }
                case .text, .code, .empty: break
                default: numbers[col] = true
                }
            }
        }
        var kinds: [Kind] = []
        var body: [CellFormat] = []
        for col in table.columns.indices {
            let kind: Kind = fractional[col] ? .fractionalQty : quantities[col] ? .integerQty : numbers[col] ? .other : .text
            kinds.append(kind)
            var format = CellFormat(border: .hair, borderColor: 0xBFBFBF)
            // Quantities: whole units without decimals unless the column holds kg with 3 decimals.
            switch kind {
            case .integerQty: format.numberFormat = template.formats["qty_integer"]
            case .fractionalQty: format.numberFormat = template.formats["qty"]
            default: break
            }
            body.append(format)
        }
        self.kinds = kinds
        self.body = body
    }
}

extension CellFormat {
    func with(_ numberFormat: String?) -> CellFormat {
        var copy = self
        if let numberFormat { copy.numberFormat = numberFormat }
        return copy
    }
}

/// "A", "B", …, "AA" for a zero-based column.
func columnLetter(_ col: Int) -> String {
    var n = col + 1
    var letters = ""
    while n > 0 {
        let r = (n - 1) % 26
        letters = String(UnicodeScalar(UInt8(65 + r))) + letters
        n = (n - 1) / 26
    }
    return letters
}

/// Columns a text takes in a spreadsheet: East Asian wide characters count two.
public func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + (isWide($1.value) ? 2 : 1) }
}

/// Whether the character `scalar` takes two columns (CJK, Hangul, fullwidth forms).
public func isWide(_ scalar: UInt32) -> Bool {
    let v = scalar
    return v >= 0x1100 && ((0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
        || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
        || (0xFFE0...0xFFE6).contains(v))
}

/// "1234567.89" → "1,234,567.89": the text whose width `WorkbookRenderer.shownWidth` counts without making it.
public func grouped(_ plain: String) -> String {
    let negative = plain.hasPrefix("-")
    let body = negative ? String(plain.dropFirst()) : plain
    let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    var integer = String(parts[0])
    var i = integer.count - 3
    while i > 0 { integer.insert(",", at: integer.index(integer.startIndex, offsetBy: i)); i -= 3 }
    return (negative ? "-" : "") + integer + (parts.count > 1 ? "." + parts[1] : "")
}

/// `&` starts a code in Excel headers and footers.
func escapeHeaderFooter(_ text: String) -> String { text.replacingOccurrences(of: "&", with: "&&") }
