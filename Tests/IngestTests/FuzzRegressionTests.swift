import XCTest
import Config
import Core
@testable import Ingest

/// Inputs that crashed the reading path or broke an invariant under fuzzing (Fuzz/, `make fuzz`),
/// fed through the same path again. Each is also a seed in Fuzz/corpus/.
final class FuzzRegressionTests: XCTestCase {
    /// qty × unit_price beyond what `Money` holds (≈ 9.2e16 yuan) trapped converting to Int64 in
    /// `UnitPrice.amount(for:)`, called by `RowBuilders.order`: one absurd row stopped the run.
    /// The row is now rejected as a bad number on unit_price and the rest of the file is read.
    /// (Fuzz/corpus/loader/orders-qty-times-price-overflow.csv)
    func testOrderWhoseQtyTimesUnitPriceOverflowsMoneyIsRejected() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            "order_no,order_date,dealer_id,part_no,qty,unit_price,status",
            "SO-1,2026-10-05,W10001,P-1001,9000000000000,9000000000000,open",
            "SO-2,2026-10-05,W10001,P-1001,2,12.50,open"))
        let data = try folder.load([.orders])
        assertIssue(data, file: "orders.csv", line: 2, code: .badNumber, column: "unit_price")
        XCTAssertEqual(data.orders.map(\.orderNo), ["SO-2"])
        XCTAssertEqual(data.counts("orders.csv"), RowCounts(read: 2, accepted: 1, warned: 0, duplicate: 0, rejected: 1))
    }

    /// The largest qty and price that still fit are read, with the amount exact.
    func testOrderAtTheLargestAmountIsRead() throws {
        let folder = InputFolder()
        // Money holds up to 92233720368547758.07 yuan (Int64.max cents): 1,000,000 × 92233720368.547758
        // is just below it, 1,000,001 × just above.
        folder.write("orders.csv", csv(
            "order_no,order_date,dealer_id,part_no,qty,unit_price,status",
            "SO-1,2026-10-05,W10001,P-1001,1,92233720368.547758,open",
            "SO-2,2026-10-05,W10001,P-1001,1000000,92233720368.547758,open",
            "SO-3,2026-10-05,W10001,P-1001,1000001,92233720368.547758,open"))
        let data = try folder.load([.orders])
        XCTAssertEqual(data.orders.map(\.amount), [Money(cents: 9_223_372_036_855), Money(cents: 9_223_372_036_854_775_800)])
        assertIssue(data, file: "orders.csv", line: 4, code: .badNumber, column: "unit_price")
    }
}
