import Core
import Ingest
import Ledger
import Reconcile

/// 配件收发月统计表 (SPEC §5.1 parts-movement): one row per (warehouse, part) with any
/// opening, movement or count in M; a sheet per warehouse with a totals row in the workbook.
public enum PartsMovement {
    public static let typeColumns = MoveType.allCases.map { "\($0.rawValue.lowercased())_qty" }
    public static let columns = ["warehouse", "part_no", "part_name", "spec", "unit",
                                 "opening_qty", "opening_value", "receipt_qty", "receipt_value", "issue_qty", "issue_value",
                                 "closing_qty", "closing_value", "unit_cost"] + typeColumns + ["counted_qty", "variance_qty"]
    static let summed: Set<String> = Set(["opening_qty", "opening_value", "receipt_qty", "receipt_value", "issue_qty",
                                          "issue_value", "closing_qty", "closing_value"] + typeColumns)

    public static func build(month: Month, ledger: [LedgerRow], variances: [StockVariance], parts: [String: Part]) -> Report {
        let counted = Dictionary(uniqueKeysWithValues: variances.filter { $0.countedQty != nil }
            .map { (StockKey(warehouse: $0.warehouse, partNo: $0.partNo), $0) })
        // Parts counted in M without opening or movement still get a (zero) ledger row.
        var rows = ledger
        let known = Set(ledger.map(\.key))
        rows += counted.keys.filter { !known.contains($0) }.map { LedgerRow(key: $0) }
        rows.sort { idsPrecede([$0.key.warehouse, $0.key.partNo], [$1.key.warehouse, $1.key.partNo]) }

        let cells: [[Cell]] = rows.map { row in
            let part = parts[row.key.partNo]
            let count = counted[row.key]
            var line: [Cell] = [.text(row.key.warehouse), .text(row.key.partNo), .text(part?.name ?? DailyOrders.unknownName),
                                .text(part?.spec ?? ""), .text(part?.unit ?? ""),
                                .qty(row.openingQty), .money(row.openingValue), .qty(row.receiptQty), .money(row.receiptValue),
                                .qty(row.issueQty), .money(row.issueValue), .qty(row.closingQty), .money(row.closingValue),
                                .price(row.unitCost)]
            line += MoveType.allCases.map { .qty(row.qtyByType[$0] ?? .zero) }
            line += [count?.countedQty.map(Cell.qty) ?? .empty, count?.varianceQty.map(Cell.qty) ?? .empty]
            return line
        }
        let table = Table(id: "movement", columns: columns, rows: cells)
        let sheets = Set(rows.map(\.key.warehouse)).sorted().map { warehouse in
            let slice = cells.filter { $0[0] == .text(warehouse) }
            return Table(id: "movement", columns: columns, rows: slice,
                         totals: Table.totals(of: slice, columns: columns, summing: summed), variant: warehouse)
        }
        return Report(id: "parts-movement", period: month.description, tables: [table],
                      sheets: sheets.isEmpty ? [table] : sheets)
    }

    /// closing-balances-M.csv: next month's opening file as is (SPEC §5.1), 0/0 rows included.
    public static func closingBalances(month: Month, ledger: [LedgerRow], variances: [StockVariance]) -> Table {
        var keys = Set(ledger.map(\.key))
        keys.formUnion(variances.filter { $0.countedQty != nil }.map { StockKey(warehouse: $0.warehouse, partNo: $0.partNo) })
        let byKey = Dictionary(uniqueKeysWithValues: ledger.map { ($0.key, $0) })
        let asOf = month.next.firstDay
        return Table(id: "closing-balances", columns: ["warehouse", "part_no", "qty", "value", "as_of"],
                     rows: keys.sorted { idsPrecede([$0.warehouse, $0.partNo], [$1.warehouse, $1.partNo]) }.map { key in
                         let row = byKey[key]
                         return [.text(key.warehouse), .text(key.partNo), .qty(row?.closingQty ?? .zero),
                                 .money(row?.closingValue ?? .zero), .date(asOf)]
                     })
    }

    /// count-adjustments-M.csv: the variances to post back into the ERP.
    public static func countAdjustments(_ adjustments: [CountAdjustment]) -> Table {
        Table(id: "count-adjustments", columns: ["warehouse", "part_no", "qty", "value", "move_type"],
              rows: adjustments.map { [.text($0.warehouse), .text($0.partNo), .qty($0.qty), .money($0.value), .code($0.moveType.rawValue)] })
    }
}
