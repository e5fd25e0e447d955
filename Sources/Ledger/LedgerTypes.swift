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

/// Money per movement line by its RowRef: an open-addressing table sized once for its entries. (A
/// Dictionary of RowRefs, hashed through SipHash, took ~0.13 GB and a quarter of the ledger's time at
/// ten times a month.)
public struct LineValues: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// At most three quarters used; a free slot holds `free`, which is no row's reference.
    private var slots: [(ref: RowRef, value: Money)]
    private static let free = RowRef(file: .min, line: .min)
    public private(set) var count = 0

    /// The values of `entries`; of two with the same ref, the later.
    public init(_ entries: some Collection<(RowRef, Money)>) {
        var size = 16
        while size * 3 < entries.count * 4 { size *= 2 }
        slots = Array(repeating: (Self.free, .zero), count: size)
        for (ref, value) in entries {
            precondition(ref != Self.free, "\(ref) is not a row's reference")
            let slot = self.slot(ref)
            if slots[slot].ref == Self.free { count += 1 }
            slots[slot] = (ref, value)
        }
    }

    public init(dictionaryLiteral elements: (RowRef, Money)...) { self.init(elements) }

    public subscript(ref: RowRef) -> Money? {
        let slot = slot(ref)
        return slots[slot].ref == Self.free ? nil : slots[slot].value
    }

    /// The slot holding `ref`, else the free one where it goes (Fibonacci hashing: the slot is the
    /// top bits of the reference times 2^64 / φ).
    private func slot(_ ref: RowRef) -> Int {
        let key = UInt64(UInt32(bitPattern: ref.file)) << 32 | UInt64(UInt32(bitPattern: ref.line))
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slots.count.trailingZeroBitCount))
        while slots[slot].ref != Self.free && slots[slot].ref != ref { slot = (slot + 1) & mask }
        return slot
    }

    public static func == (a: LineValues, b: LineValues) -> Bool {
        a.count == b.count && a.slots.allSatisfy { $0.ref == free || b[$0.ref] == $0.value }
    }
}
