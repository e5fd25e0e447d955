/// The reports the tool writes. The raw value names the template (`templates/<locale>/<id>.toml`),
/// the CSV twin's folder and the workbook's file.
public enum ReportID: String, CaseIterable, Sendable {
    case dailyOrders = "daily-orders"
    case partsMovement = "parts-movement"
    case reconciliation
    case profit
    case qualityFeedback = "quality-feedback"

    /// The tables the report's workbook and CSV twin can hold, as its builder declares them (the Data
    /// issues sheet every workbook ends with aside: `DataIssues.schema`).
    public var tables: [TableSchema] {
        switch self {
        case .dailyOrders: DailyOrders.Tables.all
        case .partsMovement: [PartsMovement.Tables.movement]
        case .reconciliation: ReconciliationReport.Tables.all
        case .profit: Profit.Tables.all
        case .qualityFeedback: QualityFeedback.Tables.all
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
    /// The columns naming a row, what a rerun's row is matched by (changes.csv, SPEC §8.6): the first
    /// column unless the table declares others.
    public let key: [String]

    public init(_ id: String, key: [String]? = nil, _ columns: [Column]) {
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
