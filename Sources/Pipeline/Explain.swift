import Config
import Core
import CSV
import Foundation
import Ingest
import Ledger
import Reconcile
import Reports

/// `aftersales explain` (SPEC §8.6): one report built again from the inputs by the run's own code
/// (`MonthlyReport.all`, `DailyOrders.build`, the ledger and the reconciliation) with a `CellTrace`,
/// so that the rows behind a cell are recorded by the statements that add them up.
public struct Explainer {
    public let report: ReportID
    public let period: String
    /// The costing method the month was valued by; nil for the daily report.
    public let costing: CostingMethod?
    let dataset: Dataset
    /// Builds the report with `trace` (and the ledger and reconciliation it reads).
    let build: (CellTrace) throws -> Report
    /// How the month's ledger valued each movement line (none for the daily report).
    let costingSteps: CostingSteps

    /// Reads the inputs `report` needs for `period` (a day for daily-orders, a month for the others).
    init(runner: Runner, setup: Runner.Setup, report: ReportID, period: ReportPeriod) throws {
        self.report = report
        switch (report, period) {
        case (.dailyOrders, .day(let day)):
            let read = try runner.load(setup.config, kinds: [.orders], period: nil, neededBy: [(.dailyOrders, .orders)])
            (self.period, costing, dataset, costingSteps) = (day.description, nil, read, CostingSteps())
            build = { trace in DailyOrders.build(orders: read.orders, parts: read.parts, dealers: read.dealers, day: day, trace: trace) }
        case (.dailyOrders, .month), (_, .day):
            throw RunFailure(.usage, report == .dailyOrders ? "daily-orders is explained for a day: --date D"
                                                            : "\(report.rawValue) is explained for a month: --month M")
        case (_, .month(let month)):
            let available = try runner.discover(setup.config)
            // The reconciliation checks the receivables' continuity in a run that writes the receivables report,
            // as a run without --reports does when it has its inputs (SPEC §8.4).
            let withReceivables = report == .reconciliation
                && (try? MonthlyPlan(selected: nil, available: available))?.reports.contains { $0.id == .receivables } == true
            let plan = try MonthlyPlan(selected: [report.rawValue] + (withReceivables ? [ReportID.receivables.rawValue] : []),
                                       available: available)
            let pipeline = MonthlyPipeline(runner: runner, setup: setup, plan: plan, month: month)
            var ingested = try pipeline.ingest()
            let monthly = plan.reports.first { $0.id == report }!, method = setup.config.costing
            // The ledger keeps the costing step of every line as it values it (a whole-month cell, profit's
            // summary cogs, asks about nearly every line), while the repair lines are settled beside it.
            let steps = CellTrace(cells: [], costsLines: true)
            let valued = pipeline.settleRepairs(&ingested) { d in
                StockLedger.compute(month: month, openings: d.openings, movements: d.movements, method: method, trace: steps)
            }
            let read = ingested, d = ingested.dataset
            (self.period, costing, dataset, costingSteps) = (month.description, method, d, steps.costingSteps())
            build = { trace in
                // A cell of the ledger's own tables is traced by a ledger run of its own (the same values); the
                // others read the line values of the one above.
                let ledger = trace.wants(anyOf: StockLedger.tracedTables)
                    ? StockLedger.compute(month: month, openings: d.openings, movements: d.movements, method: method, trace: trace)
                    : valued
                func rows() -> MonthRows {
                    MonthRows(month: month, dataset: d, lineValues: ledger.lineValues, trend: read.trend,
                              receivablesTerms: Receivables.Terms(setup.config), trace: trace)
                }
                switch monthly.build {
                case .fromRows(let build):
                    return try build(rows()).report
                case .split(let build):
                    return try build(rows()).build().withEveryTable
                case .fromResults(let build):
                    let reconciliation = try pipeline.reconcile(read, ledger, trace: trace)
                    return build(MonthResults(month: month, ledgerRows: ledger.rows, reconciliation: reconciliation, parts: d.parts)).report
                }
            }
        }
    }

    /// The report as the run builds it (what every cell is read from).
    public func built() throws -> Report { try build(CellTrace(cells: [])) }

    /// Explains `cells` of the report in one traced build: nil for a cell the report does not have.
    public func explain(_ cells: [CellAddress]) throws -> [Explanation?] {
        let formulas = report.formulas
        func formula(_ cell: CellAddress) -> Formula? {
            formulas.first { $0.table == cell.table && $0.column == cell.column && ($0.metric == nil || [$0.metric!] == cell.key) }
        }
        func operands(_ cell: CellAddress, _ formula: Formula) -> [CellAddress] {
            let terms = switch formula.operation { case .sum(let terms): terms; case .percent(let a, let b): [a, b] }
            return terms.map { CellAddress(table: cell.table, key: $0.metric.map { [$0] } ?? cell.key, column: $0.column) }
        }
        // The cells whose rows are traced: the ones asked about, or the operands their formulas reach.
        var leaves = Set<CellAddress>(), pending = cells
        while let cell = pending.popLast() {
            if let f = formula(cell) { pending += operands(cell, f) } else { leaves.insert(cell) }
        }
        let trace = CellTrace(cells: leaves)
        let report = try build(trace)

        func explanation(_ cell: CellAddress) -> Explanation? {
            guard let value = report.cell(cell) else { return nil }
            if let f = formula(cell) {
                let parts = operands(cell, f).compactMap(explanation)
                guard parts.count == operands(cell, f).count else { return nil }
                return Explanation(cell: cell, value: value, body: .formula(Explanation.text(f.operation), parts),
                                   computed: Explanation.evaluate(f.operation, parts))
            }
            // In file and line order, the computation steps (no row) last; the sort is of integers, the
            // contributions are not moved (~390k of them for a whole-month cell).
            let contributions = trace.contributions(to: cell)
            let order = contributions.indices.map { (key: contributions[$0].row?.order ?? .max, index: $0) }
                .sorted { ($0.key, $0.index) < ($1.key, $1.index) }
            let rows = order.map { n in
                let c = contributions[n.index]
                return ExplainedRow(file: c.row.map { dataset.file($0).name }, line: c.row.map { Int($0.line) }, used: c.used,
                                    costing: c.row.map(costingSteps.steps(of:)) ?? [], allocations: c.allocations, amount: c.amount)
            }
            return Explanation(cell: cell, value: value, body: .rows(rows), computed: Explanation.sum(rows, like: value))
        }
        return cells.map(explanation)
    }

    /// The columns of `schema` that can be explained: money and quantity columns, a summary's value,
    /// and the derived ones (margins).
    public func explainable(_ schema: TableSchema) -> [String] {
        schema.columns.filter { column in
            [.money, .qty, .figure].contains(column.kind) || report.formulas.contains { $0.table == schema.id && $0.column == column.id }
        }.map(\.id)
    }
}

/// The period of a daily (a day) or a month-end (a month) folder.
public enum ReportPeriod: Sendable, CustomStringConvertible {
    case day(Day)
    case month(Month)

    public var description: String {
        switch self {
        case .day(let day): day.description
        case .month(let month): month.description
        }
    }
}

/// What `aftersales explain` is asked.
public struct ExplainRequest: Sendable {
    public let period: ReportPeriod
    /// `<report>/<table>`.
    public let table: String
    public let key: [String]
    public let column: String

    public init(period: ReportPeriod, table: String, key: [String], column: String) {
        (self.period, self.table, self.key, self.column) = (period, table, key, column)
    }
}

extension Report {
    /// The cell at `address`: the row whose key columns hold `address.key`; nil when there is none.
    public func cell(_ address: CellAddress) -> Cell? {
        guard let table = table(address.table), let column = table.column(address.column) else { return nil }
        let keyColumns = table.schema.key.compactMap(table.column)
        guard keyColumns.count == address.key.count,
              let row = table.rows.first(where: { row in zip(keyColumns, address.key).allSatisfy { CellKey.text(row[$0]) == $1 } })
        else { return nil }
        return row[column]
    }
}

/// A key cell as `--key` names it: its text, code or ISO date.
enum CellKey {
    static func text(_ cell: Cell) -> String {
        switch cell {
        case .text(let s), .code(let s): s
        case .date(let d): d.description
        default: ""
        }
    }

    /// A money, quantity or percentage cell: what explain explains (a summary's counts are not).
    static func isFigure(_ cell: Cell) -> Bool {
        switch cell {
        case .money, .qty, .percent: true
        default: false
        }
    }
}

extension Runner {
    /// The explainer of `report` for `period`, its inputs read (the config's errors and a report not
    /// made for that period are `RunFailure`s).
    public func explainer(of report: ReportID, for period: ReportPeriod) throws -> Explainer {
        try Explainer(runner: self, setup: try prepare(), report: report, period: period)
    }

    /// `aftersales explain`: prints the cell, the rows behind it and their sum (text, or CSV with
    /// `csv`) through `write`, called with each part of the text in order; `.ok` when the sum reproduces the cell,
    /// `.rowsRejected` (1) when it does not, `.usage` for a report, table, key or column that does not
    /// exist, naming the valid ones.
    public func explain(_ request: ExplainRequest, csv: Bool, write: ([UInt8]) -> Void) -> ExitStatus {
        guarded {
            let setup = try prepare()
            let parts = request.table.split(separator: "/").map(String.init)
            let reports = ReportID.allCases.map(\.rawValue).joined(separator: ", ")
            guard parts.count == 2, let report = ReportID(rawValue: parts[0]) else {
                throw RunFailure(.usage, "--table \(request.table): give <report>/<table>, the report one of \(reports)")
            }
            guard let schema = report.tables.first(where: { $0.id == parts[1] }) else {
                throw RunFailure(.usage, "--table \(request.table): \(report.rawValue) has the tables "
                                 + report.tables.map(\.id).joined(separator: ", "))
            }
            let explainer = try Explainer(runner: self, setup: setup, report: report, period: request.period)
            let columns = explainer.explainable(schema)
            guard columns.contains(request.column) else {
                throw RunFailure(.usage, "--column \(request.column): the columns of \(request.table) that can be explained are "
                                 + columns.joined(separator: ", "))
            }
            let address = CellAddress(table: schema.id, key: request.key, column: request.column)
            guard let explanation = try explainer.explain([address])[0], CellKey.isFigure(explanation.value) || explanation.value == .empty else {
                throw RunFailure(.usage, try invalidKey(request, schema: schema, explainer: explainer))
            }
            let twin = "\(settings.out)/\(explainer.period)/csv/\(report.rawValue)/\(schema.id).csv"
            let written = try publishedCell(address, schema: schema, twin: twin).map { (twin, $0) }
            let text = csv ? [ExplanationText.csv(explanation, report: report, period: explainer.period, written: written)]
                           : ExplanationText.aligned(explanation, report: report, period: explainer.period, costing: explainer.costing,
                                                     written: written)
            for part in text where !part.isEmpty { write(part) }
            let unchanged = written.map { $0.1 == ExplanationText.plain(explanation.value) } ?? true
            return explanation.reproduces && unchanged ? .ok : .rowsRejected
        }
    }

    /// The cell as the period's folder shows it, when that run wrote its CSV twin (`--csv`): nil without
    /// the twin, .some(nil) when it has no such row. A cell the inputs no longer give (a backdated
    /// entry since) does not reproduce: finance reads the written figure.
    func publishedCell(_ address: CellAddress, schema: TableSchema, twin: String) throws -> String?? {
        guard let data = FileManager.default.contents(atPath: twin) else { return nil }
        var records: [[String]] = []
        func keep(_ record: borrowing CSVRecord) {
            var fields: [String] = []
            for i in 0..<record.count { fields.append(record.string(i)) }
            records.append(fields)
        }
        var scanner = CSVScanner()
        Array(data).withUnsafeBufferPointer { bytes in scanner.feed(bytes, keep) }
        scanner.finish(keep)
        guard let header = records.first, let column = header.firstIndex(of: address.column) else {
            throw RunFailure(.fatalInput, "\(twin) has no column \(address.column)")
        }
        let keys = schema.key.compactMap { header.firstIndex(of: $0) }
        let row = records.dropFirst().first { fields in fields.count == header.count && keys.map { fields[$0] } == address.key }
        return .some(row.map { $0[column] })
    }

    /// Why `--key` names no cell: the key's columns and the keys the table has (the first 20).
    func invalidKey(_ request: ExplainRequest, schema: TableSchema, explainer: Explainer) throws -> String {
        let table = try explainer.built().table(schema.id)!
        let keyColumns = schema.key.compactMap(table.column), column = table.column(request.column)!
        let keys = table.rows.filter { CellKey.isFigure($0[column]) }
            .map { row in keyColumns.map { CellKey.text(row[$0]) }.joined(separator: ",") }
        let shown = keys.prefix(20).joined(separator: "; ") + (keys.count > 20 ? "; … (\(keys.count) in all)" : "")
        return "--key \(request.key.joined(separator: ",")): \(request.table) is keyed by \(schema.key.joined(separator: ","))"
            + (keys.isEmpty ? " and has no row with \(request.column) for \(explainer.period)" : "; its keys with \(request.column): \(shown)")
    }
}
