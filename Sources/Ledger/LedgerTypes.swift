import Config
import Core
import Ingest

/// The stock ledger of one month (SPEC §4.2): a row per (warehouse, part) and the value of every
/// movement line, under one of the three costing methods.
public struct StockKey: Hashable, Sendable, Comparable {
    public let warehouse: String
    public let partNo: String
    public init(warehouse: String, partNo: String) { self.warehouse = warehouse; self.partNo = partNo }
    public static func < (a: StockKey, b: StockKey) -> Bool {
        (a.warehouse, a.partNo) < (b.warehouse, b.partNo)
    }
}

/// A quantity with its value: an opening balance, the running stock of the moving average, or last
/// month's closing as read back from closing-balances.
public struct Balance: Sendable, Equatable {
    public var qty: Quantity
    public var value: Money
    public init(qty: Quantity, value: Money) { self.qty = qty; self.value = value }
    public static let zero = Balance(qty: .zero, value: .zero)
}

/// One (warehouse, part) row of the month: closing = opening + receipts − issues, in qty and value.
public struct LedgerRow: Sendable, Equatable {
    public let key: StockKey
    public var openingQty = Quantity.zero
    public var openingValue = Money.zero
    /// Net of reversals (红冲), in the receipt direction.
    public var receiptQty = Quantity.zero
    public var receiptValue = Money.zero
    /// Net of reversals, in the issue direction.
    public var issueQty = Quantity.zero
    public var issueValue = Money.zero
    public var closingQty = Quantity.zero
    public var closingValue = Money.zero
    /// closing value / closing qty when closing qty > 0, else the method's last unit cost, else 0 (SPEC §6).
    public var unitCost = UnitPrice.zero
    /// Net quantity per move type as in the file (a reversal reduces its own type's figure).
    public var qtyByType: [MoveType: Quantity] = [:]
    /// The first date the running quantity went below 0 (walked in moving-average order), and the lowest it reached.
    public var firstNegativeDate: Day?
    public var minQty = Quantity.zero

    public init(key: StockKey) { self.key = key }
}

/// The month's ledger: one row per (warehouse, part), and the value of every movement line of the month.
public struct LedgerResult: Sendable {
    /// Sorted by `StockKey`.
    public let rows: [LedgerRow]
    /// The value of each movement line dated in the month, signed in its type's direction: a reversal's
    /// value is negative. Receipt lines hold round2(qty × unit_cost); issue lines the method's value.
    public let lineValues: LineValues
}

/// Money per movement line by its RowRef, kept as two arrays in ascending (file, line) order: the
/// order of the movements, in which the ledger makes the values and profit reads them, so that a
/// `Reader` walks both arrays once instead of probing a table of ~64 MB at ten times a month for each
/// line. Any other lookup is a binary search.
public struct LineValues: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private var refs: [RowRef] = []
    private var values: [Money] = []
    public var count: Int { refs.count }

    /// The values of `entries`; of two with the same ref, the later.
    public init(_ entries: some Collection<(RowRef, Money)>) {
        refs.reserveCapacity(entries.count)
        values.reserveCapacity(entries.count)
        var ascending = true
        for (ref, value) in entries {
            if let last = refs.last, ref.order <= last.order { ascending = false }
            refs.append(ref)
            values.append(value)
        }
        guard !ascending else { return }
        // Sorted by ref, the later of equal refs last (the sort is stable), which is the one kept.
        let order = refs.indices.sorted { (refs[$0].order, $0) < (refs[$1].order, $1) }
        let kept = order.indices.filter { $0 + 1 == order.count || refs[order[$0 + 1]] != refs[order[$0]] }.map { order[$0] }
        (refs, values) = (kept.map { refs[$0] }, kept.map { values[$0] })
    }

    public init(dictionaryLiteral elements: (RowRef, Money)...) { self.init(elements) }

    public subscript(ref: RowRef) -> Money? {
        let key = ref.order
        var low = 0, high = refs.count
        while low < high {
            let middle = (low + high) / 2
            if refs[middle].order < key { low = middle + 1 } else { high = middle }
        }
        return low < refs.count && refs[low] == ref ? values[low] : nil
    }

    /// Looks up refs in ascending order (as a walk over the movements meets them) by moving forward
    /// through the arrays; a ref below the last one asked for is searched.
    public struct Reader {
        private let lines: LineValues
        private var position = 0
        private var lastKey: UInt64 = 0

        public init(_ lines: LineValues) { self.lines = lines }

        public mutating func value(for ref: RowRef) -> Money? {
            let key = ref.order
            guard key >= lastKey else { return lines[ref] }
            lastKey = key
            while position < lines.refs.count, lines.refs[position].order < key { position += 1 }
            return position < lines.refs.count && lines.refs[position] == ref ? lines.values[position] : nil
        }
    }
}
