import Core
import Foundation
import Reports
import XLSX

/// One dealer's 对账单 (SPEC §8.4 `statement`) as the dealer reads, checks, signs and returns it: company,
/// title, dealer and period; the statement lines from the opening to the closing line with the running
/// balance; the aging of the closing balance beside the credit limit; the block to confirm, sign and stamp.
/// Portrait A4, on one page when it fits. Words from `templates/<locale>/statement.toml`.
public enum StatementWorkbook {
    /// The `[text]` words of statement.toml this workbook shows.
    static let words = ["dealer_line", "region_line", "period_line", "date_line", "currency", "aging",
                        "aging_total", "credit_limit", "no_limit", "closing", "available", "over_by", "over_limit_note",
                        "confirm", "confirm_note", "confirm_ok", "confirm_differs", "signature", "stamp", "sign_date",
                        "issuer", "page"]
    /// The statement table's columns (as in `receivables/statement.csv`, without dealer_id).
    static let columns = ["date", "doc_type", "doc_no", "ref_no", "debit", "credit", "balance"]
    static let agingColumns = ["not_due", "d1_30", "d31_60", "d61_90", "d91_120", "over_120", "unapplied"]
    static let kinds: [DealerStatement.Line.Kind] = [.opening, .invoice, .credit, .payment, .closing]
    /// Company, title, an empty row, dealer, region and period, currency and date.
    static let titleRows = 6
    /// A statement of up to this many lines is scaled onto one page (to about 70 % at most), the aging and
    /// the confirmation under its lines. A longer one prints one page wide on as many pages as it needs, the
    /// aging and the confirmation first, where no page break can cut them, its column header repeated on each.
    static let onePageLines = 40

    static let section = CellFormat(bold: true, fontSize: 12, fontColor: 0x1F4E78)
    static let cellBorder = CellFormat(border: .hair, borderColor: 0xBFBFBF)
    static let red: UInt32 = 0xC00000

    public static func write(_ statement: DealerStatement, template: Template, context: RenderContext, to path: String) throws {
        let workbook = try Workbook(path: path)
        let period = statement.month.description
        workbook.properties = DocumentProperties(
            title: "\(template.title) \(statement.dealerId) \(period)", subject: "statement",
            author: "aftersales \(context.toolVersion)", company: context.company.isEmpty ? nil : context.company,
            created: Date(timeIntervalSince1970: TimeInterval(Int(context.documentDate.ordinal) * 86_400)))
        let sheet = try workbook.addWorksheet(String(template.title.prefix(31)))
        sheet.activate()
        sheet.hideGridlines()
        for (col, width) in columnWidths(statement, template: template).enumerated() {
            try sheet.setColumn(first: col, last: col, width: width)
        }
        try writeTitle(statement, on: sheet, template: template, context: context)
        let headerRow: Int
        if statement.lines.count <= onePageLines {
            headerRow = titleRows
            let afterLines = try writeLines(statement, header: headerRow, on: sheet, in: workbook, template: template)
            let afterAging = try writeAging(statement, from: afterLines + 1, on: sheet, template: template)
            try writeConfirmation(from: afterAging + 1, on: sheet, template: template, context: context)
        } else {
            let afterAging = try writeAging(statement, from: titleRows + 1, on: sheet, template: template)
            headerRow = try writeConfirmation(from: afterAging + 1, on: sheet, template: template, context: context) + 1
            try writeLines(statement, header: headerRow, on: sheet, in: workbook, template: template)
        }
        try pageSetup(of: sheet, statement: statement, headerRow: headerRow, template: template, context: context)
        try workbook.close()
    }

    static func pageSetup(of sheet: Worksheet, statement: DealerStatement, headerRow: Int, template: Template,
                          context: RenderContext) throws {
        sheet.setPortrait()
        sheet.setPaper(.a4)
        sheet.setMargins(left: 0.5, right: 0.5, top: 0.6, bottom: 0.7)
        sheet.centerHorizontally()
        sheet.fitToPages(wide: 1, tall: statement.lines.count <= onePageLines ? 1 : 0)
        try sheet.repeatRows(first: headerRow, last: headerRow)
        let what = [context.company, template.title, statement.dealerId, statement.month.description]
            .filter { !$0.isEmpty }.joined(separator: " ")
        try sheet.setFooter("&L\(escapeHeaderFooter(what))&R\(template.word("page"))")
    }

    /// Company and title centred over the table, then the dealer, the period and the statement date.
    static func writeTitle(_ statement: DealerStatement, on sheet: Worksheet, template: Template, context: RenderContext) throws {
        let last = columns.count - 1
        func line(_ row: Int, _ text: String, _ format: CellFormat, from first: Int = 0, to lastCol: Int = last) throws {
            try sheet.mergeRange(CellRange(firstRow: row, firstCol: first, lastRow: row, lastCol: lastCol), string: text, format: format)
        }
        try sheet.setRow(0, height: 24)
        try sheet.setRow(1, height: 30)
        try sheet.setRow(2, height: 8)
        if !context.company.isEmpty {
            try line(0, context.company, CellFormat(bold: true, fontSize: 14, align: .center, verticalAlign: .center))
        }
        try line(1, template.title, CellFormat(bold: true, fontSize: 18, align: .center, verticalAlign: .center))
        let left = CellFormat(), right = CellFormat(align: .right)
        try line(3, filled(template.word("dealer_line"), ["id": statement.dealerId, "name": statement.dealerName]),
                 CellFormat(bold: true, fontSize: 12))
        try line(4, filled(template.word("region_line"), ["region": statement.region]), left, to: 3)
        try line(4, filled(template.word("period_line"), ["first": statement.month.firstDay.description,
                                                          "last": statement.month.lastDay.description]), right, from: 4)
        try line(5, template.word("currency"), left, to: 3)
        try line(5, filled(template.word("date_line"), ["date": context.documentDate.description]), right, from: 4)
    }

    /// The header and the statement lines; the opening and closing lines shaded and bold, the closing one
    /// ruled off below. Returns the row after the last line.
    @discardableResult
    static func writeLines(_ statement: DealerStatement, header headerRow: Int, on sheet: Worksheet, in workbook: Workbook,
                           template: Template) throws -> Int {
        let header = CellFormat(bold: true, fillColor: WorkbookRenderer.headerFill, border: .thin, borderColor: 0x9BC2E6,
                                align: .center, verticalAlign: .center, wrap: true)
        for (col, id) in columns.enumerated() {
            try sheet.write(row: headerRow, col: col, string: template.column(id), format: header)
        }
        var edge = cellBorder
        edge.fillColor = WorkbookRenderer.totalsFill
        edge.bold = true
        var closing = edge
        closing.bottomBorder = .double
        let plain = LineFormats(cellBorder, template: template, in: workbook)
        let opening = LineFormats(edge, template: template, in: workbook)
        let ruled = LineFormats(closing, template: template, in: workbook)
        var row = headerRow + 1
        for line in statement.lines {
            let formats = line.kind == .opening ? opening : line.kind == .closing ? ruled : plain
            // The date centred, clear of the type beside it; then the type, documents and amounts.
            let c = line.date.components
            try sheet.write(row: row, col: 0, date: (c.year, c.month, c.day), format: formats.centredDate)
            let cells: [Cell] = [.code(line.kind.rawValue), .text(line.docNo), .text(line.refNo),
                                 line.debit.map(Cell.money) ?? .empty, line.credit.map(Cell.money) ?? .empty, .money(line.balance)]
            for (n, cell) in cells.enumerated() {
                if cell == .empty || cell == .text("") {
                    try sheet.write(row: row, col: 1 + n, string: "", format: formats.cells.plain)
                } else {
                    try WorkbookRenderer.write(cell, row: row, col: 1 + n, on: sheet, formats: formats.cells, template: template)
                }
            }
            row += 1
        }
        // A credit balance (the dealer has paid ahead) in red, as negative figures are in the other workbooks.
        try sheet.conditionalFormat(CellRange(firstRow: headerRow + 1, firstCol: 6, lastRow: row - 1, lastCol: 6),
                                    rule: .cellValue(.lessThan, 0), format: CellFormat(fontColor: red))
        return row
    }

    /// The closing balance by days past due on the left (their sum ruled off: it is the closing balance),
    /// the credit limit, the closing balance against it and, when over it, the note on the right.
    /// Returns the row after the block.
    static func writeAging(_ statement: DealerStatement, from top: Int, on sheet: Worksheet, template: Template) throws -> Int {
        let money = template.formats["money"]
        let label = cellBorder, amount = cellBorder.with(money)
        var totalLabel = label, totalAmount = amount
        (totalLabel.bold, totalAmount.bold) = (true, true)
        (totalLabel.fillColor, totalAmount.fillColor) = (WorkbookRenderer.totalsFill, WorkbookRenderer.totalsFill)
        func pair(_ row: Int, _ first: Int, _ text: String, _ value: Money?, _ labelFormat: CellFormat, _ valueFormat: CellFormat,
                  orText: String = "") throws {
            try sheet.mergeRange(CellRange(firstRow: row, firstCol: first, lastRow: row, lastCol: first + 1), string: text,
                                 format: labelFormat)
            if let value {
                try sheet.write(row: row, col: first + 2, decimal: value.cents, scale: 2, format: valueFormat)
            } else {
                try sheet.write(row: row, col: first + 2, string: orText, format: valueFormat)
            }
        }
        try sheet.write(row: top, col: 0, string: template.word("aging"), format: section)
        let aging = statement.aging
        let buckets = [aging.notDue, aging.d1to30, aging.d31to60, aging.d61to90, aging.d91to120, aging.over120, aging.unapplied]
        for (n, (id, value)) in zip(agingColumns, buckets).enumerated() {
            var format = amount
            if n > 0 && n < 6 && value != .zero { format.fontColor = red }   // overdue
            try pair(top + 1 + n, 0, template.column(id), value, label, format)
        }
        let totalRow = top + 1 + buckets.count
        try pair(totalRow, 0, template.word("aging_total"), aging.total, totalLabel, totalAmount)

        try sheet.write(row: top, col: 4, string: template.word("credit_limit"), format: section)
        var right = amount
        right.align = .right
        try pair(top + 1, 4, template.word("credit_limit"), statement.creditLimit, label, right, orText: template.word("no_limit"))
        try pair(top + 2, 4, template.word("closing"), statement.closing, label, amount)
        if let limit = statement.creditLimit {
            if statement.overLimit {
                var over = totalAmount
                over.fontColor = red
                try pair(top + 3, 4, template.word("over_by"), statement.closing - limit, totalLabel, over)
                let note = filled(template.word("over_limit_note"), ["over": grouped((statement.closing - limit).description)])
                try sheet.mergeRange(CellRange(firstRow: top + 4, firstCol: 4, lastRow: top + 7, lastCol: 6), string: note,
                                     format: CellFormat(bold: true, fontColor: red, verticalAlign: .top, wrap: true))
            } else {
                try pair(top + 3, 4, template.word("available"), limit - statement.closing, label, amount)
            }
        }
        return totalRow + 1
    }

    /// What the dealer does with the statement, the boxes to tick, lines to write the differences on, and
    /// room to sign, stamp and date; the issuer opposite. Returns the row after the block.
    @discardableResult
    static func writeConfirmation(from top: Int, on sheet: Worksheet, template: Template, context: RenderContext) throws -> Int {
        let last = columns.count - 1
        let writeOn = CellFormat(bottomBorder: .thin)
        func merge(_ row: Int, _ first: Int, _ lastCol: Int, _ text: String, _ format: CellFormat = CellFormat()) throws {
            try sheet.mergeRange(CellRange(firstRow: row, firstCol: first, lastRow: row, lastCol: lastCol), string: text, format: format)
        }
        try sheet.write(row: top, col: 0, string: template.word("confirm"), format: section)
        try sheet.setRow(top + 1, height: 48)
        try merge(top + 1, 0, last, template.word("confirm_note"), CellFormat(verticalAlign: .top, wrap: true))
        try sheet.setRow(top + 2, height: 22)
        try merge(top + 2, 0, 1, template.word("confirm_ok"), CellFormat(verticalAlign: .bottom))
        try merge(top + 2, 2, 3, template.word("confirm_differs"), CellFormat(verticalAlign: .bottom))
        try merge(top + 2, 4, last, "", writeOn)
        try sheet.setRow(top + 3, height: 22)
        try merge(top + 3, 0, last, "", writeOn)
        try sheet.setRow(top + 5, height: 36)
        try merge(top + 5, 0, 1, template.word("signature"), CellFormat(verticalAlign: .bottom))
        try merge(top + 5, 2, 3, "", writeOn)
        try sheet.write(row: top + 5, col: 4, string: template.word("stamp"), format: CellFormat(verticalAlign: .bottom))
        try merge(top + 5, 5, last, "", writeOn)
        try sheet.setRow(top + 6, height: 22)
        try merge(top + 6, 0, 3, template.word("sign_date"), CellFormat(verticalAlign: .bottom))
        try merge(top + 6, 4, last, filled(template.word("issuer"), ["company": context.company]),
                  CellFormat(align: .right, verticalAlign: .bottom))
        return top + 7
    }

    /// The formats of one kind of statement line: its cells', and its date's, centred.
    struct LineFormats {
        let cells: ColumnFormats, centredDate: Format

        init(_ base: CellFormat, template: Template, in workbook: Workbook) {
            cells = ColumnFormats(base, template: template, in: workbook)
            var date = base.with(template.formats["date"])
            date.align = .center
            centredDate = workbook.format(date)
        }
    }

    /// The template's words with `{key}` replaced by the value.
    static func filled(_ words: String, _ values: [String: String]) -> String {
        values.reduce(words) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// Each column as wide as its header or widest value (CJK characters counting double), at least 11;
    /// the label columns of the aging and credit blocks (A:B, E:F) wide enough for their labels.
    static func columnWidths(_ statement: DealerStatement, template: Template) -> [Double] {
        var widest = columns.map { displayWidth(template.column($0)) }
        widest[0] = max(widest[0], 10)
        widest[1] = max(widest[1], kinds.map { displayWidth(template.code($0.rawValue)) }.max() ?? 0)
        for line in statement.lines {
            widest[2] = max(widest[2], displayWidth(line.docNo))
            widest[3] = max(widest[3], displayWidth(line.refNo))
            for (col, value) in [(4, line.debit), (5, line.credit), (6, line.balance)] {
                if let value { widest[col] = max(widest[col], WorkbookRenderer.shownWidth(.money(value), fractionalQty: false, template: template)) }
            }
        }
        var widths = widest.map { Double(min(max($0 + 2, 11), 40)) }
        let agingLabels = (agingColumns.map { template.column($0) } + [template.word("aging_total")]).map(displayWidth).max() ?? 0
        widths[1] = max(widths[1], Double(agingLabels + 2) - widths[0])
        let creditLabels = ["credit_limit", "closing", "available", "over_by"].map { displayWidth(template.word($0)) }.max() ?? 0
        widths[5] = max(widths[5], Double(creditLabels + 2) - widths[4])
        return widths
    }
}
