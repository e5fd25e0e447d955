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

/// A balance of one (warehouse, part): last month's closing, as read back from closing-balances.
public struct Balance: Sendable, Equatable {
    public let qty: Quantity
    public let value: Money
    public init(qty: Quantity, value: Money) { self.qty = qty; self.value = value }
}

extension Reconciliation {
    /// Everything §4.3 asks, for month `month`. `movements` and `repairs` are all that were read
    /// (old parts look at every month up to M); `previousClosing` is nil when last month's
    /// closing-balances file was not found.
    public static func compute(month: Month, ledger: [LedgerRow], movements: [Movement], counts: [CountLine],
                               orders: [OrderLine], repairs: [RepairLine], tolerance: Tolerance,
                               previousClosing: [StockKey: Balance]?) -> Reconciliation {
        var result = Reconciliation()
        // The four reconciliations read the same rows and nothing of each other.
        let stock = Slot<([StockVariance], [CountAdjustment])>(), orderIssue = Slot<[IssueMatch]>()
        let repairIssue = Slot<[IssueMatch]>(), oldPartsOutstanding = Slot<[OldPartOutstanding]>()
        sideBySide(
            { stock.value = stockCount(month: month, ledger: ledger, movements: movements, counts: counts, tolerance: tolerance) },
            { orderIssue.value = ordersAgainstSales(month: month, orders: orders, movements: movements) },
            { repairIssue.value = repairsAgainstWarrantyIssues(month: month, repairs: repairs, movements: movements) },
            { oldPartsOutstanding.value = oldParts(month: month, repairs: repairs, movements: movements) })
        (result.stockVariance, result.adjustments) = stock.value
        result.orderIssue = orderIssue.value
        result.repairIssue = repairIssue.value
        result.oldPartsOutstanding = oldPartsOutstanding.value
        result.negativeStock = ledger.compactMap { row in
            row.firstNegativeDate.map { NegativeStock(warehouse: row.key.warehouse, partNo: row.key.partNo, firstDate: $0, minQty: row.minQty) }
        }
        if let previousClosing { result.openingContinuity = continuity(ledger: ledger, previous: previousClosing) }
        return result
    }

    static func signed(_ m: Movement) -> Quantity { m.type.isReceipt ? m.qty : -m.qty }

    static func stockCount(month: Month, ledger: [LedgerRow], movements: [Movement], counts: [CountLine],
                           tolerance: Tolerance) -> ([StockVariance], [CountAdjustment]) {
        let monthCounts = counts.filter { month.contains($0.countDate) }
        // Per (warehouse, part): the latest count date in M, and the quantities counted that day over all locations.
        var latest: [StockKey: (date: Day, qty: Quantity)] = [:]
        for line in monthCounts {
            let key = StockKey(warehouse: line.warehouse, partNo: line.partNo)
            switch latest[key] {
            case let current? where current.date > line.countDate: continue
            case let current? where current.date == line.countDate: latest[key] = (current.date, current.qty + line.countedQty)
            default: latest[key] = (line.countDate, line.countedQty)
            }
        }
        var warehouseCountDate: [String: Day] = [:]
        for line in monthCounts { warehouseCountDate[line.warehouse] = max(warehouseCountDate[line.warehouse] ?? line.countDate, line.countDate) }

        let rowsByKey = Dictionary(uniqueKeysWithValues: ledger.map { ($0.key, $0) })
        // A key's book quantity is taken at its own latest count, else at its warehouse's latest
        // count: the opening plus the month's movements up to that date. Only those sums are kept.
        func bookDate(_ key: StockKey) -> Day? { latest[key]?.date ?? warehouseCountDate[key.warehouse] }
        var movedByBookDate: [StockKey: Quantity] = [:]
        for m in movements where month.contains(m.docDate) {
            let key = StockKey(warehouse: m.warehouse, partNo: m.partNo)
            if let date = bookDate(key), m.docDate <= date { movedByBookDate[key, default: .zero] += signed(m) }
        }
        func book(_ key: StockKey) -> Quantity { (rowsByKey[key]?.openingQty ?? .zero) + (movedByBookDate[key] ?? .zero) }

        var variances: [StockVariance] = []
        var adjustments: [CountAdjustment] = []
        let keys = Set(latest.keys).union(rowsByKey.keys).sorted()
        for key in keys {
            let unitCost = rowsByKey[key]?.unitCost ?? .zero
            if let counted = latest[key] {
                let bookQty = book(key)
                let variance = counted.qty - bookQty
                let value = unitCost.amount(for: variance)
                let status: VarianceStatus = variance.isZero ? .match : (variance.milli > 0 ? .surplus : .shortage)
                variances.append(StockVariance(warehouse: key.warehouse, partNo: key.partNo, countDate: counted.date,
                                               bookQty: bookQty, countedQty: counted.qty, varianceQty: variance,
                                               unitCost: unitCost, varianceValue: value, status: status,
                                               action: withinTolerance(variance, book: bookQty, value: value, tolerance) ? .ok : .investigate))
                if !variance.isZero {
                    adjustments.append(CountAdjustment(warehouse: key.warehouse, partNo: key.partNo, qty: variance.magnitude,
                                                       value: Money(cents: abs(value.cents)),
                                                       moveType: variance.milli > 0 ? .otherIn : .otherOut))
                }
            } else if let date = warehouseCountDate[key.warehouse] {
                // The warehouse was counted but this part was not: only worth a look when the book says there is stock.
                let bookQty = book(key)
                guard !bookQty.isZero else { continue }
                variances.append(StockVariance(warehouse: key.warehouse, partNo: key.partNo, countDate: date, bookQty: bookQty,
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

    static func ordersAgainstSales(month: Month, orders: [OrderLine], movements: [Movement]) -> [IssueMatch] {
        // Sized up front: growing by doubling holds the old and the new table at once (~0.1 GB at 10× a
        // month); the buckets never used are not touched, so they cost address space, not memory.
        var pairs: [DocPart: ExpectedAndIssued] = [:]
        pairs.reserveCapacity(orders.count)
        for line in orders where line.status == .shipped {
            guard let date = line.shipDate, month.contains(date) else { continue }
            pairs[DocPart(line.orderNo, line.partNo), default: .zero].expected += line.qty
        }
        for m in movements where m.type == .sale && month.contains(m.docDate) { pairs[DocPart(m.refNo, m.partNo), default: .zero].issued += m.qty }
        return matches(pairs)
    }

    static func repairsAgainstWarrantyIssues(month: Month, repairs: [RepairLine], movements: [Movement]) -> [IssueMatch] {
        var pairs: [DocPart: ExpectedAndIssued] = [:]
        pairs.reserveCapacity(repairs.count)
        for line in repairs where line.warranty && !line.partNo.isEmpty && month.contains(line.repairDate) {
            pairs[DocPart(line.repairNo, line.partNo), default: .zero].expected += line.qty
        }
        for m in movements where m.type == .warranty && month.contains(m.docDate) { pairs[DocPart(m.refNo, m.partNo), default: .zero].issued += m.qty }
        return matches(pairs)
    }

    /// Both sides of each pair in one table (at 10× a month, two tables and the union of their keys
    /// were ~0.5 GB at once), listed in (document, part) order.
    static func matches(_ pairs: [DocPart: ExpectedAndIssued]) -> [IssueMatch] {
        pairs.sorted { $0.key < $1.key }.map {
            IssueMatch(documentNo: $0.key.doc, partNo: $0.key.part, expected: $0.value.expected, issued: $0.value.issued)
        }
    }

    struct ExpectedAndIssued {
        var expected = Quantity.zero, issued = Quantity.zero
        static let zero = ExpectedAndIssued()
    }

    static func oldParts(month: Month, repairs: [RepairLine], movements: [Movement]) -> [OldPartOutstanding] {
        let end = month.lastDay
        var expected: [DocPart: (qty: Quantity, date: Day, dealer: String)] = [:]
        for line in repairs where line.warranty && line.oldPartReturn && !line.partNo.isEmpty && line.repairDate <= end {
            let key = DocPart(line.repairNo, line.partNo)
            if let current = expected[key] {
                expected[key] = (current.qty + line.qty, min(current.date, line.repairDate), current.dealer)
            } else {
                expected[key] = (line.qty, line.repairDate, line.dealerId)
            }
        }
        var received: [DocPart: Quantity] = [:]
        for m in movements where m.type == .oldPartIn && m.docDate <= end {
            received[DocPart(m.refNo, m.partNo), default: .zero] += m.qty
        }
        return expected.keys.sorted().compactMap { key in
            let e = expected[key]!
            let row = OldPartOutstanding(repairNo: key.doc, repairDate: e.date, dealerId: e.dealer, partNo: key.part,
                                         expectedQty: e.qty, receivedQty: received[key] ?? .zero, ageDays: e.date.distance(to: end))
            return row.outstandingQty.milli > 0 ? row : nil
        }
    }

    static func continuity(ledger: [LedgerRow], previous: [StockKey: Balance]) -> [OpeningDifference] {
        let opening = Dictionary(uniqueKeysWithValues: ledger.map { ($0.key, Balance(qty: $0.openingQty, value: $0.openingValue)) })
        let zero = Balance(qty: .zero, value: .zero)
        return Set(opening.keys).union(previous.keys).sorted().compactMap { key in
            let before = previous[key] ?? zero, now = opening[key] ?? zero
            guard before != now else { return nil }
            return OpeningDifference(warehouse: key.warehouse, partNo: key.partNo, previousClosingQty: before.qty,
                                     openingQty: now.qty, previousClosingValue: before.value, openingValue: now.value)
        }
    }
}

/// A (document number, part) pair.
struct DocPart: Hashable, Comparable {
    let doc: String
    let part: String
    init(_ doc: String, _ part: String) { self.doc = doc; self.part = part }
    static func < (a: DocPart, b: DocPart) -> Bool { (a.doc, a.part) < (b.doc, b.part) }
}
