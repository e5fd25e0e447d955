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
        /// The tables keyed by dealer first: all of them.
        static let dealers = all.map(\.id)
    }

    /// The derived cell: closing = opening + invoiced + credited + paid (credited and paid ≤ 0, SPEC §8.4).
    static let formulas: [Formula] = [.sum(Tables.balances.id, "closing", "+opening", "+invoiced", "+credited", "+paid")]

    /// A closing balance that its aging does not add up to: a defect of this code, never of the data.
    public struct BrokenInvariant: Error, CustomStringConvertible {
        public let description: String
    }

    /// Each dealer with an opening item or a document, in dealer id order: its statement lines and the
    /// aging of its closing balance. Throws when the aging does not add up to the closing balance.
    /// - Parameter trace: `explain`'s tracer (nil for the normal run), with accounts made with it.
    public static func statements(_ accounts: Accounts, dealers: [String: Dealer], trace: CellTrace? = nil) throws -> [DealerStatement] {
        if let trace { try statements(accounts, dealers: dealers, tracer: trace) } else { try statements(accounts, dealers: dealers, tracer: NoTrace()) }
    }

    static func statements(_ accounts: Accounts, dealers: [String: Dealer], tracer: some Tracer) throws -> [DealerStatement] {
        let month = accounts.month
        return try idOrder(accounts.dealers.keys).map { d in
            let dealerId = accounts.dealers.keys[d], indexes = accounts.dealers.values[d]
            let traced = type(of: tracer).isOn && tracer.wants(dealerId, inAnyOf: Tables.dealers)
            var opening = Money.zero, balance = Money.zero, aging = DealerStatement.Aging()
            var documents: [DealerStatement.Line] = []
            /// A statement line's balance: every item up to its `k`th (a running sum over their input rows).
            func traceBalance(through k: Int, _ date: Day, _ kind: String, _ docNo: String) {
                guard traced else { return }
                let keys = [dealerId, date.description, kind, docNo]
                guard tracer.wants(CellAddress(table: Tables.statement.id, key: keys, column: "balance")) else { return }
                for n in indexes.prefix(k + 1) { accounts.traceSources(n, Tables.statement.id, keys, "balance", tracer) }
            }
            for (k, n) in indexes.enumerated() {   // the opening items first, then walk order
                let item = accounts.items[n]
                balance += item.amount
                let bucket = aging.add(item, at: month.lastDay)
                if traced && item.open.cents != 0 { accounts.traceOpen(n, Tables.balances.id, [dealerId], bucket, tracer) }
                guard !item.isOpening else {
                    opening = balance
                    if traced { accounts.traceSources(n, Tables.balances.id, [dealerId], "opening", tracer) }
                    continue
                }
                if traced {
                    let column = switch item.docType { case .invoice: "invoiced"; case .credit: "credited"; case .payment: "paid" }
                    accounts.traceSources(n, Tables.balances.id, [dealerId], column, tracer)
                    let keys = [dealerId, item.docDate.description, item.docType.rawValue, item.docNo]
                    accounts.traceSources(n, Tables.statement.id, keys, item.isDebit ? "debit" : "credit", tracer, negated: !item.isDebit)
                    traceBalance(through: k, item.docDate, item.docType.rawValue, item.docNo)
                }
                documents.append(DealerStatement.Line(
                    date: item.docDate, kind: DealerStatement.Line.Kind(item.docType), docNo: item.docNo,
                    refNo: item.refNo, debit: item.amount.cents > 0 ? item.amount : nil,
                    credit: item.amount.cents < 0 ? -item.amount : nil, balance: balance))
            }
            traceBalance(through: indexes.lastIndex { accounts.items[$0].isOpening } ?? -1, month.firstDay, "opening", "")
            traceBalance(through: indexes.count - 1, month.lastDay, "closing", "")
            guard aging.total == balance else {
                throw BrokenInvariant(description: "receivables of \(month), dealer \(dealerId): the aging adds up to \(aging.total), the closing balance is \(balance)")
            }
            let dealer = dealers[dealerId]
            if let limit = dealer?.creditLimit {
                tracer.add(Tables.balances.id, dealerId, "", "credit_limit", .money(limit), row: dealer?.ref, used: "dealers credit_limit=\(limit)")
                tracer.add(Tables.dunning.id, dealerId, "", "credit_limit", .money(limit), row: dealer?.ref, used: "dealers credit_limit=\(limit)")
            }
            return DealerStatement(dealerId: dealerId, dealerName: dealer?.name ?? DailyOrders.unknownName, region: dealer?.region ?? "",
                                   month: month,
                                   lines: [DealerStatement.Line(date: month.firstDay, kind: .opening, balance: opening)] + documents
                                       + [DealerStatement.Line(date: month.lastDay, kind: .closing, balance: balance)],
                                   aging: aging, creditLimit: dealer?.creditLimit, email: dealer?.email ?? "")
        }
    }

    /// The report with every table, and `open-items-M.csv`.
    /// - Parameter trace: `explain`'s tracer (nil for the normal run), with accounts made with it.
    public static func report(_ accounts: Accounts, statements: [DealerStatement], terms: Terms, trace: CellTrace? = nil)
        -> (report: Report, openItemsFile: Table) {
        var report = sheets(accounts, statements: statements, terms: terms, trace: trace)
        report.tables.append(statementTable(statements))
        return (report, openItemsFile(report.table(Tables.openItems.id)!, month: accounts.month))
    }

    /// The report with its workbook's sheets only (balances, dunning, open_items): the run makes the
    /// `statement` table and next month's file when it writes them (~1M rows each at ten times a month).
    /// - Parameter trace: `explain`'s tracer (nil for the normal run), with accounts made with it.
    public static func sheets(_ accounts: Accounts, statements: [DealerStatement], terms: Terms, trace: CellTrace? = nil) -> Report {
        if let trace { sheets(accounts, statements: statements, terms: terms, tracer: trace) }
        else { sheets(accounts, statements: statements, terms: terms, tracer: NoTrace()) }
    }

    static func sheets(_ accounts: Accounts, statements: [DealerStatement], terms: Terms, tracer: some Tracer) -> Report {
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
            let traced = type(of: tracer).isOn && tracer.wants(s.dealerId, inAnyOf: Tables.dealers)
            let pastDue = open.filter { accounts.items[$0].isDebit && accounts.items[$0].dueDate < end }
            if let oldest = pastDue.first.map({ accounts.items[$0].dueDate }) {
                overdue.append((s, pastDue.reduce(.zero) { sum, n in
                    if traced { accounts.traceOpen(n, Tables.dunning.id, [s.dealerId], "overdue", tracer) }
                    return sum + accounts.items[n].open
                }, oldest))
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
            if type(of: tracer).isOn && tracer.wants(item.dealerId, inAnyOf: [Tables.openItems.id]) {
                let keys = [item.dealerId, item.docType.rawValue, item.docNo, item.docDate.description]
                accounts.traceSources(n, Tables.openItems.id, keys, "amount", tracer)
                accounts.traceOpen(n, Tables.openItems.id, keys, "open_amount", tracer)
            }
            return [.text(item.dealerId), .text(item.docNo), .code(item.docType.rawValue), .date(item.docDate), .date(item.dueDate),
                    .money(item.amount), .money(item.open), item.isDebit ? .count(max(0, item.dueDate.distance(to: end))) : .empty]
        }
        let sheets = [balances, Table(Tables.dunning, rows: dunningRows), Table(Tables.openItems, rows: openRows)]
        return Report(id: .receivables, period: month.description, tables: sheets, sheets: sheets)
    }

    /// The `statement` table: every dealer's 对账单 lines, in the statements' order. Only the CSV twin has
    /// it, not the workbook (SPEC §8.4): every document of the month again, the largest table of the run.
    public static func statementTable(_ statements: [DealerStatement]) -> Table {
        Table(Tables.statement, rows: statements.flatMap { s in
            s.lines.map { line in
                [.text(s.dealerId), .date(line.date), .code(line.kind.rawValue), .text(line.docNo), .text(line.refNo),
                 line.debit.map(Cell.money) ?? .empty, line.credit.map(Cell.money) ?? .empty, .money(line.balance)]
            }
        })
    }

    /// `open-items-M.csv`: the `open_items` sheet's items, in their order, as next month's receivables input.
    public static func openItemsFile(_ openItems: Table, month: Month) -> Table {
        let asOf = Cell.date(month.next.firstDay)
        // open_items: dealer_id, doc_no, doc_type, doc_date, due_date, amount, open_amount, days_overdue.
        return Table(Tables.openItemsFile, rows: openItems.rows.map { [asOf, $0[1], $0[2], $0[3], $0[4], $0[0], $0[6]] })
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

extension DealerStatement.Line.Kind {
    /// A document's line (a switch: a look-up by raw value compared texts, once per line of every statement).
    init(_ type: DocType) {
        switch type {
        case .invoice: self = .invoice
        case .credit: self = .credit
        case .payment: self = .payment
        }
    }
}

extension DealerStatement.Aging {
    /// Adds what of `item` is open at `end`: a debit into the bucket of its days past due, a credit to
    /// unapplied. Returns the `balances` column it added to.
    @discardableResult
    mutating func add(_ item: Receivables.Item, at end: Day) -> String {
        let open = item.open
        guard open.cents > 0 else { unapplied += open; return "unapplied" }
        switch item.dueDate.distance(to: end) {
        case ...0: notDue += open; return "not_due"
        case 1...30: d1to30 += open; return "d1_30"
        case 31...60: d31to60 += open; return "d31_60"
        case 61...90: d61to90 += open; return "d61_90"
        case 91...120: d91to120 += open; return "d91_120"
        default: over120 += open; return "over_120"
        }
    }
}

extension Receivables.Accounts {
    /// Item `n`'s input rows (`sources`), each with its part of the amount (negated for a statement's credit),
    /// into the cell (`table`, `keys`, `column`).
    func traceSources(_ n: Int, _ table: String, _ keys: @autoclosure () -> [String], _ column: String, _ tracer: some Tracer,
                      negated: Bool = false) {
        guard type(of: tracer).isOn else { return }
        for source in sources[n] {
            guard case .money(let amount) = source.amount else { continue }
            tracer.add(table, keys: keys(), column, .money(negated ? -amount : amount), row: source.row, used: source.used,
                       allocations: [])
        }
    }

    /// What of item `n` is open at the end of M, into the cell (`table`, `keys`, `column`): the document
    /// (named by its first input row) and the allocations that cleared the rest.
    func traceOpen(_ n: Int, _ table: String, _ keys: @autoclosure () -> [String], _ column: String, _ tracer: some Tracer) {
        guard type(of: tracer).isOn else { return }
        let item = items[n]
        tracer.add(table, keys: keys(), column, .money(item.open), row: sources[n].first?.row,
                   used: "\(item.isOpening ? "opening " : "")\(item.docType.rawValue) \(item.docNo) doc_date=\(item.docDate) due_date=\(item.dueDate) amount=\(item.amount) open=\(item.open)",
                   allocations: clearing(of: n))
    }

    /// How item `n` was cleared, in the order the allocations were made. A scan of all allocations: it
    /// runs only for the cells explain was asked about.
    func clearing(of n: Int) -> [String] {
        allocations.filter { $0.debit == n || $0.credit == n }.map { a in
            let other = items[a.debit == n ? a.credit : a.debit]
            let document = "\(other.isOpening ? "opening " : "")\(other.docType.rawValue) \(other.docNo) (\(other.docDate))"
            return a.debit == n ? "\(document) cleared \(a.amount)" : "cleared \(a.amount) of \(document)"
        }
    }
}
