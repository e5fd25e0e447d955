import Config
import Core
import Crypto
import Foundation
import Ingest
import Logging
import Ledger
import Reconcile
import Render
import Reports
import Synchronization

public let toolVersion = "0.1.0"

/// What every command shares: where to read and write, and how the reports look.
public struct RunSettings: Sendable {
    public var inputs: String
    public var out: String
    /// `--config`; nil = `aftersales.toml` in the input folder when present.
    public var configPath: String?
    /// `--locale`; nil = the config's.
    public var locale: String?
    /// `--csv`: also write the tables' CSV twins.
    public var csv: Bool
    public var templates: String
    /// The command line as typed, for the manifest.
    public var commandLine: String

    public init(inputs: String, out: String, configPath: String?, locale: String?, csv: Bool, templates: String, commandLine: String) {
        self.inputs = inputs
        self.out = out
        self.configPath = configPath
        self.locale = locale
        self.csv = csv
        self.templates = templates
        self.commandLine = commandLine
    }
}

/// A day given on the command line: a date, or the latest order date in the inputs.
public enum DaySelection: Sendable, Equatable {
    case day(Day)
    case latestOrderDate
}

/// A month given on the command line: a month, or the month of the latest movement in the inputs.
public enum MonthSelection: Sendable, Equatable {
    case month(Month)
    case latestMovementMonth
}

/// Runs the commands: read → report tables → render → write, under the output folder's lock.
public struct Runner {
    public let settings: RunSettings
    public let log: Logger

    public init(settings: RunSettings, log: Logger) {
        self.settings = settings
        self.log = log
    }

    // MARK: Commands

    /// `aftersales daily --date D`: the daily order statistics for D.
    public func daily(_ selection: DaySelection) -> ExitStatus {
        guarded {
            let setup = try prepare()
            return try locked { try runDaily(selection, setup) }
        }
    }

    /// `aftersales nightly [--date D]` for cron: the daily run for D (default: yesterday in the
    /// config's time zone) and, when D is the last day of its month, the monthly run for that month,
    /// both under one lock. The exit status is the worse of the two.
    public func nightly(_ day: Day?, now: Date) -> ExitStatus {
        guarded {
            let setup = try prepare()
            let day = try day ?? yesterday(now: now, timeZone: setup.config.timezone)
            log.info("nightly.start", metadata: ["date": "\(day)", "month_end": "\(day == day.month.lastDay)"])
            return try locked {
                let daily = try runDaily(.day(day), setup)
                guard day == day.month.lastDay else { return daily }
                let monthly = try runMonthly(.month(day.month), reports: nil, setup)
                return max(daily.rawValue, monthly.rawValue) == daily.rawValue ? daily : monthly
            }
        }
    }

    func runDaily(_ selection: DaySelection, _ setup: Setup) throws -> ExitStatus {
        var timer = StageTimer()
        var dataset = try timer.measure("ingest") { try load(setup.config, kinds: [.orders], period: nil, neededBy: [("daily-orders", .orders)]) }
        timer.rows["ingest"] = dataset.files.reduce(0) { $0 + $1.read }

        let day: Day
        switch selection {
        case .day(let d): day = d
        case .latestOrderDate:
            guard let latest = dataset.orders.map(\.orderDate).max() else {
                throw RunFailure(.fatalInput, "--date latest: the orders files hold no readable order line")
            }
            day = latest
        }
        let report = try timer.measure("reports") {
            DailyOrders.build(orders: dataset.orders, parts: dataset.parts, dealers: dataset.dealers, day: day)
        }
        // The order lines are not needed past here: render and write run without them.
        dataset.releaseRows()
        timer.rows["reports"] = report.tables.reduce(0) { $0 + $1.rows.count }
        return try write([report], extraCSV: [], folder: day.description, documentDate: day, dataset: dataset,
                         setup: setup, timer: timer, skipped: [])
    }

    /// `aftersales monthly --month M [--reports a,b]`: the month-end workbooks, closing balances
    /// and count adjustments.
    public func monthly(_ selection: MonthSelection, reports selected: [String]?) -> ExitStatus {
        guarded {
            let setup = try prepare()
            return try locked { try runMonthly(selection, reports: selected, setup) }
        }
    }

    func runMonthly(_ selection: MonthSelection, reports selected: [String]?, _ setup: Setup) throws -> ExitStatus {
        let plan = try MonthlyPlan(selected: selected, available: try discover(setup.config))
        var timer = StageTimer()
        let month: Month
        switch selection {
        case .month(let m): month = m
        case .latestMovementMonth: month = try latestMovementMonth(setup.config)
        }
        // The monthly reports need the month before (quality's previous month, opening continuity,
        // repair lines kept) and the month after (closing balances as of its first day): 0001-01 has
        // no month before it, 9999-12 none after it.
        if (month.year == 1 && month.month == 1) || (month.year == 9999 && month.month == 12) {
            throw RunFailure(selection == .latestMovementMonth ? .fatalInput : .usage,
                             "month \(month) cannot be reported: the monthly reports need the months before and after it (0001-02 … 9999-11); check the dates (doc_date) of the inputs")
        }
        var trend: [Month: QualityFeedback.MonthRepairs] = [:]
        var dataset = try timer.measure("ingest") {
            var loaded = try load(setup.config, kinds: plan.kindsToRead, period: month, neededBy: plan.needed)
            // Of the months before M−1 the reports read only the trend's counts and the lines that expect
            // an old part back: the other repair lines are dropped here (~0.3 GB at 10× a month).
            trend = QualityFeedback.trendFigures(loaded.repairs, month: month)
            loaded.keepRepairs { Self.repairLineIsRead($0, month: month) }
            return loaded
        }
        timer.rows["ingest"] = dataset.files.reduce(0) { $0 + $1.read }

        // The ledger, the reconciliation and the typed rows are gone when monthlyReports returns
        // (Dataset.releaseRows): render and write hold the report tables and what the issue files and
        // the manifest read, not the ~1.5 GB of rows of a large month.
        let (reports, extraCSV) = try monthlyReports(month: month, plan: plan, setup: setup, dataset: &dataset, trend: trend,
                                                     timer: &timer)
        timer.rows["reports"] = reports.reduce(0) { $0 + $1.tables.reduce(0) { $0 + $1.rows.count } }
        for skipped in plan.skipped { log.info("report.skipped", metadata: ["report": "\(skipped.report)", "reason": "\(skipped.reason)"]) }
        return try write(reports, extraCSV: extraCSV, folder: month.description, documentDate: month.lastDay,
                         dataset: dataset, setup: setup, timer: timer, skipped: plan.skipped)
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

    /// Ledger → reconcile → the report tables of `plan`, with profit's unmatched returns added to
    /// `dataset`'s warnings. Leaves `dataset` without its typed rows (`releaseRows`): they, the ledger
    /// and the reconciliation are dropped as soon as no report left to build reads them, and nothing
    /// returned holds them (the tables hold cells, not rows).
    func monthlyReports(month: Month, plan: MonthlyPlan, setup: Setup, dataset: inout Dataset,
                        trend: [Month: QualityFeedback.MonthRepairs],
                        timer: inout StageTimer) throws -> (reports: [Report], extraCSV: [(String, Table)]) {
        // Optional so the reports stage can drop it before the reconciliation report (see below).
        var ledger: LedgerResult? = try timer.measure("ledger") {
            StockLedger.compute(month: month, openings: dataset.openings, movements: dataset.movements, method: setup.config.costing)
        }
        timer.rows["ledger"] = dataset.movements.count
        let previous = try previousClosing(before: month)
        let reconciliation = try timer.measure("reconcile") {
            Reconciliation.compute(month: month, ledger: ledger!.rows, movements: dataset.movements, counts: dataset.counts,
                                   orders: dataset.orders, repairs: dataset.repairs, tolerance: setup.config.tolerance,
                                   previousClosing: previous)
        }
        timer.rows["reconcile"] = ledger!.rows.count

        var reports: [Report] = []
        var extraCSV: [(String, Table)] = []
        try timer.measure("reports") {
            // Profit and quality read the rows and nothing of each other: built side by side first.
            let profit = Slot<(Report, [Profit.UnmatchedReturn])?>(), quality = Slot<Report?>()
            do {
                // The tasks' copies end with this block, before `dataset.warn` appends to the issues
                // (which would copy them whole) and before the rows are dropped.
                let data = dataset, lineValues = ledger!.lineValues
                sideBySide(
                    {
                        profit.value = plan.reports.contains("profit")
                            ? Profit.build(month: month, orders: data.orders, movements: data.movements, repairs: data.repairs,
                                           lineValues: lineValues, parts: data.parts, dealers: data.dealers)
                            : nil
                    },
                    {
                        quality.value = plan.reports.contains("quality-feedback")
                            ? QualityFeedback.build(month: month, repairs: data.repairs, movements: data.movements, parts: data.parts,
                                                    dealers: data.dealers, faults: data.faults, fleet: data.fleet, trend: trend)
                            : nil
                    })
            }
            // The movement report reads only the ledger's rows, the reconciliation report (the largest)
            // only the reconciliation, the parts and the issues, profit's warnings among them: both are
            // built side by side after the typed rows and the line values are dropped, so that their
            // tables (~0.2 GB and ~0.4 GB at ten times a month) are never held beside the rows.
            let ledgerRows = ledger!.rows
            ledger = nil
            dataset.releaseRows()
            if let (_, unmatched) = profit.value {
                for u in unmatched { dataset.warn(u.ref, column: "ref_no", code: .returnUnmatched, message: u.message) }
            }
            let movement = Slot<(Report, Table)?>(), reconciliationReport = Slot<Report?>()
            do {
                let parts = dataset.parts, issues = dataset.issues
                sideBySide(
                    {
                        reconciliationReport.value = plan.reports.contains("reconciliation")
                            ? ReconciliationReport.build(month: month, reconciliation: reconciliation, parts: parts, issues: issues)
                            : nil
                    },
                    {
                        movement.value = plan.reports.contains("parts-movement")
                            ? (PartsMovement.build(month: month, ledger: ledgerRows, variances: reconciliation.stockVariance, parts: parts),
                               PartsMovement.closingBalances(month: month, ledger: ledgerRows, variances: reconciliation.stockVariance))
                            : nil
                    })
            }
            if let (report, closing) = movement.value {
                reports.append(report)
                extraCSV.append(("closing-balances-\(month).csv", closing))
            }
            if let (report, _) = profit.value { reports.append(report) }
            if let report = reconciliationReport.value {
                reports.append(report)
                extraCSV.append(("count-adjustments-\(month).csv", PartsMovement.countAdjustments(reconciliation.adjustments)))
            }
            if let report = quality.value { reports.append(report) }
        }
        return (reports, extraCSV)
    }

    /// `aftersales validate`: reads every kind, prints per-file counts and the issues, writes nothing.
    public func validate(print: (String) -> Void) -> ExitStatus {
        guarded {
            let setup = try prepare()
            let dataset = try load(setup.config, kinds: Set(InputKind.allCases), period: nil, neededBy: [])
            print("file\tkind\tencoding\tread\taccepted\twarned\tduplicate\trejected")
            for (file, counts) in zip(dataset.files, dataset.rowCounts()) {
                print("\(file.name)\t\(file.kind.rawValue)\t\(file.encoding.rawValue)\t\(counts.read)\t\(counts.accepted)\t\(counts.warned)\t\(counts.duplicate)\t\(counts.rejected)")
            }
            for issue in dataset.issues {
                print("\(issue.file):\(issue.line): \(issue.severity.rawValue) \(issue.code.rawValue) [\(issue.column)] \(issue.message)")
            }
            let rejected = dataset.rejectedRows
            log.info("validate.done", metadata: ["files": "\(dataset.files.count)", "rejected": "\(rejected)", "issues": "\(dataset.issues.count)"])
            return rejected > 0 ? .rowsRejected : .ok
        }
    }

    // MARK: Steps

    struct Setup {
        let config: Config
        let configFile: String?
        let configSha256: String
        let locale: String
    }

    /// Reads the config (exit 2 on any problem) and settles the locale.
    func prepare() throws -> Setup {
        var configFile = settings.configPath
        if configFile == nil, FileManager.default.fileExists(atPath: settings.inputs + "/aftersales.toml") {
            configFile = settings.inputs + "/aftersales.toml"
        }
        var config = Config()
        var digest = SHA256.hash(data: Data()).map { String(format: "%02x", $0) }.joined()
        if let configFile {
            guard let data = FileManager.default.contents(atPath: configFile) else {
                throw RunFailure(.usage, "cannot read the config file \(configFile)")
            }
            digest = sha256Hex(data)
            do { config = try Config.parse(String(decoding: data, as: UTF8.self), source: configFile) } catch {
                throw RunFailure(.usage, error.description)
            }
        }
        let locale = settings.locale ?? config.locale
        guard ["zh-CN", "en"].contains(locale) else { throw RunFailure(.usage, "--locale \(locale) is not one of zh-CN, en") }
        return Setup(config: config, configFile: configFile, configSha256: digest, locale: locale)
    }

    /// Reads the inputs; a kind a selected report needs but the folder lacks is a fatal input error.
    func load(_ config: Config, kinds: Set<InputKind>, period: Month?, neededBy: [(report: String, kind: InputKind)]) throws -> Dataset {
        let loader = Loader(directory: settings.inputs, config: config, period: period)
        do {
            let available = try loader.discover()
            for (report, kind) in neededBy where available[kind] == nil {
                throw IngestError.missingKind(kind: kind.rawValue, neededBy: report)
            }
            let dataset = try loader.load(kinds)
            for (file, counts) in zip(dataset.files, dataset.rowCounts()) {
                log.info("ingest.file", metadata: ["file": "\(file.name)", "kind": "\(file.kind.rawValue)",
                                                   "encoding": "\(file.encoding.rawValue)", "read": "\(counts.read)",
                                                   "rejected": "\(counts.rejected)", "duplicate": "\(counts.duplicate)",
                                                   "warned": "\(counts.warned)"])
            }
            return dataset
        } catch {
            throw RunFailure(.fatalInput, "\(error)")
        }
    }

    /// Renders each report (workbook with its Data issues sheet, CSV twin with --csv) and the extra
    /// CSV files into `folder`, then finishes the run.
    func write(_ reports: [Report], extraCSV: [(String, Table)], folder: String, documentDate: Day, dataset: Dataset,
               setup: Setup, timer: StageTimer, skipped: [Manifest.Skipped]) throws -> ExitStatus {
        var timer = timer
        let outputs = OutputSet(root: settings.out)
        OutputSet.sweepStale(in: settings.out + "/" + folder)
        do {
            let context = RenderContext(company: setup.config.company, documentDate: documentDate, toolVersion: toolVersion)
            try timer.measure("render") {
                // The reconciliation report holds this table already, built from the same issues (a
                // warning is only ever appended, so the same count means the same list): shared
                // rather than built a second time (~100 MB at month10).
                let issuesSheet = reports.lazy.flatMap(\.tables).first { $0.id == "data_issues" && $0.rows.count == dataset.issues.count }
                    ?? DataIssues.table(dataset.issues)
                var jobs: [WorkbookJob] = []
                for var report in reports {
                    let template = try Template.load(directory: settings.templates, locale: setup.locale, report: report.id)
                    if settings.csv {
                        for table in report.tables {
                            try outputs.write("\(folder)/csv/\(report.id)/\(table.id).csv", bytes: CSVTwin.encode(table))
                        }
                    }
                    if !report.workbookTables.contains(where: { $0.id == "data_issues" }) {
                        report.sheets = report.workbookTables + [issuesSheet]
                    }
                    let workbook = "\(folder)/\(report.id)-\(folder).xlsx"
                    jobs.append(WorkbookJob(report: report, template: template, name: workbook, temp: try outputs.stage(workbook)))
                }
                for (job, error) in WorkbookJob.renderAll(jobs, context: context) {
                    // A full or read-only output folder is the operator's to fix, like an unreadable input (exit 3).
                    guard let reason = OutputSet.unwritableReason(beside: job.temp) else { throw error }
                    throw RunFailure(.fatalInput, "cannot write \(settings.out)/\(job.name): \(reason); no file was replaced")
                }
                for (name, table) in extraCSV { try outputs.write("\(folder)/\(name)", bytes: CSVTwin.encode(table)) }
            }
            timer.rows["render"] = reports.reduce(0) { $0 + $1.workbookTables.reduce(0) { $0 + $1.rows.count } }
            return try finish(outputs: outputs, folder: folder, period: folder, dataset: dataset, setup: setup,
                              timer: timer, written: reports.map(\.id), skipped: skipped)
        } catch {
            outputs.discard()
            throw error
        }
    }

    /// Last month's closing balances written by this tool, when they are in the output folder.
    func previousClosing(before month: Month) throws -> [StockKey: Balance]? {
        let previous = month.previous
        let path = "\(settings.out)/\(previous)/closing-balances-\(previous).csv"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let file = try Loader.readFile(path: path, kind: .opening)
            var balances: [StockKey: Balance] = [:]
            for row in file.openings { balances[StockKey(warehouse: row.warehouse, partNo: row.partNo)] = Balance(qty: row.qty, value: row.value) }
            return balances
        } catch {
            throw RunFailure(.fatalInput, "\(error)")
        }
    }

    /// The month of the latest doc_date among the movements (read once more just for this).
    func latestMovementMonth(_ config: Config) throws -> Month {
        let movements = try load(config, kinds: [.movements], period: nil, neededBy: [("parts-movement", .movements)]).movements
        guard let latest = movements.map(\.docDate).max() else {
            throw RunFailure(.fatalInput, "--month latest: the movements files hold no readable movement")
        }
        return latest.month
    }

    func discover(_ config: Config) throws -> Set<InputKind> {
        do { return Set(try Loader(directory: settings.inputs, config: config).discover().keys) } catch {
            throw RunFailure(.fatalInput, "\(error)")
        }
    }

    /// Writes rejects.csv and duplicates.csv, flushes every file, then publishes them with the manifest
    /// last (`OutputSet.publish`: a manifest in place always lists exactly the files beside it).
    func finish(outputs: OutputSet, folder: String, period: String, dataset: Dataset, setup: Setup,
                timer: StageTimer, written: [String], skipped: [Manifest.Skipped]) throws -> ExitStatus {
        var timer = timer
        let files = try timer.measure("write") {
            try outputs.write("\(folder)/rejects.csv", bytes: IssueFiles.rejects(dataset.issues))
            try outputs.write("\(folder)/duplicates.csv", bytes: IssueFiles.duplicates(dataset.duplicates))
            return try outputs.flush()
        }
        let status: ExitStatus = dataset.rejectedRows > 0 ? .rowsRejected : .ok
        var manifest = Manifest(version: toolVersion, command: settings.commandLine, period: period,
                                startedAt: timer.startedAt, configFile: setup.configFile, configSha256: setup.configSha256)
        manifest.inputs = Manifest.inputs(of: dataset)
        manifest.outputs = files.map { Manifest.Output(file: $0.path, sha256: $0.sha256, bytes: $0.bytes) }
        manifest.reportsWritten = written
        manifest.reportsSkipped = skipped
        manifest.stages = timer.stages
        manifest.issues = dataset.issues.count
        manifest.exitCode = status.rawValue
        try outputs.publish(record: "\(folder)/manifest.json", bytes: manifest.encoded())
        for file in files { log.info("output.written", metadata: ["file": "\(file.path)", "bytes": "\(file.bytes)"]) }
        log.info("run.done", metadata: ["exit": "\(status.rawValue)", "rejected": "\(dataset.rejectedRows)",
                                        "manifest": "\(settings.out)/\(folder)/manifest.json"])
        return status
    }

    /// Turns every failure into its exit status and one log line.
    func guarded(_ body: () throws -> ExitStatus) -> ExitStatus {
        do {
            return try body()
        } catch let failure as RunFailure {
            log.error("run.failed", metadata: ["exit": "\(failure.status.rawValue)", "reason": "\(failure.description)"])
            return failure.status
        } catch {
            log.critical("run.failed", metadata: ["exit": "5", "reason": "\(error)"])
            return .internalFailure
        }
    }

    /// Runs `body` holding the output folder's lock (exit 4 when another run has it).
    func locked(_ body: () throws -> ExitStatus) throws -> ExitStatus {
        let lock = try OutputLock(folder: settings.out, holder: holderNote())
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }

    /// Yesterday's date in `timeZone` at `now` (what "last night" means to the department).
    func yesterday(now: Date, timeZone: String) throws -> Day {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw RunFailure(.usage, "timezone = \"\(timeZone)\" is not a known time zone (e.g. Asia/Shanghai)")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        return Day(year: today.year!, month: today.month!, day: today.day!)!.advanced(by: -1)
    }

    func holderNote() -> String {
        "pid \(getpid()) since \(LineLogHandler.timestamp()): aftersales \(settings.commandLine)\n"
    }
}

/// Wall time and rows per stage, for the manifest.
struct StageTimer {
    let startedAt = LineLogHandler.timestamp()
    var stages: [Manifest.Stage] = []
    var rows: [String: Int] = [:] {
        didSet { stages = stages.map { Manifest.Stage(stage: $0.stage, seconds: $0.seconds, rows: rows[$0.stage] ?? $0.rows) } }
    }

    /// Runs one stage, timed and with its arithmetic watched: a figure that leaves the exact range
    /// (absurd inputs) fails the run as an input error instead of trapping (see ExactRange).
    mutating func measure<T>(_ stage: String, _ body: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let (result, overflow) = try ExactRange.watch(body)
        if let overflow {
            throw RunFailure(.fatalInput, "\(stage): \(overflow) is beyond the exact range of ±92,233,720,368,547,758.07 "
                + "(amounts) / ±9,223,372,036,854,775.807 (quantities); the inputs hold figures too large to total")
        }
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        stages.append(Manifest.Stage(stage: stage, seconds: (seconds * 1000).rounded() / 1000, rows: rows[stage] ?? 0))
        return result
    }
}

/// One workbook to render into its staged temporary file.
struct WorkbookJob: Sendable {
    let report: Report
    let template: Template
    /// The workbook's path under the output folder, for messages.
    let name: String
    let temp: String

    /// Renders the workbooks side by side, one per core (they share nothing; libxlsxwriter keeps all
    /// state per workbook), the largest first so the others fill in around it. Returns the failures
    /// in `jobs` order.
    static func renderAll(_ jobs: [WorkbookJob], context: RenderContext) -> [(WorkbookJob, any Error)] {
        let order = jobs.indices.sorted { jobs[$0].cellCount > jobs[$1].cellCount }
        let failures = Mutex<[Int: any Error]>([:])
        sideBySide(order.count) { n in
            let job = jobs[order[n]]
            do { try WorkbookRenderer.write(job.report, template: job.template, context: context, to: job.temp) }
            catch { failures.withLock { $0[order[n]] = error } }
        }
        return failures.withLock { found in found.keys.sorted().map { (jobs[$0], found[$0]!) } }
    }

    var cellCount: Int { report.workbookTables.reduce(0) { $0 + $1.rows.count * $1.columns.count } }
}
