/// The reports the tool writes. The raw value names the template (`templates/<locale>/<id>.toml`),
/// the CSV twin's folder and the workbook's file.
public enum ReportID: String, CaseIterable, Sendable {
    case dailyOrders = "daily-orders"
    case partsMovement = "parts-movement"
    case reconciliation
    case profit
    case qualityFeedback = "quality-feedback"
    case receivables

    /// The tables the report's workbook and CSV twin can hold, as its builder declares them (the Data
    /// issues sheet every workbook ends with aside: `DataIssues.schema`).
    public var tables: [TableSchema] {
        switch self {
        case .dailyOrders: DailyOrders.Tables.all
        case .partsMovement: [PartsMovement.Tables.movement]
        case .reconciliation: ReconciliationReport.Tables.all
        case .profit: Profit.Tables.all
        case .qualityFeedback: QualityFeedback.Tables.all
        case .receivables: Receivables.Tables.all
        }
    }

    /// The derived cells `explain` shows as formulas over other cells (SPEC §8.6).
    public var formulas: [Formula] {
        switch self {
        case .dailyOrders: []
        case .partsMovement: PartsMovement.formulas
        case .reconciliation: ReconciliationReport.formulas
        case .profit: Profit.formulas
        case .qualityFeedback: QualityFeedback.formulas
        case .receivables: Receivables.formulas
        }
    }

    /// Whether the CSV twin lists every issue of the run as `data_issues.csv` (SPEC §8.1).
    public var listsRunIssues: Bool { self == .reconciliation }
}

/// One column of a table: its canonical id (the CSV header; the template gives the label) and the
/// kind of cell it holds, which also picks its number format in the workbook.
public struct Column: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case text, code, count, money, qty, unitCost, percent, date
        /// Any number: the value column of a summary, whose kind follows the metric of its row.
        case figure
    }

    public let id: String
    public let kind: Kind

    public static func text(_ id: String) -> Column { Column(id: id, kind: .text) }
    public static func code(_ id: String) -> Column { Column(id: id, kind: .code) }
    public static func count(_ id: String) -> Column { Column(id: id, kind: .count) }
    public static func money(_ id: String) -> Column { Column(id: id, kind: .money) }
    public static func qty(_ id: String) -> Column { Column(id: id, kind: .qty) }
    public static func unitCost(_ id: String) -> Column { Column(id: id, kind: .unitCost) }
    public static func percent(_ id: String) -> Column { Column(id: id, kind: .percent) }
    public static func date(_ id: String) -> Column { Column(id: id, kind: .date) }
    public static func figure(_ id: String) -> Column { Column(id: id, kind: .figure) }

    /// Whether `cell` may stand in this column (an empty cell may stand anywhere).
    public func admits(_ cell: Cell) -> Bool {
        switch (kind, cell) {
        case (_, .empty), (.text, .text), (.code, .code), (.count, .count), (.money, .money), (.qty, .qty),
             (.unitCost, .unitCost), (.percent, .percent), (.date, .date),
             (.figure, .count), (.figure, .money), (.figure, .qty), (.figure, .unitCost), (.figure, .percent):
            return true
        default:
            return false
        }
    }
}

/// A table's id and columns, declared once by the report that builds it.
public struct TableSchema: Sendable, Equatable {
    /// The sheet's template key and the CSV twin's file name.
    public let id: String
    public let columns: [Column]
    /// The columns' ids, in order.
    public let columnIDs: [String]
    /// The columns naming a row: what `explain --key` takes and what a rerun's row is matched by
    /// (changes.csv, SPEC §8.6); the first column unless the table declares others.
    public let key: [String]

    public init(_ id: String, _ columns: [Column], key: [String]? = nil) {
        self.id = id
        self.columns = columns
        columnIDs = columns.map(\.id)
        self.key = key ?? [columns[0].id]
        precondition(self.key.allSatisfy(columnIDs.contains), "\(id): a key column it does not have")
    }

    /// The first cell of `rows` that does not fit its column, described; nil when all fit.
    public func misfit(in rows: [[Cell]]) -> String? {
        for (r, row) in rows.enumerated() {
            guard row.count == columns.count else { return "\(id) row \(r): \(row.count) cells for \(columns.count) columns" }
            for (column, cell) in zip(columns, row) where !column.admits(cell) {
                return "\(id) row \(r): \(cell) in the \(column.kind) column \(column.id)"
            }
        }
        return nil
    }
}

/// A derived cell's formula over other cells of the same table (SPEC §8.6): `explain` shows it,
/// checks it and explains its operands instead of listing input rows. Each report declares its
/// formulas beside its tables (`ReportID.formulas`).
public struct Formula: Sendable {
    /// One operand: `column` of the same row, or of the summary row `metric`; added or subtracted.
    public struct Term: Sendable {
        public let negated: Bool
        public let column: String
        public let metric: String?
    }
    public enum Operation: Sendable {
        case sum([Term])
        /// round2(part / whole × 100), blank when whole is 0.
        case percent(Term, of: Term)
    }
    public let table: String
    public let column: String
    /// For a summary table (metric, value): the metric row it derives; nil = every row of the table.
    public let metric: String?
    public let operation: Operation

    /// `column` = the sum of `terms` in every row of `table`: `Formula.sum("by_part", "gross_profit", "+net_revenue", "-cogs")`.
    public static func sum(_ table: String, _ column: String, _ terms: String...) -> Formula {
        Formula(table: table, column: column, metric: nil, operation: .sum(terms.map { term($0, metric: false) }))
    }
    /// The summary row `metric` = the sum of the rows `terms` (`"+revenue"`, `"-returns"`).
    public static func summary(_ table: String, _ metric: String, _ terms: String...) -> Formula {
        Formula(table: table, column: "value", metric: metric, operation: .sum(terms.map { term($0, metric: true) }))
    }
    /// A margin: `column` = `part` / `whole` × 100 in every row; in a summary the rows `part` and `whole`.
    public static func percent(_ table: String, _ column: String, _ part: String, of whole: String, metric: String? = nil) -> Formula {
        Formula(table: table, column: column, metric: metric,
                operation: .percent(term("+" + part, metric: metric != nil), of: term("+" + whole, metric: metric != nil)))
    }

    private static func term(_ text: String, metric: Bool) -> Term {
        let name = String(text.dropFirst())
        return Term(negated: text.first == "-", column: metric ? "value" : name, metric: metric ? name : nil)
    }
}
