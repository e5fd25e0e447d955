import Foundation
import TestSupport
import XCTest

/// `aftersales monthly` on Fixtures/monthly (2026-10), figures worked out by hand.
///
/// Monthly average, NEW/P001: opening 10 @ 10000.00; PURCHASE 5 @ 1100 = 5500.00 and its reversal
/// −1 @ 1100 = −1100.00 → receipts 4 / 4400.00; c = 14400 / 14 = 1028.571428…; issues SALE 4 +
/// WARRANTY 1 = 5; closing 9 → round2(9 × c) = 9257.14; issues 14400 − 9257.14 = 5142.86
/// (lines 4114.29 + 1028.57, no residue). NEW/P002: c = (1640 + 850) / 30.5; closing 28.125 →
/// 2296.11; issues 193.89. NEW/P003: opens 0, SALE 3 on 10-20 (negative from that day, lowest −3),
/// PURCHASE 10 @ 12 → closing 7 / 84.00, issues 36.00. NEW/P005: 3 / 150.00 untouched.
/// OLD/P001: 2 / 0 + OLD_PART_IN 1 without cost → 3 / 0. MV0 (2026-09-30) is before the month.
final class MonthlyEndToEndTests: XCTestCase {
    func testMovementAndReconciliationWorkbooksAndCSV() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", fixture("monthly"), "--out", out, "--csv"])
        XCTAssertEqual(run.status, 0, "warnings only: exit 0; stderr: \(run.stderr)")
        let folder = "\(out)/2026-10"

        let movement = try XLSXReadBack(path: "\(folder)/parts-movement-2026-10.xlsx")
        XCTAssertEqual(movement.sheetNames, ["概览", "收发存 新件库", "收发存 旧件库", "数据问题"])
        let new = "收发存 新件库"
        XCTAssertEqual(movement.rows(sheet: new).dropFirst(3).prefix(5).map { $0[1] }, ["P001", "P002", "P003", "P004", "P005"])
        XCTAssertEqual(movement.number(sheet: new, "G4"), 10000)       // opening value
        XCTAssertEqual(movement.number(sheet: new, "I4"), 4400)        // receipts value, net of the reversal
        XCTAssertEqual(movement.number(sheet: new, "K4"), 5142.86)     // issues value, backflushed
        XCTAssertEqual(movement.number(sheet: new, "M4"), 9257.14)     // closing value
        XCTAssertEqual(movement.number(sheet: new, "N4"), 1028.5711)   // 9257.14 / 9 at 4 decimals
        XCTAssertEqual(movement.number(sheet: new, "O4"), 4)           // purchase_qty net of 红冲
        XCTAssertEqual(movement.number(sheet: new, "Z4"), 8)           // counted at two locations: 6 + 2
        XCTAssertEqual(movement.number(sheet: new, "AA4"), -1)         // variance
        XCTAssertEqual(movement.cell(sheet: new, "A9"), "合计")
        XCTAssertEqual(movement.number(sheet: new, "G9"), 11790)       // 10000 + 1640 + 0 + 0 + 150
        XCTAssertEqual(movement.number(sheet: new, "I9"), 5370)        // 4400 + 850 + 120
        XCTAssertEqual(movement.number(sheet: new, "K9"), 5372.75)     // 5142.86 + 193.89 + 36
        XCTAssertEqual(movement.number(sheet: new, "M9"), 11787.25)    // 11790 + 5370 − 5372.75
        XCTAssertEqual(movement.number(sheet: "收发存 旧件库", "L4"), 3)

        let csv = try text("\(folder)/csv/parts-movement/movement.csv")
        XCTAssertTrue(csv.contains("\nNEW,P001,压缩机,QXR-35,台,10,10000.00,4,4400.00,5,5142.86,9,9257.14,1028.5711,4,0,0,0,0,4,1,0,0,0,0,8,-1\n"), csv)
        XCTAssertTrue(csv.contains("\nNEW,P004,四通阀,STF-20,个,0,0.00,0,0.00,0,0.00,0,0.00,0.0000,0,0,0,0,0,0,0,0,0,0,0,1,1\n"), csv)
        XCTAssertTrue(csv.contains("\nNEW,P005,过滤网,GL-1,片,3,150.00,0,0.00,0,0.00,3,150.00,50.0000,0,0,0,0,0,0,0,0,0,0,0,,\n"), csv)

        XCTAssertEqual(try text("\(folder)/closing-balances-2026-10.csv"), """
            warehouse,part_no,qty,value,as_of
            NEW,P001,9,9257.14,2026-11-01
            NEW,P002,28.125,2296.11,2026-11-01
            NEW,P003,7,84.00,2026-11-01
            NEW,P004,0,0.00,2026-11-01
            NEW,P005,3,150.00,2026-11-01
            OLD,P001,3,0.00,2026-11-01

            """)
        XCTAssertEqual(try text("\(folder)/count-adjustments-2026-10.csv"), """
            warehouse,part_no,qty,value,move_type
            NEW,P001,1,1028.57,OTHER_OUT
            NEW,P003,8,96.00,OTHER_IN
            NEW,P004,1,0.00,OTHER_IN

            """)

        // Reconciliation: the count of P003 was on 10-20, after that day's sale (book −3), so +8;
        // P005 has stock but was not counted; OLD was not counted at all.
        XCTAssertEqual(try text("\(folder)/csv/reconciliation/stock_variance.csv"), """
            warehouse,part_no,part_name,count_date,book_qty,counted_qty,variance_qty,unit_cost,variance_value,status,action
            NEW,P001,压缩机,2026-10-31,9,8,-1,1028.5711,-1028.57,shortage,investigate
            NEW,P002,制冷剂R32,2026-10-31,28.125,28.125,0,81.6395,0.00,match,ok
            NEW,P003,遥控器,2026-10-20,-3,5,8,12.0000,96.00,surplus,investigate
            NEW,P004,四通阀,2026-10-31,0,1,1,0.0000,0.00,surplus,investigate
            NEW,P005,过滤网,2026-10-31,3,,,50.0000,,not_counted,investigate
            OLD,,,,,,,,,not_counted,investigate

            """)
        XCTAssertEqual(try text("\(folder)/csv/reconciliation/order_issue.csv"), """
            order_no,part_no,shipped_qty,issued_qty,diff_qty,status
            SO1001,P001,4,4,0,matched
            SO1002,P002,2.375,2.375,0,matched
            SO1003,P003,2,3,-1,qty_mismatch
            SO1004,P001,1,0,1,shipped_not_issued

            """)
        XCTAssertEqual(try text("\(folder)/csv/reconciliation/repair_issue.csv"), """
            repair_no,part_no,repair_qty,issued_qty,diff_qty,status
            R001,P001,1,1,0,matched
            R003,P004,1,0,1,shipped_not_issued

            """)
        XCTAssertEqual(try text("\(folder)/csv/reconciliation/old_parts_outstanding.csv"), """
            repair_no,repair_date,dealer_id,part_no,expected_qty,received_qty,outstanding_qty,age_days,age_bucket
            R002,2026-08-01,D02,P002,0.5,0,0.5,91,>90
            R003,2026-10-20,D02,P004,1,0,1,11,0-30

            """)
        XCTAssertEqual(try text("\(folder)/csv/reconciliation/negative_stock.csv"), """
            warehouse,part_no,first_date,min_qty
            NEW,P003,2026-10-20,-3

            """)
        XCTAssertEqual(try text("\(folder)/csv/reconciliation/opening_continuity.csv"), "warehouse,part_no,prev_closing_qty,opening_qty,prev_closing_value,opening_value\n")
        XCTAssertEqual(try text("\(folder)/csv/reconciliation/data_issues.csv"), "file,line,column,severity,code,message\n",
                       "MV0 before the month is history, not an issue")

        let reconciliation = try XLSXReadBack(path: "\(folder)/reconciliation-2026-10.xlsx")
        XCTAssertEqual(reconciliation.cell(sheet: "盘点差异", "J4"), "盘亏")
        XCTAssertEqual(reconciliation.cell(sheet: "盘点差异", "K4"), "需复盘")
        XCTAssertEqual(reconciliation.number(sheet: "盘点差异", "I4"), -1028.57)
        XCTAssertEqual(reconciliation.number(sheet: "盘点差异", "I10"), -932.57, "totals row: −1028.57 + 0 + 96 + 0")
    }

    /// Revenue of the lines shipped in October: SO1001 4 × 1500 = 6000.00, SO1002 2.375 × 95 = 225.63,
    /// SO1003 2 × 20 = 40.00, SO1004 1500.00 → 7765.63. COGS = SALE line values 4114.29 + 193.89 + 36.00
    /// = 4344.18; gross 3421.45, margin 44.06 %. Warranty parts WR1 1028.57; labour R001 120 + R003 50.
    func testProfitReport() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", fixture("monthly"), "--out", out, "--csv", "--reports", "profit"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try text("\(out)/2026-10/csv/profit/summary.csv"), """
            metric,value
            revenue,7765.63
            returns,0.00
            net_revenue,7765.63
            cogs,4344.18
            gross_profit,3421.45
            margin_pct,44.06
            warranty_parts_cost,1028.57
            warranty_labor_cost,170.00
            profit_after_warranty,2222.88

            """)
        XCTAssertEqual(try text("\(out)/2026-10/csv/profit/by_dealer.csv"), """
            dealer_id,dealer_name,region,net_revenue,cogs,gross_profit,margin_pct
            D01,上海浦东特约维修站,华东,6225.63,4308.18,1917.45,30.80
            D02,广州天河特约维修站,华南,1540.00,36.00,1504.00,97.66

            """)
        let book = try XLSXReadBack(path: "\(out)/2026-10/profit-2026-10.xlsx")
        XCTAssertEqual(book.sheetNames, ["概览", "利润汇总", "按配件", "按网点", "按类别", "数据问题"])
        XCTAssertEqual(book.number(sheet: "按配件", "E7"), 7765.63, "totals row under P001, P002, P003")
        XCTAssertEqual(book.number(sheet: "按配件", "K7"), 44.06)
    }

    func testCostingMethodsFromTheConfig() throws {
        // FIFO, NEW/P001: SALE 4 and WARRANTY 1 come from the opening layer at 1000 → 5000.00;
        // the reversal takes 1 back from the newest layer (1100) → closing 10000 + 4400 − 5000 = 9400.00.
        // Moving average: 10-03 Q 15 V 15500; SALE 4 × 15500/15 = 4133.33 → V 11366.67; WARRANTY
        // 1 × 11366.67/11 = 1033.33 → V 10333.34; reversal −1100 → closing 9233.34.
        for (method, closing) in [("fifo", "9400.00"), ("moving-average", "9233.34"), ("monthly-average", "9257.14")] {
            let out = try temporaryFolder()
            try "costing = \"\(method)\"\n".write(toFile: out + "/config.toml", atomically: true, encoding: .utf8)
            let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", fixture("monthly"), "--out", out,
                                      "--config", out + "/config.toml", "--reports", "parts-movement"])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(try text("\(out)/2026-10/closing-balances-2026-10.csv").contains("\nNEW,P001,9,\(closing),2026-11-01\n"), method)
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/2026-10/reconciliation-2026-10.xlsx"), "--reports selects")
        }
    }

    /// 0001-01 has no month before it, 9999-12 none after it (closing balances are as of the next
    /// month's first day): a usage error naming the month, not a trap (found in session 3).
    func testTheFirstAndLastRepresentableMonthsAreRefusedWithAMessage() throws {
        for month in ["0001-01", "9999-12"] {
            let out = try temporaryFolder()
            let run = try Binary.run(["monthly", "--month", month, "--inputs", fixture("monthly"), "--out", out])
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertTrue(run.stderr.contains("month \(month) cannot be reported"), run.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/\(month)"))
        }
    }

    /// closing-balances-M.csv is next month's opening file as is; continuity finds exactly the altered row.
    func testClosingBalancesChainIntoTheNextMonth() throws {
        let out = try temporaryFolder()
        XCTAssertEqual(try Binary.run(["monthly", "--month", "2026-10", "--inputs", fixture("monthly"), "--out", out]).status, 0)
        let november = try temporaryFolder()
        for master in ["parts.csv", "dealers.csv"] {
            try FileManager.default.copyItem(atPath: fixture("monthly") + "/" + master, toPath: november + "/" + master)
        }
        let closing = try text("\(out)/2026-10/closing-balances-2026-10.csv")
        try closing.write(toFile: november + "/opening-2026-11.csv", atomically: true, encoding: .utf8)
        try "doc_no,doc_date,warehouse,part_no,move_type,qty\nSO5,2026-11-03,NEW,P001,SALE,1\n"
            .write(toFile: november + "/movements-2026-11.csv", atomically: true, encoding: .utf8)

        XCTAssertEqual(try Binary.run(["monthly", "--month", "2026-11", "--inputs", november, "--out", out, "--csv"]).status, 0)
        let header = "warehouse,part_no,prev_closing_qty,opening_qty,prev_closing_value,opening_value\n"
        XCTAssertEqual(try text("\(out)/2026-11/csv/reconciliation/opening_continuity.csv"), header)

        try closing.replacingOccurrences(of: "NEW,P002,28.125,2296.11", with: "NEW,P002,28.125,2296.00")
            .write(toFile: november + "/opening-2026-11.csv", atomically: true, encoding: .utf8)
        XCTAssertEqual(try Binary.run(["monthly", "--month", "2026-11", "--inputs", november, "--out", out, "--csv"]).status, 0)
        XCTAssertEqual(try text("\(out)/2026-11/csv/reconciliation/opening_continuity.csv"),
                       header + "NEW,P002,28.125,28.125,2296.11,2296.00\n")
    }

    func testMissingMovementsForASelectedReportIsFatal() throws {
        let inputs = try temporaryFolder()
        try FileManager.default.copyItem(atPath: fixture("monthly") + "/parts.csv", toPath: inputs + "/parts.csv")
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", inputs, "--out", out, "--reports", "reconciliation"])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.contains("no movements*.csv file"), run.stderr)
        XCTAssertEqual(try Binary.run(["monthly", "--month", "2026-10", "--inputs", inputs, "--out", out, "--reports", "profit-x"]).status, 2)
    }

    func testRerunIsByteIdentical() throws {
        let out = try temporaryFolder()
        let args = ["monthly", "--month", "2026-10", "--inputs", fixture("monthly"), "--out", out, "--csv"]
        XCTAssertEqual(try Binary.run(args).status, 0)
        let first = try snapshotFolder("\(out)/2026-10")
        Thread.sleep(forTimeInterval: 1.1)
        XCTAssertEqual(try Binary.run(args).status, 0)
        assertUnchangedRerun(first: first, second: try snapshotFolder("\(out)/2026-10"))
    }

}

func snapshotFolder(_ folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for case let path as String in FileManager.default.enumerator(atPath: folder)! {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDir), !isDir.boolValue {
            files[path] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path))
        }
    }
    return files
}
