import Core

/// What each report's overview shows, read off its own tables: the key figures (SPEC §8.2) and
/// what counts as an exception in each table. The one place to change either.
extension Overview {
    /// A backlog line older than this many days is an exception of the daily report.
    public static let backlogAgeDays = 7
    /// An old part outstanding longer than this many days is an exception.
    public static let oldPartAgeDays = 30

    /// The report's key figures of its own period, without comparisons.
    public static func keyFigures(of report: Report) -> [Metric] {
        switch report.id {
        case .dailyOrders, .profit:
            return summaryMetrics(report.table("summary"))
        case .partsMovement:
            return warehouseMetrics(report.table(PartsMovement.Tables.movement.id))
        case .reconciliation:
            return reconciliationMetrics(report)
        case .qualityFeedback:
            guard let byModel = report.table(QualityFeedback.Tables.byModel.id) else { return [] }
            return ["repairs", "warranty_repairs", "parts_cost", "labor_cost", "total_cost"].map {
                Metric(id: $0, label: [.column($0)], current: sum(byModel, $0))
            }
        case .receivables:
            return receivablesMetrics(report)
        }
    }

    /// The exceptions among `table`'s rows, or nil when the table has no notion of one (a summary, a
    /// breakdown). Documented in README "Decisions where the spec is silent".
    public static func exceptions(in table: Table, of report: ReportID) -> Int? {
        let isException: ([Cell]) -> Bool
        switch (report, table.id) {
        case (.dailyOrders, DailyOrders.Tables.backlog.id):
            isException = { row in cell(row, "age_days", table).count.map { $0 > backlogAgeDays } ?? false }
        case (.partsMovement, PartsMovement.Tables.movement.id):
            // Below zero at month end, or counted differently from the book.
            isException = { row in
                isNegative(cell(row, "closing_qty", table)) || (cell(row, "variance_qty", table).decimal.map { $0.mantissa != 0 } ?? false)
            }
        case (.reconciliation, ReconciliationReport.Tables.stockVariance.id):
            isException = { row in cell(row, "action", table) == .code("investigate") }
        case (.reconciliation, ReconciliationReport.Tables.orderIssue.id), (.reconciliation, ReconciliationReport.Tables.repairIssue.id):
            isException = { row in cell(row, "status", table) != .code("matched") }
        case (.reconciliation, ReconciliationReport.Tables.oldPartsOutstanding.id):
            isException = { row in cell(row, "age_days", table).count.map { $0 > oldPartAgeDays } ?? false }
        case (.reconciliation, ReconciliationReport.Tables.negativeStock.id),
             (.reconciliation, ReconciliationReport.Tables.openingContinuity.id),
             (.reconciliation, ReconciliationReport.Tables.receivablesContinuity.id), (.receivables, Receivables.Tables.dunning.id):
            isException = { _ in true }
        case (.receivables, Receivables.Tables.balances.id):
            isException = { row in cell(row, "over_limit", table) == .code("true") }
        case (.receivables, Receivables.Tables.openItems.id):
            isException = { row in cell(row, "days_overdue", table).count.map { $0 > 0 } ?? false }
        case (.profit, Profit.Tables.byPart.id), (.profit, Profit.Tables.byDealer.id), (.profit, Profit.Tables.byCategory.id):
            isException = { row in isNegative(cell(row, "gross_profit", table)) }
        default:
            return nil
        }
        return table.rows.reduce(0) { $0 + (isException($1) ? 1 : 0) }
    }

    /// The Data issues sheet's rows (every issue of the run) and its exceptions: the rejected rows.
    public static func issueCounts(_ sheet: IssueSheet) -> (rows: Int, exceptions: Int) {
        (sheet.summary.reduce(0) { $0 + $1.count }, sheet.summary.filter { $0.severity == .error }.reduce(0) { $0 + $1.count })
    }

    // MARK: Per report

    static func summaryMetrics(_ summary: Table?) -> [Metric] {
        (summary?.rows ?? []).compactMap { row in
            guard case .code(let id) = row[0] else { return nil }
            return Metric(id: id, label: [.code(id)], current: row[1])
        }
    }

    /// Per warehouse (in the table's order) its opening, receipt, issue and closing value.
    static func warehouseMetrics(_ movement: Table?) -> [Metric] {
        guard let movement, let warehouse = movement.column("warehouse") else { return [] }
        var codes: [String] = []
        for row in movement.rows {
            if case .code(let code) = row[warehouse], !codes.contains(code) { codes.append(code) }
        }
        let columns = ["opening_value", "receipt_value", "issue_value", "closing_value"]
        let totals = groupTotals(movement, key: warehouse, groups: codes, summing: codes.map { _ in columns })
        return codes.indices.flatMap { w in
            zip(columns, totals.sums[w]).map { column, total in
                Metric(id: "\(codes[w]).\(column)", label: [.warehouse(codes[w]), .column(column)], current: total)
            }
        }
    }

    /// Per check and status (age bucket for old parts) the row count and the sums of its figures.
    static func reconciliationMetrics(_ report: Report) -> [Metric] {
        let issueStatuses = ["matched", "shipped_not_issued", "issued_not_shipped", "qty_mismatch"]
        let checks: [(table: String, key: String, statuses: [String], summed: [String: [String]])] = [
            ("stock_variance", "status", ["match", "surplus", "shortage", "not_counted"],
             ["surplus": ["variance_qty", "variance_value"], "shortage": ["variance_qty", "variance_value"]]),
            ("order_issue", "status", issueStatuses, Dictionary(uniqueKeysWithValues: issueStatuses.dropFirst().map { ($0, ["diff_qty"]) })),
            ("repair_issue", "status", issueStatuses, Dictionary(uniqueKeysWithValues: issueStatuses.dropFirst().map { ($0, ["diff_qty"]) })),
            ("old_parts_outstanding", "age_bucket", ["0-30", "31-60", "61-90", ">90"],
             Dictionary(uniqueKeysWithValues: ["0-30", "31-60", "61-90", ">90"].map { ($0, ["outstanding_qty"]) })),
        ]
        var metrics: [Metric] = []
        for check in checks {
            guard let table = report.table(check.table), let key = table.column(check.key) else { continue }
            let summed = check.statuses.map { check.summed[$0] ?? [] }
            let totals = groupTotals(table, key: key, groups: check.statuses, summing: summed)
            for (s, status) in check.statuses.enumerated() {
                metrics.append(Metric(id: "\(check.table).\(status).count", label: [.sheet(check.table), .code(status), .word("rows")],
                                      current: .count(totals.counts[s])))
                for (column, total) in zip(summed[s], totals.sums[s]) {
                    metrics.append(Metric(id: "\(check.table).\(status).\(column)", label: [.sheet(check.table), .code(status), .column(column)],
                                          current: total))
                }
            }
        }
        for id in ["negative_stock", "opening_continuity", "receivables_continuity"] {
            guard let table = report.table(id) else { continue }
            metrics.append(Metric(id: "\(id).count", label: [.sheet(id), .word("rows")], current: .count(table.rows.count)))
        }
        return metrics
    }

    /// The dealers' totals, what is past due, the dealers over their limit and the dunning list per level.
    static func receivablesMetrics(_ report: Report) -> [Metric] {
        guard let balances = report.table(Receivables.Tables.balances.id), let dunning = report.table(Receivables.Tables.dunning.id),
              let overLimit = balances.column("over_limit"), let level = dunning.column("level") else { return [] }
        let totals = ["opening", "invoiced", "credited", "paid", "closing"].map {
            Metric(id: $0, label: [.column($0)], current: sum(balances, $0))
        }
        let overdue = ["d1_30", "d31_60", "d61_90", "d91_120", "over_120"].reduce(Cell.money(.zero)) { $0.adding(sum(balances, $1)) }
        let levels = (1...3).map { n in
            Metric(id: "dunning.level_\(n).count", label: [.sheet("dunning"), .code("level_\(n)")],
                   current: .count(dunning.rows.count { $0[level] == .count(n) }))
        }
        return totals + [
            Metric(id: "overdue", label: [.column("overdue")], current: overdue),
            Metric(id: "dealers_over_limit", label: [.code("dealers_over_limit")],
                   current: .count(balances.rows.count { $0[overLimit] == .code("true") })),
        ] + levels
    }

    // MARK: Cells

    /// The sum of `column` over the table's rows, zero of the column's kind when none.
    static func sum(_ table: Table, _ column: String) -> Cell {
        groupTotals(table, key: nil, groups: [""], summing: [[column]]).sums[0][0]
    }

    /// Per group (the rows whose `key` cell is `.code(groups[g])`; every row when `key` is nil) its row count
    /// and the sums of `summing[g]`'s columns, each the zero of its column's kind when no row adds to it. One
    /// pass over the table for all groups: at ten times a month order_issue has ~1M rows.
    private static func groupTotals(_ table: Table, key: Int?, groups: [String], summing: [[String]])
        -> (counts: [Int], sums: [[Cell]]) {
        let codes = groups.map { Cell.code($0) }
        let columns = summing.map { $0.map { table.column($0)! } }
        var counts = [Int](repeating: 0, count: groups.count)
        var sums = columns.map { [Cell](repeating: .empty, count: $0.count) }
        for row in table.rows {
            var g = 0
            if let key {
                guard let group = codes.firstIndex(of: row[key]) else { continue }
                g = group
            }
            counts[g] += 1
            for (n, column) in columns[g].enumerated() { sums[g][n] = sums[g][n].adding(row[column]) }
        }
        for (g, group) in columns.enumerated() {
            for (n, column) in group.enumerated() where sums[g][n] == .empty {
                switch table.schema.columns[column].kind {
                case .money: sums[g][n] = .money(.zero)
                case .qty: sums[g][n] = .qty(.zero)
                default: sums[g][n] = .count(0)
                }
            }
        }
        return (counts, sums)
    }

    private static func cell(_ row: [Cell], _ column: String, _ table: Table) -> Cell {
        table.column(column).map { row[$0] } ?? .empty
    }

    private static func isNegative(_ cell: Cell) -> Bool { (cell.decimal?.mantissa ?? 0) < 0 }
}

extension Cell {
    var count: Int? { if case .count(let n) = self { n } else { nil } }
}
