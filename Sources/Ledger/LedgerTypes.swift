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
    public let lineValues: [RowRef: Money]
}
