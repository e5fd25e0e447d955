import CXLSXWriter
import Foundation

/// A chart made by `Workbook.addChart` and placed by `Worksheet.insertChart`. Series read their data
/// from worksheet cells; libxlsxwriter caches those values in the chart part when the workbook closes.
///
/// libxlsxwriter 1.1.4 cannot combine chart types or add a secondary axis: for a Pareto, use a column
/// chart of the counts (optionally labelled with the cumulative % via `.texts`) plus a separate
/// line chart of the cumulative %.
public final class Chart {
    public enum Kind: Sendable { case column, bar, line, pie }
    public enum LegendPosition: Sendable { case none, right, left, top, bottom }
    public enum DataLabels: Sendable {
        /// Each point's value, optionally in a number format such as `#,##0`.
        case values(numberFormat: String? = nil)
        /// Each slice's share of the whole (pie charts).
        case percentages
        /// Point i is labelled `texts[i]` (e.g. the cumulative % formatted by the caller); points beyond
        /// the list show their value. Fixed text, so every viewer shows exactly it.
        case texts([String])
    }

    let workbook: Workbook
    private let unsafeHandle: UnsafeMutablePointer<lxw_chart>

    init(workbook: Workbook, handle: UnsafeMutablePointer<lxw_chart>) {
        self.workbook = workbook
        self.unsafeHandle = handle
    }

    /// Adds a series plotting `values` on `sheet` against `categories` (same sheet). `name` is the legend
    /// text; with no `name` Excel shows "Series1".
    public func addSeries(values: CellRange, categories: CellRange? = nil, in sheet: Worksheet,
                          name: String? = nil, labels: DataLabels? = nil) throws {
        precondition(sheet.workbook === workbook, "sheet belongs to another workbook")
        guard let series = chart_add_series(handle, nil, nil) else {
            throw XLSXError(context: "add chart series \(sheet.name)!\(values.a1())", message: "libxlsxwriter could not add it")
        }
        chart_series_set_values(series, sheet.name, lxwRow(values.firstRow), lxwCol(values.firstCol),
                                lxwRow(values.lastRow), lxwCol(values.lastCol))
        if let categories {
            chart_series_set_categories(series, sheet.name, lxwRow(categories.firstRow), lxwCol(categories.firstCol),
                                        lxwRow(categories.lastRow), lxwCol(categories.lastCol))
        }
        if let name { chart_series_set_name(series, name) }
        switch labels {
        case nil:
            break
        case let .values(numberFormat):
            chart_series_set_labels(series)
            if let numberFormat { chart_series_set_labels_num_format(series, numberFormat) }
        case .percentages:
            chart_series_set_labels(series)
            chart_series_set_labels_options(series, 0, 0, 0)
            chart_series_set_labels_percentage(series)
        case let .texts(texts):
            try setCustomLabels(series, texts)
        }
    }

    /// The title above the plot area.
    public func setTitle(_ title: String) {
        chart_title_set_name(handle, title)
    }

    /// The category axis of column and line charts; the value axis of bar charts (Excel's x is horizontal).
    public func setXAxis(title: String? = nil, numberFormat: String? = nil) {
        setAxis(handle.pointee.x_axis, title: title, numberFormat: numberFormat, min: nil, max: nil)
    }

    /// The value axis of column and line charts; the category axis of bar charts. `min`/`max` fix the scale,
    /// e.g. 0…1 for a cumulative share shown as `0%`.
    public func setYAxis(title: String? = nil, numberFormat: String? = nil, min: Double? = nil, max: Double? = nil) {
        setAxis(handle.pointee.y_axis, title: title, numberFormat: numberFormat, min: min, max: max)
    }

    /// Where the legend goes, or `.none` to hide it (default: right).
    public func setLegend(_ position: LegendPosition) {
        let lxwPosition: lxw_chart_legend_position = switch position {
        case .none: LXW_CHART_LEGEND_NONE
        case .right: LXW_CHART_LEGEND_RIGHT
        case .left: LXW_CHART_LEGEND_LEFT
        case .top: LXW_CHART_LEGEND_TOP
        case .bottom: LXW_CHART_LEGEND_BOTTOM
        }
        chart_legend_set_position(handle, UInt8(lxwPosition.rawValue))
    }

    var handle: UnsafeMutablePointer<lxw_chart> {
        _ = workbook.open()
        return unsafeHandle
    }

    private func setAxis(_ axis: UnsafeMutablePointer<lxw_chart_axis>, title: String?, numberFormat: String?,
                         min: Double?, max: Double?) {
        if let title { chart_axis_set_name(axis, title) }
        if let numberFormat { chart_axis_set_num_format(axis, numberFormat) }
        if let min { chart_axis_set_min(axis, min) }
        if let max { chart_axis_set_max(axis, max) }
    }

    private func setCustomLabels(_ series: UnsafeMutablePointer<lxw_chart_series>, _ texts: [String]) throws {
        let context = "label chart series with \(texts)"
        // libxlsxwriter reads a label starting with "=" as a cell reference.
        guard !texts.contains(where: { $0.hasPrefix("=") }) else {
            throw XLSXError(context: context, message: "A custom label cannot start with \"=\".")
        }
        let strings = texts.map { strdup($0) }
        defer { for string in strings { free(string) } }
        var labels = strings.map { string in
            var label = lxw_chart_data_label()
            label.value = string
            return label
        }
        try labels.withUnsafeMutableBufferPointer { buffer in
            var pointers: [UnsafeMutablePointer<lxw_chart_data_label>?] = buffer.indices.map { buffer.baseAddress! + $0 }
            pointers.append(nil)
            chart_series_set_labels(series)
            try check(chart_series_set_labels_custom(series, &pointers), context)
        }
    }
}

extension Chart.Kind {
    var lxwType: UInt8 {
        let type: lxw_chart_type = switch self {
        case .column: LXW_CHART_COLUMN
        case .bar: LXW_CHART_BAR
        case .line: LXW_CHART_LINE
        case .pie: LXW_CHART_PIE
        }
        return UInt8(type.rawValue)
    }
}
