import Core
@testable import Render
import Reports
import TestSupport
import XCTest

final class CSVTwinTests: XCTestCase {
    func testPlainFormsOfEveryCellKind() {
        XCTAssertEqual(CSVTwin.plain(.money(Money(cents: -5))), "-0.05")
        XCTAssertEqual(CSVTwin.plain(.qty(Quantity(milli: 2_375))), "2.375")
        XCTAssertEqual(CSVTwin.plain(.qty(Quantity(milli: 3_000))), "3")
        XCTAssertEqual(CSVTwin.plain(.price(UnitPrice(numerator: 10, denominator: 3))), "3.3333")
        XCTAssertEqual(CSVTwin.plain(.percent(Percent(1, of: 3))), "33.33")
        XCTAssertEqual(CSVTwin.plain(.percent(nil)), "")
        XCTAssertEqual(CSVTwin.plain(.count(12_345)), "12345")
        XCTAssertEqual(CSVTwin.plain(.date(Day(iso: "2026-02-03")!)), "2026-02-03")
        XCTAssertEqual(CSVTwin.plain(.code("shipped")), "shipped")
    }

    func testQuotingAndEmptyTable() {
        let table = Table(TableSchema("t", [.text("a"), .text("b")]), rows: [[.text("x,y"), .text("say \"hi\"\nthere")]])
        XCTAssertEqual(String(decoding: CSVTwin.encode(table), as: UTF8.self), "a,b\n\"x,y\",\"say \"\"hi\"\"\nthere\"\n")
        XCTAssertEqual(String(decoding: CSVTwin.encode(Table(TableSchema("t", [.text("a")]), rows: [])), as: UTF8.self), "a\n")
    }
}

final class WorkbookRendererTests: XCTestCase {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates").path

    /// Every column, table and code a report can produce has a label in both locales.
    func testTemplatesLabelEverythingTheDailyReportWrites() throws {
        let report = sampleReport()
        for locale in ["zh-CN", "en"] {
            let template = try Template.load(directory: Self.templates, locale: locale, report: .dailyOrders)
            for table in report.tables {
                XCTAssertNotNil(template.tables[table.id], "\(locale): no sheet name for \(table.id)")
                for column in table.columns { XCTAssertNotNil(template.columns[column], "\(locale): no label for \(column)") }
            }
            for code in ["orders_received", "open_amount", "open", "shipped", "cancelled", "error", "warning", "bad_date"] {
                XCTAssertNotNil(template.codes[code], "\(locale): no label for \(code)")
            }
        }
    }

    func testLayoutTitleHeaderTotalsAndFormats() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString).xlsx").path
        let template = try Template.load(directory: Self.templates, locale: "zh-CN", report: .dailyOrders)
        try WorkbookRenderer.write(sampleReport(), template: template,
                                   context: RenderContext(company: "某某空调有限公司", documentDate: Day(iso: "2026-10-31")!, toolVersion: "test"),
                                   to: path)
        let book = try XLSXReadBack(path: path)
        XCTAssertEqual(book.cell(sheet: "按配件", "A1"), "某某空调有限公司 售后配件订单日统计表")
        XCTAssertEqual(book.cell(sheet: "按配件", "A3"), "配件编码")
        XCTAssertEqual(book.cell(sheet: "按配件", "A6"), "合计")
        XCTAssertEqual(book.number(sheet: "按配件", "E6"), 1_234_569.45)
        XCTAssertEqual(book.number(sheet: "按配件", "D6"), 4.5)
        let xml = try book.xml(ofSheet: "按配件")
        XCTAssertTrue(xml.contains("SUBTOTAL(9,E4:E5)"))
        XCTAssertTrue(xml.contains("<conditionalFormatting sqref=\"E4:E5\">"), "negative amounts marked")
        let styles = try book.xml(of: "xl/styles.xml")
        XCTAssertTrue(styles.contains("formatCode=\"#,##0.00\""))
        XCTAssertTrue(styles.contains("formatCode=\"#,##0.000\""), "a column with kg quantities gets 3 decimals")
        let core = try book.xml(of: "docProps/core.xml")
        XCTAssertTrue(core.contains("2026-10-31T00:00:00Z"), "the document date is the period's, not the wall clock")
    }

    func testWidthHelpers() {
        XCTAssertEqual(displayWidth("压缩机A"), 7)
        XCTAssertEqual(columnLetter(0), "A")
        XCTAssertEqual(columnLetter(25), "Z")
        XCTAssertEqual(columnLetter(26), "AA")
        XCTAssertEqual(grouped("-1234567.5"), "-1,234,567.5")
    }

    private func sampleReport() -> Report {
        var report = DailyOrders.build(orders: [], parts: [:], dealers: [:], day: Day(iso: "2026-10-31")!)
        let rows: [[Cell]] = [
            [.text("P001"), .text("压缩机"), .count(1), .qty(Quantity(milli: 2_000)), .money(Money(cents: 123_456_789))],
            [.text("P002"), .text("制冷剂R32"), .count(1), .qty(Quantity(milli: 2_500)), .money(Money(cents: 156))],
        ]
        let columns = ["part_no", "part_name", "lines", "qty", "amount"]
        report.tables[2] = Table(DailyOrders.Tables.byPart, rows: rows,
                                 totals: Table.totals(of: rows, columns: columns, summing: ["lines", "qty", "amount"]))
        report.tables.append(DataIssues.table([]))
        return report
    }
}

/// A table longer than a worksheet holds (the order_issue table at 10× month scale) continues on
/// further sheets, each footing on its own rows.
final class SheetSplitTests: XCTestCase {
    func testLongTablesContinueOnFurtherSheetsWithTheirOwnTotals() {
        let schema = TableSchema("t", [.text("part_no"), .qty("qty"), .money("amount"), .percent("margin_pct")])
        let columns = schema.columnIDs
        let rows: [[Cell]] = (1...5).map { [.text("P\($0)"), .qty(Quantity(units: Int64($0))), .money(Money(cents: Int64($0) * 100)), .percent(nil)] }
        var totals = Table.totals(of: rows, columns: columns, summing: ["qty", "amount"])
        totals[3] = .percent(Percent(hundredths: 1_234))
        let parts = WorkbookRenderer.sheetParts(Table(schema, rows: rows, totals: totals), maxRows: 2)
        XCTAssertEqual(parts.map(\.rows.count), [2, 2, 1])
        XCTAssertEqual(parts.map { $0.totals![2] }, [.money(Money(cents: 300)), .money(Money(cents: 700)), .money(Money(cents: 500))])
        XCTAssertEqual(parts[0].totals![1], .qty(Quantity(units: 3)))
        XCTAssertEqual(parts[0].totals![3], .empty, "a ratio of the whole table does not belong to a part")
        XCTAssertEqual(WorkbookRenderer.sheetParts(Table(schema, rows: rows), maxRows: 5).count, 1)
        XCTAssertGreaterThan(WorkbookRenderer.maxDataRows, 1_048_000)
    }
}
