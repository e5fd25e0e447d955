import Core
import Ingest
import Ledger
import Reconcile

/// 配件收发月统计表 (SPEC §5.1 parts-movement): one row per (warehouse, part) with any
/// opening, movement or count in M; a sheet per warehouse with a totals row in the workbook.
public enum PartsMovement {
    public enum Tables {
        /// One `<type>_qty` column per move type.
        static let typeColumns = MoveType.allCases.map { Column.qty("\($0.rawValue.lowercased())_qty") }
        public static let movement = TableSchema("movement", [
            .code("warehouse"), .text("part_no"), .text("part_name"), .text("spec"), .text("unit"),
            .qty("opening_qty"), .money("opening_value"), .qty("receipt_qty"), .money("receipt_value"), .qty("issue_qty"),
            .money("issue_value"), .qty("closing_qty"), .money("closing_value"), .unitCost("unit_cost"),
        ] + typeColumns + [.qty("counted_qty"), .qty("variance_qty")], key: ["warehouse", "part_no"])
        /// closing-balances-M.csv (not a report's table: a file of the month's folder).
        public static let closingBalances = TableSchema("closing-balances", [
            .text("warehouse"), .text("part_no"), .qty("qty"), .money("value"), .date("as_of"),
        ], key: ["warehouse", "part_no"])
        /// count-adjustments-M.csv.
        public static let countAdjustments = TableSchema("count-adjustments", [
            .text("warehouse"), .text("part_no"), .qty("qty"), .money("value"), .code("move_type"),
        ], key: ["warehouse", "part_no"])
    }
    /// The derived cells: closing = opening + receipts − issues (SPEC §4.2).
    static let formulas: [Formula] = [
        .sum(Tables.movement.id, "closing_qty", "+opening_qty", "+receipt_qty", "-issue_qty"),
        .sum(Tables.movement.id, "closing_value", "+opening_value", "+receipt_value", "-issue_value"),
    ]
    static let summed: Set<String> = Set(["opening_qty", "opening_value", "receipt_qty", "receipt_value", "issue_qty",
                                          "issue_value", "closing_qty", "closing_value"] + Tables.typeColumns.map(\.id))

    public static func build(month: Month, ledger: [LedgerRow], variances: [StockVariance], parts: [String: Part]) -> Report {
        let (rows, counts) = rowsWithCounts(ledger: ledger, variances: variances)
        let cells: [[Cell]] = zip(rows, counts).map { row, count in
            let part = parts[row.key.partNo]
            var line: [Cell] = [.code(row.key.warehouse), .text(row.key.partNo), .text(part?.name ?? DailyOrders.unknownName),
                                .text(part?.spec ?? ""), .text(part?.unit ?? ""),
                                .qty(row.openingQty), .money(row.openingValue), .qty(row.receiptQty), .money(row.receiptValue),
                                .qty(row.issueQty), .money(row.issueValue), .qty(row.closingQty), .money(row.closingValue),
                                .price(row.unitCost)]
            line += MoveType.allCases.map { .qty(row.qtyByType[$0] ?? .zero) }
            line += [count?.countedQty.map(Cell.qty) ?? .empty, count?.varianceQty.map(Cell.qty) ?? .empty]
            return line
        }
        let table = Table(Tables.movement, rows: cells)
        var byWarehouse = TextGroups<[[Cell]]>()
        for (row, line) in zip(rows, cells) { byWarehouse.values[byWarehouse.group(row.key.warehouse, default: [])].append(line) }
        let sheets = byWarehouse.keys.indices.sorted { byWarehouse.keys[$0] < byWarehouse.keys[$1] }.map { n in
            Table(Tables.movement, rows: byWarehouse.values[n],
                  totals: Table.totals(of: byWarehouse.values[n], Tables.movement, summing: summed), variant: byWarehouse.keys[n])
        }
        return Report(id: .partsMovement, period: month.description, tables: [table],
                      sheets: sheets.isEmpty ? [table] : sheets)
    }

    /// closing-balances-M.csv: next month's opening file as is (SPEC §5.1), 0/0 rows included.
    public static func closingBalances(month: Month, ledger: [LedgerRow], variances: [StockVariance]) -> Table {
        let asOf = month.next.firstDay
        return Table(Tables.closingBalances,
                     rows: rowsWithCounts(ledger: ledger, variances: variances).rows.map { row in
                         [.text(row.key.warehouse), .text(row.key.partNo), .qty(row.closingQty), .money(row.closingValue), .date(asOf)]
                     })
    }

    /// The ledger's rows, and a zero row per (warehouse, part) counted in M without one, each with its
    /// count (nil when not counted), in (warehouse, part) id order.
    static func rowsWithCounts(ledger: [LedgerRow], variances: [StockVariance]) -> (rows: [LedgerRow], counts: [StockVariance?]) {
        var slots = PairIndex()   // (warehouse, part) → the ledger's row, then the rows added here
        for (n, row) in ledger.enumerated() {
            let s = slots.insert(row.key.warehouse, row.key.partNo)
            precondition(s == n, "two ledger rows for \(row.key)")
        }
        var added: [LedgerRow] = []
        var counts = [StockVariance?](repeating: nil, count: ledger.count)
        for v in variances where v.countedQty != nil {
            let s = slots.insert(v.warehouse, v.partNo)
            if s == counts.count {
                added.append(LedgerRow(key: StockKey(warehouse: v.warehouse, partNo: v.partNo)))
                counts.append(nil)
            }
            counts[s] = v
        }
        func row(_ s: Int) -> LedgerRow { s < ledger.count ? ledger[s] : added[s - ledger.count] }
        let order = idOrder(counts.indices.map { row($0).key.warehouse }, counts.indices.map { row($0).key.partNo })
        return (order.map(row), order.map { counts[$0] })
    }

    /// count-adjustments-M.csv: the variances to post back into the ERP.
    public static func countAdjustments(_ adjustments: [CountAdjustment]) -> Table {
        Table(Tables.countAdjustments,
              rows: adjustments.map { [.text($0.warehouse), .text($0.partNo), .qty($0.qty), .money($0.value), .code($0.moveType.rawValue)] })
    }
}
