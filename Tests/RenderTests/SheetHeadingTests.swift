import Core
import Foundation
@testable import Render
import Reports
import TestSupport
import XCTest

/// A sheet showing part of its table says so: the template's title and empty line name `headingValues`
/// (SPEC §8.3: the unmatched pairs of the reconciliation, with the matched count).
final class SheetHeadingTests: XCTestCase {
    func testTitleAndEmptyLineNameTheMatchedCount() throws {
        let schema = ReconciliationReport.Tables.orderIssue
        var listed = Table(schema, rows: [[.text("SO1"), .text("P1"), .qty(Quantity(units: 2)), .qty(.zero), .qty(Quantity(units: 2)),
                                           .code("shipped_not_issued")]])
        listed.headingValues["matched"] = 1_234
        var empty = Table(ReconciliationReport.Tables.repairIssue, rows: [])
        empty.headingValues["matched"] = 7
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heading-\(UUID().uuidString).xlsx").path
        let template = try Template.load(directory: WorkbookRendererTests.templates, locale: "zh-CN", report: .reconciliation)
        try WorkbookRenderer.write(Report(id: .reconciliation, period: "2026-10", tables: [listed, empty]), template: template,
                                   context: RenderContext(company: "", documentDate: Day(iso: "2026-10-31")!, toolVersion: "test"),
                                   to: path)
        let book = try XLSXReadBack(path: path)
        XCTAssertEqual(book.cell(sheet: "订单与销售出库", "A2"),
                       "统计期间：2026-10    本月发货订单与销售出库核对：仅列未匹配的订单行（差异数量绝对值大者在前），另有 1,234 对相符未列出")
        XCTAssertEqual(book.cell(sheet: "三包与三包出库", "A4"), "无未匹配项：7 对全部相符")
    }
}
