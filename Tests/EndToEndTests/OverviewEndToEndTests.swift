import Foundation
import TestSupport
import XCTest

/// The overview sheet, overview.csv and the figures.json chain (SPEC §8.2).
///
/// Fixtures/overview-chain: one part, bought 5 @ 6.00 and sold every month (no opening file, so each
/// month opens at 0 and COGS = 6.00 × the qty sold):
/// | month | revenue | COGS | gross | margin | NEW closing |
/// | 2026-01 | 2 × 10.00 = 20.00 | 12.00 | 8.00 | 40.00 | 3 × 6 = 18.00 |
/// | 2026-02 | 3 × 10.00 = 30.00 | 18.00 | 12.00 | 40.00 | 2 × 6 = 12.00 |
/// | 2026-03 | 1 × 12.00 = 12.00 | 6.00 | 6.00 | 50.00 | 4 × 6 = 24.00 |
final class OverviewEndToEndTests: XCTestCase {
    func runChain(_ months: [String], out: String) throws {
        for month in months {
            let run = try Binary.run(["monthly", "--month", month, "--inputs", fixture("overview-chain"), "--out", out, "--csv"])
            XCTAssertEqual(run.status, 0, "\(month): \(run.stderr)")
        }
    }

    func testThirdMonthComparesWithTheSecondsFiguresAndSumsTheYear() throws {
        let out = try temporaryFolder()
        try runChain(["2026-01", "2026-02", "2026-03"], out: out)
        // Previous = February's figures.json; change = (12 − 30) / 30 = −60.00 %, (6 − 18) / 18 = −66.67 %,
        // margin (50 − 40) / 40 = +25.00 %; ytd = 20 + 30 + 12 = 62.00, COGS 36.00, gross 26.00,
        // margin 26 / 62 = 41.935… → 41.94 (from the sums, not 40 + 40 + 50).
        XCTAssertEqual(try text("\(out)/2026-03/csv/profit/overview.csv"), """
            metric,current,previous,change_pct,ytd
            revenue,12.00,30.00,-60.00,62.00
            returns,0.00,0.00,,0.00
            net_revenue,12.00,30.00,-60.00,62.00
            cogs,6.00,18.00,-66.67,36.00
            gross_profit,6.00,12.00,-50.00,26.00
            margin_pct,50.00,40.00,25.00,41.94
            warranty_parts_cost,0.00,0.00,,0.00
            warranty_labor_cost,0.00,0.00,,0.00
            profit_after_warranty,6.00,12.00,-50.00,26.00

            """)
        // Closing 24.00 against February's 12.00: +100 %; no ytd outside profit.
        let movement = try text("\(out)/2026-03/csv/parts-movement/overview.csv")
        XCTAssertTrue(movement.contains("\nNEW.closing_value,24.00,12.00,100.00,\n"), movement)
        XCTAssertTrue(movement.contains("\nNEW.receipt_value,30.00,30.00,0.00,\n"), movement)

        let figures = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/2026-02/figures.json"))) as! [String: Any]
        XCTAssertEqual((figures["reports"] as! [String: [String: String]])["profit"]?["revenue"], "30.00")
        XCTAssertEqual(figures["costing"] as? String, "monthly-average")
        XCTAssertNotNil((figures["inputs"] as! [String: String])["orders.csv"])
        let manifest = try text("\(out)/2026-02/manifest.json")
        XCTAssertTrue(manifest.contains("\"file\" : \"2026-02/figures.json\""), "listed in the manifest like the run's other files")

        let book = try XLSXReadBack(path: "\(out)/2026-03/profit-2026-03.xlsx")
        XCTAssertEqual(book.sheetNames.first, "概览", "the workbook opens on its overview")
        XCTAssertEqual(book.cell(sheet: "概览", "A6"), "指标")
        XCTAssertEqual(book.cell(sheet: "概览", "A7"), "销售收入")
        XCTAssertEqual(book.number(sheet: "概览", "B7"), 12)
        XCTAssertEqual(book.number(sheet: "概览", "C7"), 30)
        XCTAssertEqual(book.number(sheet: "概览", "D7"), -60)
        XCTAssertEqual(book.number(sheet: "概览", "E7"), 62)
        XCTAssertTrue(book.cell(sheet: "概览", "A2")?.contains("月末一次加权平均") ?? false, "the costing method")
        XCTAssertTrue(book.cell(sheet: "概览", "A2")?.contains("2026-01…2026-03") ?? false)
        // One line per sheet, linked: the summary first, the Data issues sheet last.
        XCTAssertEqual(book.cell(sheet: "概览", "G7"), "利润汇总")
        let xml = try book.xml(ofSheet: "概览")
        XCTAssertTrue(xml.contains("location=\"'利润汇总'!A1\""), "an internal hyperlink to the sheet")
        XCTAssertTrue(xml.contains("location=\"'数据问题'!A1\""))
    }

    func testAMissingOrUnreadableMiddleMonthIsNamedAndLeftOut() throws {
        let out = try temporaryFolder()
        try runChain(["2026-01", "2026-02"], out: out)
        try FileManager.default.removeItem(atPath: "\(out)/2026-02/figures.json")
        try runChain(["2026-03"], out: out)
        // No previous; ytd = January + March: 20 + 12 = 32.00, gross 8 + 6 = 14.00, margin 14 / 32 = 43.75.
        let csv = try text("\(out)/2026-03/csv/profit/overview.csv")
        XCTAssertTrue(csv.contains("\nrevenue,12.00,,,32.00\n"), csv)
        XCTAssertTrue(csv.contains("\nmargin_pct,50.00,,,43.75\n"), csv)
        let book = try XLSXReadBack(path: "\(out)/2026-03/profit-2026-03.xlsx")
        XCTAssertTrue(book.cell(sheet: "概览", "A2")?.contains("本年累计范围：2026-01…2026-03（缺 2026-02）") ?? false,
                      book.cell(sheet: "概览", "A2") ?? "")
        XCTAssertEqual(book.cell(sheet: "概览", "A3"), "2026-02 无比较数据：输出目录中没有该月的 figures.json（该月未运行月结），上期栏为空")

        // A corrupt one is not fatal either: named as unreadable, left out.
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: "\(out)/2026-02/figures.json"))
        let run = try Binary.run(["monthly", "--month", "2026-03", "--inputs", fixture("overview-chain"), "--out", out, "--csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("figures.unreadable"), run.stderr)
        XCTAssertTrue(try text("\(out)/2026-03/csv/profit/overview.csv").contains("\nrevenue,12.00,,,32.00\n"))
    }

    /// On the demo month: each overview figure equals the sum of the table it summarises, read from
    /// the CSV twins independently.
    func testDemoMonthOverviewFiguresEqualTheirTables() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", GoldenFileTests.demoInputs, "--out", out, "--csv"])
        XCTAssertEqual(run.status, 1, run.stderr)
        let csv = "\(out)/2026-10/csv"

        let movementOverview = try overview("\(csv)/parts-movement/overview.csv")
        let movement = try table("\(csv)/parts-movement/movement.csv")
        let warehouses = Set(movement.rows.map { $0[movement.column("warehouse")] })
        XCTAssertEqual(warehouses.count, 2)
        for warehouse in warehouses {
            for column in ["opening_value", "receipt_value", "issue_value", "closing_value"] {
                let total = movement.rows.filter { $0[movement.column("warehouse")] == warehouse }
                    .reduce(0) { $0 + cents($1[movement.column(column)]) }
                XCTAssertEqual(cents(movementOverview["\(warehouse).\(column)"]![0]), total, "\(warehouse).\(column)")
            }
        }

        let profitOverview = try overview("\(csv)/profit/overview.csv")
        let summary = try table("\(csv)/profit/summary.csv")
        XCTAssertEqual(profitOverview.count, summary.rows.count)
        for row in summary.rows { XCTAssertEqual(profitOverview[row[0]]?[0], row[1], row[0]) }

        let reconciliation = try overview("\(csv)/reconciliation/overview.csv")
        var checked = 0
        for (id, values) in reconciliation where id.hasSuffix(".count") {
            let parts = id.split(separator: ".").map(String.init)
            let rows = try table("\(csv)/reconciliation/\(parts[0]).csv")
            let expected = parts.count == 2 ? rows.rows.count
                : rows.rows.filter { $0[rows.column(parts[0] == "old_parts_outstanding" ? "age_bucket" : "status")] == parts[1] }.count
            XCTAssertEqual(Int(values[0]), expected, id)
            checked += 1
        }
        XCTAssertEqual(checked, 4 + 4 + 4 + 4 + 3, "every status of every check, and the three listing checks")
        XCTAssertGreaterThan(Int(reconciliation["stock_variance.match.count"]![0])!, 0)

        // Receivables: the dealers' totals are the balances' column sums; the levels count the dunning rows.
        let receivables = try overview("\(csv)/receivables/overview.csv")
        let balances = try table("\(csv)/receivables/balances.csv"), dunning = try table("\(csv)/receivables/dunning.csv")
        for column in ["opening", "invoiced", "credited", "paid", "closing"] {
            XCTAssertEqual(cents(receivables[column]![0]), balances.rows.reduce(0) { $0 + cents($1[balances.column(column)]) }, column)
        }
        XCTAssertGreaterThan(cents(receivables["invoiced"]![0]), 0)
        for level in 1...3 {
            XCTAssertEqual(Int(receivables["dunning.level_\(level).count"]![0]),
                           dunning.rows.filter { $0[dunning.column("level")] == "\(level)" }.count)
        }
    }

    // MARK: Reading the CSVs


    /// metric → [current, previous, change_pct, ytd].
    private func overview(_ path: String) throws -> [String: [String]] {
        let t = try table(path)
        XCTAssertEqual(t.header, ["metric", "current", "previous", "change_pct", "ytd"])
        return Dictionary(uniqueKeysWithValues: t.rows.map { ($0[0], Array($0.dropFirst())) })
    }

    private struct CSV {
        let header: [String]
        let rows: [[String]]
        func column(_ id: String) -> Int { header.firstIndex(of: id)! }
    }

    private func table(_ path: String) throws -> CSV {
        let records = CSVText.rows(try text(path))
        return CSV(header: records[0], rows: Array(records.dropFirst()))
    }

    /// "1234.56" → 123456, "-0.05" → −5.
    private func cents(_ text: String) -> Int {
        let negative = text.hasPrefix("-"), digits = text.drop { $0 == "-" }.split(separator: ".")
        let value = Int(digits[0])! * 100 + (digits.count > 1 ? Int(digits[1])! : 0)
        return negative ? -value : value
    }
}
