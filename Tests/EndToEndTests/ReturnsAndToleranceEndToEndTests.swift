import Foundation
import XCTest

/// `aftersales monthly` on Fixtures/returns (2026-10, monthly average, its aftersales.toml sets
/// tolerance qty_abs 1, qty_pct 10, value_abs 100): dealer returns matched and unmatched, and stock
/// counts sitting exactly on each tolerance boundary. Figures worked out by hand below.
///
/// Ledger. NEW/P001: opening 10 / 10000.00, RT1 DEALER_RETURN 1 @ 1000 = 1000.00 → c = 11000 / 11 =
/// 1000; SALE 4 = 4000.00; closing 7 / 7000.00. NEW/P002: opening 20 / 1600.00, RT2 and RT3 2 @ 80
/// = 160.00 each → c = 1920 / 24 = 80; SALE 10 = 800.00; closing 14 / 1120.00.
final class ReturnsAndToleranceEndToEndTests: XCTestCase {
    /// Revenue: SO2001 3 × 1400 + 1 × 1300 = 5500.00 (D01), SO2002 10 × 99.50 = 995.00 (D02) → 6495.00.
    /// Returns (SPEC §6: the first order line of (order_no, part_no), else list_price with a warning):
    /// RT1 SO2001/P001 → first line's 1400 (not the second line's 1300, not list 1500) = 1400.00, D01;
    /// RT2 SO9999 (no such order) → list 95 × 2 = 190.00, dealer (unmatched);
    /// RT3 SO2001/P002 (the order exists, not with P002) → list 95 × 2 = 190.00, dealer D01 (the order's).
    /// returns 1780.00; net 4715.00. COGS = SALE 4000 + 800 − returns' values 1000 + 160 + 160 = 3480.00.
    /// Gross 1235.00; margin 1235 / 4715 = 26.193 % → 26.19. No repairs: warranty 0.
    func testProfitWithMatchedAndUnmatchedDealerReturns() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", fixture("returns"), "--out", out, "--csv", "--reports", "profit"])
        XCTAssertEqual(run.status, 0, "warnings only; stderr: \(run.stderr)")
        let csv = "\(out)/2026-10/csv/profit"
        XCTAssertEqual(try text("\(csv)/summary.csv"), """
            metric,value
            revenue,6495.00
            returns,1780.00
            net_revenue,4715.00
            cogs,3480.00
            gross_profit,1235.00
            margin_pct,26.19
            warranty_parts_cost,0.00
            warranty_labor_cost,0.00
            profit_after_warranty,1235.00

            """)
        // D01: net 5500 − 1400 − 190 = 3910; cogs 4000 − 1000 − 160 = 2840; gross 1070; 1070 / 3910 = 27.366 %.
        // D02: 995; 800; 195; 19.598 %. (unmatched): −190; −160; −30; −30 / −190 = 15.789 %.
        let byDealer = try text("\(csv)/by_dealer.csv")
        for row in ["D01,上海浦东特约维修站,华东,3910.00,2840.00,1070.00,27.37", "D02,广州天河特约维修站,华南,995.00,800.00,195.00,19.60",
                    "(unmatched),(unmatched),,-190.00,-160.00,-30.00,15.79"] {
            XCTAssertTrue(byDealer.contains("\n\(row)\n"), "\(row) in:\n\(byDealer)")
        }
        XCTAssertEqual(byDealer.split(separator: "\n").count, 4, byDealer)
        // P001: sold 4, revenue 5500, returned 1, returns 1400, net 4100, cogs 3000, gross 1100, 26.829 %.
        // P002: sold 10, 995, returned 4, 380, net 615, cogs 480, gross 135, 21.951 %.
        XCTAssertEqual(try text("\(csv)/by_part.csv"), """
            part_no,part_name,category,sold_qty,revenue,returned_qty,returns,net_revenue,cogs,gross_profit,margin_pct
            P001,压缩机,制冷件,4,5500.00,1,1400.00,4100.00,3000.00,1100.00,26.83
            P002,制冷剂R32,辅料,10,995.00,4,380.00,615.00,480.00,135.00,21.95

            """)
        // The two unmatched returns are warned about (movements lines 5 and 6), nothing else.
        let issues = try text("\(out)/2026-10/rejects.csv")
        let warnings = issues.split(separator: "\n").filter { $0.contains("return_unmatched") }
        XCTAssertEqual(warnings.count, 2, issues)
        XCTAssertTrue(warnings.allSatisfy { $0.contains("movements-2026-10.csv") }, issues)
        XCTAssertEqual(warnings.map { $0.split(separator: ",")[1] }, ["5", "6"], issues)
    }

    /// Tolerance (SPEC §6): (|v| ≤ qty_abs or |v| ≤ qty_pct % × |book|) and |value| ≤ value_abs.
    /// P003 5 @ 100, counted 4: v −1 = qty_abs, value −100.00 = value_abs → ok (both bounds inclusive).
    /// P004 5 @ 101, counted 4: v −1, value −101.00 > 100 → investigate.
    /// P005 20 @ 5, counted 18: v −2 > qty_abs, = 10 % × 20 → ok; value −10.00.
    /// P006 20 @ 5, counted 17.999: v −2.001 > 2 → investigate; value −10.005 → −10.01 (half away from zero).
    /// P007 5 @ 1, counted 3.999: v −1.001 > qty_abs and > 0.5 → investigate; value −1.001 → −1.00.
    /// P001 (7 @ 1000) and P002 (14 @ 80) have stock and no count row in a counted warehouse: not_counted.
    func testToleranceBoundariesAreInclusiveEndToEnd() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", fixture("returns"), "--out", out, "--csv",
                                  "--reports", "reconciliation"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try text("\(out)/2026-10/csv/reconciliation/stock_variance.csv"), """
            warehouse,part_no,part_name,count_date,book_qty,counted_qty,variance_qty,unit_cost,variance_value,status,action
            NEW,P001,压缩机,2026-10-31,7,,,1000.0000,,not_counted,investigate
            NEW,P002,制冷剂R32,2026-10-31,14,,,80.0000,,not_counted,investigate
            NEW,P003,遥控器,2026-10-31,5,4,-1,100.0000,-100.00,shortage,ok
            NEW,P004,四通阀,2026-10-31,5,4,-1,101.0000,-101.00,shortage,investigate
            NEW,P005,过滤网,2026-10-31,20,18,-2,5.0000,-10.00,shortage,ok
            NEW,P006,排水管,2026-10-31,20,17.999,-2.001,5.0000,-10.01,shortage,investigate
            NEW,P007,螺钉,2026-10-31,5,3.999,-1.001,1.0000,-1.00,shortage,investigate

            """)
        XCTAssertEqual(try text("\(out)/2026-10/count-adjustments-2026-10.csv"), """
            warehouse,part_no,qty,value,move_type
            NEW,P003,1,100.00,OTHER_OUT
            NEW,P004,1,101.00,OTHER_OUT
            NEW,P005,2,10.00,OTHER_OUT
            NEW,P006,2.001,10.01,OTHER_OUT
            NEW,P007,1.001,1.00,OTHER_OUT

            """)
    }

}
