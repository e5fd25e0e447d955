import Core
import Reconcile

/// The reconciliation workbook lists the exceptions first (SPEC §8.3); the CSV twin keeps every row in id
/// order. A sheet holds the twin's own row arrays in another order (shared, not copied), so the 1.9M
/// pairs of order_issue at ten times a month cost a sort of positions and no cells.
extension ReconciliationReport {
    /// The pairs not `matched`, largest |diff_qty| first, then ids; totals of the pairs shown. The heading
    /// names how many matched (`{matched}` in the template's title and empty line).
    static func unmatchedSheet(_ table: Table, pairs: [IssueMatch]) -> Table {
        let shown = pairs.indices.filter { pairs[$0].status != .matched }
        let order = exceptionOrder(shown.map { -abs(pairs[$0].diff.milli) },
                                   ids: [shown.map { pairs[$0].documentNo }, shown.map { pairs[$0].partNo }])
        let rows = order.map { table.rows[shown[$0]] }
        let quantities = Set(table.schema.columns.filter { $0.kind == .qty }.map(\.id))
        var sheet = Table(table.schema, rows: rows, totals: Table.totals(of: rows, table.schema, summing: quantities))
        sheet.headingValues["matched"] = pairs.count - shown.count
        return sheet
    }

    /// stock_variance: `investigate` variances, then the other non-zero variances, each by |variance_value|
    /// then |variance_qty| largest first; then `not_counted`, then matches; ties in id order.
    static func varianceSheet(_ table: Table, variances: [StockVariance]) -> Table {
        let ranks = variances.map { v in
            VarianceRank(group: group(v), value: -abs(v.varianceValue?.cents ?? 0), qty: -abs(v.varianceQty?.milli ?? 0))
        }
        var sheet = table
        sheet.rows = exceptionOrder(ranks, ids: [variances.map(\.warehouse), variances.map(\.partNo)]).map { table.rows[$0] }
        return sheet
    }

    /// old_parts_outstanding: the oldest repair first, then ids.
    static func oldestFirstSheet(_ table: Table, outstanding: [OldPartOutstanding]) -> Table {
        var sheet = table
        sheet.rows = exceptionOrder(outstanding.map(\.repairDate), ids: [outstanding.map(\.repairNo), outstanding.map(\.partNo)])
            .map { table.rows[$0] }
        return sheet
    }

    private static func group(_ v: StockVariance) -> Int {
        switch v.status {
        case .surplus, .shortage: v.action == .investigate ? 0 : 1
        case .notCounted: 2
        case .match: 3
        }
    }

    private struct VarianceRank: Comparable {
        let group: Int
        let value: Int64
        let qty: Int64
        static func < (a: Self, b: Self) -> Bool { (a.group, a.value, a.qty) < (b.group, b.value, b.qty) }
    }
}

/// Positions of `keys` sorted by key ascending, ties in the id order of the rows' `ids` columns (`idOrder`).
func exceptionOrder<Key: Comparable>(_ keys: [Key], ids: [[String]]) -> [Int] {
    var rank = [Int](repeating: 0, count: keys.count)
    for (r, position) in idOrder(ids).enumerated() { rank[position] = r }
    return keys.indices.sorted { (keys[$0], rank[$0]) < (keys[$1], rank[$1]) }
}
