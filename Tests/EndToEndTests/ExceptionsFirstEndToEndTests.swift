import Foundation
import TestSupport
import XCTest

/// SPEC §8.3 on the demo month: the reconciliation workbook lists the exceptions first while the CSV
/// twins keep every row in id order (pinned byte for byte by `GoldenFileTests`; compared here too).
final class ExceptionsFirstEndToEndTests: XCTestCase {
    func testReconciliationSheetsListExceptionsFirstAndTheTwinsStayAsTheyWere() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", GoldenFileTests.demoInputs, "--out", out, "--csv",
                                  "--reports", "reconciliation"])
        XCTAssertEqual(run.status, 1, run.stderr)
        let folder = "\(out)/2026-10"
        for table in ["order_issue", "repair_issue", "stock_variance", "old_parts_outstanding"] {
            let file = "csv/reconciliation/\(table).csv"
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(file)")),
                           try Data(contentsOf: URL(fileURLWithPath: "\(GoldenFileTests.golden)/2026-10/\(file)")), file)
        }
        let book = try XLSXReadBack(path: "\(folder)/reconciliation-2026-10.xlsx")
        /// The data rows of a sheet (below title, period and header; without the totals row), `columns` of each.
        func listed(_ sheet: String, _ columns: Int...) -> [[String]] {
            book.rows(sheet: sheet).dropFirst(3).filter { $0.first != "合计" }.map { row in columns.map { row[$0] } }
        }

        // order_issue.csv: 1,002 pairs, 5 not matched; |diff| 8.497, 2, then three of 1 in id order.
        XCTAssertEqual(listed("订单与销售出库", 0, 1, 4), [
            ["DD2026102800005", "112500002", "-8.497"], ["DD2026092700001", "111500002", "2"],
            ["DD2026102200017", "100100002", "1"], ["DD2026102300006", "133800002", "1"], ["DD2026102900011", "133900001", "1"],
        ])
        XCTAssertTrue(book.cell(sheet: "订单与销售出库", "A2")!.contains("另有 997 对相符未列出"))   // 1,002 − 5
        XCTAssertEqual(book.number(sheet: "订单与销售出库", "E9"), -3.497)   // totals of what is shown: −8.497 + 2 + 1 + 1 + 1
        // repair_issue.csv: 235 pairs, 4 not matched, all |diff| 1: id order.
        XCTAssertEqual(listed("三包与三包出库", 0, 1), [["WX2026100400001", "100100003"], ["WX2026100800001", "100800001"],
                                                      ["WX2026102300003", "111500001"], ["WX2026102300003", "111500002"]])
        XCTAssertTrue(book.cell(sheet: "三包与三包出库", "A2")!.contains("另有 231 对相符未列出"))

        // stock_variance (warehouses by their template names, NEW 新件库, OLD 旧件库): the 10 investigate rows with a variance by |variance_value| (423.96 … 12.77, then the two
        // OLD rows of 0.00 and |qty| 1 in id order), no other variance, the one not counted, then the 110 matches.
        // (libxlsxwriter writes 16 significant digits: 74.15 stands as 74.15000000000001)
        let variance = listed("盘点差异", 0, 1, 8).map { [$0[0], $0[1], Double($0[2]).map { String(format: "%.2f", $0) } ?? ""] }
        XCTAssertEqual(Array(variance.prefix(11)), [
            ["新件库", "111700001", "423.96"], ["新件库", "100400001", "-136.16"], ["新件库", "122900003", "128.49"],
            ["新件库", "100200002", "125.12"], ["新件库", "123200002", "-102.57"], ["新件库", "100300002", "74.15"],
            ["新件库", "100300001", "-29.26"], ["新件库", "112400001", "-12.77"], ["旧件库", "100100003", "0.00"], ["旧件库", "101100002", "0.00"],
            ["新件库", "100300003", ""],
        ])
        XCTAssertEqual(variance.count, 121)
        let matches = variance.dropFirst(11).map { "\($0[0])/\($0[1])" }
        XCTAssertEqual(matches, matches.sorted(), "matches in id order")

        // old_parts_outstanding: oldest first (repair dates as serial days ascending), ties by repair no.
        let old = listed("旧件未返还", 0, 1)
        XCTAssertEqual(old.count, 82)
        XCTAssertEqual(old.prefix(6).map { $0[0] }, ["WX2026060800009", "WX2026061000002", "WX2026061800004", "WX2026062000004",
                                                     "WX2026070100002", "WX2026070100011"])
        XCTAssertEqual(old.map { Int($0[1])! }, old.map { Int($0[1])! }.sorted())
    }
}
