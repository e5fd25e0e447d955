import Core
@testable import Ingest
import Ledger
@testable import Reports
import XCTest

/// SPEC §4.4 and §6 "Quality and profit" for the profit report, on hand-made rows.
final class ProfitTests: XCTestCase {
    let month = Month(iso: "2026-10")!
    var refLine: Int32 = 1

    func order(_ no: String, part: String, dealer: String, qty: Int64, priceCents: Int64, shipped: String?) -> OrderLine {
        let q = Quantity(milli: qty * 1000), price = UnitPrice(mantissa: Int128(priceCents), scale: 2)
        refLine += 1
        return OrderLine(orderNo: no, lineNo: "1", orderDate: Day(iso: "2026-09-20")!, dealerId: dealer, partNo: part, qty: q,
                         unitPrice: price, amount: price.amount(for: q), channel: "", status: shipped == nil ? .open : .shipped,
                         shipDate: shipped.flatMap(Day.init(iso:)), ref: RowRef(file: 0, line: refLine))
    }
    func move(_ type: MoveType, part: String, qty: Int64, ref: String) -> Movement {
        refLine += 1
        return Movement(docNo: "M\(refLine)", lineNo: "1", docDate: Day(iso: "2026-10-10")!, warehouse: "NEW", partNo: part,
                        type: type, qty: Quantity(milli: qty * 1000), unitCost: type.isReceipt ? .zero : nil, refNo: ref,
                        ref: RowRef(file: 1, line: refLine))
    }
    func metric(_ report: Report, _ id: String) -> Cell { report.table("summary")!.rows.first { $0[0] == .code(id) }![1] }

    func testReturnsExceedingSalesPricedAtTheOrderLineWithMarginsAndWarranty() {
        let parts = ["P1": Part(partNo: "P1", name: "压缩机", spec: "", unit: "台", category: "制冷件",
                                listPrice: UnitPrice(mantissa: 999, scale: 0), supplier: "")]
        let orders = [
            order("SO1", part: "P1", dealer: "D1", qty: 1, priceCents: 100_000, shipped: "2026-10-05"),   // revenue 1000.00
            order("SO0", part: "P1", dealer: "D2", qty: 5, priceCents: 90_000, shipped: "2026-09-25"),    // shipped last month
        ]
        let sale = move(.sale, part: "P1", qty: 1, ref: "SO1")
        let giveBack = move(.dealerReturn, part: "P1", qty: 3, ref: "SO0")      // 3 × 900.00 = 2700.00, dealer D2
        let stray = move(.dealerReturn, part: "P1", qty: 1, ref: "SO9")         // no such order: list price 999, (unmatched)
        let warranty = move(.warranty, part: "P1", qty: 1, ref: "R1")
        let values: LineValues = [sale.ref: Money(cents: 60_000), giveBack.ref: Money(cents: 180_000),
                                       stray.ref: Money(cents: 60_000), warranty.ref: Money(cents: 61_234)]
        let repairs = [RepairLine(repairNo: "R1", lineNo: "1", repairDate: Day(iso: "2026-10-11")!, dealerId: "D1", productModel: "M",
                                  faultCode: "", faultDesc: "", partNo: "P1", qty: Quantity(units: 1), warranty: true,
                                  oldPartReturn: true, laborCost: Money(cents: 15_000), partsCost: .zero, ref: RowRef(file: 2, line: 2)),
                       RepairLine(repairNo: "R1", lineNo: "2", repairDate: Day(iso: "2026-10-11")!, dealerId: "D1", productModel: "M",
                                  faultCode: "", faultDesc: "", partNo: "", qty: .zero, warranty: false,
                                  oldPartReturn: false, laborCost: Money(cents: 5_000), partsCost: .zero, ref: RowRef(file: 2, line: 3))]
        let (report, unmatched) = Profit.build(month: month, orders: orders, movements: [sale, giveBack, stray, warranty],
                                               repairs: repairs, lineValues: values, parts: parts, dealers: [:])
        // revenue 1000.00; returns 2700.00 + 999.00 = 3699.00; net −2699.00
        // cogs 600.00 − 1800.00 − 600.00 = −1800.00; gross −2699.00 + 1800.00 = −899.00; margin −899 / −2699 = 33.31 %
        XCTAssertEqual(metric(report, "revenue"), .money(Money(cents: 100_000)))
        XCTAssertEqual(metric(report, "returns"), .money(Money(cents: 369_900)))
        XCTAssertEqual(metric(report, "net_revenue"), .money(Money(cents: -269_900)))
        XCTAssertEqual(metric(report, "cogs"), .money(Money(cents: -180_000)))
        XCTAssertEqual(metric(report, "gross_profit"), .money(Money(cents: -89_900)))
        XCTAssertEqual(metric(report, "margin_pct"), .percent(Percent(hundredths: 3_331)))
        XCTAssertEqual(metric(report, "warranty_parts_cost"), .money(Money(cents: 61_234)))
        XCTAssertEqual(metric(report, "warranty_labor_cost"), .money(Money(cents: 20_000)), "every line of a warranty repair")
        XCTAssertEqual(metric(report, "profit_after_warranty"), .money(Money(cents: -89_900 - 61_234 - 20_000)))
        XCTAssertEqual(unmatched.map(\.ref), [stray.ref])

        let dealers = report.table("by_dealer")!.rows.map { [$0[0], $0[3], $0[4], $0[6]] }
        XCTAssertEqual(dealers[0], [.text("(unmatched)"), .money(Money(cents: -99_900)), .money(Money(cents: -60_000)), .percent(Percent(hundredths: 3_994))])
        XCTAssertEqual(dealers[1], [.text("D1"), .money(Money(cents: 100_000)), .money(Money(cents: 60_000)), .percent(Percent(hundredths: 4_000))])
        XCTAssertEqual(dealers[2], [.text("D2"), .money(Money(cents: -270_000)), .money(Money(cents: -180_000)), .percent(Percent(hundredths: 3_333))])
        let byPart = report.table("by_part")!
        XCTAssertEqual(byPart.rows[0][5], .qty(Quantity(units: 4)), "returned qty")
        XCTAssertEqual(byPart.totals![10], .percent(Percent(hundredths: 3_331)), "the totals' margin, not a sum")
    }

    func testMarginOnZeroNetRevenueIsBlank() {
        let orders = [order("SO1", part: "P1", dealer: "D1", qty: 1, priceCents: 0, shipped: "2026-10-05")]
        let (report, _) = Profit.build(month: month, orders: orders, movements: [], repairs: [], lineValues: [:], parts: [:], dealers: [:])
        XCTAssertEqual(metric(report, "margin_pct"), .percent(nil))
        XCTAssertEqual(report.table("by_category")!.rows[0][0], .text("(unknown)"))
    }
}
