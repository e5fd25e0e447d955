import Core
@testable import Ingest
@testable import Reports
import XCTest

/// SPEC §8.4 on hand-made rows: the month's documents, the open-item clearing and the tables, every
/// figure worked by hand in the comments. Month 2026-10 (ends on the 31st); credit days 30 unless a
/// dealer has its own.
final class ReceivablesTests: XCTestCase {
    let month = Month(iso: "2026-10")!
    let terms = Receivables.Terms(creditDays: 30, dunningMinAmount: Money(cents: 1))
    var line: Int32 = 1

    func day(_ iso: String) -> Day { Day(iso: iso)! }
    func yuan(_ cents: Int64) -> Money { Money(cents: cents) }
    func nextRef(_ file: Int32) -> RowRef { line += 1; return RowRef(file: file, line: line) }

    func order(_ no: String, dealer: String, part: String = "P1", qty: Int64 = 1, cents: Int64, shipped: String?,
               status: OrderStatus = .shipped) -> OrderLine {
        let q = Quantity(units: qty), price = UnitPrice(mantissa: Int128(cents), scale: 2)
        return OrderLine(orderNo: no, lineNo: "\(line)", orderDate: day("2026-09-01"), dealerId: dealer, partNo: part, qty: q,
                         unitPrice: price, amount: price.amount(for: q), channel: "", status: shipped == nil ? .open : status,
                         shipDate: shipped.map(day), ref: nextRef(0))
    }
    func giveBack(_ doc: String, order: String, part: String = "P1", qty: Int64, on date: String) -> Movement {
        Movement(docNo: doc, lineNo: "\(line)", docDate: day(date), warehouse: "NEW", partNo: part, type: .dealerReturn,
                 qty: Quantity(units: qty), unitCost: .zero, refNo: order, ref: nextRef(1))
    }
    func pay(_ no: String, dealer: String, cents: Int64, on date: String, ref: String = "") -> PaymentLine {
        PaymentLine(paymentNo: no, lineNo: "\(line)", paymentDate: day(date), dealerId: dealer, amount: yuan(cents), method: "bank",
                    refNo: ref, ref: nextRef(2))
    }
    func item(_ type: DocType, _ no: String, dealer: String, cents: Int64, date: String, due: String,
              asOf: String = "2026-10-01") -> ReceivableItem {
        ReceivableItem(asOf: day(asOf), docNo: no, docType: type, docDate: day(date), dueDate: day(due), dealerId: dealer,
                       openAmount: yuan(cents), ref: nextRef(3))
    }

    struct Run {
        let accounts: Receivables.Accounts
        let statements: [DealerStatement]
        let report: Report
        let file: Table
        func table(_ id: String) -> Table { report.table(id)! }
        /// The balances row of `dealer`, by column id.
        func balance(_ dealer: String, _ column: String) -> Cell {
            let t = table("balances")
            return t.rows.first { $0[0] == .text(dealer) }![t.column(column)!]
        }
        func statement(_ dealer: String) -> DealerStatement { statements.first { $0.dealerId == dealer }! }
        /// (item, open) of the month-end open items of `dealer`, as "type doc_no doc_date open".
        func openItems(_ dealer: String) -> [String] {
            table("open_items").rows.filter { $0[0] == .text(dealer) }.map { row in
                guard case .code(let type) = row[2], case .text(let no) = row[1], case .date(let date) = row[3],
                      case .money(let open) = row[6] else { return "?" }
                return "\(type) \(no) \(date) \(open)"
            }
        }
    }

    func run(orders: [OrderLine] = [], movements: [Movement] = [], payments: [PaymentLine] = [], receivables: [ReceivableItem] = [],
             parts: [String: Part] = [:], dealers: [String: Dealer] = [:], terms: Receivables.Terms? = nil) throws -> Run {
        let terms = terms ?? self.terms
        let accounts = Receivables.accounts(month: month, orders: orders, movements: movements, payments: payments,
                                            receivables: receivables, parts: parts, dealers: dealers, terms: terms)
        let statements = try Receivables.statements(accounts, dealers: dealers)
        let (report, file) = Receivables.report(accounts, statements: statements, terms: terms)
        return Run(accounts: accounts, statements: statements, report: report, file: file)
    }

    func lines(_ s: DealerStatement) -> [String] {
        s.lines.map { "\($0.date) \($0.kind.rawValue) \($0.docNo) \($0.refNo) \($0.debit.map { "\($0)" } ?? "-") \($0.credit.map { "\($0)" } ?? "-") \($0.balance)" }
    }

    /// Partial payments, an over-payment carried as a credit, and a refund absorbed by it.
    func testPartialPaymentsOverPaymentAndRefund() throws {
        let r = try run(orders: [
            order("SO1", dealer: "D1", qty: 10, cents: 5_000, shipped: "2026-10-03"),   // 500.00
            order("SO1", dealer: "D1", qty: 1, cents: 20_000, shipped: "2026-10-05"),   // 200.00: invoice SO1 700.00 of 10-05, due 11-04
            order("SO2", dealer: "D1", qty: 3, cents: 10_000, shipped: "2026-10-12"),   // invoice SO2 300.00, due 11-11
            order("SO3", dealer: "D1", qty: 1, cents: 99_900, shipped: nil),            // open: no invoice
            order("SO4", dealer: "D1", qty: 1, cents: 88_800, shipped: "2026-11-02"),   // shipped next month: no invoice
        ], payments: [
            pay("P1", dealer: "D1", cents: 15_000, on: "2026-10-10"),                   // P1 = 150 + 250, ref SO1 on its 2nd line
            pay("P1", dealer: "D1", cents: 25_000, on: "2026-10-10", ref: "SO1"),
            pay("P2", dealer: "D1", cents: 50_000, on: "2026-10-20"),                   // no ref
            pay("P3", dealer: "D1", cents: 25_000, on: "2026-10-25", ref: "SO2"),
            pay("P4", dealer: "D1", cents: -10_000, on: "2026-10-28"),                  // a refund: a debit of 100.00
            pay("P5", dealer: "D1", cents: 77_700, on: "2026-09-30"),                   // last month: not a document of M
        ])
        // P1 400 clears SO1 → 300 open. P2 500 clears SO1 300 (due 11-04) then SO2 200 → SO2 100 open.
        // P3 250 clears SO2 100, 150 stays unapplied. The refund 100 is cleared by P3's 150 → P3 −50 open.
        XCTAssertEqual(lines(r.statement("D1")), [
            "2026-10-01 opening   - - 0.00",
            "2026-10-05 invoice SO1  700.00 - 700.00",
            "2026-10-10 payment P1 SO1 - 400.00 300.00",
            "2026-10-12 invoice SO2  300.00 - 600.00",
            "2026-10-20 payment P2  - 500.00 100.00",
            "2026-10-25 payment P3 SO2 - 250.00 -150.00",
            "2026-10-28 payment P4  100.00 - -50.00",
            "2026-10-31 closing   - - -50.00",
        ])
        let a = r.accounts, no = { (doc: String) in a.items.firstIndex { $0.docNo == doc }! }
        XCTAssertEqual(a.allocations, [
            .init(debit: no("SO1"), credit: no("P1"), amount: yuan(40_000)), .init(debit: no("SO1"), credit: no("P2"), amount: yuan(30_000)),
            .init(debit: no("SO2"), credit: no("P2"), amount: yuan(20_000)), .init(debit: no("SO2"), credit: no("P3"), amount: yuan(10_000)),
            .init(debit: no("P4"), credit: no("P3"), amount: yuan(10_000)),
        ])
        XCTAssertEqual(r.openItems("D1"), ["payment P3 2026-10-25 -50.00"])
        XCTAssertEqual(r.balance("D1", "invoiced"), .money(yuan(100_000)))
        XCTAssertEqual(r.balance("D1", "paid"), .money(yuan(-105_000)), "−400 − 500 − 250 + 100")
        XCTAssertEqual(r.balance("D1", "closing"), .money(yuan(-5_000)))
        XCTAssertEqual(r.balance("D1", "unapplied"), .money(yuan(-5_000)))
        XCTAssertEqual(r.balance("D1", "not_due"), .money(.zero))
        XCTAssertTrue(r.accounts.unmatchedPayments.isEmpty)
        XCTAssertTrue(r.table("dunning").rows.isEmpty)
        // Credits are blank in days_overdue; next month's file holds the credit as it is.
        XCTAssertEqual(r.table("open_items").rows, [[.text("D1"), .text("P3"), .code("payment"), .date(day("2026-10-25")),
                                                      .date(day("2026-10-25")), .money(yuan(-25_000)), .money(yuan(-5_000)), .empty]])
        XCTAssertEqual(r.file.rows, [[.date(day("2026-11-01")), .text("P3"), .code("payment"), .date(day("2026-10-25")),
                                      .date(day("2026-10-25")), .text("D1"), .money(yuan(-5_000))]])
    }

    /// A payment naming another dealer's order is warned about and applied as unreferenced; a return's
    /// credit note clears its own order first, valued as profit values returns.
    func testUnmatchedPaymentAndReturnCredit() throws {
        let parts = ["P2": Part(partNo: "P2", name: "阀", spec: "", unit: "个", category: "", listPrice: UnitPrice(mantissa: 30, scale: 0),
                                supplier: "")]
        let orders = [
            order("SO5", dealer: "D1", part: "P1", qty: 5, cents: 10_000, shipped: "2026-10-03"),   // invoice SO5 500.00, due 11-02
            order("SO9", dealer: "D2", part: "P1", qty: 8, cents: 10_000, shipped: "2026-10-04"),   // D2's invoice SO9 800.00
        ]
        let returns = [
            giveBack("RT1", order: "SO5", part: "P1", qty: 2, on: "2026-10-20"),   // 2 × 100.00 (SO5's price) = 200.00
            giveBack("RT1", order: "SO5", part: "P2", qty: 1, on: "2026-10-21"),   // SO5 has no P2: list price 30.00, warned
            giveBack("RT2", order: "SO404", part: "P1", qty: 1, on: "2026-10-22"), // no such order: no credit, warned
        ]
        let stray = pay("PX", dealer: "D1", cents: 20_000, on: "2026-10-15", ref: "SO9")
        let r = try run(orders: orders, movements: returns, payments: [stray],
                        receivables: [item(.invoice, "OLD1", dealer: "D1", cents: 30_000, date: "2026-08-20", due: "2026-09-19")],
                        parts: parts)
        // PX: SO9 is D2's → unreferenced: clears the oldest due, OLD1 (09-19) 300 → 100, not SO5.
        // RT1 −230.00 (dated by its first line, 10-20) clears its order SO5 first: 500 → 270, though OLD1 is older.
        XCTAssertEqual(r.accounts.unmatchedPayments.map(\.ref), [stray.ref])
        XCTAssertEqual(r.accounts.unmatchedPayments.first?.message,
                       "payment PX of dealer D1 names order SO9, which is no invoice of that dealer; applied as unreferenced")
        XCTAssertEqual(r.accounts.unmatchedReturns.map(\.ref), [returns[1].ref, returns[2].ref])
        XCTAssertEqual(lines(r.statement("D1")), [
            "2026-10-01 opening   - - 300.00",
            "2026-10-03 invoice SO5  500.00 - 800.00",
            "2026-10-15 payment PX SO9 - 200.00 600.00",   // the statement shows the ref_no the payment gave
            "2026-10-20 credit RT1 SO5 - 230.00 370.00",
            "2026-10-31 closing   - - 370.00",
        ])
        XCTAssertEqual(r.openItems("D1"), ["invoice OLD1 2026-08-20 100.00", "invoice SO5 2026-10-03 270.00"])
        XCTAssertEqual(r.balance("D1", "opening"), .money(yuan(30_000)))
        XCTAssertEqual(r.balance("D1", "credited"), .money(yuan(-23_000)))
        XCTAssertEqual(r.balance("D1", "paid"), .money(yuan(-20_000)))
        XCTAssertEqual(r.balance("D1", "closing"), .money(yuan(37_000)))
        XCTAssertEqual(r.balance("D1", "not_due"), .money(yuan(27_000)), "SO5 due 11-02")
        XCTAssertEqual(r.balance("D1", "d31_60"), .money(yuan(10_000)), "OLD1: 09-19 to 10-31 is 42 days")
        XCTAssertEqual(r.table("dunning").rows, [[.text("D1"), .text(DailyOrders.unknownName), .money(yuan(10_000)),
                                                   .date(day("2026-09-19")), .count(42), .count(2), .empty, .code("false")]])
        XCTAssertEqual(r.balance("D2", "closing"), .money(yuan(80_000)))
        // The profit report values the same returns the same: its returns are −credited.
        let profit = Profit.build(month: month, orders: orders, movements: returns, repairs: [], lineValues: [:], parts: parts,
                                  dealers: [:]).report
        let returnsOfD1 = profit.table("summary")!.rows.first { $0[0] == .code("returns") }![1]
        XCTAssertEqual(returnsOfD1, .money(yuan(23_000)), "200.00 + 30.00; SO404 has no P1 line and P1 no list price: 0.00")
    }

    /// An order shipped over two months is invoiced once in each (one doc_no, two items); a dealer
    /// with no activity keeps its opening balance; opening credits settle first, oldest first.
    func testInvoiceOverTwoMonthsIdleDealerAndOpeningSettlement() throws {
        let r = try run(orders: [
            order("SO7", dealer: "D1", cents: 10_000, shipped: "2026-09-28"),   // last month's shipment, invoiced then
            order("SO7", dealer: "D1", cents: 6_000, shipped: "2026-10-03"),
            order("SO7", dealer: "D1", cents: 4_000, shipped: "2026-10-08"),    // M's invoice SO7: 100.00 of 10-08, due 11-07
        ], payments: [pay("P7", dealer: "D1", cents: 15_000, on: "2026-10-30", ref: "SO7")],
           receivables: [
            item(.invoice, "SO7", dealer: "D1", cents: 10_000, date: "2026-09-28", due: "2026-10-28"),
            item(.invoice, "SO7", dealer: "D1", cents: 99_900, date: "2026-09-28", due: "2026-10-28", asOf: "2026-09-01"),  // ignored
            item(.invoice, "IDLE", dealer: "D3", cents: 50_000, date: "2026-05-02", due: "2026-06-01"),
            item(.invoice, "A", dealer: "D4", cents: 40_000, date: "2026-08-11", due: "2026-09-10"),
            item(.invoice, "B", dealer: "D4", cents: 30_000, date: "2026-08-06", due: "2026-09-05"),
            item(.payment, "PAY0", dealer: "D4", cents: -50_000, date: "2026-09-01", due: "2026-09-01"),
           ], dealers: ["D1": Dealer(dealerId: "D1", name: "一号站", region: "华东", creditDays: 30, creditLimit: yuan(1_000))])
        // P7 150 names SO7: both SO7 items, oldest due first: the opening one (10-28) 100, then M's 50.
        XCTAssertEqual(r.openItems("D1"), ["invoice SO7 2026-10-08 50.00"])
        XCTAssertEqual(r.file.rows.first, [.date(day("2026-11-01")), .text("SO7"), .code("invoice"), .date(day("2026-10-08")),
                                           .date(day("2026-11-07")), .text("D1"), .money(yuan(5_000))])
        XCTAssertEqual(r.balance("D1", "opening"), .money(yuan(10_000)))
        XCTAssertEqual(r.balance("D1", "invoiced"), .money(yuan(10_000)))
        XCTAssertEqual(r.balance("D1", "closing"), .money(yuan(5_000)))
        XCTAssertEqual(r.balance("D1", "over_limit"), .code("true"), "50.00 > 10.00")
        XCTAssertEqual(r.balance("D1", "dealer_name"), .text("一号站"))
        // D3: nothing in M; 06-01 to 10-31 is 152 days.
        XCTAssertEqual(lines(r.statement("D3")), ["2026-10-01 opening   - - 500.00", "2026-10-31 closing   - - 500.00"])
        XCTAssertEqual(r.balance("D3", "over_120"), .money(yuan(50_000)))
        // D4: PAY0 500 clears B (due 09-05) 300, then A 200 → A 200 open, 51 days past due.
        XCTAssertEqual(r.openItems("D4"), ["invoice A 2026-08-11 200.00"])
        XCTAssertEqual(r.balance("D4", "opening"), .money(yuan(20_000)))
        XCTAssertEqual(r.balance("D4", "d31_60"), .money(yuan(20_000)))
        XCTAssertEqual(r.table("dunning").rows.map { [$0[0], $0[2], $0[4], $0[5]] }, [
            [.text("D3"), .money(yuan(50_000)), .count(152), .count(3)],
            [.text("D4"), .money(yuan(20_000)), .count(51), .count(2)],
        ])
    }

    /// Days past due at the end of M: 0 is not due; 1 and 30, 31 and 60, 61 and 90, 91 and 120 bound
    /// their buckets; 121 is over 120.
    func testAgingBucketsAtTheirBoundaries() throws {
        let end = month.lastDay
        let days = [0, 1, 30, 31, 60, 61, 90, 91, 120, 121]
        let items = days.enumerated().map { n, d in
            item(.invoice, "I\(d)", dealer: "D5", cents: 100 << n, date: "2026-01-01", due: end.advanced(by: -d).description)
        }
        let r = try run(receivables: items)
        // Amounts 1, 2, 4, … 512 yuan in the order of `days`.
        XCTAssertEqual(r.balance("D5", "not_due"), .money(yuan(100)))
        XCTAssertEqual(r.balance("D5", "d1_30"), .money(yuan(200 + 400)))
        XCTAssertEqual(r.balance("D5", "d31_60"), .money(yuan(800 + 1_600)))
        XCTAssertEqual(r.balance("D5", "d61_90"), .money(yuan(3_200 + 6_400)))
        XCTAssertEqual(r.balance("D5", "d91_120"), .money(yuan(12_800 + 25_600)))
        XCTAssertEqual(r.balance("D5", "over_120"), .money(yuan(51_200)))
        XCTAssertEqual(r.balance("D5", "closing"), .money(yuan(102_300)))
        XCTAssertEqual(r.table("open_items").rows.map { $0[7] }, [121, 120, 91, 90, 61, 60, 31, 30, 1, 0].map { .count($0) },
                       "oldest due first")
        // Overdue excludes the item due on the last day.
        XCTAssertEqual(r.table("dunning").rows.first?[2], .money(yuan(102_200)))
    }

    /// Levels from the oldest overdue item's days (1: 1–30, 2: 31–60, 3: above); dealers below the
    /// minimum are not dunned; the largest overdue first.
    func testDunningLevelsAndMinimum() throws {
        let end = month.lastDay
        let cases: [(dealer: String, days: Int, cents: Int64)] = [
            ("L1a", 1, 1_000), ("L1b", 30, 1_100), ("L2a", 31, 1_200), ("L2b", 60, 1_300), ("L3", 61, 1_400),
            ("MIN", 90, 999), ("EXACT", 5, 1_000), ("NONE", 0, 5_000),
        ]
        let items = cases.map { item(.invoice, "I-\($0.dealer)", dealer: $0.dealer, cents: $0.cents, date: "2026-01-01",
                                     due: end.advanced(by: -$0.days).description) }
        let r = try run(receivables: items, terms: Receivables.Terms(creditDays: 30, dunningMinAmount: yuan(1_000)))
        XCTAssertEqual(r.table("dunning").rows.map { [$0[0], $0[2], $0[4], $0[5]] }, [
            [.text("L3"), .money(yuan(1_400)), .count(61), .count(3)],
            [.text("L2b"), .money(yuan(1_300)), .count(60), .count(2)],
            [.text("L2a"), .money(yuan(1_200)), .count(31), .count(2)],
            [.text("L1b"), .money(yuan(1_100)), .count(30), .count(1)],
            [.text("EXACT"), .money(yuan(1_000)), .count(5), .count(1)],   // = the minimum: dunned; ties by dealer id
            [.text("L1a"), .money(yuan(1_000)), .count(1), .count(1)],
        ], "MIN's 9.99 is below 10.00; NONE is not past due")
    }

    /// A dealer's own credit_days sets its invoices' due dates; the config's applies otherwise.
    func testCreditDaysFromTheDealerOrTheConfig() throws {
        let r = try run(orders: [order("SO1", dealer: "D1", cents: 100, shipped: "2026-10-10"),
                                 order("SO2", dealer: "D2", cents: 100, shipped: "2026-10-10")],
                        dealers: ["D1": Dealer(dealerId: "D1", name: "", region: "", creditDays: 0)],
                        terms: Receivables.Terms(creditDays: 45, dunningMinAmount: yuan(1)))
        XCTAssertEqual(r.table("open_items").rows.map { $0[4] }, [.date(day("2026-10-10")), .date(day("2026-11-24"))])
        XCTAssertEqual(r.table("open_items").rows.map { $0[7] }, [.count(21), .count(0)])
    }

    /// One day's documents are walked invoices first, then credit notes, then payments, each by doc_no:
    /// the statement shows them so, and the payment finds the invoices of its own day open.
    func testOneDaysDocumentsInWalkOrder() throws {
        let r = try run(orders: [order("SO2", dealer: "D1", cents: 20_000, shipped: "2026-10-10"),
                                 order("SO1", dealer: "D1", cents: 10_000, shipped: "2026-10-10")],
                        movements: [giveBack("RT9", order: "SO1", qty: 1, on: "2026-10-10")],
                        payments: [pay("P0", dealer: "D1", cents: 5_000, on: "2026-10-10")])
        XCTAssertEqual(lines(r.statement("D1")), [
            "2026-10-01 opening   - - 0.00",
            "2026-10-10 invoice SO1  100.00 - 100.00",
            "2026-10-10 invoice SO2  200.00 - 300.00",
            "2026-10-10 credit RT9 SO1 - 100.00 200.00",
            "2026-10-10 payment P0  - 50.00 150.00",
            "2026-10-31 closing   - - 150.00",
        ])
        // RT9 clears its order SO1; P0 then finds SO2 open (both due 11-09; SO1 is cleared).
        let a = r.accounts, no = { (doc: String) in a.items.firstIndex { $0.docNo == doc }! }
        XCTAssertEqual(a.allocations, [.init(debit: no("SO1"), credit: no("RT9"), amount: yuan(10_000)),
                                       .init(debit: no("SO2"), credit: no("P0"), amount: yuan(5_000))])
    }

    /// A closing balance its aging does not add up to is a defect, never data: the statements refuse it
    /// (the run ends as an internal failure, exit 5).
    func testAnAgingThatDoesNotAddUpIsAnInternalFailure() throws {
        var accounts = Receivables.accounts(month: month, orders: [], movements: [], payments: [],
                                            receivables: [item(.invoice, "I1", dealer: "D1", cents: 10_000, date: "2026-09-01", due: "2026-10-01")],
                                            parts: [:], dealers: [:], terms: terms)
        XCTAssertNoThrow(try Receivables.statements(accounts, dealers: [:]))
        accounts.items[0].open = yuan(9_999)   // as if a clearing had lost a cent
        XCTAssertThrowsError(try Receivables.statements(accounts, dealers: [:])) { error in
            XCTAssertEqual("\(error)", "receivables of 2026-10, dealer D1: the aging adds up to 99.99, the closing balance is 100.00")
        }
    }
}
