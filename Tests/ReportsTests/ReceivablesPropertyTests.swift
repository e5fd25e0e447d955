import Core
@testable import Ingest
@testable import Reports
import TestSupport
import XCTest

/// SPEC §8.4's invariants over seeded random months (opening items of every type, orders shipped in
/// and around M, returns with and without their order, payments with and without ref_no, naming other
/// dealers' orders, refunds). `RECEIVABLES_PROPERTY_CASES=N` runs N; a failure names its seed.
final class ReceivablesPropertyTests: XCTestCase {
    let month = Month(iso: "2026-10")!

    struct Case {
        var orders: [OrderLine] = [], movements: [Movement] = [], payments: [PaymentLine] = [], receivables: [ReceivableItem] = []
        var parts: [String: Part] = [:], dealers: [String: Dealer] = [:]
    }

    func randomCase(_ random: inout SplitMix64) -> Case {
        var c = Case(), line: Int32 = 0
        func ref(_ file: Int32) -> RowRef { line += 1; return RowRef(file: file, line: line) }
        let dealers = (1...random.int(1...6)).map { "D\($0)" }
        let first = month.firstDay
        func date(_ from: Int, _ to: Int) -> Day { first.advanced(by: random.int(from...to)) }
        for d in dealers where random.chance(70) {
            c.dealers[d] = Dealer(dealerId: d, name: d, region: "", creditDays: random.chance(50) ? Int64(random.int(0...60)) : nil,
                                  creditLimit: random.chance(50) ? Money(cents: Int64(random.int(0...200_000))) : nil)
        }
        c.parts["P2"] = Part(partNo: "P2", name: "", spec: "", unit: "", category: "", listPrice: UnitPrice(mantissa: 1234, scale: 2),
                             supplier: "")
        var orderNos: [String] = []
        for n in 0..<random.int(0...25) {
            let orderNo = "SO\(n)", dealer = dealers[random.int(0...dealers.count - 1)]
            orderNos.append(orderNo)
            for _ in 0..<random.int(1...3) {
                let qty = Quantity(units: Int64(random.int(1...5))), price = UnitPrice(mantissa: Int128(random.int(1...50_000)), scale: 2)
                let status: OrderStatus = random.chance(80) ? .shipped : (random.chance(50) ? .open : .cancelled)
                c.orders.append(OrderLine(orderNo: orderNo, lineNo: "\(line)", orderDate: first, dealerId: dealer,
                                          partNo: random.chance(80) ? "P1" : "P2", qty: qty, unitPrice: price, amount: price.amount(for: qty),
                                          channel: "", status: status, shipDate: status == .shipped ? date(-20, 40) : nil, ref: ref(0)))
            }
        }
        for n in 0..<random.int(0...6) {
            let orderNo = orderNos.isEmpty || random.chance(15) ? "NOPE" : orderNos[random.int(0...orderNos.count - 1)]
            for _ in 0..<random.int(1...2) {
                c.movements.append(Movement(docNo: "RT\(n)", lineNo: "\(line)", docDate: date(-5, 35), warehouse: "NEW",
                                            partNo: random.chance(70) ? "P1" : "P2", type: .dealerReturn,
                                            qty: Quantity(units: Int64(random.chance(90) ? 1 : -1)), unitCost: .zero, refNo: orderNo, ref: ref(1)))
            }
        }
        for n in 0..<random.int(0...20) {
            let dealer = dealers[random.int(0...dealers.count - 1)], day = date(-3, 33)
            for _ in 0..<random.int(1...2) {
                let refNo = random.chance(40) || orderNos.isEmpty ? "" : orderNos[random.int(0...orderNos.count - 1)]
                let cents = Int64(random.int(1...300_000)) * (random.chance(10) ? -1 : 1)
                c.payments.append(PaymentLine(paymentNo: "PY\(n)", lineNo: "\(line)", paymentDate: day, dealerId: dealer,
                                              amount: Money(cents: cents), method: "", refNo: refNo, ref: ref(2)))
            }
        }
        for n in 0..<random.int(0...12) {
            let type = [DocType.invoice, .invoice, .credit, .payment][random.int(0...3)]
            let magnitude = Int64(random.int(1...200_000))
            let cents = type == .invoice ? magnitude : (type == .credit || random.chance(80) ? -magnitude : magnitude)
            let docDate = date(-200, -1)
            c.receivables.append(ReceivableItem(asOf: random.chance(90) ? first : first.advanced(by: -31), docNo: random.chance(20) ? "SO\(n)" : "OP\(n)",
                                                docType: type, docDate: docDate, dueDate: docDate.advanced(by: random.int(0...60)),
                                                dealerId: dealers[random.int(0...dealers.count - 1)], openAmount: Money(cents: cents), ref: ref(3)))
        }
        return c
    }

    func testInvariantsOnRandomMonths() throws {
        let cases = Int(ProcessInfo.processInfo.environment["RECEIVABLES_PROPERTY_CASES"] ?? "") ?? 400
        var checkedDealers = 0, allocations = 0, unmatched = 0
        for seed in 0..<UInt64(cases) {
            var random = SplitMix64(seed: seed)
            let c = randomCase(&random)
            let terms = Receivables.Terms(creditDays: 30, dunningMinAmount: Money(cents: 1))
            let accounts = Receivables.accounts(month: month, orders: c.orders, movements: c.movements, payments: c.payments,
                                                receivables: c.receivables, parts: c.parts, dealers: c.dealers, terms: terms)
            let statements = try Receivables.statements(accounts, dealers: c.dealers)
            let (report, file) = Receivables.report(accounts, statements: statements, terms: terms)
            let balances = report.table("balances")!, openItems = report.table("open_items")!
            func money(_ cell: Cell) -> Money { if case .money(let m) = cell { m } else { .zero } }
            func column(_ id: String) -> Int { balances.column(id)! }
            let place = "seed \(seed)"
            for row in balances.rows {
                let flow = ["opening", "invoiced", "credited", "paid"].reduce(Money.zero) { $0 + money(row[column($1)]) }
                let closing = money(row[column("closing")])
                XCTAssertEqual(flow, closing, "\(place): closing = opening + invoiced + credited + paid")
                let buckets = ["not_due", "d1_30", "d31_60", "d61_90", "d91_120", "over_120", "unapplied"]
                XCTAssertEqual(buckets.reduce(Money.zero) { $0 + money(row[column($1)]) }, closing, "\(place): Σ buckets + unapplied")
                let open = openItems.rows.filter { $0[0] == row[0] }.reduce(Money.zero) { $0 + money($1[6]) }
                XCTAssertEqual(open, closing, "\(place): Σ open items of \(row[0])")
                checkedDealers += 1
            }
            XCTAssertEqual(file.rows.reduce(Money.zero) { $0 + money($1[6]) }, openItems.rows.reduce(Money.zero) { $0 + money($1[6]) })
            for s in statements {
                var balance = s.lines[0].balance
                for line in s.lines.dropFirst().dropLast() {
                    balance += (line.debit ?? .zero) - (line.credit ?? .zero)
                    XCTAssertEqual(line.balance, balance, "\(place): running balance of \(s.dealerId)")
                }
                XCTAssertEqual(s.closing, balance, "\(place): the statement ends at closing")
            }
            // Nothing allocated twice: per item the allocations sum to what left it, never more than its amount.
            var cleared = Array(repeating: Money.zero, count: accounts.items.count)
            for a in accounts.allocations {
                XCTAssertGreaterThan(a.amount, .zero)
                XCTAssertTrue(accounts.items[a.debit].isDebit && !accounts.items[a.credit].isDebit, place)
                XCTAssertEqual(accounts.items[a.debit].dealerId, accounts.items[a.credit].dealerId, place)
                cleared[a.debit] += a.amount
                cleared[a.credit] += a.amount
            }
            for (n, item) in accounts.items.enumerated() {
                let magnitude = Money(cents: abs(item.amount.cents))
                XCTAssertLessThanOrEqual(cleared[n], magnitude, "\(place): \(item.docNo) cleared beyond its amount")
                XCTAssertEqual(Money(cents: abs(item.open.cents)), magnitude - cleared[n], "\(place): \(item.docNo)")
                XCTAssertTrue(item.open.cents == 0 || (item.open.cents > 0) == (item.amount.cents > 0), place)
            }
            // Clearing leaves no dealer owing and owed at once.
            for dealer in balances.rows.map({ $0[0] }) {
                let open = openItems.rows.filter { $0[0] == dealer }.map { money($0[6]).cents }
                XCTAssertFalse(open.contains { $0 > 0 } && open.contains { $0 < 0 }, "\(place): \(dealer) \(open)")
            }
            allocations += accounts.allocations.count
            unmatched += accounts.unmatchedPayments.count
        }
        // The generator reaches what the invariants are about.
        XCTAssertGreaterThan(checkedDealers, cases)
        XCTAssertGreaterThan(allocations, cases)
        XCTAssertGreaterThan(unmatched, cases / 10)
        print("receivables invariants: \(cases) months, \(checkedDealers) dealers, \(allocations) allocations, \(unmatched) unmatched payments")
    }
}

private extension SplitMix64 {
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
}
