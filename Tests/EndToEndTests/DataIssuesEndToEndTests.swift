import Foundation
import TestSupport
import XCTest

/// SPEC §8.1 and §8.7 on Fixtures/monthly plus bad rows: the Data issues sheet of each workbook,
/// history rows, the BOM of the files people open in Excel, warehouse names.
final class DataIssuesEndToEndTests: XCTestCase {
    /// Fixtures/monthly and `orders-bad.csv` with 205 rows dated 2026-13-01 (bad_date, rejected) and one
    /// more with an unknown part (unknown_part, warned); the config names warehouse NEW.
    private func runWithBadOrders() throws -> String {
        let inputs = try temporaryFolder(), out = try temporaryFolder()
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture("monthly")) {
            try FileManager.default.copyItem(atPath: "\(fixture("monthly"))/\(name)", toPath: "\(inputs)/\(name)")
        }
        var bad = "order_no,line_no,order_date,dealer_id,part_no,qty,unit_price,amount,channel,status,ship_date\n"
        for n in 1...205 { bad += "BAD\(n),1,2026-13-01,D01,P001,1,10,,phone,open,\n" }
        bad += "OK1,1,2026-10-20,D01,P999,1,10,,phone,open,\n"
        try bad.write(toFile: "\(inputs)/orders-bad.csv", atomically: true, encoding: .utf8)
        try "[warehouses]\nNEW = \"配件总库\"\n".write(toFile: "\(inputs)/aftersales.toml", atomically: true, encoding: .utf8)
        let result = try Binary.run(["monthly", "--month", "2026-10", "--inputs", inputs, "--out", out, "--csv"])
        XCTAssertEqual(result.status, 1, "rows rejected; stderr: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("ingest.before_period file=movements-2026-10.csv rows=1"), result.stderr)
        XCTAssertFalse(result.stderr.contains("\r"), "no progress display when stderr is not a terminal")
        return "\(out)/2026-10"
    }

    func testIssueSheetsFilesAndNames() throws {
        let folder = try runWithBadOrders()

        // History: MV0 of 2026-09-30 is accepted, counted as before_period, not an issue.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [[String: Any]]
        let movements = inputs.first { $0["file"] as? String == "movements-2026-10.csv" }!
        XCTAssertEqual(movements["before_period"] as? Int, 1)
        XCTAssertEqual(movements["warned"] as? Int, 0)
        XCTAssertEqual(movements["accepted"] as? Int, movements["read"] as? Int)
        XCTAssertNil(inputs.first { $0["file"] as? String == "orders-bad.csv" }!["before_period"], "movements files only")

        // rejects.csv and duplicates.csv start with a BOM; the CSV twins and month-end files do not.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        for file in ["rejects.csv", "duplicates.csv"] {
            XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(file)")).prefix(3)), bom, file)
        }
        for file in ["closing-balances-2026-10.csv", "count-adjustments-2026-10.csv", "csv/reconciliation/data_issues.csv"] {
            XCTAssertNotEqual(Array(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(file)")).prefix(3)), bom, file)
        }
        let rejects = try String(decoding: Data(contentsOf: URL(fileURLWithPath: "\(folder)/rejects.csv")).dropFirst(3), as: UTF8.self)
        let rejectRows = rejects.split(separator: "\n").count - 1
        XCTAssertEqual(rejectRows, 206)   // 205 bad_date + 1 unknown_part
        let twin = try String(contentsOfFile: "\(folder)/csv/reconciliation/data_issues.csv", encoding: .utf8)
        XCTAssertEqual(twin.split(separator: "\n").count - 1, 206, "the CSV twin keeps every issue")
        XCTAssertFalse(rejects.contains("movement_before_period"))

        // Every workbook: the summary of all the run's issues, errors first; 205 + 1 = rejects.csv's rows.
        let summary = [["orders-bad.csv", "", "205", "错误（已拒收）", "日期无效"],
                       ["orders-bad.csv", "", "1", "警告（已采用）", "配件编码不在档案中"]]
        // Details: the profit and reconciliation reports read orders (200 bad_date rows in run order, then the
        // line for the 5 cut, then the warning); the movement and quality reports do not (no rows).
        for (report, listsOrders) in [("parts-movement", false), ("reconciliation", true), ("profit", true), ("quality-feedback", false)] {
            let book = try XLSXReadBack(path: "\(folder)/\(report)-2026-10.xlsx")
            XCTAssertEqual(book.sheetNames.last, "数据问题", report)
            let rows = book.rows(sheet: "数据问题")
            XCTAssertEqual(rows[4...5].map { Array($0.prefix(5)) }, summary, report)
            XCTAssertTrue(rows[4][5].hasPrefix("日期无法识别"), "the code's meaning: \(rows[4])")
            XCTAssertEqual(Array(rows[8].prefix(3)), ["文件", "行号", "列"], report)   // after 2 summary rows, a blank row, the heading
            let details = Array(rows[9...])
            if listsOrders {
                XCTAssertEqual(details.count, 200 + 1 + 1, report)
                XCTAssertEqual(Array(details[0].prefix(3)), ["orders-bad.csv", "2", "order_date"])
                XCTAssertEqual(details[199][1], "201")
                XCTAssertEqual(details[200][4], "配件编码不在档案中", "the warning, in run order after the errors")
                XCTAssertEqual(details[201], ["日期无效：另有 5 行未列出，见 rejects.csv"])
            } else {
                XCTAssertEqual(details, [["无数据"]], report)
            }
        }

        // Warehouse names in the workbooks, codes in the CSV files.
        let movement = try XLSXReadBack(path: "\(folder)/parts-movement-2026-10.xlsx")
        XCTAssertEqual(movement.sheetNames, ["概览", "收发存 配件总库", "收发存 旧件库", "数据问题"], "OLD keeps the template's name")
        XCTAssertEqual(movement.cell(sheet: "收发存 配件总库", "A4"), "配件总库")
        let reconciliation = try XLSXReadBack(path: "\(folder)/reconciliation-2026-10.xlsx")
        XCTAssertEqual(reconciliation.cell(sheet: "盘点差异", "A4"), "配件总库")
        XCTAssertEqual(reconciliation.cell(sheet: "负库存", "A4"), "配件总库")
        XCTAssertTrue(try String(contentsOfFile: "\(folder)/csv/parts-movement/movement.csv", encoding: .utf8).contains("\nNEW,P001,"))
        XCTAssertTrue(try String(contentsOfFile: "\(folder)/csv/reconciliation/negative_stock.csv", encoding: .utf8).contains("\nNEW,P003,"))
        XCTAssertTrue(try String(contentsOfFile: "\(folder)/closing-balances-2026-10.csv", encoding: .utf8).contains("\nNEW,P001,"))
    }
}
