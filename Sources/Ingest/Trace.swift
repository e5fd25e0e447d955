import Core
import Foundation

// Tracing lives in Ingest, beside `RowRef`, because every stage that traces (Ledger, Reconcile,
// Reports) names the input rows by it.

/// A cell of a report's table as `aftersales explain` names it (SPEC §8.6): the table, the row's key
/// (its id columns, `TableSchema.key`) and the column.
public struct CellAddress: Hashable, Sendable, CustomStringConvertible {
    public let table: String
    public let key: [String]
    public let column: String
    public init(table: String, key: [String], column: String) { (self.table, self.key, self.column) = (table, key, column) }
    public var description: String { "\(table)[\(key.joined(separator: ","))].\(column)" }
}

/// What one contribution adds to a cell.
public enum TracedAmount: Sendable, Equatable {
    case money(Money)
    case qty(Quantity)
}

/// One contribution to a cell: an input row (file, line) with the values the report used from it,
/// or, with no row, a step of the computation itself (the monthly average's residue on a row
/// without issue lines, a value at an exact unit cost).
public struct Contribution: Sendable, Equatable {
    public let row: RowRef?
    public let amount: TracedAmount
    /// The values used, as `name=value` pairs ("qty=3 unit_price=12.5").
    public let used: String
    /// An open item's clearing (receivables): each credit or payment that cleared part of it, and how much.
    public let allocations: [String]

    public init(row: RowRef?, amount: TracedAmount, used: String, allocations: [String] = []) {
        (self.row, self.amount, self.used, self.allocations) = (row, amount, used, allocations)
    }
}

/// The hook the report builders and the ledger call where a figure is added up. The normal run
/// passes `NoTrace`: every builder is generic over its tracer and called with a concrete one inside
/// its own module, so the no-op calls are specialized away and the arguments (autoclosures) never
/// built. `explain` passes a `CellTrace`, which keeps only what feeds the cells it was asked about.
/// The contributions are recorded by the very statements that make the figures: one code path.
public protocol Tracer: Sendable {
    /// False for `NoTrace`: a builder guards work done only to trace (a category looked up per line)
    /// with it, and the branch folds away.
    static var isOn: Bool { get }
    /// `amount`, from the input row `row` (nil: a computation step) with the values `used`, adds to
    /// the cell (`table`, [`key`, `key2`], `column`); `key2` is "" for a table keyed by one id.
    func add(_ table: String, _ key: String, _ key2: String, _ column: String, _ amount: TracedAmount, row: RowRef?,
             used: @autoclosure () -> String)
    /// The same for a cell keyed by any number of ids (`keys`, built only when the column is asked
    /// about), with the allocations that cleared the open item the row stands for.
    func add(_ table: String, keys: @autoclosure () -> [String], _ column: String, _ amount: TracedAmount, row: RowRef?,
             used: @autoclosure () -> String, allocations: @autoclosure () -> [String])
    /// Whether any cell asked about is in one of `tables` (a builder skips what feeds no such table).
    func wants(anyOf tables: [String]) -> Bool
    /// Whether `cell` was asked about (a running balance adds every row before it: only where asked).
    func wants(_ cell: CellAddress) -> Bool
    /// Whether a cell asked about in one of `tables` has `key` as its first key (the receivables record
    /// their input rows for the dealers asked about only).
    func wants(_ key: String, inAnyOf tables: [String]) -> Bool
    /// Whether the costing step of movement line `row` is wanted (`costing` is then called for it).
    func wantsCosting(_ row: RowRef) -> Bool
    /// How the costing method valued movement line `row`: the average used, the FIFO layers consumed, a residue.
    func costing(_ row: RowRef, _ step: CostingStep)
}

/// The normal run's tracer: does nothing, costs nothing once specialized.
public struct NoTrace: Tracer {
    @inlinable public init() {}
    @inlinable public static var isOn: Bool { false }
    @inlinable public func add(_ table: String, _ key: String, _ key2: String, _ column: String, _ amount: TracedAmount,
                               row: RowRef?, used: @autoclosure () -> String) {}
    @inlinable public func add(_ table: String, keys: @autoclosure () -> [String], _ column: String, _ amount: TracedAmount,
                               row: RowRef?, used: @autoclosure () -> String, allocations: @autoclosure () -> [String]) {}
    @inlinable public func wants(anyOf tables: [String]) -> Bool { false }
    @inlinable public func wants(_ cell: CellAddress) -> Bool { false }
    @inlinable public func wants(_ key: String, inAnyOf tables: [String]) -> Bool { false }
    @inlinable public func wantsCosting(_ row: RowRef) -> Bool { false }
    @inlinable public func costing(_ row: RowRef, _ step: CostingStep) {}
}

/// `explain`'s tracer: the contributions to the cells asked about, and the costing steps of the
/// movement lines asked about. A class, so that the builders pass it by value and it still collects;
/// locked, as a stage's parts run side by side (the order of what it collects is then sorted by the reader).
public final class CellTrace: Tracer, @unchecked Sendable {
    private let lock = NSLock()
    public let cells: Set<CellAddress>
    private let columns: Set<String>
    /// The cells as (table, key, key2, column) when they are few (one cell and its formula's operands):
    /// compared in place, where hashing a column name at each of ~10 calls per input row was most of
    /// an explanation's time at the month scale; what they collect is kept by position, unhashed.
    private let few: [(table: String, key: String, key2: String, column: String)]?
    private let fewCells: [CellAddress]
    private var fewContributions: [[Contribution]]
    private let costsLines: Bool
    /// Per table, the first keys of its cells asked about.
    private let firstKeys: [String: Set<String>]
    private var contributions: [CellAddress: [Contribution]] = [:]
    /// The costing steps in the order they were taken, each with its line: a list, not a map from line to
    /// steps (at the month scale every issue line has one, ~190k; an array per line was ~0.2 s).
    private var stepRows: [RowRef] = [], stepList: [CostingStep] = []

    /// - Parameters:
    ///   - cells: the cells whose contributions are kept.
    ///   - costsLines: whether the costing step of every movement line valued is kept.
    public init(cells: Set<CellAddress>, costsLines: Bool = false) {
        self.cells = cells
        self.costsLines = costsLines
        columns = Set(cells.map(\.column))
        // A key2 of "" stands for a one-id key here: a two-id key ending in "" goes the hashed way.
        let fewCells = cells.count > 16 || cells.contains { $0.key.isEmpty || $0.key.count > 2 || $0.key.last!.isEmpty } ? nil
            : Array(cells)
        few = fewCells?.map { ($0.table, $0.key[0], $0.key.count > 1 ? $0.key[1] : "", $0.column) }
        self.fewCells = fewCells ?? []
        fewContributions = Array(repeating: [], count: self.fewCells.count)
        firstKeys = Dictionary(grouping: cells, by: \.table).mapValues { Set($0.compactMap(\.key.first)) }
    }

    public static var isOn: Bool { true }

    public func add(_ table: String, _ key: String, _ key2: String, _ column: String, _ amount: TracedAmount, row: RowRef?,
                    used: @autoclosure () -> String) {
        if let few {
            // The key first: it differs for most rows, the column for few.
            guard let n = few.firstIndex(where: { $0.key == key && $0.column == column && $0.key2 == key2 && $0.table == table })
            else { return }
            let contribution = Contribution(row: row, amount: amount, used: used())
            lock.withLock { fewContributions[n].append(contribution) }
            return
        }
        guard columns.contains(column) else { return }
        let address = CellAddress(table: table, key: key2.isEmpty ? [key] : [key, key2], column: column)
        guard cells.contains(address) else { return }
        let contribution = Contribution(row: row, amount: amount, used: used())
        lock.withLock { contributions[address, default: []].append(contribution) }
    }

    public func add(_ table: String, keys: @autoclosure () -> [String], _ column: String, _ amount: TracedAmount, row: RowRef?,
                    used: @autoclosure () -> String, allocations: @autoclosure () -> [String]) {
        guard columns.contains(column) else { return }
        let address = CellAddress(table: table, key: keys(), column: column)
        guard cells.contains(address) else { return }
        let contribution = Contribution(row: row, amount: amount, used: used(), allocations: allocations())
        lock.withLock { contributions[address, default: []].append(contribution) }
    }

    public func wants(_ cell: CellAddress) -> Bool { cells.contains(cell) }

    public func wants(_ key: String, inAnyOf tables: [String]) -> Bool { tables.contains { firstKeys[$0]?.contains(key) == true } }

    public func wantsCosting(_ row: RowRef) -> Bool { costsLines }

    /// Whether any cell asked about is in one of `tables`.
    public func wants(anyOf tables: [String]) -> Bool { cells.contains { tables.contains($0.table) } }

    public func costing(_ row: RowRef, _ step: CostingStep) {
        lock.withLock {
            stepRows.append(row)
            stepList.append(step)
        }
    }

    /// What was collected for `cell`, in no particular order.
    public func contributions(to cell: CellAddress) -> [Contribution] {
        lock.withLock {
            let few = fewCells.firstIndex(of: cell).map { fewContributions[$0] } ?? [], hashed = contributions[cell] ?? []
            return hashed.isEmpty ? few : few + hashed   // the array itself when it is the only one (no copy)
        }
    }

    /// The costing steps taken, to be looked up by line.
    public func costingSteps() -> CostingSteps { lock.withLock { CostingSteps(rows: stepRows, steps: stepList) } }
}

/// The costing steps of movement lines, looked up by line.
public struct CostingSteps: Sendable {
    private let orders: [UInt64]
    private let steps: [CostingStep]

    /// No steps.
    public init() { (orders, steps) = ([], []) }

    /// `steps[n]` was taken for line `rows[n]`; a line's steps keep their order.
    init(rows: [RowRef], steps: [CostingStep]) {
        // A stable order by line: the ledger takes a line's steps one after another, the lines
        // of a (warehouse, part) together, so the list is sorted by part, not by line.
        // Sorted as (line, position) pairs side by side in memory: comparing through the positions into
        // `rows` was ~0.1 s for the month's ~190k steps.
        var keyed = rows.indices.map { (line: rows[$0].order, position: $0) }
        keyed.sort { $0.line != $1.line ? $0.line < $1.line : $0.position < $1.position }
        (orders, self.steps) = (keyed.map(\.line), keyed.map { steps[$0.position] })
    }

    /// The steps of line `row`, in the order they were taken.
    public func steps(of row: RowRef) -> ArraySlice<CostingStep> {
        let key = row.order
        var low = 0, high = orders.count
        while low < high {
            let middle = (low + high) / 2
            if orders[middle] < key { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < orders.count && orders[end] == key { end += 1 }
        return steps[low..<end]
    }
}

/// One step of how the costing method valued an issue line (SPEC §8.6), kept as its values: the text
/// is made only when printed, straight into the output's bytes (at the month scale profit's summary
/// cogs lists ~190k of them).
public enum CostingStep: Sendable, CustomStringConvertible {
    /// Monthly average: round2(qty × c) = value.
    case monthlyAverage(qty: Quantity, value: Money, c: AverageCost)
    /// The monthly average's rounding residue, taken by the issue line with the largest qty.
    case residue(Money)
    /// Moving average, the line brings Q to 0: it takes all of V.
    case movingAllOfV(Money)
    /// Moving average: round2(qty × V/Q), V and Q before the line.
    case movingShare(qty: Quantity, v: Money, q: Quantity)
    /// Moving average with Q ≤ 0: round2(qty × the last known V/Q).
    case movingLastKnown(qty: Quantity, q: Quantity, knownV: Money, knownQ: Quantity)
    /// Moving average with Q ≤ 0 and no known V/Q: round2(qty × the last receipt's unit cost).
    case movingLastReceipt(qty: Quantity, q: Quantity, cost: UnitPrice)
    /// FIFO issue: round2(Σ qty × layer cost).
    case fifo([FIFOTake])
    /// FIFO issue reversal: −round2(Σ qty × layer cost) put back.
    case fifoReversal([FIFOTake])

    /// The monthly average's c.
    public enum AverageCost: Sendable {
        /// (opening + receipt value) / (opening + receipt qty), that qty > 0.
        case averaged(value: Money, qty: Quantity, unitCost: UnitPrice)
        /// No stock to average: the last receipt's unit cost.
        case lastReceipt(UnitPrice)
    }

    /// A part of a FIFO issue or reversal: `qty` at `cost`, from where.
    public struct FIFOTake: Sendable {
        public let qty: Quantity
        public let cost: UnitPrice
        public let source: Source
        public init(_ qty: Quantity, at cost: UnitPrice, _ source: Source) { (self.qty, self.cost, self.source) = (qty, cost, source) }

        public enum Source: String, Sendable {
            case layer = "layer"
            case shortfall = "shortfall at the newest layer's cost"
            case frontLayer = "front layer"
            case noLayerLeft = "no layer left: newest cost"
            case negativeLayerRefilled = "negative layer refilled"
        }
    }

    public var description: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the step's text to `out`.
    public func write(to out: inout [UInt8]) {
        func put(_ text: String) { out.append(contentsOf: text.utf8) }
        func put(_ value: some CustomStringConvertible) { out.append(contentsOf: value.description.utf8) }
        func put(_ takes: [FIFOTake]) {
            for (n, take) in takes.enumerated() {
                if n > 0 { put(" + ") }
                put(take.qty); put(" @ "); put(take.cost); put(" ("); put(take.source.rawValue); put(")")
            }
        }
        switch self {
        case .monthlyAverage(let qty, let value, let c):
            put("monthly average: round2("); put(qty); put(" × c) = "); put(value); put(", ")
            switch c {
            case .averaged(let value, let qty, let unitCost):
                put("c = (opening + receipt value) / (opening + receipt qty) = "); put(value); put(" / "); put(qty)
                put(" ≈ "); put(unitCost)
            case .lastReceipt(let cost):
                put("c = the last receipt unit_cost "); put(cost); put(" (no stock to average)")
            }
        case .residue(let residue):
            put("+ rounding residue "); put(residue); put(" (the issue line with the largest qty takes it)")
        case .movingAllOfV(let v):
            put("moving average: brings Q to 0, takes all of V = "); put(v)
        case .movingShare(let qty, let v, let q):
            put("moving average: round2("); put(qty); put(" × V/Q), V/Q = "); put(v); put(" / "); put(q); put(" before the line")
        case .movingLastKnown(let qty, let q, let knownV, let knownQ):
            put("moving average: Q = "); put(q); put(" ≤ 0, round2("); put(qty); put(" × the last known V/Q = "); put(knownV)
            put(" / "); put(knownQ); put(")")
        case .movingLastReceipt(let qty, let q, let cost):
            put("moving average: Q = "); put(q); put(" ≤ 0, round2("); put(qty); put(" × the last receipt unit_cost "); put(cost)
            put(")")
        case .fifo(let takes):
            put("FIFO: round2("); put(takes); put(")")
        case .fifoReversal(let takes):
            put("FIFO reversal: −round2("); put(takes); put(") put back")
        }
    }
}
