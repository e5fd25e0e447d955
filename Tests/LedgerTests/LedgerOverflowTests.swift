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
}
