import Core
import Ingest

/// The dealers' accounts of a month (SPEC §8.4): the opening open items, M's documents (invoices,
/// credit notes, payments) and the deterministic open-item clearing between them. The tables are
/// read off the result (`ReceivablesReport.swift`).
public enum Receivables {
    /// The terms the dealers master leaves to the config (`[receivables]`).
    public struct Terms: Sendable {
        /// Days from invoice to due date for a dealer without credit_days.
        public let creditDays: Int64
        /// An overdue balance below this is not dunned.
        public let dunningMinAmount: Money
        public init(creditDays: Int64, dunningMinAmount: Money) {
            self.creditDays = creditDays
            self.dunningMinAmount = dunningMinAmount
        }
    }

    /// An opening item or a document of M. > 0 is a debit (an invoice, a refund not absorbed), < 0 a
    /// credit (a credit note, a payment).
    /// The texts first and the one-byte fields last: 80 bytes an item, not 96 (~2M items at ten times a month).
    public struct Item: Sendable, Equatable {
        public let dealerId: String
        public let docNo: String
        /// The order a credit note or payment names (empty: none).
        public let refNo: String
        /// The document's amount; an opening item's open amount as of the 1st.
        public let amount: Money
        /// What is still to clear: the amount's sign, or 0.
        public internal(set) var open: Money
        public let docDate: Day
        public let dueDate: Day
        public let docType: DocType
        public let isOpening: Bool
        /// A payment whose ref_no names no invoice of its dealer: cleared as if it named none.
        public internal(set) var isUnreferenced = false

        init(dealerId: String, docType: DocType, docNo: String, docDate: Day, dueDate: Day, refNo: String, amount: Money,
             isOpening: Bool) {
            (self.dealerId, self.docNo, self.refNo, self.amount, open) = (dealerId, docNo, refNo, amount, amount)
            (self.docDate, self.dueDate, self.docType, self.isOpening) = (docDate, dueDate, docType, isOpening)
        }

        public var isDebit: Bool { amount.cents > 0 }
    }

    /// `amount` of the credit `credit` cleared against the debit `debit` (indexes into `items`).
    public struct Allocation: Sendable, Equatable {
        public let debit: Int
        public let credit: Int
        /// > 0.
        public let amount: Money
    }

    /// A payment whose ref_no names no invoice of its dealer: applied as unreferenced, warned about.
    public struct UnmatchedPayment: Sendable, Equatable {
        public let ref: RowRef
        public let message: String
    }

    /// The month's items, how they were cleared, and what was warned about on the way.
    public struct Accounts: Sendable {
        public let month: Month
        /// The opening items, then M's documents in walk order; `open` as at the end of M.
        public internal(set) var items: [Item] = []
        public internal(set) var allocations: [Allocation] = []
        /// Dealer ids, each with its items' indexes in `items` order.
        public internal(set) var dealers = TextGroups<[Int]>()
        public internal(set) var unmatchedPayments: [UnmatchedPayment] = []
        public internal(set) var unmatchedReturns: [UnmatchedReturn] = []
        /// For `explain` only (empty in the normal run): per item, in `items` order, the input rows its
        /// amount is the sum of (the receivables row; the order lines, valued return lines or payment lines).
        public internal(set) var sources: [[Contribution]] = []
    }

    /// The month's accounts: `receivables` rows with as_of = the 1st of M are the opening state
    /// (others are ignored); orders shipped, DEALER_RETURNs and payments dated in M are its documents.
    /// - Parameter trace: `explain`'s tracer (nil for the normal run): the accounts then keep each item's `sources`.
    public static func accounts(month: Month, orders: [OrderLine], movements: [Movement], payments: [PaymentLine],
                                receivables: [ReceivableItem], parts: [String: Part], dealers: [String: Dealer],
                                terms: Terms, trace: CellTrace? = nil) -> Accounts {
        if trace != nil {
            accounts(month: month, orders: orders, movements: movements, payments: payments, receivables: receivables, parts: parts,
                     dealers: dealers, terms: terms, tracer: trace!)
        } else {
            accounts(month: month, orders: orders, movements: movements, payments: payments, receivables: receivables, parts: parts,
                     dealers: dealers, terms: terms, tracer: NoTrace())
        }
    }

    static func accounts(month: Month, orders: [OrderLine], movements: [Movement], payments: [PaymentLine],
                         receivables: [ReceivableItem], parts: [String: Part], dealers: [String: Dealer],
                         terms: Terms, tracer: some Tracer) -> Accounts {
        // The input rows of the dealers asked about only: a text per order line was most of an explanation's time.
        let traced = type(of: tracer).isOn
        func wanted(_ dealerId: String) -> Bool { traced && tracer.wants(dealerId, inAnyOf: Tables.dealers) }
        var accounts = Accounts(month: month)
        // M's documents first, in a function of their own: its tables of every order end before `items` is
        // filled, and `items` is allocated once (~0.2 GB at ten times a month).
        let (documents, sources) = self.documents(month: month, orders: orders, movements: movements, payments: payments,
                                                  receivables: receivables, parts: parts, dealers: dealers, terms: terms,
                                                  accounts: &accounts, tracer: tracer, wanted: wanted)
        let opening = receivables.lazy.filter { $0.asOf == month.firstDay }
        accounts.items.reserveCapacity(opening.count + documents.count)
        for row in opening {
            accounts.add(Item(dealerId: row.dealerId, docType: row.docType, docNo: row.docNo, docDate: row.docDate,
                              dueDate: row.dueDate, refNo: "", amount: row.openAmount, isOpening: true))
            if traced {
                accounts.sources.append(!wanted(row.dealerId) ? [] : [Contribution(row: row.ref, amount: .money(row.openAmount), used:
                    "\(row.docType.rawValue) \(row.docNo) doc_date=\(row.docDate) due_date=\(row.dueDate) open_amount=\(row.openAmount)")])
            }
        }
        var clearing = Clearing(naming: documents)
        clearing.settleOpening(&accounts)

        // The walk order (doc_date, invoice < credit < payment, doc_no), sorted once. Positions are sorted,
        // not the documents, and date and type compare as one number (~0.1M documents at the bench's month).
        let dayAndType = documents.map { Int($0.docDate.ordinal) * 4 + $0.docType.walkRank }
        let walk = documents.indices.sorted { a, b in
            if dayAndType[a] != dayAndType[b] { return dayAndType[a] < dayAndType[b] }
            let docNo = utf8Order(documents[a].docNo, documents[b].docNo)
            return docNo != 0 ? docNo < 0 : utf8Order(documents[a].dealerId, documents[b].dealerId) < 0
        }
        for n in walk {
            clearing.post(documents[n], to: &accounts)
            if traced { accounts.sources.append(sources[n]) }
        }
        return accounts
    }

    /// M's documents, invoices first (`invoices`, `credits`, `payments`) with their input rows when traced; the
    /// payments whose ref_no names no invoice of their dealer (opening or of M) are unreferenced and warned
    /// about, in `accounts`, like the returns without their order line.
    static func documents(month: Month, orders: [OrderLine], movements: [Movement], payments: [PaymentLine],
                          receivables: [ReceivableItem], parts: [String: Part], dealers: [String: Dealer], terms: Terms,
                          accounts: inout Accounts, tracer: some Tracer,
                          wanted: (String) -> Bool) -> (items: [Item], sources: [[Contribution]]) {
        let pricing = ReturnPricing(month: month, orders: orders, movements: movements)
        // The invoices first: a payment's ref_no is checked against them by their index.
        var (documents, sources, invoiceOfOrder) = self.invoices(month: month, orders: orders, dealerOf: pricing.orderDealer,
                                                                 dealers: dealers, terms: terms, tracer: tracer, wanted: wanted)
        let credits = self.credits(month: month, movements: movements, pricing: pricing, parts: parts,
                                   unmatched: &accounts.unmatchedReturns, tracer: tracer, wanted: wanted)
        documents += credits.items
        sources += credits.sources
        var payments = self.payments(month: month, payments, tracer: tracer, wanted: wanted)
        // A payment's ref_no must name an invoice of its dealer, opening or of M. The opening invoices are
        // looked for only among the refs M's invoices do not answer: a table of all of them fell out of cache
        // at ten times a month.
        var unanswered = PairIndex(), pending: [Int] = []
        for n in payments.indices where !payments[n].item.refNo.isEmpty {
            let item = payments[n].item
            if let order = pricing.orderDealer.group(item.refNo), let m = invoiceOfOrder[order], documents[m].dealerId == item.dealerId {
                continue
            }
            _ = unanswered.insert(item.dealerId, item.refNo)
            pending.append(n)
        }
        var answered = [Bool](repeating: false, count: unanswered.count)
        for row in receivables where row.asOf == month.firstDay && row.docType == .invoice {
            if let pair = unanswered.find(row.dealerId, row.docNo) { answered[pair] = true }
        }
        for n in pending where !answered[unanswered.find(payments[n].item.dealerId, payments[n].item.refNo)!] {
            let item = payments[n].item
            accounts.unmatchedPayments.append(UnmatchedPayment(ref: payments[n].firstLine, message:
                "payment \(item.docNo) of dealer \(item.dealerId) names order \(item.refNo), which is no invoice of that dealer; applied as unreferenced"))
            payments[n].item.isUnreferenced = true
        }
        documents += payments.map(\.item)
        sources += payments.map(\.sources)
        return (documents, sources)
    }

    /// One invoice per order_no with lines shipped in M: dated the latest ship_date, Σ their amounts,
    /// the dealer of the order's first line, due credit_days later; and per order (numbered as in
    /// `orderDealer`) its invoice's index, nil for none. The orders are looked up in `orderDealer`, not
    /// numbered again: a second table of every order fell out of cache at ten times a month.
    /// With a tracer on, also each invoice's order lines (`Accounts.sources`) when its dealer is `wanted`.
    static func invoices(month: Month, orders: [OrderLine], dealerOf orderDealer: TextGroups<String>, dealers: [String: Dealer],
                         terms: Terms, tracer: some Tracer, wanted: (String) -> Bool)
        -> (items: [Item], sources: [[Contribution]], ofOrder: [Int?]) {
        var ofOrder = [Int?](repeating: nil, count: orderDealer.values.count)
        var shipped: [(order: Int, date: Day, amount: Money)] = [], sources: [[Contribution]] = []
        var previous: (orderNo: String, number: Int, traced: Bool)?
        for line in orders {
            guard line.status == .shipped, let date = line.shipDate, month.contains(date) else { continue }
            if line.orderNo != previous?.orderNo {   // an order's lines follow each other: looked up once
                let order = orderDealer.group(line.orderNo)!
                if ofOrder[order] == nil {
                    ofOrder[order] = shipped.count
                    shipped.append((order, date, .zero))
                    if type(of: tracer).isOn { sources.append([]) }
                }
                previous = (line.orderNo, ofOrder[order]!, type(of: tracer).isOn && wanted(orderDealer.values[order]))
            }
            let n = previous!.number
            shipped[n].date = max(shipped[n].date, date)
            shipped[n].amount += line.amount
            if previous!.traced {
                sources[n].append(Contribution(row: line.ref, amount: .money(line.amount),
                                               used: "order \(line.orderNo)/\(line.lineNo) shipped \(date) amount=\(line.amount)"))
            }
        }
        var creditDays = TextGroups<Int>()   // per dealer, looked up once
        let items = shipped.map { invoice in
            let dealerId = orderDealer.values[invoice.order]
            // Beyond a century a due date is as good as never; the cap keeps it a real date.
            let days = creditDays.values[creditDays.group(dealerId, default:
                Int(min(dealers[dealerId]?.creditDays ?? terms.creditDays, 36_500)))]
            return Item(dealerId: dealerId, docType: .invoice, docNo: orderDealer.keys[invoice.order], docDate: invoice.date,
                        dueDate: invoice.date.advanced(by: days), refNo: "", amount: invoice.amount,
                        isOpening: false)
        }
        return (items, sources, ofOrder)
    }

    /// One credit note per DEALER_RETURN doc_no of M: dated and referenced by its first line, −Σ its
    /// lines valued as profit values them, the dealer of that line's order; none when there is no order.
    /// With a tracer on, also each credit note's return lines when its dealer is `wanted`.
    static func credits(month: Month, movements: [Movement], pricing: ReturnPricing, parts: [String: Part],
                        unmatched: inout [UnmatchedReturn], tracer: some Tracer, wanted: (String) -> Bool)
        -> (items: [Item], sources: [[Contribution]]) {
        var returns = TextGroups<(first: Movement, amount: Money, lines: [Contribution])>()
        for m in movements where m.type == .dealerReturn && month.contains(m.docDate) {
            let (value, price, warning) = pricing.value(of: m, parts: parts)
            if let warning { unmatched.append(warning) }
            let n = returns.group(m.docNo, default: (m, .zero, []))
            returns.values[n].amount -= value
            if type(of: tracer).isOn, wanted(pricing.orderDealer[returns.values[n].first.refNo] ?? "") {
                returns.values[n].lines.append(Contribution(row: m.ref, amount: .money(-value),
                    used: "DEALER_RETURN \(m.docNo) ref_no=\(m.refNo) \(m.partNo) qty=\(m.qty) price=\(price) value=\(value)"))
            }
        }
        let credits = zip(returns.keys, returns.values).compactMap { docNo, credit -> (Item, [Contribution])? in
            guard let dealerId = pricing.orderDealer[credit.first.refNo] else { return nil }
            return (Item(dealerId: dealerId, docType: .credit, docNo: docNo, docDate: credit.first.docDate,
                         dueDate: credit.first.docDate, refNo: credit.first.refNo, amount: credit.amount,
                         isOpening: false), credit.lines)
        }
        return (credits.map(\.0), credits.map(\.1))
    }

    /// One payment per payment_no with lines dated in M: date and dealer of its first line, the first
    /// ref_no given, −Σ its lines (a refund makes it > 0).
    /// With a tracer on, also each payment's lines when its dealer is `wanted`.
    static func payments(month: Month, _ lines: [PaymentLine], tracer: some Tracer, wanted: (String) -> Bool)
        -> [(item: Item, firstLine: RowRef, sources: [Contribution])] {
        var payments = TextGroups<(first: PaymentLine, refNo: String, amount: Money, lines: [Contribution])>()
        for line in lines where month.contains(line.paymentDate) {
            let n = payments.group(line.paymentNo, default: (line, "", .zero, []))
            if payments.values[n].refNo.isEmpty { payments.values[n].refNo = line.refNo }
            payments.values[n].amount -= line.amount
            if type(of: tracer).isOn, wanted(payments.values[n].first.dealerId) {
                payments.values[n].lines.append(Contribution(row: line.ref, amount: .money(-line.amount), used:
                    "payment \(line.paymentNo)/\(line.lineNo) \(line.paymentDate) ref_no=\(line.refNo) amount=\(line.amount)"))
            }
        }
        return zip(payments.keys, payments.values).map { paymentNo, p in
            (Item(dealerId: p.first.dealerId, docType: .payment, docNo: paymentNo, docDate: p.first.paymentDate,
                  dueDate: p.first.paymentDate, refNo: p.refNo, amount: p.amount, isOpening: false), p.first.ref, p.lines)
        }
    }
}

extension DocType {
    /// Documents of one day are walked invoices first, then credits, then payments.
    var walkRank: Int {
        switch self {
        case .invoice: 0
        case .credit: 1
        case .payment: 2
        }
    }
}

extension Receivables.Accounts {
    /// Appends `item` to `items` and to its dealer's list; returns its index and its dealer's number.
    @discardableResult
    mutating func add(_ item: Receivables.Item) -> (item: Int, dealer: Int) {
        items.append(item)
        let d = dealers.group(item.dealerId, default: [])
        dealers.values[d].append(items.count - 1)
        return (items.count - 1, d)
    }
}

/// Each dealer's open debits in clearing order (due_date, doc_date, doc_no) and open credits oldest
/// first (doc_date, type, doc_no), kept sorted as items come and go; by the dealer's number in
/// `Accounts.dealers`, so that a document costs one lookup of its dealer.
private struct Clearing {
    var debits: [[Int]] = [], credits: [[Int]] = []
    /// (dealer_id, doc_no) that M's credits name → the debits filed under it: no dealer's list is searched
    /// by text. Debits cleared since stay listed and clear nothing more. Only the pairs named are kept (a
    /// tenth of the debits): an entry per debit was 2M entries and as many small arrays at ten times a month.
    var named = PairIndex(), namedDebits: [[Int]] = []

    init(naming documents: [Receivables.Item]) {
        for credit in documents where credit.amount.cents < 0 && !credit.isUnreferenced && !credit.refNo.isEmpty {
            _ = named.insert(credit.dealerId, credit.refNo)
        }
        namedDebits = Array(repeating: [], count: named.count)
    }

    /// The opening state settles first: each dealer's opening credits, oldest first, clear its opening debits.
    mutating func settleOpening(_ accounts: inout Receivables.Accounts) {
        for d in accounts.dealers.values.indices {
            for n in accounts.dealers.values[d] { keepOpen(n, dealer: d, accounts.items) }
            for credit in credits[d] { clear(credit, against: debits[d], in: &accounts) }
            drop(d, accounts.items)
        }
    }

    /// Walks one document of M: a credit clears the debits its ref_no names, then the dealer's other
    /// open debits; a debit is cleared by the dealer's unapplied credits, oldest first. What remains stays open.
    mutating func post(_ document: Receivables.Item, to accounts: inout Receivables.Accounts) {
        let (n, d) = accounts.add(document)
        grow(to: d)
        // Only the list cleared against can hold items cleared to 0; a dealer has ~200 open debits at the
        // bench's month, so neither is scanned for a document that clears nothing.
        if document.isDebit {
            guard !credits[d].isEmpty else { return keepOpen(n, dealer: d, accounts.items) }
            for credit in credits[d] {
                guard accounts.items[n].open.cents > 0 else { break }
                accounts.allocate(debit: n, credit: credit)
            }
            credits[d].removeAll { accounts.items[$0].open.cents == 0 }
        } else if document.amount.cents < 0 {
            if !document.isUnreferenced, !document.refNo.isEmpty, let pair = named.find(document.dealerId, document.refNo) {
                let oldestFirst = namedDebits[pair].sorted { Self.debitPrecedes($0, $1, accounts.items) }
                clear(n, against: oldestFirst, in: &accounts)
            }
            clear(n, against: debits[d], in: &accounts)
            // The general clearing empties the list's head; a debit cleared by name elsewhere is dropped
            // when it reaches the head (until then it clears nothing).
            let cleared = debits[d].prefix { accounts.items[$0].open.cents == 0 }.count
            debits[d].removeFirst(cleared)
        }
        keepOpen(n, dealer: d, accounts.items)
    }

    private mutating func grow(to d: Int) {
        while debits.count <= d { debits.append([]); credits.append([]) }
    }

    private func clear(_ credit: Int, against debits: [Int], in accounts: inout Receivables.Accounts) {
        for debit in debits {
            guard accounts.items[credit].open.cents < 0 else { break }
            accounts.allocate(debit: debit, credit: credit)
        }
    }

    /// Files item `n` among its dealer's open debits or credits, in order.
    private mutating func keepOpen(_ n: Int, dealer d: Int, _ items: [Receivables.Item]) {
        grow(to: d)
        let open = items[n].open.cents
        if open > 0 {
            debits[d].insert(n, at: debits[d].partitioningIndex { Self.debitPrecedes(n, $0, items) })
            if let pair = named.find(items[n].dealerId, items[n].docNo) { namedDebits[pair].append(n) }
        } else if open < 0 {
            credits[d].insert(n, at: credits[d].partitioningIndex { Self.creditPrecedes(n, $0, items) })
        }
    }

    /// Forgets the dealer's items cleared to 0.
    private mutating func drop(_ d: Int, _ items: [Receivables.Item]) {
        debits[d].removeAll { items[$0].open.cents == 0 }
        credits[d].removeAll { items[$0].open.cents == 0 }
    }

    static func debitPrecedes(_ a: Int, _ b: Int, _ items: [Receivables.Item]) -> Bool {
        if items[a].dueDate != items[b].dueDate { return items[a].dueDate < items[b].dueDate }
        if items[a].docDate != items[b].docDate { return items[a].docDate < items[b].docDate }
        let docNo = utf8Order(items[a].docNo, items[b].docNo)
        return docNo != 0 ? docNo < 0 : a < b
    }

    static func creditPrecedes(_ a: Int, _ b: Int, _ items: [Receivables.Item]) -> Bool {
        if items[a].docDate != items[b].docDate { return items[a].docDate < items[b].docDate }
        if items[a].docType != items[b].docType { return items[a].docType.walkRank < items[b].docType.walkRank }
        let docNo = utf8Order(items[a].docNo, items[b].docNo)
        return docNo != 0 ? docNo < 0 : a < b
    }
}

extension Receivables.Accounts {
    /// Clears as much of `credit` against `debit` as both have open.
    mutating func allocate(debit: Int, credit: Int) {
        let amount = min(items[debit].open, -items[credit].open)
        guard amount.cents > 0 else { return }
        items[debit].open -= amount
        items[credit].open += amount
        allocations.append(Receivables.Allocation(debit: debit, credit: credit, amount: amount))
    }
}

extension Array {
    /// Where a new element goes in this sorted array: before the first element it `precedes` (a
    /// binary search; `precedes` is false up to some point and true from there on).
    fileprivate func partitioningIndex(where precedes: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if precedes(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
