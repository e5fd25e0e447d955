import XCTest
import Config
import Core
@testable import Ingest

/// Inputs that crashed the reading path or broke an invariant under fuzzing (Fuzz/, `make fuzz`),
/// fed through the same path again. Each is also a seed in Fuzz/corpus/.
final class FuzzRegressionTests: XCTestCase {
    /// qty × unit_price beyond what `Money` holds (≈ 9.2e16 yuan) trapped converting to Int64 in
    /// `UnitPrice.amount(for:)`, called by `OrderLine.build`: one absurd row stopped the run.
    /// Such a row is now rejected as a bad number (each number read is at most 10^12) and the rest
    /// of the file is read. (Fuzz/corpus/loader/orders-qty-times-price-overflow.csv)
    func testOrderWhoseQtyTimesUnitPriceOverflowsMoneyIsRejected() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            "order_no,order_date,dealer_id,part_no,qty,unit_price,status",
            "SO-1,2026-10-05,W10001,P-1001,9000000000000,9000000000000,open",
            "SO-2,2026-10-05,W10001,P-1001,2,12.50,open"))
        let data = try folder.load([.orders])
        assertIssue(data, file: "orders.csv", line: 2, code: .badNumber, column: "qty")
        XCTAssertEqual(data.orders.map(\.orderNo), ["SO-2"])
        XCTAssertEqual(data.counts("orders.csv"), RowCounts(read: 2, accepted: 1, warned: 0, duplicate: 0, rejected: 1))
    }

    /// Numbers up to 10^12 are read; a line amount up to 10^12 yuan is accepted, one cent more is not.
    func testOrderAtTheLargestAmountIsRead() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            "order_no,order_date,dealer_id,part_no,qty,unit_price,status",
            "SO-1,2026-10-05,W10001,P-1001,1,1000000000000,open",
            "SO-2,2026-10-05,W10001,P-1001,1000000,1000000,open",
            "SO-3,2026-10-05,W10001,P-1001,1000000,1000000.00001,open",
            "SO-4,2026-10-05,W10001,P-1001,1,1000000000000.000001,open",
            "SO-5,2026-10-05,W10001,P-1001,-1000000000000.001,1,open"))
        let data = try folder.load([.orders])
        XCTAssertEqual(data.orders.map(\.amount), [Money(cents: 100_000_000_000_000), Money(cents: 100_000_000_000_000)])
        assertIssue(data, file: "orders.csv", line: 4, code: .badNumber, column: "unit_price")
        assertIssue(data, file: "orders.csv", line: 5, code: .badNumber, column: "unit_price")
        assertIssue(data, file: "orders.csv", line: 6, code: .badNumber, column: "qty")
    }
}
