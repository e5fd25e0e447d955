import Foundation
import TestSupport
import XCTest

/// `aftersales monthly` on Fixtures/receivables (2026-10; its aftersales.toml: credit_days 20,
/// dunning_min_amount 50; D01 has credit_days 30 and a limit of 800.00). Worked by hand:
///
/// D01: opening SO2901 300.00 (due 09-14). Invoice SO3001 = 1000 + 2 × 100 = 1200.00 of 10-06 (its latest
/// ship date), due 11-05. Credit RT3001 (10-15) = 1 × P002 at SO3001's price 100 = −100.00, clears SO3001
/// → 1100. PY01 (10-20) 500 names SO3001 → 600. Closing 900.00 > 800.00: over the limit; SO2901 is 47
/// days past due (31–60), dunning level 2.
/// D02: opening SO2950 250.00 (due 10-10). Invoice SO3002 5 × 80 = 400.00 of 10-12, due 11-01 (config's
/// 20 days). PY02 (10-25) 150 names D01's SO3001: `payment_unmatched` (payments line 3), applied to the
/// oldest due, SO2950 → 100, 21 days past due (level 1). Closing 500.00.
/// D03: opening credit PY2999 −80 settles SO2800 50 → −30 opening; the refund PY03 (+20) is absorbed
/// → −10 unapplied. The as_of 2026-09-01 row is ignored.
final class ReceivablesEndToEndTests: XCTestCase {
    func testReceivablesWorkbookCSVAndNextMonthsFile() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", fixture("receivables"), "--out", out, "--csv",
                                  "--reports", "receivables,reconciliation"])
        XCTAssertEqual(run.status, 0, "a warning only; stderr: \(run.stderr)")
        let folder = "\(out)/2026-10", csv = "\(folder)/csv/receivables"
        XCTAssertEqual(try text("\(csv)/balances.csv"), """
            dealer_id,dealer_name,region,opening,invoiced,credited,paid,closing,not_due,d1_30,d31_60,d61_90,d91_120,over_120,unapplied,credit_limit,over_limit
            D01,上海浦东特约维修站,华东,300.00,1200.00,-100.00,-500.00,900.00,600.00,0.00,300.00,0.00,0.00,0.00,0.00,800.00,true
            D02,广州天河特约维修站,华南,250.00,400.00,0.00,-150.00,500.00,400.00,100.00,0.00,0.00,0.00,0.00,0.00,,false
            D03,北京朝阳特约维修站,华北,-30.00,0.00,0.00,20.00,-10.00,0.00,0.00,0.00,0.00,0.00,0.00,-10.00,,false

            """)
        XCTAssertEqual(try text("\(csv)/dunning.csv"), """
            dealer_id,dealer_name,overdue,oldest_due_date,days_overdue,level,credit_limit,over_limit
            D01,上海浦东特约维修站,300.00,2026-09-14,47,2,800.00,true
            D02,广州天河特约维修站,100.00,2026-10-10,21,1,,false

            """)
        XCTAssertEqual(try text("\(csv)/open_items.csv"), """
            dealer_id,doc_no,doc_type,doc_date,due_date,amount,open_amount,days_overdue
            D01,SO2901,invoice,2026-08-15,2026-09-14,300.00,300.00,47
            D01,SO3001,invoice,2026-10-06,2026-11-05,1200.00,600.00,0
            D02,SO2950,invoice,2026-09-20,2026-10-10,250.00,100.00,21
            D02,SO3002,invoice,2026-10-12,2026-11-01,400.00,400.00,0
            D03,PY2999,payment,2026-09-28,2026-09-28,-80.00,-10.00,

            """)
        XCTAssertEqual(try text("\(csv)/statement.csv"), """
            dealer_id,date,doc_type,doc_no,ref_no,debit,credit,balance
            D01,2026-10-01,opening,,,,,300.00
            D01,2026-10-06,invoice,SO3001,,1200.00,,1500.00
            D01,2026-10-15,credit,RT3001,SO3001,,100.00,1400.00
            D01,2026-10-20,payment,PY01,SO3001,,500.00,900.00
            D01,2026-10-31,closing,,,,,900.00
            D02,2026-10-01,opening,,,,,250.00
            D02,2026-10-12,invoice,SO3002,,400.00,,650.00
            D02,2026-10-25,payment,PY02,SO3001,,150.00,500.00
            D02,2026-10-31,closing,,,,,500.00
            D03,2026-10-01,opening,,,,,-30.00
            D03,2026-10-28,payment,PY03,,20.00,,-10.00
            D03,2026-10-31,closing,,,,,-10.00

            """)
        XCTAssertEqual(try text("\(folder)/open-items-2026-10.csv"), Self.openItems)
        let overview = try text("\(csv)/overview.csv")
        for row in ["opening,520.00,", "invoiced,1600.00,", "credited,-100.00,", "paid,-630.00,", "closing,1390.00,", "overdue,400.00,",
                    "dealers_over_limit,1,", "dunning.level_1.count,1,", "dunning.level_2.count,1,", "dunning.level_3.count,0,"] {
            XCTAssertTrue(overview.contains("\n\(row)"), "\(row) in\n\(overview)")
        }
        let issues = try text("\(folder)/rejects.csv")
        XCTAssertTrue(issues.contains("payments-2026-10.csv,3,ref_no,warning,payment_unmatched,\"payment PY02 of dealer D02 names order SO3001"),
                      issues)
        XCTAssertEqual(try text("\(folder)/csv/reconciliation/receivables_continuity.csv"),
                       "dealer_id,doc_type,doc_no,doc_date,prev_open_amount,open_amount\n", "no September folder: nothing to compare")

        // The workbook: overview first, balances, dunning, open items (the statements are the dealers'
        // workbooks and the CSV twin's), the Data issues sheet; the balances' totals row.
        let book = try XLSXReadBack(path: "\(folder)/receivables-2026-10.xlsx")
        XCTAssertEqual(book.sheetNames, ["概览", "应收余额", "催款", "未清明细", "数据问题"])
        let balances = book.rows(sheet: "应收余额")
        let totals = try XCTUnwrap(balances.last)
        XCTAssertEqual(totals.first, "合计")
        XCTAssertEqual(totals[7], "1390", "closing 900 + 500 − 10")
        XCTAssertTrue(balances.contains { $0.first == "D01" && $0.last == "是" }, "over_limit in the reader's words: \(balances)")
        XCTAssertTrue(book.rows(sheet: "数据问题").contains { $0.contains("收款未匹配发票") })

        // One 对账单 per dealer, listed in the manifest like every workbook; D01's lines as in statement.csv.
        let statements = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/statements").sorted()
        XCTAssertEqual(statements, ["recipients-2026-10.json", "statement-2026-10-D01.xlsx", "statement-2026-10-D02.xlsx", "statement-2026-10-D03.xlsx"])
        let manifest = try text("\(folder)/manifest.json")
        for name in statements { XCTAssertTrue(manifest.contains("\"2026-10/statements/\(name)\""), name) }
        // What mailing them needs: each dealer's email as the master has it, its closing balance and
        // the overdue part of it (D01: SO2901 300.00 due 09-14; D02: SO2950's 100.00 due 10-10; D03: none).
        let recipients = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/statements/recipients-2026-10.json"))) as! [String: Any]
        XCTAssertEqual(recipients["company"] as? String, "华东机械有限公司")
        XCTAssertEqual((recipients["dealers"] as! [[String: String]]).map { [$0["dealer_id"]!, $0["email"]!, $0["closing"]!, $0["overdue"]!, $0["file"]!] }, [
            ["D01", "d01@example.com", "900.00", "300.00", "2026-10/statements/statement-2026-10-D01.xlsx"],
            ["D02", "d02@example.com", "500.00", "100.00", "2026-10/statements/statement-2026-10-D02.xlsx"],
            ["D03", "", "-10.00", "0.00", "2026-10/statements/statement-2026-10-D03.xlsx"],
        ])
        let d01 = try XLSXReadBack(path: "\(folder)/statements/statement-2026-10-D01.xlsx")
        let cells = d01.rows(sheet: try XCTUnwrap(d01.sheetNames.first)).flatMap { $0 }
        for expected in ["D01", "SO3001", "RT3001", "PY01", "1500", "1400", "900"] {
            XCTAssertTrue(cells.contains { $0.contains(expected) }, "\(expected) in D01's statement")
        }
    }

    static let openItems = """
        as_of,doc_no,doc_type,doc_date,due_date,dealer_id,open_amount
        2026-11-01,SO2901,invoice,2026-08-15,2026-09-14,D01,300.00
        2026-11-01,SO3001,invoice,2026-10-06,2026-11-05,D01,600.00
        2026-11-01,SO2950,invoice,2026-09-20,2026-10-10,D02,100.00
        2026-11-01,SO3002,invoice,2026-10-12,2026-11-01,D02,400.00
        2026-11-01,PY2999,payment,2026-09-28,2026-09-28,D03,-10.00

        """

    /// The chain: October's open-items file, copied in as November's receivables input, opens November
    /// with October's closing balances and nothing in receivables_continuity; an item changed in the copy
    /// is listed there with both amounts.
    func testOpenItemsAreNextMonthsReceivablesAndContinuityListsAChange() throws {
        let out = try temporaryFolder(), inputs = try temporaryFolder()
        for file in try FileManager.default.contentsOfDirectory(atPath: fixture("receivables")) {
            try FileManager.default.copyItem(atPath: "\(fixture("receivables"))/\(file)", toPath: "\(inputs)/\(file)")
        }
        var run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", inputs, "--out", out, "--reports", "receivables"])
        XCTAssertEqual(run.status, 0, run.stderr)
        try FileManager.default.copyItem(atPath: "\(out)/2026-10/open-items-2026-10.csv", toPath: "\(inputs)/receivables-2026-11.csv")

        run = try Binary.run(["monthly", "--month", "2026-11", "--inputs", inputs, "--out", out, "--csv",
                              "--reports", "receivables,reconciliation"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let balances = try text("\(out)/2026-11/csv/receivables/balances.csv").split(separator: "\n").dropFirst()
        XCTAssertEqual(balances.map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] }, ["900.00", "500.00", "-10.00"],
                       "November's openings are October's closings")
        XCTAssertEqual(try text("\(out)/2026-11/csv/reconciliation/receivables_continuity.csv"),
                       "dealer_id,doc_type,doc_no,doc_date,prev_open_amount,open_amount\n")
        // The overview compares with October's figures.json: opening 1390 against 520 is +167.31 %.
        let overview = try text("\(out)/2026-11/csv/receivables/overview.csv")
        for row in ["opening,1390.00,520.00,167.31,", "closing,1390.00,1390.00,0.00,", "paid,0.00,-630.00,100.00,"] {
            XCTAssertTrue(overview.contains("\n\(row)"), "\(row) in\n\(overview)")
        }
        // Nothing happened in November: its open items are October's, as of December.
        XCTAssertEqual(try text("\(out)/2026-11/open-items-2026-11.csv"), Self.openItems.replacingOccurrences(of: "\n2026-11-01,", with: "\n2026-12-01,"))

        // The clerk's copy says SO3002 has 350.00 open, and PY2999 is gone.
        let edited = try text("\(inputs)/receivables-2026-11.csv").replacingOccurrences(of: "D02,400.00", with: "D02,350.00")
            .replacingOccurrences(of: "2026-11-01,PY2999,payment,2026-09-28,2026-09-28,D03,-10.00\n", with: "")
        try edited.write(toFile: "\(inputs)/receivables-2026-11.csv", atomically: true, encoding: .utf8)
        run = try Binary.run(["monthly", "--month", "2026-11", "--inputs", inputs, "--out", out, "--csv",
                              "--reports", "receivables,reconciliation"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try text("\(out)/2026-11/csv/reconciliation/receivables_continuity.csv"), """
            dealer_id,doc_type,doc_no,doc_date,prev_open_amount,open_amount
            D02,invoice,SO3002,2026-10-12,400.00,350.00
            D03,payment,PY2999,2026-09-28,-10.00,0.00

            """)
    }
}
