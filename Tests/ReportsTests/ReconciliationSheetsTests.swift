import Core
@testable import Reconcile
@testable import Reports
import XCTest

/// SPEC §8.3 on a hand-made reconciliation: the workbook's sheets list the exceptions first in the stated
/// order while the CSV twin's tables keep every row in the order the checks gave them.
final class ReconciliationSheetsTests: XCTestCase {
    let month = Month(iso: "2026-10")!
    func q(_ units: Int64) -> Quantity { Quantity(units: units) }
    func pair(_ doc: String, _ part: String, _ expected: Int64, _ issued: Int64) -> IssueMatch {
        IssueMatch(documentNo: doc, partNo: part, expected: q(expected), issued: q(issued))
    }
    func variance(_ warehouse: String, _ part: String, qty: Int64?, cents: Int64?, _ status: VarianceStatus,
                  _ action: VarianceAction) -> StockVariance {
        StockVariance(warehouse: warehouse, partNo: part, countDate: nil, bookQty: nil, countedQty: nil, varianceQty: qty.map(q),
                      unitCost: nil, varianceValue: cents.map { Money(cents: $0) }, status: status, action: action)
    }
    func oldPart(_ repair: String, _ part: String, _ date: String) -> OldPartOutstanding {
        OldPartOutstanding(repairNo: repair, repairDate: Day(iso: date)!, dealerId: "D1", partNo: part, expectedQty: q(1),
                           receivedQty: .zero, ageDays: Day(iso: date)!.distance(to: month.lastDay))
    }
    /// The id cells of a sheet's rows, joined ("10/P2").
    func ids(_ table: Table, _ columns: Int...) -> [String] {
        table.rows.map { row in columns.map { c -> String in switch row[c] { case .text(let s), .code(let s): return s; default: return "" } }.joined(separator: "/") }
    }
    func sheet(_ report: Report, _ id: String) -> Table { report.workbookTables.first { $0.id == id }! }

    func testIssueSheetsListTheUnmatchedPairsLargestDifferenceFirstThenIds() {
        var r = Reconciliation()
        r.orderIssue = [pair("10", "P1", 5, 5), pair("10", "P2", 3, 0), pair("2", "P1", 0, 3), pair("9", "P9", 4, 1),
                        pair("A7", "P1", 1, 0), pair("SO1", "P1", 2, 2)]
        r.repairIssue = [pair("R1", "P1", 1, 1)]
        let report = ReconciliationReport.build(month: month, reconciliation: r, parts: [:])

        XCTAssertEqual(ids(report.table("order_issue")!, 0, 1), ["10/P1", "10/P2", "2/P1", "9/P9", "A7/P1", "SO1/P1"],
                       "the CSV twin keeps every pair in its order")
        let orders = sheet(report, "order_issue")
        // |diff| 3 (10/P2, 2/P1, 9/P9 in numeric id order 2 < 9 < 10), then |diff| 1; the two matched pairs left out.
        XCTAssertEqual(ids(orders, 0, 1), ["2/P1", "9/P9", "10/P2", "A7/P1"])
        XCTAssertEqual(orders.headingValues, ["matched": 2])
        // shipped 0 + 4 + 3 + 1 = 8, issued 3 + 1 + 0 + 0 = 4, diff −3 + 3 + 3 + 1 = 4
        XCTAssertEqual(orders.totals, [.empty, .empty, .qty(q(8)), .qty(q(4)), .qty(q(4)), .empty])

        let repairs = sheet(report, "repair_issue")
        XCTAssertEqual(repairs.rows.count, 0, "all matched: the sheet shows its empty line")
        XCTAssertEqual(repairs.headingValues, ["matched": 1])
        XCTAssertEqual(report.table("repair_issue")!.rows.count, 1)
    }

    func testStockVarianceListsInvestigateThenOtherVariancesThenNotCountedThenMatches() {
        var r = Reconciliation()
        r.stockVariance = [
            variance("NEW", "P1", qty: 0, cents: 0, .match, .ok),
            variance("NEW", "P10", qty: 1, cents: 10_000, .surplus, .investigate),
            variance("NEW", "P2", qty: -1, cents: -500, .shortage, .ok),
            variance("NEW", "P3", qty: 2, cents: 10_000, .surplus, .investigate),
            variance("NEW", "P4", qty: -3, cents: -30_000, .shortage, .investigate),
            variance("NEW", "P5", qty: nil, cents: nil, .notCounted, .investigate),
            variance("NEW", "P6", qty: 5, cents: 500, .surplus, .ok),
            variance("NEW", "P7", qty: -1, cents: -10_000, .shortage, .investigate),
            variance("OLD", "", qty: nil, cents: nil, .notCounted, .investigate),
        ]
        let report = ReconciliationReport.build(month: month, reconciliation: r, parts: [:])
        // investigate: |300.00| P4; |100.00| with |qty| 2 P3; |100.00| |qty| 1: P10 before P7 (code points "P1" < "P7").
        // other: |5.00| with |qty| 5 P6, then |qty| 1 P2. not counted: NEW/P5, then warehouse OLD. match: P1.
        XCTAssertEqual(ids(sheet(report, "stock_variance"), 0, 1),
                       ["NEW/P4", "NEW/P3", "NEW/P10", "NEW/P7", "NEW/P6", "NEW/P2", "NEW/P5", "OLD/", "NEW/P1"])
        XCTAssertEqual(ids(report.table("stock_variance")!, 0, 1), r.stockVariance.map { "\($0.warehouse)/\($0.partNo)" })
        // −300.00 + 100.00 × 2 − 100.00 + 5.00 − 5.00 = −200.00, the same rows in another order
        XCTAssertEqual(sheet(report, "stock_variance").totals?[8], .money(Money(cents: -20_000)))
    }

    func testOldPartsOldestFirstThenIds() {
        var r = Reconciliation()
        r.oldPartsOutstanding = [oldPart("R1", "P1", "2026-09-15"), oldPart("R2", "P1", "2026-08-01"), oldPart("R2", "P2", "2026-08-01"),
                                 oldPart("R3", "P1", "2026-08-01")]
        r.oldPartsOutstanding.swapAt(0, 3)   // R3 first: the sheet's order must not come from the input's
        let report = ReconciliationReport.build(month: month, reconciliation: r, parts: [:])
        XCTAssertEqual(ids(sheet(report, "old_parts_outstanding"), 0, 3), ["R2/P1", "R2/P2", "R3/P1", "R1/P1"])
        XCTAssertEqual(ids(report.table("old_parts_outstanding")!, 0, 3), ["R3/P1", "R2/P1", "R2/P2", "R1/P1"])
    }
}
