import Config
import Core
@testable import Ingest
import Ledger
@testable import Reconcile
import XCTest

/// SPEC §4.3 and §6 "Reconciliation" on small hand-made cases.
final class ReconciliationTests: XCTestCase {
    func q(_ milli: Int64) -> Quantity { Quantity(milli: milli) }

    func testToleranceNeedsQuantityAndValueWithin() {
        var tolerance = Tolerance()
        XCTAssertTrue(Reconciliation.withinTolerance(.zero, book: q(10_000), value: .zero, tolerance), "defaults: only 0 is ok")
        XCTAssertFalse(Reconciliation.withinTolerance(q(-1), book: q(10_000), value: .zero, tolerance))
        tolerance.qtyAbs = q(2_000)
        XCTAssertTrue(Reconciliation.withinTolerance(q(-2_000), book: q(10_000), value: .zero, tolerance))
        XCTAssertFalse(Reconciliation.withinTolerance(q(-2_000), book: q(10_000), value: Money(cents: -1), tolerance),
                       "value_abs 0 still demands a zero value")
        tolerance = Tolerance()
        tolerance.qtyPct = ExactDecimal(mantissa: 25, scale: 1)   // 2.5 %
        tolerance.valueAbs = Money(cents: 5_000)
        // 2.5 % of 40 = 1: a variance of 1 is within, 1.001 is not.
        XCTAssertTrue(Reconciliation.withinTolerance(q(1_000), book: q(40_000), value: Money(cents: 5_000), tolerance))
        XCTAssertFalse(Reconciliation.withinTolerance(q(1_001), book: q(40_000), value: Money(cents: 100), tolerance))
        XCTAssertFalse(Reconciliation.withinTolerance(q(1_000), book: q(40_000), value: Money(cents: -5_001), tolerance))
    }

    func testMatchStatuses() {
        func status(_ expected: Int64, _ issued: Int64) -> MatchStatus {
            IssueMatch(documentNo: "A", partNo: "P", expected: q(expected), issued: q(issued)).status
        }
        XCTAssertEqual(status(2_000, 2_000), .matched)
        XCTAssertEqual(status(0, 0), .matched, "a net issue of 0 with nothing shipped is matched")
        XCTAssertEqual(status(2_000, 0), .shippedNotIssued)
        XCTAssertEqual(status(0, 1_000), .issuedNotShipped)
        XCTAssertEqual(status(2_000, 3_000), .qtyMismatch)
    }

    func testAgeBucketsIncludeTheirUpperBound() {
        func bucket(_ days: Int) -> String {
            OldPartOutstanding(repairNo: "R", repairDate: Day(iso: "2026-01-01")!, dealerId: "D", partNo: "P",
                               expectedQty: q(1_000), receivedQty: .zero, ageDays: days).ageBucket
        }
        XCTAssertEqual([0, 30, 31, 60, 61, 90, 91].map(bucket), ["0-30", "0-30", "31-60", "31-60", "61-90", "61-90", ">90"])
    }

    func testOldPartsCountReceiptsOfEveryMonthUpToTheEndOfM() {
        let month = Month(iso: "2026-10")!
        let repair = RepairLine(repairNo: "R1", lineNo: "1", repairDate: Day(iso: "2026-07-01")!, dealerId: "D1", productModel: "M",
                                faultCode: "", faultDesc: "", partNo: "P1", qty: q(2_000), warranty: true,
                                oldPartReturn: true, laborCost: .zero, partsCost: .zero, ref: RowRef(file: 0, line: 2))
        func oldPartIn(_ date: String, _ qty: Int64) -> Movement {
            Movement(docNo: "O", lineNo: "1", docDate: Day(iso: date)!, warehouse: "OLD", partNo: "P1", type: .oldPartIn,
                     qty: q(qty), unitCost: .zero, refNo: "R1", ref: RowRef(file: 0, line: 3))
        }
        let rows = Reconciliation.oldParts(month: month, repairs: [repair],
                                           movements: [oldPartIn("2026-08-15", 1_000), oldPartIn("2026-11-02", 1_000)])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0].receivedQty, q(1_000), "the November receipt is after the end of M")
        XCTAssertEqual(rows[0].outstandingQty, q(1_000))
        XCTAssertEqual(rows[0].ageDays, 122)   // 2026-07-01 → 2026-10-31
    }
}
