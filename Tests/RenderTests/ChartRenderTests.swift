import Core
@testable import Render
import Reports
import TestSupport
import XCTest

/// `Report.charts` drawn by the renderer: beside their table, stacked without overlapping, plotting
/// the rows asked for, labelled from a column, titled from the template.
final class ChartRenderTests: XCTestCase {
    func testChartsBesideTheirTableStackedAndLimitedToTheFirstRows() throws {
        // 25 codes with 25, 24, … 1 lines; the cumulative % of 325 lines as labels.
        var running = 0
        let rows: [[Cell]] = (0..<25).map { i in
            running += 25 - i
            return [.text("F\(i + 1)"), .count(25 - i), .percent(Percent(Int128(running), of: 325))]
        }
        let report = Report(id: .qualityFeedback, period: "2026-10", tables: [
            Table(TableSchema("by_fault", [.text("fault_code"), .count("lines"), .percent("cumulative_pct")]), rows: rows),
            Table(TableSchema("trend", [.text("month"), .count("repairs")]), rows: []),
        ], charts: [
            ChartSpec(.column, table: "by_fault", category: "fault_code", values: ["lines"], title: "chart_fault_pareto",
                      labels: "cumulative_pct", firstRows: 20),
            ChartSpec(.line, table: "by_fault", category: "fault_code", values: ["cumulative_pct"], title: "chart_fault_cumulative",
                      axisMax: 100),
            ChartSpec(.line, table: "trend", category: "month", values: ["repairs"], title: "chart_trend"),
        ])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("charts-\(UUID().uuidString).xlsx").path
        let template = try Template.load(directory: WorkbookRendererTests.templates, locale: "zh-CN", report: .qualityFeedback)
        try WorkbookRenderer.write(report, template: template,
                                   context: RenderContext(company: "", documentDate: Day(iso: "2026-10-31")!, toolVersion: "test"),
                                   to: path)
        let book = try XLSXReadBack(path: path)

        let pareto = try book.xml(of: "xl/charts/chart1.xml")
        XCTAssertTrue(pareto.contains("<c:f>'按故障'!$B$4:$B$23</c:f>"), "the first 20 of 25 rows")
        XCTAssertTrue(pareto.contains("<a:t>7.69%</a:t>") && pareto.contains("<a:t>95.38%</a:t>"), "25/325 … 310/325")
        XCTAssertFalse(pareto.contains("<a:t>96.92%</a:t>"), "the 21st row is not plotted")
        XCTAssertTrue(pareto.contains("<a:t>\(template.word("chart_fault_pareto"))</a:t>"))
        XCTAssertTrue(try book.xml(of: "xl/charts/chart2.xml").contains("<c:f>'按故障'!$C$4:$C$28</c:f>"), "all rows")
        XCTAssertThrowsError(try book.xml(of: "xl/charts/chart3.xml"), "no chart for a table without rows")

        // Both anchored in column E (3 columns, one empty), the second starting below the end of the first.
        let drawing = try book.xml(of: "xl/drawings/drawing1.xml")
        func numbers(after tag: String) -> [Int] {
            drawing.components(separatedBy: tag).dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        }
        XCTAssertEqual(numbers(after: "<xdr:from><xdr:col>"), [4, 4])
        let starts = numbers(after: "</xdr:colOff><xdr:row>")   // from, to, from, to
        XCTAssertEqual(starts.count, 4)
        XCTAssertEqual(starts[0], 2, "level with the header row")
        XCTAssertGreaterThan(starts[2], starts[1])
    }
}
