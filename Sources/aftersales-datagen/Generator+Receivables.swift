// Dealer accounts (SPEC §8.4): the invoices the orders make, when each dealer pays them, the
// receivables still open on the 1st of the month, the month's payments (收款) and the dealers'
// credit terms. Runs last on its own random stream, so the other files stay as they were.

extension Generator {
    /// How a dealer pays: around the due date, 10–55 days late, or 50–150 days late (half never).
    enum Habit { case punctual, late, veryLate }

    struct Invoice {
        var docNo: String
        var dealer: Int
        var day: Int
        var amount: Int64
    }

    /// Money a dealer pays on `day` towards invoice `invoice` (or a part of it).
    struct Installment {
        var invoice: Int
        var day: Int
        var amount: Int64
    }

    func makeReceivables() {
        var r = rng(60)
        let first = month.first, last = month.last
        for k in dealers.indices {
            let x = r.below(100)
            dealers[k].creditDays = x < 70 ? nil : x < 80 ? 15 : x < 92 ? 45 : 60
            dealers[k].email = r.chance(9, 10) ? dealers[k].id.lowercased() + "@dealer.example.cn" : ""
        }
        // Of every ten dealers two pay late, one very late and one more than it owes (an unused payment on
        // the 1st, rounded-up payments and a prepayment at the end of the month), the rest on time.
        let habits: [Habit] = dealers.indices.map { k in [1, 5].contains(k % 10) ? .late : k % 10 == 9 ? .veryLate : .punctual }
        let overpays = dealers.indices.map { $0 % 10 == 3 }
        let invoices = previousInvoices() + invoicesFromOrders()

        // When each invoice is paid: what is paid before the 1st is gone, the rest is open then.
        var installments: [Installment] = []
        var open = invoices.map(\.amount)
        for (i, inv) in invoices.enumerated() {
            let due = inv.day + creditDays(inv.dealer)
            var day: Int
            switch habits[inv.dealer] {
            case .punctual: day = due + r.between(-5, 3)
            case .late: day = due + r.between(10, 55)
            case .veryLate: day = r.chance(50, 100) ? Int.max : due + r.between(50, 150)
            }
            guard day != Int.max else { continue }
            day = max(day, inv.day + 1)
            var parts = [(day, inv.amount)]
            // Late payers sometimes pay part (a round sum) and the rest a month or two later.
            if habits[inv.dealer] != .punctual && inv.amount >= 200_000 && r.chance(20, 100) {
                let part = inv.amount * Int64(r.between(40, 70)) / 100 / 10_000 * 10_000
                parts = [(day, part), (day + r.between(30, 60), inv.amount - part)]
            }
            for (d, amount) in parts where d <= last {
                if d < first { open[i] -= amount } else { installments.append(Installment(invoice: i, day: d, amount: amount)) }
            }
        }
        for (i, inv) in invoices.enumerated() where inv.day < first && open[i] > 0 {
            openItems.append(OpenItem(docNo: inv.docNo, type: .invoice, day: inv.day, due: inv.day + creditDays(inv.dealer),
                                      dealer: inv.dealer, amount: open[i]))
        }
        makeOpeningCredits(&r, overpays: overpays)
        makePayments(&r, installments: installments, invoices: invoices, overpays: overpays)
        makeCreditLimits(&r, invoices: invoices)
        openItems.sort { ($0.dealer, $0.due, $0.docNo) < ($1.dealer, $1.due, $1.docNo) }
        describeReceivables(habits: habits, overpays: overpays)
    }

    func creditDays(_ dealer: Int) -> Int { dealers[dealer].creditDays ?? 30 }

    /// One invoice per order and month of shipment (SPEC §8.4): the lines shipped in the month, dated the
    /// latest ship date. The previous month's tail orders shipped then make that month's invoices.
    func invoicesFromOrders() -> [Invoice] {
        var out: [Invoice] = []
        for (oi, o) in orders.enumerated() {
            var amount: [Int: Int64] = [:], day: [Int: Int] = [:]
            for l in lines[Int(o.firstLine)..<Int(o.firstLine + o.lineCount)] where l.status == .shipped {
                let m = Int(l.shipDay) < month.first ? -1 : 0
                amount[m, default: 0] += l.amount
                day[m] = max(day[m] ?? 0, Int(l.shipDay))
            }
            for m in amount.keys.sorted() {
                out.append(Invoice(docNo: orderNo(oi), dealer: Int(o.dealer), day: day[m]!, amount: amount[m]!))
            }
        }
        return out
    }

    /// The five months before: this month's orders again, each on the same day of that month (skipped when
    /// the month has no such day or the day is among the tail orders'), with the same amount.
    func previousInvoices() -> [Invoice] {
        var out: [Invoice] = []
        let tailStart = month.first - sc.tailDays
        for back in (1...5).reversed() {
            let m = month.adding(-back)
            for o in orders where Int(o.day) >= month.first {
                let c = Cal.civil(Int(o.day))
                guard c.d <= m.count else { continue }
                let orderDay = Cal.day(m.y, m.m, c.d)
                var amount: Int64 = 0, shipped = 0
                for l in lines[Int(o.firstLine)..<Int(o.firstLine + o.lineCount)] where l.status == .shipped {
                    amount += l.amount
                    shipped = max(shipped, Int(l.shipDay))
                }
                let day = orderDay + shipped - Int(o.day)
                guard amount > 0, orderDay < tailStart, day < month.first else { continue }
                out.append(Invoice(docNo: "DD" + Cal.compact(orderDay) + pad(Int(o.seq), 5), dealer: Int(o.dealer), day: day,
                                   amount: amount))
            }
        }
        return out
    }

    /// Credits open on the 1st besides the invoices: a payment of an over-paying dealer not yet used
    /// (refunded in the month for one of them) and, for one dealer in ten, a return credit note of two months ago.
    func makeOpeningCredits(_ r: inout Rng, overpays: [Bool]) {
        let previous = month.adding(-1), earlier = month.adding(-2)
        for k in dealers.indices {
            if overpays[k] {
                let day = workday(previous.first + r.between(5, 24))
                openItems.append(OpenItem(docNo: docNo("SK", day), type: .payment, day: day, due: day, dealer: k,
                                          amount: -Int64(r.between(5, 30)) * 10_000))
            } else if k % 10 == 7 {
                let day = workday(earlier.first + r.between(3, 24))
                openItems.append(OpenItem(docNo: docNo("TH", day), type: .credit, day: day,
                                          due: day, dealer: k, amount: -Int64(r.between(3, 40)) * 5_000))
            }
        }
    }

    /// The month's payments: each dealer pays its installments of the month in batches of 1–5 on the
    /// day the last of them falls (the next working day when still in the month), most referencing the
    /// batch's first invoice; over-payers round up to the next 1,000.00; large sums part by bank draft.
    func makePayments(_ r: inout Rng, installments: [Installment], invoices: [Invoice], overpays: [Bool]) {
        struct Event { var day: Int, dealer: Int, lines: [(amount: Int64, method: String, ref: String)] }
        var byDealer = [[Installment]](repeating: [], count: dealers.count)
        for x in installments { byDealer[invoices[x.invoice].dealer].append(x) }
        var events: [Event] = []
        for (dealer, list) in byDealer.enumerated() {
            let sorted = list.sorted { ($0.day, $0.invoice) < ($1.day, $1.invoice) }
            var i = 0
            while i < sorted.count {
                let batch = sorted[i..<min(i + r.between(1, 5), sorted.count)]
                i = batch.endIndex
                let latest = batch.map(\.day).max()!
                let day = workday(latest) <= month.last ? workday(latest) : latest
                var total = batch.reduce(0) { $0 + $1.amount }
                if overpays[dealer] && r.chance(30, 100) { total = (total / 100_000 + 1) * 100_000 }
                let ref = r.chance(88, 100) ? invoices[batch.first!.invoice].docNo : ""
                if total >= 500_000 && r.chance(30, 100) {
                    let draft = total * 6 / 10 / 100_000 * 100_000
                    events.append(Event(day: day, dealer: dealer, lines: [(draft, "银行承兑汇票", ref), (total - draft, "银行转账", "")]))
                } else {
                    let method = total < 2_000_000 && r.chance(15, 100) ? "现金" : "银行转账"
                    events.append(Event(day: day, dealer: dealer, lines: [(total, method, ref)]))
                }
            }
        }
        // Over-payers pay ahead for next month's orders in the last days (预付款, left unapplied).
        for dealer in dealers.indices where overpays[dealer] {
            let day = month.last - r.between(0, 3)
            events.append(Event(day: day, dealer: dealer, lines: [(Int64(r.between(2, 10)) * 500_000, "银行转账", "")]))
        }
        // A refund of one dealer's unused payment.
        if let credit = openItems.first(where: { $0.type == .payment }) {
            let day = workday(month.first + r.between(5, 20))
            events.append(Event(day: day, dealer: credit.dealer, lines: [(credit.amount, "银行转账", "")]))
            refund = (day, credit.dealer, credit.amount, "")
        }
        // Demo: a payment naming another dealer's order (payment_unmatched; applied as unreferenced).
        if sc.badRows, let n = events.indices.first(where: { events[$0].lines[0].ref != "" }),
           let other = invoices.last(where: { $0.dealer != events[n].dealer && $0.day < events[n].day }) {
            events[n].lines[0].ref = other.docNo
            unmatched = (events[n].day, events[n].dealer, other.docNo, "")
        }
        events.sort { ($0.day, $0.dealer) < ($1.day, $1.dealer) }
        for e in events {
            let no = docNo("SK", e.day)
            if refund?.day == e.day && refund?.dealer == e.dealer && e.lines[0].amount < 0 { refund?.no = no }
            if unmatched?.day == e.day && unmatched?.dealer == e.dealer { unmatched?.no = no }
            for (n, line) in e.lines.enumerated() {
                paymentLines.append(PaymentRecord(no: no, lineNo: n + 1, day: e.day, dealer: e.dealer, amount: line.amount,
                                                  method: line.method, ref: line.ref))
            }
        }
    }

    /// The next number of `day`'s documents of `prefix` (SK 收款, TH 退货 + date + 4 digits).
    func docNo(_ prefix: String, _ day: Int) -> String {
        let key = prefix + Cal.compact(day)
        docSeq[key, default: 0] += 1
        return key + pad(docSeq[key]!, 4)
    }

    /// One late payer in two has a limit below its month-end balance (over_limit); of the others a quarter
    /// have none and the rest one and a half times the larger of that balance and the month's invoices.
    func makeCreditLimits(_ r: inout Rng, invoices: [Invoice]) {
        var closing = [Int64](repeating: 0, count: dealers.count), invoiced = closing
        for item in openItems { closing[item.dealer] += item.amount }
        for inv in invoices where inv.day >= month.first {
            closing[inv.dealer] += inv.amount
            invoiced[inv.dealer] += inv.amount
        }
        for p in paymentLines { closing[p.dealer] -= p.amount }
        for k in dealers.indices {
            if k % 10 == 5 && closing[k] >= 100_000 {
                dealers[k].creditLimit = closing[k] * 6 / 10 / 100_000 * 100_000
                overLimit.append(k)
            } else if r.chance(75, 100) {
                dealers[k].creditLimit = max((max(closing[k], invoiced[k]) * 3 / 2 / 1_000_000 + 1) * 1_000_000, 1_000_000)
            }
        }
    }

    func describeReceivables(habits: [Habit], overpays: [Bool]) {
        func ids(_ list: [Int]) -> String { list.prefix(8).map { dealers[$0].id }.joined(separator: ", ") + (list.count > 8 ? ", …" : "") }
        let count = { (type: OpenItem.DocType) in self.openItems.filter { $0.type == type }.count }
        let days = openItems.map(\.day)
        findings.append("Receivables open on \(Cal.iso(month.first)) (`receivables-\(month.text).csv`): \(openItems.count) items "
            + "(\(count(.invoice)) invoices, \(count(.credit)) return credits, \(count(.payment)) unused payments) of "
            + "\(Set(openItems.map(\.dealer)).count) dealers, doc dates \(days.min().map(Cal.iso) ?? "—") … \(days.max().map(Cal.iso) ?? "—"): "
            + "older invoices are this month's orders again in each of the five months before (same amounts), so every aging bucket has items.")
        let payments = Set(paymentLines.map(\.no)).count
        let unreferenced = Set(paymentLines.filter { $0.lineNo == 1 && $0.ref.isEmpty }.map(\.no)).count
        findings.append("Payments (`payments-\(month.text).csv`): \(payments) payments in \(paymentLines.count) lines (bank drafts 银行承兑汇票 "
            + "split off large ones), \(unreferenced) without 核销单号; dealers paying 10–55 days late: \(ids(habits.indices.filter { habits[$0] == .late })); "
            + "50–150 days late or never: \(ids(habits.indices.filter { habits[$0] == .veryLate })); over-paying (rounded up to the next 1,000, "
            + "and a prepayment in the last days, left as unapplied credit): \(ids(overpays.indices.filter { overpays[$0] }))."
            + (refund.map { " Refund: \($0.no) to \(dealers[$0.dealer].id), \(fixedText($0.amount, 2)), of its unused payment." } ?? "")
            + (unmatched.map { " \($0.no) of \(dealers[$0.dealer].id) names \($0.ref), another dealer's order: `payment_unmatched`." } ?? ""))
        let terms = dealers.filter { $0.creditDays != nil }.count, limits = dealers.filter { $0.creditLimit != nil }.count
        findings.append("Dealers' credit terms: 信用天数 15/45/60 for \(terms) dealers (blank = 30 for the rest), 信用额度 for \(limits) "
            + "(blank = none), set below the month-end balance for \(ids(overLimit)) (over_limit); \(dealers.filter { $0.email.isEmpty }.count) without 邮箱.")
    }
}
