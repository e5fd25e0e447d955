import Core
import Ingest
import Ledger
import Reconcile
import Reports

/// The month-end run (`aftersales monthly`): ingest → ledger → reconcile → report tables → render →
/// write → publish. Each stage takes what the ones before it returned; nothing flows back (profit's
/// warnings reach the issue files and sheets through the reports stage's `RunIssues`).
struct MonthlyPipeline {
    let runner: Runner
    let setup: Runner.Setup
    let plan: MonthlyPlan
    let month: Month

    /// - Parameter started: the run's timer, started before the month was settled.
    func run(_ started: StageTimer) throws -> ExitStatus {
        var timer = started
        timer.progress = .onStandardError(stages: [.ingest, .ledger, .reconcile, .reports, .render, .write])
        var read = try timer.time(.ingest, rows: { $0.dataset.rowsRead }) { try ingest() }
        let ledger = try timer.time(.ledger, rows: { _ in read.dataset.movements.count }) { computeLedger(&read) }
        let reconciliation = try timer.time(.reconcile, rows: { _ in ledger.rows.count }) { try reconcile(read, ledger) }
        // The report tables in two rounds around the release of the typed rows and the ledger's line values
        // (~1.5 GB at ten times a month), so that no table built after it is ever held beside them: the
        // first round builds the reports that read the rows (profit, quality) and the first part of a split
        // report (what it computes from the rows: the receivables' accounts), the second the rest. The
        // ledger's rows, the reconciliation and those first parts end with the second round. Render and
        // write hold only tables and what the manifest and the issue files read.
        let firstRound = try timer.time(.reports) { try reportsFromRows(read, ledger) }
        let kept = release(consume read, consume ledger, keeping: consume reconciliation)
        let tables = try timer.time(.reports, taking: (consume kept, consume firstRound), rows: \.rowCount) {
            try reportsFromResults($0.0, firstRound: $0.1)
        }
        for skipped in plan.skipped {
            runner.log.info("report.skipped", metadata: ["report": "\(skipped.report)", "reason": "\(skipped.reason)"])
        }
        let outputs = RunOutputs(runner: runner, setup: setup, folder: month.description)
        return try outputs.discardingOnFailure {
            let figures = try outputs.figures(tables, month: month, costing: setup.config.costing.rawValue)
            let (tables, replaced, changes) = try timer.time(.render) { try outputs.writeCSVFiles(tables, figures: figures) }
            try timer.time(.render, rows: { tables.rowCount }) {
                try outputs.render(tables, documentDate: month.lastDay)
                try outputs.write(figures, changes: changes)
            }
            let written = try timer.time(.write) { try outputs.writeIssueFiles(tables) }
            return try outputs.publish(written, tables, timer: timer, skipped: plan.skipped, replacing: replaced)
        }
    }

    /// What ingest hands on.
    struct Ingested {
        var dataset: Dataset
        /// Quality's trend counts, taken before the old repair lines are dropped (`settleRepairs`).
        var trend: [Month: QualityFeedback.MonthRepairs] = [:]
        /// The reconciliation's old parts outstanding, when found beside the ledger (`computeLedger`).
        var oldParts: [OldPartOutstanding]?
    }

    /// What the second round of reports reads.
    struct Released {
        /// Without its typed rows (`Dataset.releaseRows`).
        let dataset: Dataset
        let ledgerRows: [LedgerRow]
        let reconciliation: Reconciliation
    }

    /// Reads the inputs, every repair line still there (`settleRepairs` drops those no report reads).
    func ingest() throws -> Ingested {
        Ingested(dataset: try runner.load(setup.config, kinds: plan.kindsToRead, period: month, neededBy: plan.needed))
    }

    /// Counts quality's trend, then drops the repair lines no report reads, while `beside` runs on the other
    /// core with the dataset less its repair lines (freeing them was ~0.1 s of one core at the month scale).
    /// Of the months before M−1 the reports read only the trend's counts and the lines that expect an old
    /// part back: the others are dropped (~0.3 GB at 10× a month).
    /// - Parameter findingOldParts: then also finds the reconciliation's old parts outstanding (`Ingested.oldParts`),
    ///   which read only the settled lines and the movements, while `beside` is still running.
    func settleRepairs<Result: Sendable>(_ read: inout Ingested, findingOldParts: Bool = false,
                                         beside: @Sendable (Dataset) -> Result) -> Result {
        let repairs = Slot<[RepairLine]>(), trend = Slot<[Month: QualityFeedback.MonthRepairs]>(), result = Slot<Result>()
        let oldParts = Slot<[OldPartOutstanding]?>()
        repairs.value = read.dataset.takeRepairs()
        let withoutRepairs = read.dataset, month = month
        // Only quality reads the trend (~0.04 s of CPU at the month scale, perf, for a run or explain without it).
        let countTrend = plan.reports.contains { $0.id == .qualityFeedback }
        sideBySide(2) { task in
            if task == 0 {
                result.value = beside(withoutRepairs)
            } else {
                var lines = repairs.take()   // the only reference: filtered in place
                trend.value = countTrend ? QualityFeedback.trendFigures(lines, month: month) : [:]
                lines.removeAllReleasingPages { !Self.repairLineIsRead($0, month: month) }
                oldParts.value = findingOldParts ? Reconciliation.oldParts(month: month, repairs: lines, movements: withoutRepairs.movements) : nil
                repairs.value = lines
            }
        }
        read.dataset.putBack(repairs: repairs.take())
        read.trend = trend.value
        read.oldParts = oldParts.value
        return result.value
    }

    /// Whether a monthly run for `month` reads the repair line beyond the trend's counts: lines of M
    /// (quality, profit, repairs ↔ WARRANTY issues, old parts) and of M−1 (quality's previous month)
    /// are read whole; of earlier months only those expecting an old part back (warranty, old part
    /// return, a part) for old parts outstanding; later months not at all.
    static func repairLineIsRead(_ line: RepairLine, month: Month) -> Bool {
        if line.repairDate > month.lastDay { return false }
        if line.repairDate >= month.previous.firstDay { return true }
        return line.warranty && line.oldPartReturn && !line.partNo.isEmpty
    }

    /// The ledger; beside it, the repair lines are settled and the old parts outstanding found (`settleRepairs`:
    /// at ten times a month the ledger is ~2 s, the settling ~1.5 s, the old parts ~0.8 s of CPU).
    func computeLedger(_ read: inout Ingested) -> LedgerResult {
        let (month, method) = (month, setup.config.costing)
        return settleRepairs(&read, findingOldParts: true) { d in StockLedger.compute(month: month, openings: d.openings, movements: d.movements, method: method) }
    }

    /// - Parameter trace: `explain`'s tracer; nil for the normal run.
    func reconcile(_ read: Ingested, _ ledger: LedgerResult, trace: CellTrace? = nil) throws -> Reconciliation {
        let d = read.dataset
        var result = Reconciliation.compute(month: month, ledger: ledger.rows, movements: d.movements, counts: d.counts,
                                            orders: d.orders, repairs: d.repairs, tolerance: setup.config.tolerance,
                                            previousClosing: try runner.previousClosing(before: month), oldPartsFound: read.oldParts,
                                            trace: trace)
        // The receivables' check with last month's open items is part of a run that writes them (SPEC §8.4);
        // like the stock opening's, it has nothing to compare without last month's file.
        if plan.reports.contains(where: { $0.id == .receivables }) {
            result.receivablesContinuity = try runner.previousOpenItems(before: month).map {
                Reconciliation.receivablesContinuity(month: month, receivables: d.receivables, previous: $0, trace: trace)
            } ?? []
        }
        return result
    }

    /// What the first round of reports hands the second.
    struct FirstRound: Sendable {
        /// The reports built from the typed rows (profit, quality).
        var built: [ReportID: BuiltReport] = [:]
        /// The split reports' first parts (receivables: its accounts).
        var deferred: [ReportID: MonthlyReport.Deferred] = [:]
    }

    /// First round: the reports that read the typed rows (profit, quality) and the first parts of the split
    /// ones (receivables), side by side. Their copies of the dataset end with this call, before the rows
    /// are released.
    func reportsFromRows(_ read: Ingested, _ ledger: LedgerResult) throws -> FirstRound {
        let rows = MonthRows(month: month, dataset: read.dataset, lineValues: ledger.lineValues, trend: read.trend,
                             receivablesTerms: Receivables.Terms(setup.config))
        let builds = plan.reports.compactMap { report -> (@Sendable (MonthRows) throws -> FirstRound)? in
            switch report.build {
            case .fromRows(let build): { FirstRound(built: [report.id: try build($0)]) }
            case .split(let build): { FirstRound(deferred: [report.id: try build($0)]) }
            case .fromResults: nil
            }
        }
        let done = builds.map { _ in Slot<Result<FirstRound, any Error>>() }
        sideBySide(builds.count) { n in done[n].value = Result { try builds[n](rows) } }
        return try done.reduce(into: FirstRound()) { all, one in
            let one = try one.value.get()
            all.built.merge(one.built) { first, _ in first }
            all.deferred.merge(one.deferred) { first, _ in first }
        }
    }

    /// Between the rounds: drops the typed rows and the ledger's line values (copy-on-write arrays, freed
    /// here as nothing else holds them any more) and keeps what the second round reads.
    func release(_ read: consuming Ingested, _ ledger: consuming LedgerResult, keeping reconciliation: consuming Reconciliation)
        -> Released {
        read.dataset.releaseRows()
        return Released(dataset: read.dataset, ledgerRows: ledger.rows, reconciliation: reconciliation)
    }

    /// Second round: the reports that read the ledger's rows and the reconciliation (the movement report,
    /// ~0.2 GB of tables at ten times a month, and the reconciliation report, ~0.4 GB), the rest of the split
    /// ones (the receivables' tables and statements, from its accounts) and the count of the issues the
    /// Data issues sheets are cut from, side by side; then every report of the plan in its order.
    func reportsFromResults(_ kept: Released, firstRound: FirstRound) throws -> ReportTables {
        let results = MonthResults(month: month, ledgerRows: kept.ledgerRows, reconciliation: kept.reconciliation,
                                   parts: kept.dataset.parts)
        let builds = plan.reports.compactMap { report -> (ReportID, @Sendable () throws -> BuiltReport)? in
            switch report.build {
            case .fromResults(let build): (report.id, { build(results) })
            case .split: (report.id, firstRound.deferred[report.id]!.build)
            case .fromRows: nil
            }
        }
        let raised = plan.reports.flatMap { firstRound.built[$0.id]?.warnings ?? firstRound.deferred[$0.id]?.warnings ?? [] }
        let issues = RunIssues(read: kept.dataset.issues, raised: RowWarning.once(raised))
        let built = builds.map { _ in Slot<Result<BuiltReport, any Error>>() }, digest = Slot<IssueDigest>()
        sideBySide(builds.count + 1) { n in
            if n < builds.count { built[n].value = Result { try builds[n].1() } } else { digest.value = issues.digest() }
        }
        var all = firstRound.built
        for (n, (id, _)) in builds.enumerated() { all[id] = try built[n].value.get() }
        let inOrder = plan.reports.map { all[$0.id]! }
        let overviews = MonthlyOverviews(out: runner.settings.out, month: month, costing: setup.config.costing.rawValue, log: runner.log)
        let sheets = plan.reports.map { ($0.id, digest.value.sheet(kinds: $0.issueKinds)) }
        return ReportTables(reports: overviews.attach(to: inOrder.map(\.report)),
                            files: inOrder.flatMap { built in built.files.map { (built.report.id, $0.name, $0.table) } }, issues: issues,
                            issueSheets: Dictionary(uniqueKeysWithValues: sheets), inputs: kept.dataset,
                            statements: inOrder.flatMap(\.statements),
                            laterTwins: Dictionary(uniqueKeysWithValues: inOrder.map { ($0.report.id, $0.laterTwins) }))
    }
}
