import Config
import Core
@testable import Ingest
@testable import Ledger
import XCTest

/// Figures beyond Int64 in the ledger (found by fuzzing: one PURCHASE of qty 9e12 × unit_cost 9e12
/// trapped in `StockLedger.compute`). Numbers that large are now rejected on read, but products of
/// numbers up to 10^12 still overflow; inside a watched stage they are reported, not a trap.
final class LedgerOverflowTests: XCTestCase {
    func testAReceiptWhoseValueOverflowsIsReportedUnderEveryMethod() {
        let movements = [move(1, "10-02", .purchase, "1000000000000", cost: "1000000000000"),
                         move(2, "10-03", .sale, "1")]
        for method in [CostingMethod.monthlyAverage, .movingAverage, .fifo] {
            let (result, overflow) = ExactRange.watch {
                StockLedger.compute(month: october, openings: [], movements: movements, method: method)
            }
            XCTAssertEqual(overflow, "the amount 1000000000000 × 1000000000000.0000", "\(method)")
            XCTAssertEqual(result.row()?.closingQty, qty("999999999999"), "quantities stay exact: \(method)")
        }
    }

    func testTheSameMovementsWithinRangeReportNothing() {
        let movements = [move(1, "10-02", .purchase, "1000000", cost: "1000000"), move(2, "10-03", .sale, "1")]
        let (result, overflow) = ExactRange.watch {
            StockLedger.compute(month: october, openings: [], movements: movements, method: .fifo)
        }
        XCTAssertNil(overflow)
        XCTAssertEqual(result.row()?.closingValue, money("999999000000.00"))
    }

    /// FIFO sums qty × layer cost over a common denominator in Int128. An opening's exact unit cost
    /// (value / qty) can have a denominator near 10^14; with a receipt price near 10^18 / 10^6 the
    /// term leaves Int128 even though each number read is in range.
    func testFIFOExactSumBeyondInt128IsReported() {
        let openingCost = UnitPrice(value: money("999999999999.99"), per: qty("999999999999.999"))
        XCTAssertEqual(openingCost.denominator, 111_111_111_111_111)
        let receiptCost = price("999999999999.999999")
        let (value, overflow) = ExactRange.watch {
            var sum = ExactSum()
            sum.add(qty("1"), at: openingCost)
            sum.add(qty("1000000000000"), at: receiptCost)
            return sum.money
        }
        XCTAssertEqual(value, Money(cents: .max))
        XCTAssertEqual(overflow, "the FIFO value of 1000000000000 at 1000000000000.0000")
    }

    /// Found by the `stages` fuzz target's checks: a receipt reversal whose value is exactly −2^63 cents
    /// (qty −2^39 at 2^24 / 100 yuan; both numbers within the read limit) fitted Int64 as Int64.min,
    /// and negating it trapped in `Costing.monthlyAverage` / `StockLedger.row`.
    func testAValueOfExactlyInt64MinIsReportedNotNegated() {
        let key = StockKey(warehouse: "W", partNo: "P")
        let movements = [move(1, "10-03", .purchase, "-549755813888", cost: "167772.16", key: key)]
        for method in CostingMethod.allCases {
            let (result, overflow) = ExactRange.watch {
                StockLedger.compute(month: october, openings: [], movements: movements, method: method)
            }
            XCTAssertEqual(overflow, "the amount -549755813888 × 167772.1600", "\(method)")
            XCTAssertEqual(result.row(key)?.closingQty, qty("-549755813888"), "quantities stay exact: \(method)")
        }
    }

    /// A saturated value (−Int64.max) minus one more cent summed to Int64.min without an overflow flag,
    /// and the row's `opening + receipts − closing` then trapped although the overflow was already reported.
    func testASumReachingInt64MinAfterSaturationIsReportedNotNegated() {
        let movements = [move(1, "10-03", .purchase, "-1000000000000", cost: "1000000000000"),
                         move(2, "10-03", .purchase, "-0.001", cost: "10")]
        for method in CostingMethod.allCases {
            let (_, overflow) = ExactRange.watch {
                StockLedger.compute(month: october, openings: [], movements: movements, method: method)
            }
            XCTAssertEqual(overflow, "the amount -1000000000000 × 1000000000000.0000", "\(method)")
        }
    }
}
