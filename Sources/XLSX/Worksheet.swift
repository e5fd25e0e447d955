import CXLSXWriter
import Foundation

/// A rule for `Worksheet.conditionalFormat`.
public enum ConditionalRule: Hashable, Sendable {
    public enum Comparison: Hashable, Sendable {
        case equal, notEqual, greaterThan, lessThan, greaterThanOrEqual, lessThanOrEqual
    }
    /// The cell's number compared with a whole-number constant, e.g. `.cellValue(.lessThan, 0)` for negative
    /// variances (an integer, so that no binary fraction stands for an amount; libxlsxwriter's double is made
    /// at the call, exactly, up to ±2^53).
    case cellValue(Comparison, Int64)
    /// The cell's text equals `text` (Excel compares ignoring case).
    case textEquals(String)
}

/// One sheet of a `Workbook`. Rows and columns are zero-based (`row: 0, col: 1` is B1). Every write
/// throws `XLSXError` on libxlsxwriter's refusal, e.g. an index past 1,048,576 rows / 16,384 columns or a
/// string over 32,767 characters. Valid until the workbook is closed.
public final class Worksheet {
    /// The sheet name as given to `Workbook.addWorksheet`.
    public let name: String
    let workbook: Workbook
    private let unsafeHandle: UnsafeMutablePointer<lxw_worksheet>

    init(workbook: Workbook, handle: UnsafeMutablePointer<lxw_worksheet>, name: String) {
        self.workbook = workbook
        self.unsafeHandle = handle
        self.name = name
    }

    // MARK: Cells
    //
    // Each write takes the cell's format as a `CellFormat` (looked up in the workbook's formats) or as a
    // `Format` made once by `Workbook.format(_:)`, which is what a loop over many cells should pass.

    /// A string, kept in the shared-string table (inline in constant-memory mode). An empty string
    /// writes nothing unless a format is given, which makes the cell blank-but-formatted.
    public func write(row: Int, col: Int, string: String, format: CellFormat? = nil) throws {
        try write(row: row, col: col, string: string, format: workbook.format(format))
    }

    public func write(row: Int, col: Int, string: String, format: Format) throws {
        try check(worksheet_write_string(handle, lxwRow(row), lxwCol(col), string, lxw(format)), at(row, col))
    }

    /// The exact decimal `mantissa × 10^-scale` (123456789, 2 → 1234567.89), stored as the nearest
    /// Double, because libxlsxwriter takes a double. The conversion happens only here, so callers keep money
    /// in fixed point. The XML holds the shortest decimal that reads back as that Double (CCellPrinting), so
    /// 66.6 is written `66.6`, not libxlsxwriter's `%.16G` `66.59999999999999`.
    public func write(row: Int, col: Int, decimal mantissa: Int64, scale: Int, format: CellFormat? = nil) throws {
        try write(row: row, col: col, decimal: mantissa, scale: scale, format: workbook.format(format))
    }

    public func write(row: Int, col: Int, decimal mantissa: Int64, scale: Int, format: Format) throws {
        try check(worksheet_write_number(handle, lxwRow(row), lxwCol(col), nearestDouble(mantissa, scale), lxw(format)),
                  at(row, col))
    }

    /// A whole number (exact up to ±2^53).
    public func write(row: Int, col: Int, integer: Int64, format: CellFormat? = nil) throws {
        try write(row: row, col: col, integer: integer, format: workbook.format(format))
    }

    public func write(row: Int, col: Int, integer: Int64, format: Format) throws {
        try check(worksheet_write_number(handle, lxwRow(row), lxwCol(col), Double(integer), lxw(format)), at(row, col))
    }

    /// A calendar date as an Excel date serial; give it a date format such as `yyyy-mm-dd` to display.
    public func write(row: Int, col: Int, date: (year: Int, month: Int, day: Int), format: CellFormat) throws {
        try write(row: row, col: col, date: date, format: workbook.format(format))
    }

    public func write(row: Int, col: Int, date: (year: Int, month: Int, day: Int), format: Format) throws {
        var datetime = lxw_datetime(year: Int32(date.year), month: Int32(date.month), day: Int32(date.day),
                                    hour: 0, min: 0, sec: 0)
        try check(worksheet_write_datetime(handle, lxwRow(row), lxwCol(col), &datetime, lxw(format)), at(row, col))
    }

    public func write(row: Int, col: Int, boolean: Bool, format: CellFormat? = nil) throws {
        try check(worksheet_write_boolean(handle, lxwRow(row), lxwCol(col), boolean ? 1 : 0,
                                          workbook.lxwFormat(format)), at(row, col))
    }

    /// A formula such as `SUM(C3:C40)` (a leading `=` is optional). Excel recalculates on open; the
    /// cached value (default 0) is what viewers that do not recalculate show and what a reader of the
    /// XML sees, so pass the total you computed.
    public func write(row: Int, col: Int, formula: String, cachedValue: (mantissa: Int64, scale: Int)? = nil,
                      format: CellFormat? = nil) throws {
        let value = cachedValue.map { nearestDouble($0.mantissa, $0.scale) } ?? 0
        try check(worksheet_write_formula_num(handle, lxwRow(row), lxwCol(col), formula,
                                              workbook.lxwFormat(format), value), at(row, col))
    }

    /// A link to a cell of another sheet of the workbook (`internal:'Sheet name'!A1`), showing `text`.
    public func writeLink(row: Int, col: Int, toSheet sheet: String, text: String, format: CellFormat? = nil) throws {
        // Quotes in a sheet name are doubled inside the quoted reference.
        let url = "internal:'\(sheet.replacingOccurrences(of: "'", with: "''"))'!A1"
        try check(worksheet_write_url_opt(handle, lxwRow(row), lxwCol(col), url, workbook.lxwFormat(format), text, nil),
                  at(row, col))
    }

    /// An empty cell that still carries a format (borders, fill).
    public func writeBlank(row: Int, col: Int, format: CellFormat) throws {
        try check(worksheet_write_blank(handle, lxwRow(row), lxwCol(col), workbook.lxwFormat(format)), at(row, col))
    }

    /// Merges `range` and writes `string` into it, e.g. a title across the table's width.
    public func mergeRange(_ range: CellRange, string: String, format: CellFormat? = nil) throws {
        try check(worksheet_merge_range(handle, lxwRow(range.firstRow), lxwCol(range.firstCol),
                                        lxwRow(range.lastRow), lxwCol(range.lastCol), string,
                                        workbook.lxwFormat(format)), "merge \(name)!\(range.a1())")
    }

    // MARK: Layout

    /// Width in Excel character units (≈ digits of the default font; a CJK character needs about 2) and
    /// an optional default format for columns `first...last`, which cells written there without a format
    /// also take.
    public func setColumn(first: Int, last: Int, width: Double, format: CellFormat? = nil) throws {
        try check(worksheet_set_column(handle, lxwCol(first), lxwCol(last), width, workbook.lxwFormat(format)),
                  "set columns \(name)!\(cellName(row: 0, col: first))…\(cellName(row: 0, col: last))")
    }

    /// Height in points (default 15) and an optional default format for the row.
    public func setRow(_ row: Int, height: Double, format: CellFormat? = nil) throws {
        try check(worksheet_set_row(handle, lxwRow(row), height, workbook.lxwFormat(format)), "set row \(name)!\(row + 1)")
    }

    /// Freezes the rows above `row` and the columns left of `col`: `freezePanes(row: 3, col: 0)` keeps
    /// rows 1–3 in view.
    public func freezePanes(row: Int, col: Int) {
        worksheet_freeze_panes(handle, lxwRow(row), lxwCol(col))
    }

    /// Filter buttons on the first row of `range` (the header) over the rows below it.
    public func autofilter(_ range: CellRange) throws {
        try check(worksheet_autofilter(handle, lxwRow(range.firstRow), lxwCol(range.firstCol),
                                       lxwRow(range.lastRow), lxwCol(range.lastCol)),
                  "autofilter \(name)!\(range.a1())")
    }

    /// Formats the cells of `range` that satisfy `rule`. Only the font, fill and border of `format` apply.
    public func conditionalFormat(_ range: CellRange, rule: ConditionalRule, format: CellFormat) throws {
        var conditional = lxw_conditional_format()
        conditional.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
        conditional.format = workbook.lxwFormat(format)
        var valueString: UnsafeMutablePointer<CChar>?
        switch rule {
        case let .cellValue(comparison, value):
            conditional.criteria = comparison.lxwCriteria
            conditional.value = Double(value)
        case let .textEquals(text):
            conditional.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_EQUAL_TO.rawValue)
            // An Excel string literal: quoted, inner quotes doubled.
            valueString = strdup("\"" + text.split(separator: "\"", omittingEmptySubsequences: false)
                .joined(separator: "\"\"") + "\"")
        }
        defer { free(valueString) }
        conditional.value_string = valueString
        try check(worksheet_conditional_format_range(handle, lxwRow(range.firstRow), lxwCol(range.firstCol),
                                                     lxwRow(range.lastRow), lxwCol(range.lastCol), &conditional),
                  "conditional format \(name)!\(range.a1())")
    }

    /// Places `chart` with its top-left corner in the cell, `width` × `height` pixels.
    public func insertChart(_ chart: Chart, row: Int, col: Int, width: Double = 480, height: Double = 288) throws {
        precondition(chart.workbook === workbook, "chart belongs to another workbook")
        var options = lxw_chart_options()
        options.x_scale = width / 480
        options.y_scale = height / 288
        try check(worksheet_insert_chart_opt(handle, lxwRow(row), lxwCol(col), chart.handle, &options),
                  "insert chart at \(name)!\(cellName(row: row, col: col))")
    }

    public func hideGridlines() {
        worksheet_gridlines(handle, UInt8(LXW_HIDE_ALL_GRIDLINES.rawValue))
    }

    /// Colours the sheet's tab, `0xRRGGBB`.
    public func setTabColor(_ rgb: UInt32) {
        worksheet_set_tab_color(handle, lxwColor(rgb))
    }

    /// Makes this the sheet shown when the file opens.
    public func activate() {
        worksheet_activate(handle)
    }

    /// Selects the sheet's tab (with `activate()` on another sheet: a group of selected tabs).
    public func select() {
        worksheet_select(handle)
    }

    // MARK: Printing

    public func setLandscape() {
        worksheet_set_landscape(handle)
    }

    public func setPortrait() {
        worksheet_set_portrait(handle)
    }

    /// The paper Excel prints on; without it Excel assumes US Letter, also where fitting to pages is set.
    public enum Paper: UInt8, Sendable { case letter = 1, a4 = 9 }

    public func setPaper(_ paper: Paper) {
        worksheet_set_paper(handle, paper.rawValue)
    }

    /// Page margins in inches (Excel's defaults: 0.7 left and right, 0.75 top and bottom).
    public func setMargins(left: Double, right: Double, top: Double, bottom: Double) {
        worksheet_set_margins(handle, left, right, top, bottom)
    }

    /// Centres the printed area between the left and right margins.
    public func centerHorizontally() {
        worksheet_center_horizontally(handle)
    }

    /// Scales the printout to one page wide, as many pages tall as needed.
    public func fitToWidth() {
        fitToPages(wide: 1, tall: 0)
    }

    /// Scales the printout to at most `wide` × `tall` pages; 0 leaves that direction unlimited.
    public func fitToPages(wide: Int, tall: Int) {
        worksheet_fit_to_pages(handle, UInt16(clamping: wide), UInt16(clamping: tall))
    }

    /// Repeats rows `first...last` (e.g. the title and header) at the top of every printed page.
    public func repeatRows(first: Int, last: Int) throws {
        try check(worksheet_repeat_rows(handle, lxwRow(first), lxwRow(last)), "repeat rows \(name)!\(first + 1):\(last + 1)")
    }

    /// Printed header in Excel's code, e.g. `&L报表&R第 &P 页 / 共 &N 页`; at most 255 characters.
    public func setHeader(_ header: String) throws {
        try check(worksheet_set_header(handle, header), "set header of \(name)")
    }

    /// Printed footer, as `setHeader`.
    public func setFooter(_ footer: String) throws {
        try check(worksheet_set_footer(handle, footer), "set footer of \(name)")
    }

    // MARK: Private

    private var handle: UnsafeMutablePointer<lxw_worksheet> {
        _ = workbook.open()
        return unsafeHandle
    }

    /// The `lxw_format` of a `Format`, which must come from this sheet's workbook.
    private func lxw(_ format: Format) -> UnsafeMutablePointer<lxw_format>? {
        precondition(format.workbook == ObjectIdentifier(workbook), "format made by another workbook")
        return format.handle
    }

    private func at(_ row: Int, _ col: Int) -> String {
        "write \(name)!\(cellName(row: row, col: col))"
    }
}

/// The Double nearest to `mantissa × 10^-scale`. While the mantissa and 10^scale are both exact Doubles
/// (|mantissa| ≤ 2^53, scale ≤ 22), one IEEE division rounds the exact quotient correctly; beyond that it
/// would round twice, so the decimal text goes through `Double(String)` (strtod), which rounds correctly.
func nearestDouble(_ mantissa: Int64, _ scale: Int) -> Double {
    if mantissa.magnitude <= 1 << 53, (0...22).contains(scale) {
        return Double(mantissa) / exactPowersOfTen[scale]
    }
    return Double("\(mantissa)e\(-scale)")!
}

/// 10^0 … 10^22, every one exact as a Double.
private let exactPowersOfTen: [Double] = (0...22).map { n in (0..<n).reduce(1.0) { power, _ in power * 10 } }

extension ConditionalRule.Comparison {
    var lxwCriteria: UInt8 {
        switch self {
        case .equal: UInt8(LXW_CONDITIONAL_CRITERIA_EQUAL_TO.rawValue)
        case .notEqual: UInt8(LXW_CONDITIONAL_CRITERIA_NOT_EQUAL_TO.rawValue)
        case .greaterThan: UInt8(LXW_CONDITIONAL_CRITERIA_GREATER_THAN.rawValue)
        case .lessThan: UInt8(LXW_CONDITIONAL_CRITERIA_LESS_THAN.rawValue)
        case .greaterThanOrEqual: UInt8(LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO.rawValue)
        case .lessThanOrEqual: UInt8(LXW_CONDITIONAL_CRITERIA_LESS_THAN_OR_EQUAL_TO.rawValue)
        }
    }
}
