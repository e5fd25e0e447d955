import Config
import Core
import Ingest
import Ledger

/// The month-end cross-checks of SPEC §4.3 (盘点差异及对账): stock count against the book,
/// orders against SALE issues, warranty repairs against WARRANTY issues, old parts not yet
/// returned, negative stock and continuity with last month's closing balances.
public struct Reconciliation: Sendable {
    public var stockVariance: [StockVariance] = []
    public var adjustments: [CountAdjustment] = []
    public var orderIssue: [IssueMatch] = []
    public var repairIssue: [IssueMatch] = []
    public var oldPartsOutstanding: [OldPartOutstanding] = []
    public var negativeStock: [NegativeStock] = []
    public var openingContinuity: [OpeningDifference] = []
    /// nil when the receivables report does not run (SPEC §8.4: its check is part of that run).
    public var receivablesContinuity: [OpenItemDifference]?
}

public enum VarianceStatus: String, Sendable { case match, surplus, shortage, notCounted = "not_counted" }
public enum VarianceAction: String, Sendable { case ok, investigate }

public struct StockVariance: Sendable, Equatable {
    public let warehouse: String
    /// Empty on the single row of a warehouse that was not counted at all.
    public let partNo: String
    public let countDate: Day?
    public let bookQty: Quantity?
    /// Nil when the part (or warehouse) was not counted.
    public let countedQty: Quantity?
    public let varianceQty: Quantity?
    public let unitCost: UnitPrice?
    public let varianceValue: Money?
    public let status: VarianceStatus
    public let action: VarianceAction
}

/// A row of count-adjustments-M.csv: positive qty and value, the direction in the move type.
public struct CountAdjustment: Sendable, Equatable {
    public let warehouse: String
    public let partNo: String
    public let qty: Quantity
    public let value: Money
    public let moveType: MoveType
}

public enum MatchStatus: String, Sendable {
    case matched
    case shippedNotIssued = "shipped_not_issued"
    case issuedNotShipped = "issued_not_shipped"
    case qtyMismatch = "qty_mismatch"
}

/// One (document, part) pair of orders ↔ SALE or repairs ↔ WARRANTY; `expected` is the
/// shipped (or repair) qty, `issued` the net issue qty with that ref_no.
public struct IssueMatch: Sendable, Equatable {
    public let documentNo: String
    public let partNo: String
    public let expected: Quantity
    public let issued: Quantity
    public var diff: Quantity { expected - issued }
    public var status: MatchStatus {
        if diff.isZero { return .matched }
        if issued.isZero { return .shippedNotIssued }
        if expected.isZero { return .issuedNotShipped }
        return .qtyMismatch
    }
}

public struct OldPartOutstanding: Sendable, Equatable {
    public let repairNo: String
    public let repairDate: Day
    public let dealerId: String
    public let partNo: String
    public let expectedQty: Quantity
    public let receivedQty: Quantity
    public var outstandingQty: Quantity { expectedQty - receivedQty }
    public let ageDays: Int
    /// `0-30`, `31-60`, `61-90`, `>90`.
    public var ageBucket: String {
        switch ageDays {
        case ...30: return "0-30"
        case 31...60: return "31-60"
        case 61...90: return "61-90"
        default: return ">90"
        }
    }
}

public struct NegativeStock: Sendable, Equatable {
    public let warehouse: String
    public let partNo: String
    public let firstDate: Day
    public let minQty: Quantity
}

public struct OpeningDifference: Sendable, Equatable {
    public let warehouse: String
    public let partNo: String
    public let previousClosingQty: Quantity
    public let openingQty: Quantity
    public let previousClosingValue: Money
    public let openingValue: Money
}

extension Reconciliation {
    /// Everything §4.3 asks, for month `month`. `movements` and `repairs` are all that were read
    /// (old parts look at every month up to M); `previousClosing` is nil when last month's
    /// closing-balances file was not found.
    /// `trace` is `explain`'s tracer (nil for the normal run): the reconciliation's cells and the movement
    /// report's counted_qty and variance_qty, which come from the stock count.
    public static func compute(month: Month, ledger: [LedgerRow], movements: [Movement], counts: [CountLine],
                               orders: [OrderLine], repairs: [RepairLine], tolerance: Tolerance,
                               previousClosing: [StockKey: Balance]?, oldPartsFound: [OldPartOutstanding]? = nil,
                               trace: CellTrace? = nil) -> Reconciliation {
        if let trace {
            compute(month: month, ledger: ledger, movements: movements, counts: counts, orders: orders, repairs: repairs,
                    tolerance: tolerance, previousClosing: previousClosing, oldPartsFound: nil, tracer: trace)
        } else {
            compute(month: month, ledger: ledger, movements: movements, counts: counts, orders: orders, repairs: repairs,
                    tolerance: tolerance, previousClosing: previousClosing, oldPartsFound: oldPartsFound, tracer: NoTrace())
        }
    }

    /// - Parameter oldPartsFound: `oldParts` of the same rows when already found (beside the ledger); a traced
    ///   run finds them itself, for their cells.
    static func compute(month: Month, ledger: [LedgerRow], movements: [Movement], counts: [CountLine], orders: [OrderLine],
                        repairs: [RepairLine], tolerance: Tolerance, previousClosing: [StockKey: Balance]?,
                        oldPartsFound: [OldPartOutstanding]?, tracer: some Tracer) -> Reconciliation {
        var result = Reconciliation()
        // The four reconciliations read the same rows and nothing of each other.
        let stock = Slot<([StockVariance], [CountAdjustment])>(), orderIssue = Slot<[IssueMatch]>()
        let repairIssue = Slot<[IssueMatch]>(), oldPartsOutstanding = Slot<[OldPartOutstanding]>()
        // Largest first (perf at ten times a month: 1.5, 1.1, 0.8 and 0.3 s of CPU), so that the
        // smaller ones fill in beside it.
        sideBySide(
            { orderIssue.value = ordersAgainstSales(month: month, orders: orders, movements: movements, tracer: tracer) },
            { stock.value = stockCount(month: month, ledger: ledger, movements: movements, counts: counts, tolerance: tolerance,
                                       tracer: tracer) },
            { oldPartsOutstanding.value = oldPartsFound ?? oldParts(month: month, repairs: repairs, movements: movements, tracer: tracer) },
            { repairIssue.value = repairsAgainstWarrantyIssues(month: month, repairs: repairs, movements: movements, tracer: tracer) })
        (result.stockVariance, result.adjustments) = stock.value
        result.orderIssue = orderIssue.value
        result.repairIssue = repairIssue.value
        result.oldPartsOutstanding = oldPartsOutstanding.value
        result.negativeStock = ledger.compactMap { row in
            row.firstNegativeDate.map { NegativeStock(warehouse: row.key.warehouse, partNo: row.key.partNo, firstDate: $0, minQty: row.minQty) }
        }
        if let previousClosing { result.openingContinuity = continuity(ledger: ledger, previous: previousClosing, tracer: tracer) }
        return result
    }

    static func signed(_ m: Movement) -> Quantity { m.type.isReceipt ? m.qty : -m.qty }

    static func stockCount(month: Month, ledger: [LedgerRow], movements: [Movement], counts: [CountLine],
                           tolerance: Tolerance, tracer: some Tracer) -> ([StockVariance], [CountAdjustment]) {
        /// A stock-count quantity into stock_variance's `column` and, with `variance` its sign in variance_qty,
        /// into the movement report's columns of the same name (PartsMovement reads the variances).
        func trace(_ column: String, _ qty: Quantity, variance: Int, _ warehouse: String, _ partNo: String, row: RowRef?,
                   _ used: @autoclosure () -> String) {
            guard type(of: tracer).isOn else { return }
            tracer.add("stock_variance", warehouse, partNo, column, .qty(qty), row: row, used: used())
            if column == "counted_qty" { tracer.add("movement", warehouse, partNo, column, .qty(qty), row: row, used: used()) }
            tracer.add("movement", warehouse, partNo, "variance_qty", .qty(variance < 0 ? -qty : qty), row: row, used: used())
        }
        let days = month.firstDay...month.lastDay
        // A slot per (warehouse, part): the ledger's rows first (slot = row), then the keys only counted.
        var slots = PairIndex()
        for (n, row) in ledger.enumerated() {
            let s = slots.insert(row.key.warehouse, row.key.partNo)
            precondition(s == n, "two ledger rows for \(row.key)")
        }
        // Per key: the latest count date in M, and the quantities counted that day over all locations.
        var latest = [(date: Day, qty: Quantity)?](repeating: nil, count: ledger.count)
        var warehouseCountDate: [String: Day] = [:]
        for line in counts where days.contains(line.countDate) {
            let s = slots.insert(line.warehouse, line.partNo)
            if s == latest.count { latest.append(nil) }
            switch latest[s] {
            case let current? where current.date > line.countDate: break
            case let current? where current.date == line.countDate: latest[s] = (current.date, current.qty + line.countedQty)
            default: latest[s] = (line.countDate, line.countedQty)
            }
            warehouseCountDate[line.warehouse] = max(warehouseCountDate[line.warehouse] ?? line.countDate, line.countDate)
        }
        if type(of: tracer).isOn {
            // The lines counted on their key's latest date: those the sums above kept.
            for line in counts where days.contains(line.countDate) && latest[slots.find(line.warehouse, line.partNo)!]?.date == line.countDate {
                trace("counted_qty", line.countedQty, variance: 1, line.warehouse, line.partNo, row: line.ref,
                      "count \(line.countDate) location=\(line.location) counted_qty=\(line.countedQty)")
            }
        }

        // A key's book quantity is taken at its own latest count, else at its warehouse's latest
        // count: the opening plus the month's movements up to that date. Only those sums are kept.
        let bookDate = latest.indices.map { s in latest[s]?.date ?? warehouseCountDate[slots[s].first] }
        var moved = [Quantity](repeating: .zero, count: latest.count)
        forEachPrefetching(movements, prefetch: { slots.prefetch($0.warehouse, $0.partNo) }) { m in
            guard days.contains(m.docDate) else { return }
            if let s = slots.find(m.warehouse, m.partNo), let date = bookDate[s], m.docDate <= date {
                moved[s] += signed(m)
                trace("book_qty", signed(m), variance: -1, m.warehouse, m.partNo, row: m.ref,
                      "\(m.type.rawValue) \(m.docDate) qty=\(m.qty) (≤ count date \(date))")
            }
        }
        func book(_ s: Int) -> Quantity {
            let opening = s < ledger.count ? ledger[s].openingQty : .zero
            if !opening.isZero {
                trace("book_qty", opening, variance: -1, slots[s].first, slots[s].second, row: nil, "opening_qty of the movement row")
            }
            return opening + moved[s]
        }

        var variances: [StockVariance] = []
        var adjustments: [CountAdjustment] = []
        for s in slots.sorted() {
            let (warehouse, partNo) = slots[s]
            let unitCost = s < ledger.count ? ledger[s].unitCost : .zero
            if let counted = latest[s] {
                let bookQty = book(s)
                let variance = counted.qty - bookQty
                let value = unitCost.amount(for: variance)
                tracer.add("stock_variance", warehouse, partNo, "variance_value", .money(value), row: nil,
                           used: "round2(variance_qty \(variance) × unit_cost \(unitCost), exactly \(unitCost.numerator)/\(unitCost.denominator))")
                let status: VarianceStatus = variance.isZero ? .match : (variance.milli > 0 ? .surplus : .shortage)
                variances.append(StockVariance(warehouse: warehouse, partNo: partNo, countDate: counted.date,
                                               bookQty: bookQty, countedQty: counted.qty, varianceQty: variance,
                                               unitCost: unitCost, varianceValue: value, status: status,
                                               action: withinTolerance(variance, book: bookQty, value: value, tolerance) ? .ok : .investigate))
                if !variance.isZero {
                    adjustments.append(CountAdjustment(warehouse: warehouse, partNo: partNo, qty: variance.magnitude,
                                                       value: Money(cents: abs(value.cents)),
                                                       moveType: variance.milli > 0 ? .otherIn : .otherOut))
                }
            } else if let date = bookDate[s] {
                // The warehouse was counted but this part was not: only worth a look when the book says there is stock.
                let bookQty = book(s)
                guard !bookQty.isZero else { continue }
                variances.append(StockVariance(warehouse: warehouse, partNo: partNo, countDate: date, bookQty: bookQty,
                                               countedQty: nil, varianceQty: nil, unitCost: unitCost, varianceValue: nil,
                                               status: .notCounted, action: .investigate))
            }
        }
        // A warehouse in the ledger with no count at all in M: one row for the whole warehouse.
        for warehouse in Set(ledger.map(\.key.warehouse)).subtracting(warehouseCountDate.keys).sorted() {
            variances.append(StockVariance(warehouse: warehouse, partNo: "", countDate: nil, bookQty: nil, countedQty: nil,
                                           varianceQty: nil, unitCost: nil, varianceValue: nil, status: .notCounted, action: .investigate))
        }
        variances.sort { ($0.warehouse, $0.partNo) < ($1.warehouse, $1.partNo) }
        return (variances, adjustments)
    }

    /// (|v| ≤ qty_abs or |v| ≤ qty_pct % × |book|) and |value| ≤ value_abs (SPEC §6).
    static func withinTolerance(_ variance: Quantity, book: Quantity, value: Money, _ tolerance: Tolerance) -> Bool {
        let v = Int128(abs(variance.milli))
        let withinQty = v <= Int128(tolerance.qtyAbs.milli)
            // v ≤ pct / 100 × |book|  ⇔  v × 100 × 10^scale ≤ mantissa × |book|
            || v * 100 * pow10(tolerance.qtyPct.scale) <= tolerance.qtyPct.mantissa * Int128(abs(book.milli))
        return withinQty && abs(value.cents) <= tolerance.valueAbs.cents
    }

    static func ordersAgainstSales(month: Month, orders: [OrderLine], movements: [Movement], tracer: some Tracer) -> [IssueMatch] {
        let days = month.firstDay...month.lastDay
        var pairs = IssuePairs()
        forEachPrefetching(orders, prefetch: { pairs.prefetch($0.orderNo, $0.partNo) }) { line in
            guard line.status == .shipped, let date = line.shipDate, days.contains(date) else { return }
            pairs.add(line.orderNo, line.partNo, expected: line.qty)
            tracer.add("order_issue", line.orderNo, line.partNo, "shipped_qty", .qty(line.qty), row: line.ref,
                       used: "line \(line.lineNo) shipped \(date) qty=\(line.qty)")
        }
        forEachPrefetching(movements, prefetch: { pairs.prefetch($0.refNo, $0.partNo) }) { m in
            guard m.type == .sale && days.contains(m.docDate) else { return }
            pairs.add(m.refNo, m.partNo, issued: m.qty)
            tracer.add("order_issue", m.refNo, m.partNo, "issued_qty", .qty(m.qty), row: m.ref,
                       used: "SALE \(m.warehouse) \(m.docDate) qty=\(m.qty)")
        }
        return pairs.matches()
    }

    static func repairsAgainstWarrantyIssues(month: Month, repairs: [RepairLine], movements: [Movement], tracer: some Tracer) -> [IssueMatch] {
        let days = month.firstDay...month.lastDay
        var pairs = IssuePairs()
        for line in repairs where line.warranty && !line.partNo.isEmpty && days.contains(line.repairDate) {
            pairs.add(line.repairNo, line.partNo, expected: line.qty)
            tracer.add("repair_issue", line.repairNo, line.partNo, "repair_qty", .qty(line.qty), row: line.ref,
                       used: "line \(line.lineNo) \(line.repairDate) warranty qty=\(line.qty)")
        }
        for m in movements where m.type == .warranty && days.contains(m.docDate) {
            pairs.add(m.refNo, m.partNo, issued: m.qty)
            tracer.add("repair_issue", m.refNo, m.partNo, "issued_qty", .qty(m.qty), row: m.ref,
                       used: "WARRANTY \(m.warehouse) \(m.docDate) qty=\(m.qty)")
        }
        return pairs.matches()
    }

    /// Both sides of each (document, part) pair in one table (at 10× a month, two tables and the
    /// union of their keys were ~0.5 GB at once).
    struct IssuePairs {
        private var index = PairIndex()
        private var expected: [Quantity] = [], issued: [Quantity] = []

        func prefetch(_ doc: String, _ part: String) { index.prefetch(doc, part) }

        mutating func add(_ doc: String, _ part: String, expected qty: Quantity = .zero, issued issuedQty: Quantity = .zero) {
            let n = index.insert(doc, part)
            if n == expected.count {
                expected.append(.zero)
                issued.append(.zero)
            }
            expected[n] += qty
            issued[n] += issuedQty
        }

        /// In (document, part) order.
        func matches() -> [IssueMatch] {
            index.sorted().map { n in
                IssueMatch(documentNo: index[n].first, partNo: index[n].second, expected: expected[n], issued: issued[n])
            }
        }
    }

    /// old_parts_outstanding: read off the repair lines and the movements only (no ledger), so that the monthly
    /// run finds it beside the ledger.
    public static func oldParts(month: Month, repairs: [RepairLine], movements: [Movement], tracer: some Tracer = NoTrace()) -> [OldPartOutstanding] {
        let end = month.lastDay
        var pairs = PairIndex()   // (repair, part) → its entry in `expected` and `received`
        var expected: [(qty: Quantity, date: Day, dealer: String)] = []
        for line in repairs where line.warranty && line.oldPartReturn && !line.partNo.isEmpty && line.repairDate <= end {
            let n = pairs.insert(line.repairNo, line.partNo)
            if n == expected.count {
                expected.append((line.qty, line.repairDate, line.dealerId))
            } else {
                expected[n].qty += line.qty
                expected[n].date = min(expected[n].date, line.repairDate)
            }
            tracer.add("old_parts_outstanding", line.repairNo, line.partNo, "expected_qty", .qty(line.qty), row: line.ref,
                       used: "line \(line.lineNo) \(line.repairDate) warranty, old part return, qty=\(line.qty)")
        }
        var received = [Quantity](repeating: .zero, count: expected.count)
        for m in movements where m.type == .oldPartIn && m.docDate <= end {
            if let n = pairs.find(m.refNo, m.partNo) {
                received[n] += m.qty
                tracer.add("old_parts_outstanding", m.refNo, m.partNo, "received_qty", .qty(m.qty), row: m.ref,
                           used: "OLD_PART_IN \(m.warehouse) \(m.docDate) qty=\(m.qty)")
            }
        }
        return pairs.sorted().compactMap { n in
            let e = expected[n]
            let row = OldPartOutstanding(repairNo: pairs[n].first, repairDate: e.date, dealerId: e.dealer, partNo: pairs[n].second,
                                         expectedQty: e.qty, receivedQty: received[n], ageDays: e.date.distance(to: end))
            return row.outstandingQty.milli > 0 ? row : nil
        }
    }

    static func continuity(ledger: [LedgerRow], previous: [StockKey: Balance], tracer: some Tracer) -> [OpeningDifference] {
        let opening = Dictionary(uniqueKeysWithValues: ledger.map { ($0.key, Balance(qty: $0.openingQty, value: $0.openingValue)) })
        let zero = Balance(qty: .zero, value: .zero)
        return Set(opening.keys).union(previous.keys).sorted().compactMap { key in
            let before = previous[key] ?? zero, now = opening[key] ?? zero
            guard before != now else { return nil }
            let source = "last month's closing-balances file (an output of this tool, not an input row)"
            tracer.add("opening_continuity", key.warehouse, key.partNo, "prev_closing_qty", .qty(before.qty), row: nil, used: source)
            tracer.add("opening_continuity", key.warehouse, key.partNo, "prev_closing_value", .money(before.value), row: nil, used: source)
            return OpeningDifference(warehouse: key.warehouse, partNo: key.partNo, previousClosingQty: before.qty,
                                     openingQty: now.qty, previousClosingValue: before.value, openingValue: now.value)
        }
    }
}
