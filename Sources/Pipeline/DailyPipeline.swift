import Core
import Ingest
import Reports

/// The daily run (`aftersales daily`): ingest → report tables → render → write → publish.
struct DailyPipeline {
    let runner: Runner
    let setup: Runner.Setup
    let selection: DaySelection

    func run() throws -> ExitStatus {
        var timer = StageTimer()
        timer.progress = .onStandardError(stages: [.ingest, .reports, .render, .write])
        let read = try timer.time(.ingest, rows: \.rowsRead) {
            try runner.load(setup.config, kinds: [.orders], period: nil, neededBy: [(.dailyOrders, .orders)])
        }
        let day = try self.day(in: read)
        let report = try timer.time(.reports) {
            // The day's tables and the overview's previous figures (D−1, the previous month to the same
            // day) each walk every order line: side by side.
            let built = Slot<Report>(), previous = Slot<(figures: [String: Cell], period: String)>()
            sideBySide(
                { built.value = DailyOrders.build(orders: read.orders, parts: read.parts, dealers: read.dealers, day: day) },
                { previous.value = DailyOrders.previousFigures(orders: read.orders, day: day) })
            var report = built.value, overview = Overview(metrics: Overview.keyFigures(of: report))
            overview.compare(with: previous.value.figures, period: previous.value.period)
            report.overview = overview
            return report
        }
        // The order lines are not needed past here: the issues table, render and write run without them.
        let kept = release(consume read)
        let tables = try timer.time(.reports, rows: \.rowCount) {
            let issues = RunIssues(read: kept.issues, raised: [])
            let sheet = issues.digest().sheet(kinds: Set([.orders] + InputKind.allCases.filter(\.isMaster)))
            return ReportTables(reports: [report], files: [], issues: issues, issueSheets: [.dailyOrders: sheet], inputs: kept)
        }
        let outputs = RunOutputs(runner: runner, setup: setup, folder: day.description)
        return try outputs.discardingOnFailure {
            let figures = try outputs.figures(tables, month: nil, costing: nil)   // the mail's source (SPEC §8.5)
            let (tables, replaced, changes) = try timer.time(.render) { try outputs.writeCSVFiles(tables, figures: figures) }
            try timer.time(.render, rows: { tables.rowCount }) {
                try outputs.render(tables, documentDate: day)
                try outputs.write(figures, changes: changes)
            }
            let written = try timer.time(.write) { try outputs.writeIssueFiles(tables) }
            return try outputs.publish(written, tables, timer: timer, skipped: [], replacing: replaced)
        }
    }

    /// The day asked for, or the latest order date of the inputs.
    func day(in read: Dataset) throws -> Day {
        switch selection {
        case .day(let day): return day
        case .latestOrderDate:
            guard let latest = read.orders.map(\.orderDate).max() else {
                throw RunFailure(.fatalInput, "--date latest: the orders files hold no readable order line")
            }
            return latest
        }
    }

    /// Drops the typed rows (`Dataset.releaseRows`): freed here, as nothing else holds them any more.
    func release(_ read: consuming Dataset) -> Dataset {
        read.releaseRows()
        return read
    }
}
