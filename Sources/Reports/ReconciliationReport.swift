import Core
import Ingest
import Reconcile

/// 盘点差异及对账表 (SPEC §5.1 reconciliation).
public enum ReconciliationReport {
    public static func build(month: Month, reconciliation r: Reconciliation, parts: [String: Part], issues: [DataIssue]) -> Report {
        func name(_ partNo: String) -> Cell { partNo.isEmpty ? .empty : .text(parts[partNo]?.name ?? DailyOrders.unknownName) }
        let varianceRows: [[Cell]] = r.stockVariance.map { v in
            [.text(v.warehouse), .text(v.partNo), name(v.partNo), v.countDate.map(Cell.date) ?? .empty,
             v.bookQty.map(Cell.qty) ?? .empty, v.countedQty.map(Cell.qty) ?? .empty, v.varianceQty.map(Cell.qty) ?? .empty,
             v.unitCost.map(Cell.price) ?? .empty, v.varianceValue.map(Cell.money) ?? .empty,
             .code(v.status.rawValue), .code(v.action.rawValue)]
        }
        let varianceColumns = ["warehouse", "part_no", "part_name", "count_date", "book_qty", "counted_qty", "variance_qty",
                               "unit_cost", "variance_value", "status", "action"]
        func matchTable(_ id: String, _ doc: String, _ expected: String, _ rows: [IssueMatch]) -> Table {
            let columns = [doc, "part_no", expected, "issued_qty", "diff_qty", "status"]
            let cells: [[Cell]] = rows.map { [.text($0.documentNo), .text($0.partNo), .qty($0.expected), .qty($0.issued), .qty($0.diff), .code($0.status.rawValue)] }
            return Table(id: id, columns: columns, rows: cells)
        }
        let oldPartColumns = ["repair_no", "repair_date", "dealer_id", "part_no", "expected_qty", "received_qty",
                              "outstanding_qty", "age_days", "age_bucket"]
        let oldPartRows: [[Cell]] = r.oldPartsOutstanding.map {
            [.text($0.repairNo), .date($0.repairDate), .text($0.dealerId), .text($0.partNo), .qty($0.expectedQty),
             .qty($0.receivedQty), .qty($0.outstandingQty), .count($0.ageDays), .code($0.ageBucket)]
        }
        let tables = [
            Table(id: "stock_variance", columns: varianceColumns, rows: varianceRows,
                  totals: Table.totals(of: varianceRows, columns: varianceColumns, summing: ["variance_value"])),
            matchTable("order_issue", "order_no", "shipped_qty", r.orderIssue),
            matchTable("repair_issue", "repair_no", "repair_qty", r.repairIssue),
            Table(id: "old_parts_outstanding", columns: oldPartColumns, rows: oldPartRows,
                  totals: Table.totals(of: oldPartRows, columns: oldPartColumns, summing: ["expected_qty", "received_qty", "outstanding_qty"])),
            Table(id: "negative_stock", columns: ["warehouse", "part_no", "first_date", "min_qty"],
                  rows: r.negativeStock.map { [.text($0.warehouse), .text($0.partNo), .date($0.firstDate), .qty($0.minQty)] }),
            Table(id: "opening_continuity",
                  columns: ["warehouse", "part_no", "prev_closing_qty", "opening_qty", "prev_closing_value", "opening_value"],
                  rows: r.openingContinuity.map {
                      [.text($0.warehouse), .text($0.partNo), .qty($0.previousClosingQty), .qty($0.openingQty),
                       .money($0.previousClosingValue), .money($0.openingValue)]
                  }),
            DataIssues.table(issues),
        ]
        return Report(id: "reconciliation", period: month.description, tables: tables)
    }
}
