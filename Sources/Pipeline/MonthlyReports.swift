import Config
import Core
import Ingest
import Ledger
import Reconcile
import Reports

/// A month-end report as the monthly run knows it: the inputs it needs and how it is built. A new
/// report is one more entry of `all`.
struct MonthlyReport: Sendable {
    let id: ReportID
    /// Kinds it cannot do without: without `--reports` a run skips it when one is missing (SPEC §2).
    let needs: [InputKind]
    /// Kinds read when present because it uses them (masters are always read).
    let uses: [InputKind]
    let build: Build

    /// The reports stage builds in two rounds around the release of the typed rows (see
    /// `MonthlyPipeline.run`); each report is built in the first round that has what it reads.
    enum Build: Sendable {
        /// Before the release: from the typed rows and the ledger's line values. Throws on an internal failure.
        case fromRows(@Sendable (MonthRows) throws -> BuiltReport)
        /// After the release: from the ledger's rows, the reconciliation and the masters.
        case fromResults(@Sendable (MonthResults) -> BuiltReport)
        /// In both: before the release what reads the typed rows, returning the rest of the build, which runs
        /// after it. The receivables' accounts need the rows; their tables (~0.8 GB at ten times a month) are
        /// then never held beside them.
        case split(@Sendable (MonthRows) throws -> Deferred)
    }

    /// A split report's first part done: the warnings it raised, known from the rows, and the rest of its
    /// build, holding what it computed from the rows (never the rows themselves).
    struct Deferred: Sendable {
        let warnings: [RowWarning]
        let build: @Sendable () throws -> BuiltReport
    }

    /// In the order the plan lists them and the run writes them.
    static let all: [MonthlyReport] = [
        MonthlyReport(id: .partsMovement, needs: [.movements], uses: [.opening, .counts], build: .fromResults { r in
            let variances = r.reconciliation.stockVariance
            return BuiltReport(PartsMovement.build(month: r.month, ledger: r.ledgerRows, variances: variances, parts: r.parts),
                               files: [("closing-balances-\(r.month).csv",
                                        LaterTable(PartsMovement.closingBalances(month: r.month, ledger: r.ledgerRows, variances: variances)))])
        }),
        MonthlyReport(id: .reconciliation, needs: [.movements], uses: [.opening, .counts, .orders, .repairs], build: .fromResults { r in
            BuiltReport(ReconciliationReport.build(month: r.month, reconciliation: r.reconciliation, parts: r.parts),
                        files: [("count-adjustments-\(r.month).csv", LaterTable(PartsMovement.countAdjustments(r.reconciliation.adjustments)))])
        }),
        MonthlyReport(id: .profit, needs: [.orders, .movements], uses: [.opening, .repairs], build: .fromRows { r in
            let d = r.dataset
            let (report, unmatched) = Profit.build(month: r.month, orders: d.orders, movements: d.movements, repairs: d.repairs,
                                                   lineValues: r.lineValues, parts: d.parts, dealers: d.dealers, trace: r.trace)
            return BuiltReport(report, warnings: unmatched.map {
                RowWarning($0.ref, column: "ref_no", code: .returnUnmatched, message: $0.message, in: d)
            })
        }),
        MonthlyReport(id: .qualityFeedback, needs: [.repairs], uses: [.movements], build: .fromRows { r in
            let d = r.dataset
            return BuiltReport(QualityFeedback.build(month: r.month, repairs: d.repairs, movements: d.movements, parts: d.parts,
                                                     dealers: d.dealers, faults: d.faults, fleet: d.fleet, trend: r.trend,
                                                     trace: r.trace))
        }),
        MonthlyReport(id: .receivables, needs: [.orders], uses: [.movements, .payments, .receivables], build: .split { r in
            let d = r.dataset
            let accounts = Receivables.accounts(month: r.month, orders: d.orders, movements: d.movements, payments: d.payments,
                                                receivables: d.receivables, parts: d.parts, dealers: d.dealers, terms: r.receivablesTerms,
                                                trace: r.trace)
            let warnings = accounts.unmatchedReturns.map {
                RowWarning($0.ref, column: "ref_no", code: .returnUnmatched, message: $0.message, in: d)
            } + accounts.unmatchedPayments.map {
                RowWarning($0.ref, column: "ref_no", code: .paymentUnmatched, message: $0.message, in: d)
            }
            // Captured one by one: `r` and `d` hold the rows.
            let (month, dealers, terms, trace) = (r.month, d.dealers, r.receivablesTerms, r.trace)
            return Deferred(warnings: warnings) {
                let statements = try Receivables.statements(accounts, dealers: dealers, trace: trace)
                let report = Receivables.sheets(accounts, statements: statements, terms: terms, trace: trace)
                let openItems = report.table(Receivables.Tables.openItems.id)!
                let lines = statements.reduce(0) { $0 + $1.lines.count }
                return BuiltReport(report, laterTwins: [LaterTable(Receivables.Tables.statement, rows: lines) {
                                       Receivables.statementTable(statements)
                                   }],
                                   files: [("open-items-\(month).csv", LaterTable(Receivables.Tables.openItemsFile, rows: openItems.rows.count) {
                                       Receivables.openItemsFile(openItems, month: month)
                                   })],
                                   statements: statements)
            }
        }),
    ]
}

/// What the first round of month-end reports reads: the typed rows, still held.
struct MonthRows: Sendable {
    let month: Month
    let dataset: Dataset
    let lineValues: LineValues
    /// Quality's trend counts, taken before ingest dropped the old repair lines.
    let trend: [Month: QualityFeedback.MonthRepairs]
    /// The config's `[receivables]`.
    let receivablesTerms: Receivables.Terms
    /// `explain`'s tracer; nil for the normal run.
    var trace: CellTrace? = nil
}

/// What the second round reads, once the typed rows are released.
struct MonthResults: Sendable {
    let month: Month
    let ledgerRows: [LedgerRow]
    let reconciliation: Reconciliation
    let parts: [String: Part]
}

/// One report built, with the files it adds to the period's folder and the warnings it raised.
struct BuiltReport: Sendable {
    let report: Report
    /// Tables of the CSV twin after the report's own, made when written (the receivables' `statement`).
    let laterTwins: [LaterTable]
    let files: [(name: String, table: LaterTable)]
    let warnings: [RowWarning]
    /// The receivables report's 对账单 per dealer (SPEC §8.4), for `statements/statement-M-<dealer_id>.xlsx`.
    let statements: [DealerStatement]

    init(_ report: Report, laterTwins: [LaterTable] = [], files: [(name: String, table: LaterTable)] = [],
         warnings: [RowWarning] = [], statements: [DealerStatement] = []) {
        self.report = report
        self.laterTwins = laterTwins
        self.files = files
        self.warnings = warnings
        self.statements = statements
    }

    /// The report with its later twin tables made: what `explain` reads cells from.
    var withEveryTable: Report {
        var report = report
        report.tables += laterTwins.map { $0.make() }
        return report
    }
}

/// A table only a CSV file reads, made when the file is written and dropped after it. The receivables'
/// `statement` twin and next month's open items are ~1M rows (~0.25 GB) each at ten times a month:
/// held as tables they were over the 2 GB of issue 15 from the second round of reports through render.
struct LaterTable: Sendable {
    /// The table's id (`TableSchema.id`).
    let id: String
    /// The rows it will have, for the stage's count.
    let rowCount: Int
    let make: @Sendable () -> Table

    init(_ schema: TableSchema, rows: Int, _ make: @escaping @Sendable () -> Table) {
        (id, rowCount, self.make) = (schema.id, rows, make)
    }

    /// A table already made.
    init(_ table: Table) {
        self.init(table.schema, rows: table.rows.count) { table }
    }
}

extension Receivables.Terms {
    /// The config's `[receivables]`.
    init(_ config: Config) {
        self.init(creditDays: config.receivables.creditDays, dunningMinAmount: config.receivables.dunningMinAmount)
    }
}
