import Core
@testable import Ingest
@testable import Reports
import XCTest

/// The overview's figures and comparisons (SPEC §8.2), worked out by hand.
final class OverviewTests: XCTestCase {
    func metric(_ id: String, _ current: Cell, previous: Cell = .empty) -> Overview.Metric {
        var m = Overview.Metric(id: id, label: [.code(id)], current: current)
        m.previous = previous
        return m
    }

    func money(_ cents: Int64) -> Cell { .money(Money(cents: cents)) }

    func line(_ order: String, ordered: String, status: OrderStatus, shipped: String? = nil, cents: Int64) -> OrderLine {
        OrderLine(orderNo: order, lineNo: "1", orderDate: Day(iso: ordered)!, dealerId: "D01", partNo: "P001",
                  qty: Quantity(units: 1), unitPrice: UnitPrice(value: Money(cents: cents), per: Quantity(units: 1)),
                  amount: Money(cents: cents), channel: "", status: status, shipDate: shipped.flatMap(Day.init(iso:)),
                  ref: RowRef(file: 0, line: 2))
    }

    func testChangePctIsAgainstTheMagnitudeOfPreviousAndBlankWithoutOne() {
        // (150.00 − (−200.00)) / 200.00 × 100 = 175.00
        XCTAssertEqual(metric("a", money(15_000), previous: money(-20_000)).changePct, Percent(hundredths: 17_500))
        // (1 − 3) / 3 × 100 = −66.666… → −66.67 (half away from zero)
        XCTAssertEqual(metric("a", .count(1), previous: .count(3)).changePct, Percent(hundredths: -6_667))
        // 2.5 kg against 2 kg: +25.00
        XCTAssertEqual(metric("a", .qty(Quantity(milli: 2_500)), previous: .qty(Quantity(milli: 2_000))).changePct,
                       Percent(hundredths: 2_500))
        XCTAssertNil(metric("a", money(100), previous: money(0)).changePct, "previous 0: blank")
        XCTAssertNil(metric("a", money(100)).changePct, "no previous: blank")
    }

    func testOverviewCSVRows() {
        var overview = Overview(metrics: [metric("revenue", money(1_200), previous: money(3_000)), metric("margin_pct", .percent(nil))])
        overview.metrics[0].ytd = money(6_200)
        XCTAssertEqual(overview.table.columns, ["metric", "current", "previous", "change_pct", "ytd"])
        // (12.00 − 30.00) / 30.00 × 100 = −60.00
        XCTAssertEqual(overview.table.rows[0], [.text("revenue"), money(1_200), money(3_000), .percent(Percent(hundredths: -6_000)), money(6_200)])
        XCTAssertEqual(overview.table.rows[1], [.text("margin_pct"), .percent(nil), .empty, .percent(nil), .empty])
    }

    /// March with January's figures and February's missing: sums over January and March, the margin
    /// recomputed from the sums, the months named.
    func testYearToDateSumsTheMonthsWithFiguresAndNamesTheMissingOnes() {
        var overview = Overview(metrics: [
            metric("net_revenue", money(1_200)), metric("gross_profit", money(600)), metric("margin_pct", .percent(Percent(hundredths: 5_000))),
            metric("orders", .count(2)),
        ])
        let march = Month(iso: "2026-03")!
        overview.yearToDate(month: march, earlier: [Month(iso: "2026-01")!: ["net_revenue": "20.00", "gross_profit": "8.00",
                                                                             "margin_pct": "40.00", "orders": "5"]],
                            ratios: ["margin_pct": ("gross_profit", "net_revenue")])
        XCTAssertEqual(overview.metrics.map(\.ytd), [
            money(3_200),                              // 20.00 + 12.00
            money(1_400),                              // 8.00 + 6.00
            .percent(Percent(hundredths: 4_375)),      // 14.00 / 32.00 = 43.75 %, not 40 + 50
            .count(7),                                 // 5 + 2
        ])
        XCTAssertEqual(overview.ytdMonths, "2026-01…2026-03")
        XCTAssertEqual(overview.ytdMissing, "2026-02")

        var january = Overview(metrics: [metric("net_revenue", money(100))])
        january.yearToDate(month: Month(iso: "2026-01")!, earlier: [:], ratios: [:])
        XCTAssertEqual(january.ytdMonths, "2026-01")
        XCTAssertNil(january.ytdMissing)
        XCTAssertEqual(january.metrics[0].ytd, money(100))
    }

    func testMonthRunsJoinConsecutiveMonths() {
        let months = ["2026-01", "2026-02", "2026-03", "2026-05", "2026-07", "2026-08"].map { Month(iso: $0)! }
        XCTAssertEqual(Overview.monthRuns(months), "2026-01…2026-03, 2026-05, 2026-07…2026-08")
    }

    /// D = 2026-03-31: D−1 is 03-30; the month to date compares with February up to the 28th (capped).
    func testDailyPreviousIsDMinusOneAndThePreviousMonthToTheSameDay() {
        let orders = [
            line("A", ordered: "2026-02-01", status: .shipped, shipped: "2026-02-03", cents: 1_000),
            line("B", ordered: "2026-02-28", status: .open, cents: 2_000),
            line("C", ordered: "2026-03-01", status: .shipped, shipped: "2026-03-30", cents: 4_000),  // after Feb 28: not in Feb's MTD
            line("D", ordered: "2026-03-30", status: .shipped, shipped: "2026-03-31", cents: 8_000),
            line("E", ordered: "2026-03-31", status: .open, cents: 16_000),
        ]
        let day = Day(iso: "2026-03-31")!
        let previous = DailyOrders.previousFigures(orders: orders, day: day)
        // D−1 = 03-30: received D (80.00); shipped C (40.00); open on 03-30: B and D (ships 03-31) = 100.00
        XCTAssertEqual(previous.figures["amount_received"], money(8_000))
        XCTAssertEqual(previous.figures["amount_shipped"], money(4_000))
        XCTAssertEqual(previous.figures["open_lines"], .count(2))
        XCTAssertEqual(previous.figures["open_amount"], money(10_000))
        // February 1–28: received A + B = 30.00, shipped A = 10.00, 2 orders
        XCTAssertEqual(previous.figures["mtd_amount_received"], money(3_000))
        XCTAssertEqual(previous.figures["mtd_amount_shipped"], money(1_000))
        XCTAssertEqual(previous.figures["mtd_orders_received"], .count(2))

        // Inputs starting on 02-28 reach D−1 but not the start of February: the MTD comparisons stay blank.
        let shorter = DailyOrders.previousFigures(orders: Array(orders.dropFirst()), day: day)
        XCTAssertEqual(shorter.figures["amount_received"], money(8_000))
        XCTAssertNil(shorter.figures["mtd_amount_received"])
        // Inputs of D alone: nothing to compare with.
        XCTAssertTrue(DailyOrders.previousFigures(orders: [orders[4]], day: day).figures.isEmpty)
    }

    func testExceptionsPerTable() {
        let backlog = Table(DailyOrders.Tables.backlog, rows: [7, 8, 30].map { age in
            [.text("O\(age)"), .text("1"), .date(Day(iso: "2026-10-01")!), .text("D01"), .text("P1"), .qty(.zero), money(0), .count(age)]
        })
        XCTAssertEqual(Overview.exceptions(in: backlog, of: .dailyOrders), 2, "older than 7 days: 8 and 30")
        let summary = Table(Profit.Tables.summary, rows: [[.code("revenue"), money(1)]])
        XCTAssertNil(Overview.exceptions(in: summary, of: .profit), "a summary has no exceptions")
        let byCategory = Table(Profit.Tables.byCategory, rows: [
            [.text("a"), money(100), money(150), money(-50), .percent(nil)],
            [.text("b"), money(100), money(50), money(50), .percent(nil)],
        ])
        XCTAssertEqual(Overview.exceptions(in: byCategory, of: .profit), 1, "negative gross profit")
    }
}
