import Core
import Ingest

/// The receivables report's tables (SPEC §8.4 `balances`, `dunning`, `open_items`, `statement`),
/// each dealer's 对账单 and next month's receivables file, read off the month's `Receivables.Accounts`.
extension Receivables {
    public enum Tables {
        public static let balances = TableSchema("balances", [
            .text("dealer_id"), .text("dealer_name"), .text("region"), .money("opening"), .money("invoiced"), .money("credited"),
            .money("paid"), .money("closing"), .money("not_due"), .money("d1_30"), .money("d31_60"), .money("d61_90"),
            .money("d91_120"), .money("over_120"), .money("unapplied"), .money("credit_limit"), .code("over_limit"),
        ])
        public static let dunning = TableSchema("dunning", [
            .text("dealer_id"), .text("dealer_name"), .money("overdue"), .date("oldest_due_date"), .count("days_overdue"),
            .count("level"), .money("credit_limit"), .code("over_limit"),
        ])
        public static let openItems = TableSchema("open_items", [
            .text("dealer_id"), .text("doc_no"), .code("doc_type"), .date("doc_date"), .date("due_date"), .money("amount"),
            .money("open_amount"), .count("days_overdue"),
        ], key: ["dealer_id", "doc_type", "doc_no", "doc_date"])
        public static let statement = TableSchema("statement", [
            .text("dealer_id"), .date("date"), .code("doc_type"), .text("doc_no"), .text("ref_no"), .money("debit"),
            .money("credit"), .money("balance"),
        ], key: ["dealer_id", "date", "doc_type", "doc_no"])
        /// `open-items-M.csv`: the receivables input's columns, next month's file as it is.
        public static let openItemsFile = TableSchema("open-items", [
            .date("as_of"), .text("doc_no"), .code("doc_type"), .date("doc_date"), .date("due_date"), .text("dealer_id"),
            .money("open_amount"),
        ])
        static let all = [balances, dunning, openItems, statement]
    }

    /// A closing balance that its aging does not add up to: a defect of this code, never of the data.
    public struct BrokenInvariant: Error, CustomStringConvertible {
        public let description: String
    }

    /// Each dealer with an opening item or a document, in dealer id order: its statement lines and the
    /// aging of its closing balance. Throws when the aging does not add up to the closing balance.
    public static func statements(_ accounts: Accounts, dealers: [String: Dealer]) throws -> [DealerStatement] {
        let month = accounts.month
        return try idOrder(accounts.dealers.keys).map { d in
            let dealerId = accounts.dealers.keys[d], indexes = accounts.dealers.values[d]
            var opening = Money.zero, balance = Money.zero, aging = DealerStatement.Aging()
            var documents: [DealerStatement.Line] = []
            for item in indexes.lazy.map({ accounts.items[$0] }) {   // the opening items first, then walk order
                balance += item.amount
                aging.add(item, at: month.lastDay)
                guard !item.isOpening else { opening = balance; continue }
                documents.append(DealerStatement.Line(
                    date: item.docDate, kind: DealerStatement.Line.Kind(rawValue: item.docType.rawValue)!, docNo: item.docNo,
                    refNo: item.refNo, debit: item.amount.cents > 0 ? item.amount : nil,
                    credit: item.amount.cents < 0 ? -item.amount : nil, balance: balance))
            }
            guard aging.total == balance else {
                throw BrokenInvariant(description: "receivables of \(month), dealer \(dealerId): the aging adds up to \(aging.total), the closing balance is \(balance)")
            }
            let dealer = dealers[dealerId]
            return DealerStatement(dealerId: dealerId, dealerName: dealer?.name ?? DailyOrders.unknownName, region: dealer?.region ?? "",
                                   month: month,
                                   lines: [DealerStatement.Line(date: month.firstDay, kind: .opening, balance: opening)] + documents
                                       + [DealerStatement.Line(date: month.lastDay, kind: .closing, balance: balance)],
                                   aging: aging, creditLimit: dealer?.creditLimit, email: dealer?.email ?? "")
        }
    }

    /// The report and `open-items-M.csv`.
    public static func report(_ accounts: Accounts, statements: [DealerStatement], terms: Terms) -> (report: Report, openItemsFile: Table) {
        let month = accounts.month, end = month.lastDay
        func flag(_ value: Bool) -> Cell { .code(value ? "true" : "false") }
        let balanceRows: [[Cell]] = statements.map { s in
            func sum(_ kind: DealerStatement.Line.Kind) -> Money {
                s.lines.lazy.filter { $0.kind == kind }.reduce(.zero) { $0 + ($1.debit ?? .zero) - ($1.credit ?? .zero) }
            }
            let a = s.aging
            return [.text(s.dealerId), .text(s.dealerName), .text(s.region), .money(s.lines[0].balance), .money(sum(.invoice)),
                    .money(sum(.credit)), .money(sum(.payment)), .money(s.closing), .money(a.notDue), .money(a.d1to30),
                    .money(a.d31to60), .money(a.d61to90), .money(a.d91to120), .money(a.over120), .money(a.unapplied),
                    s.creditLimit.map(Cell.money) ?? .empty, flag(s.overLimit)]
        }
        let balances = Table(Tables.balances, rows: balanceRows, totals: Table.totals(of: balanceRows, Tables.balances, summing: [
            "opening", "invoiced", "credited", "paid", "closing", "not_due", "d1_30", "d31_60", "d61_90", "d91_120", "over_120", "unapplied",
        ]))

        // Per dealer (in the statements' dealer id order) its open items by (due_date, doc_no), and what of
        // them is past due at the end of M.
        var sorted: [Int] = [], overdue: [(statement: DealerStatement, amount: Money, oldest: Day)] = []
        for s in statements {
            let open = accounts.dealers[s.dealerId]!.filter { accounts.items[$0].open.cents != 0 }.sorted { a, b in
                let x = accounts.items[a], y = accounts.items[b]
                if x.dueDate != y.dueDate { return x.dueDate < y.dueDate }
                return x.docNo != y.docNo ? idPrecedes(x.docNo, y.docNo) : a < b
            }
            sorted += open
            let pastDue = open.lazy.map { accounts.items[$0] }.filter { $0.isDebit && $0.dueDate < end }
            if let oldest = pastDue.first?.dueDate {
                overdue.append((s, pastDue.reduce(.zero) { $0 + $1.open }, oldest))
            }
        }
        // Largest overdue first, from the minimum up; ties in dealer id order.
        let dunned = overdue.filter { $0.amount >= terms.dunningMinAmount }.sorted {
            $0.amount != $1.amount ? $0.amount > $1.amount : idPrecedes($0.statement.dealerId, $1.statement.dealerId)
        }
        let dunningRows: [[Cell]] = dunned.map { o in
            let s = o.statement, days = o.oldest.distance(to: end)
            return [.text(s.dealerId), .text(s.dealerName), .money(o.amount), .date(o.oldest), .count(days), .count(dunningLevel(days)),
                    s.creditLimit.map(Cell.money) ?? .empty, flag(s.overLimit)]
        }

        let openRows: [[Cell]] = sorted.map { n in
            let item = accounts.items[n]
            return [.text(item.dealerId), .text(item.docNo), .code(item.docType.rawValue), .date(item.docDate), .date(item.dueDate),
                    .money(item.amount), .money(item.open), item.isDebit ? .count(max(0, item.dueDate.distance(to: end))) : .empty]
        }
        let fileRows: [[Cell]] = sorted.map { n in
            let item = accounts.items[n]
            return [.date(month.next.firstDay), .text(item.docNo), .code(item.docType.rawValue), .date(item.docDate),
                    .date(item.dueDate), .text(item.dealerId), .money(item.open)]
        }

        let statementRows: [[Cell]] = statements.flatMap { s in
            s.lines.map { line in
                [.text(s.dealerId), .date(line.date), .code(line.kind.rawValue), .text(line.docNo), .text(line.refNo),
                 line.debit.map(Cell.money) ?? .empty, line.credit.map(Cell.money) ?? .empty, .money(line.balance)]
            }
        }
        let sheets = [balances, Table(Tables.dunning, rows: dunningRows), Table(Tables.openItems, rows: openRows)]
        // The statements are the per-dealer workbooks and the CSV twin's, not a sheet here (SPEC §8.4):
        // every document of the month again, the largest table of the run at the bench's scale.
        return (Report(id: .receivables, period: month.description, tables: sheets + [Table(Tables.statement, rows: statementRows)],
                       sheets: sheets),
                Table(Tables.openItemsFile, rows: fileRows))
    }

    /// 1 for 1–30 days past due, 2 for 31–60, 3 above (3 = hold shipments).
    static func dunningLevel(_ days: Int) -> Int {
        switch days {
        case ...30: 1
        case 31...60: 2
        default: 3
        }
    }
}

extension DealerStatement.Aging {
    /// Adds what of `item` is open at `end`: a debit into the bucket of its days past due, a credit to unapplied.
    mutating func add(_ item: Receivables.Item, at end: Day) {
        let open = item.open
        guard open.cents > 0 else { unapplied += open; return }
        switch item.dueDate.distance(to: end) {
        case ...0: notDue += open
        case 1...30: d1to30 += open
        case 31...60: d31to60 += open
        case 61...90: d61to90 += open
        case 91...120: d91to120 += open
        default: over120 += open
        }
    }
}
