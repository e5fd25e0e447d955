import Core
@testable import Ingest
@testable import Reports
import XCTest

/// SPEC §3 and §6 "Daily" on hand-made order lines.
final class DailyOrdersTests: XCTestCase {
    let day = Day(iso: "2026-10-31")!

    func line(_ order: String, _ no: String = "1", ordered: String, status: OrderStatus, shipped: String? = nil,
              dealer: String = "D01", part: String = "P001", qty: Int64 = 1000, cents: Int64 = 10_000) -> OrderLine {
        OrderLine(orderNo: order, lineNo: no, orderDate: Day(iso: ordered)!, dealerId: dealer, partNo: part,
                  qty: Quantity(milli: qty), unitPrice: UnitPrice(value: Money(cents: cents), per: Quantity(milli: qty)),
                  amount: Money(cents: cents), channel: "", status: status, shipDate: shipped.flatMap(Day.init(iso:)),
                  ref: RowRef(file: 0, line: 2))
    }

    func metric(_ report: Report, _ id: String) -> Cell {
        report.table("summary")!.rows.first { $0[0] == .code(id) }![1]
    }

    func testBacklogCountsLinesShippedAfterTheDayAndNeverCancelled() {
        let report = DailyOrders.build(orders: [
            line("A", ordered: "2026-10-20", status: .open),                               // open: backlog
            line("B", ordered: "2026-10-20", status: .shipped, shipped: "2026-10-31"),     // shipped on D: not open
            line("C", ordered: "2026-10-20", status: .shipped, shipped: "2026-11-01"),     // ships after D: still open on D
            line("D", ordered: "2026-10-20", status: .cancelled),                           // cancelled: never
            line("F", ordered: "2026-10-20", status: .cancelled, shipped: "2026-11-02"),    // cancelled, ship_date after D: never
            line("G", ordered: "2026-10-31", status: .cancelled, shipped: "2026-10-31"),    // cancelled on D: neither shipped nor open
            line("E", ordered: "2026-11-01", status: .open),                               // ordered after D: not yet
        ], parts: [:], dealers: [:], day: day)
        XCTAssertEqual(metric(report, "open_lines"), .count(2))
        XCTAssertEqual(metric(report, "open_amount"), .money(Money(cents: 20_000)))
        XCTAssertEqual(metric(report, "lines_shipped"), .count(1), "B only: G's ship_date is D but it is cancelled")
        XCTAssertEqual(metric(report, "lines_received"), .count(0), "G is ordered on D but cancelled")
        XCTAssertEqual(report.table("backlog")!.rows.map { $0[0] }, [.text("A"), .text("C")])
        XCTAssertEqual(report.table("backlog")!.rows[0][7], .count(11), "age_days = D − order_date")
    }

    func testCancelledLinesAreNotReceivedAndMTDStartsOnTheFirst() {
        let report = DailyOrders.build(orders: [
            line("A", ordered: "2026-10-31", status: .open, cents: 150),
            line("A", "2", ordered: "2026-10-31", status: .cancelled, cents: 99_999),
            line("B", ordered: "2026-10-01", status: .open, cents: 1_000),
            line("C", ordered: "2026-09-30", status: .open, cents: 7_000),
        ], parts: [:], dealers: [:], day: day)
        XCTAssertEqual(metric(report, "orders_received"), .count(1))
        XCTAssertEqual(metric(report, "lines_received"), .count(1))
        XCTAssertEqual(metric(report, "amount_received"), .money(Money(cents: 150)))
        XCTAssertEqual(metric(report, "mtd_orders_received"), .count(2))
        XCTAssertEqual(metric(report, "mtd_amount_received"), .money(Money(cents: 1_150)))
    }

    func testDealersWithOnlyMonthToDateLinesShowZerosForTheDay() {
        let report = DailyOrders.build(orders: [
            line("A", ordered: "2026-10-31", status: .open, dealer: "D02", cents: 500),
            line("B", ordered: "2026-10-05", status: .open, dealer: "D01", cents: 800),
        ], parts: [:], dealers: ["D01": Dealer(dealerId: "D01", name: "上海站", region: "华东")], day: day)
        let rows = report.table("by_dealer")!.rows
        let expected: [Cell] = [.text("D01"), .text("上海站"), .text("华东"), .count(0), .count(0), .qty(.zero), .money(.zero), .money(Money(cents: 800))]
        XCTAssertEqual(rows[0], expected)
        XCTAssertEqual(rows[1][1], .text("(unknown)"))
        XCTAssertEqual(report.table("by_dealer")!.totals![7], .money(Money(cents: 1_300)))
    }

    func testEmptyDayGivesZerosNotErrors() {
        let report = DailyOrders.build(orders: [], parts: [:], dealers: [:], day: day)
        XCTAssertEqual(metric(report, "amount_received"), .money(.zero))
        XCTAssertEqual(report.table("lines")!.rows.count, 0)
    }

    func testIdsSortNumericallyWhenNumeric() {
        XCTAssertTrue(idPrecedes("2", "10"))
        XCTAssertTrue(idPrecedes("A10", "A2"), "non-numeric ids sort by code point")
        // By the first key that differs: SO1/2 before SO1/10, both before SO10/1 (code points: before SO2/1).
        XCTAssertEqual(idOrder(["SO10", "SO1", "SO1", "SO2"], ["1", "10", "2", "1"]), [2, 1, 0, 3])
    }
}
