import Core
import Ingest
import Reports

/// One cell explained (SPEC §8.6): its value in the report, then either the input rows (and
/// computation steps) whose contributions add up to it, or its formula over other cells of the
/// same table, each explained in turn.
public struct Explanation: Sendable {
    public let cell: CellAddress
    /// The report's cell.
    public let value: Cell
    public let body: Body
    /// What the rows add up to, or what the formula gives from its operands' cells.
    public let computed: Cell

    public enum Body: Sendable {
        case rows([ExplainedRow])
        /// The formula as text ("net_revenue − cogs") and its operands.
        case formula(String, [Explanation])
    }

    /// Whether the sum (or the formula) gives the cell exactly, and every operand's rows give the operand.
    public var reproduces: Bool {
        guard computed == value else { return false }
        if case .formula(_, let operands) = body { return operands.allSatisfy(\.reproduces) }
        return true
    }
}

/// An input row's contribution to a cell, or a step of the computation (no file).
public struct ExplainedRow: Sendable {
    public let file: String?
    public let line: Int?
    /// The values used ("qty=2 amount=1000.00").
    public let used: String
    /// How the costing method valued the line (FIFO layers, the average used, a residue).
    public let costing: ArraySlice<CostingStep>
    /// What cleared part of an open item (receivables): which credit or payment, how much.
    public let allocations: [String]
    public let amount: TracedAmount
}

extension Explanation {
    /// The sum of `rows` in the kind of `value` (money or quantity); blank when the cell is blank and no row adds to it.
    static func sum(_ rows: [ExplainedRow], like value: Cell) -> Cell {
        if rows.isEmpty, value == .empty { return .empty }
        switch value {
        case .qty:
            var total = Quantity.zero
            for row in rows {
                guard case .qty(let q) = row.amount else { return .empty }
                total += q
            }
            return .qty(total)
        default:
            var total = Money.zero
            for row in rows {
                guard case .money(let m) = row.amount else { return .empty }
                total += m
            }
            return .money(total)
        }
    }

    /// The formula's result over its operands' cells.
    static func evaluate(_ operation: Formula.Operation, _ operands: [Explanation]) -> Cell {
        switch operation {
        case .sum(let terms):
            var money = Money.zero, qty = Quantity.zero, isQty = false
            for (term, operand) in zip(terms, operands) {
                switch operand.value {
                case .money(let m): money += term.negated ? -m : m
                case .qty(let q): isQty = true; qty += term.negated ? -q : q
                case .empty: break
                default: return .empty
                }
            }
            return isQty ? .qty(qty) : .money(money)
        case .percent:
            guard case .money(let part) = operands[0].value, case .money(let whole) = operands[1].value else { return .empty }
            return .percent(Percent(Int128(part.cents), of: Int128(whole.cents)))
        }
    }

    /// "net_revenue − cogs", "gross_profit / net_revenue × 100".
    static func text(_ operation: Formula.Operation) -> String {
        func name(_ term: Formula.Term) -> String { term.metric ?? term.column }
        switch operation {
        case .sum(let terms):
            return terms.enumerated().map { n, term in (n == 0 ? (term.negated ? "−" : "") : (term.negated ? " − " : " + ")) + name(term) }
                .joined()
        case .percent(let part, let whole):
            return "\(name(part)) / \(name(whole)) × 100"
        }
    }
}
