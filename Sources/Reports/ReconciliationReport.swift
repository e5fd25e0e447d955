import Core
import Ingest
import Reconcile

/// 盘点差异及对账表 (SPEC §5.1 reconciliation); the workbook lists exceptions first (`ReconciliationSheets.swift`,
/// SPEC §8.3). Its CSV twin also lists every issue of the run
/// (`ReportID.listsRunIssues`): the run adds that table, as it adds the Data issues sheet to every workbook.
public enum ReconciliationReport {
    public enum Tables {
        public static let stockVariance = TableSchema("stock_variance", key: ["warehouse", "part_no"], [
            .code("warehouse"), .text("part_no"), .text("part_name"), .date("count_date"), .qty("book_qty"), .qty("counted_qty"),
            .qty("variance_qty"), .unitCost("unit_cost"), .money("variance_value"), .code("status"), .code("action"),
        ])
        public static let orderIssue = TableSchema("order_issue", key: ["order_no", "part_no"], [
            .text("order_no"), .text("part_no"), .qty("shipped_qty"), .qty("issued_qty"), .qty("diff_qty"), .code("status"),
        ])
        public static let repairIssue = TableSchema("repair_issue", key: ["repair_no", "part_no"], [
            .text("repair_no"), .text("part_no"), .qty("repair_qty"), .qty("issued_qty"), .qty("diff_qty"), .code("status"),
        ])
        public static let oldPartsOutstanding = TableSchema("old_parts_outstanding", key: ["repair_no", "part_no"], [
            .text("repair_no"), .date("repair_date"), .text("dealer_id"), .text("part_no"), .qty("expected_qty"),
            .qty("received_qty"), .qty("outstanding_qty"), .count("age_days"), .code("age_bucket"),
        ])
        public static let negativeStock = TableSchema("negative_stock", key: ["warehouse", "part_no"], [
            .code("warehouse"), .text("part_no"), .date("first_date"), .qty("min_qty"),
        ])
        public static let openingContinuity = TableSchema("opening_continuity", key: ["warehouse", "part_no"], [
            .code("warehouse"), .text("part_no"), .qty("prev_closing_qty"), .qty("opening_qty"), .money("prev_closing_value"),
            .money("opening_value"),
        ])
        static let all = [stockVariance, orderIssue, repairIssue, oldPartsOutstanding, negativeStock, openingContinuity]
    }

    public static func build(month: Month, reconciliation r: Reconciliation, parts: [String: Part]) -> Report {
        func name(_ partNo: String) -> Cell { partNo.isEmpty ? .empty : .text(parts[partNo]?.name ?? DailyOrders.unknownName) }
        let varianceRows: [[Cell]] = r.stockVariance.map { v in
            [.code(v.warehouse), .text(v.partNo), name(v.partNo), v.countDate.map(Cell.date) ?? .empty,
             v.bookQty.map(Cell.qty) ?? .empty, v.countedQty.map(Cell.qty) ?? .empty, v.varianceQty.map(Cell.qty) ?? .empty,
             v.unitCost.map(Cell.price) ?? .empty, v.varianceValue.map(Cell.money) ?? .empty,
             .code(v.status.rawValue), .code(v.action.rawValue)]
        }
        func matchTable(_ schema: TableSchema, _ rows: [IssueMatch]) -> Table {
            let cells: [[Cell]] = rows.map { [.text($0.documentNo), .text($0.partNo), .qty($0.expected), .qty($0.issued), .qty($0.diff), .code($0.status.rawValue)] }
            return Table(schema, rows: cells)
        }
        let oldPartRows: [[Cell]] = r.oldPartsOutstanding.map {
            [.text($0.repairNo), .date($0.repairDate), .text($0.dealerId), .text($0.partNo), .qty($0.expectedQty),
             .qty($0.receivedQty), .qty($0.outstandingQty), .count($0.ageDays), .code($0.ageBucket)]
        }
        let variance = Table(Tables.stockVariance, rows: varianceRows,
                             totals: Table.totals(of: varianceRows, Tables.stockVariance, summing: ["variance_value"]))
        let orderIssue = matchTable(Tables.orderIssue, r.orderIssue), repairIssue = matchTable(Tables.repairIssue, r.repairIssue)
        let oldParts = Table(Tables.oldPartsOutstanding, rows: oldPartRows,
                             totals: Table.totals(of: oldPartRows, Tables.oldPartsOutstanding,
                                                  summing: ["expected_qty", "received_qty", "outstanding_qty"]))
        let negative = Table(Tables.negativeStock,
                             rows: r.negativeStock.map { [.code($0.warehouse), .text($0.partNo), .date($0.firstDate), .qty($0.minQty)] })
        let continuity = Table(Tables.openingContinuity,
                               rows: r.openingContinuity.map {
                                   [.code($0.warehouse), .text($0.partNo), .qty($0.previousClosingQty), .qty($0.openingQty),
                                    .money($0.previousClosingValue), .money($0.openingValue)]
                               })
        let sheets = [varianceSheet(variance, variances: r.stockVariance), unmatchedSheet(orderIssue, pairs: r.orderIssue),
                      unmatchedSheet(repairIssue, pairs: r.repairIssue), oldestFirstSheet(oldParts, outstanding: r.oldPartsOutstanding),
                      negative, continuity]
        return Report(id: .reconciliation, period: month.description,
                      tables: [variance, orderIssue, repairIssue, oldParts, negative, continuity], sheets: sheets)
    }
}
