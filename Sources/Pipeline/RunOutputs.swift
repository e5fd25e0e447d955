import Core
import Delivery
import Ingest
import Logging
import Render
import Reports
import Synchronization

/// The output side of a run, the same for the daily and the monthly one: the report tables rendered
/// and staged into the period's folder, then rejects.csv and duplicates.csv, then everything
/// published with the manifest last. Nothing replaces a file until `publish`.
struct RunOutputs {
    let runner: Runner
    let setup: Runner.Setup
    /// The period's folder under the output folder ("2026-10-31", "2026-10").
    let folder: String
    let staged: OutputSet

    init(runner: Runner, setup: Runner.Setup, folder: String) {
        self.runner = runner
        self.setup = setup
        self.folder = folder
        staged = OutputSet(root: runner.settings.out)
        OutputSet.sweepStale(in: runner.settings.out + "/" + folder)
    }

    /// Runs `steps`; when they fail, removes what they staged (a failed run replaces no file).
    func discardingOnFailure<T>(_ steps: () throws -> T) throws -> T {
        do { return try steps() } catch {
            staged.discard()
            throw error
        }
    }

    /// Stage `render`, second part (after `writeCSVFiles`): each report's workbook, ending with the Data issues
    /// sheet, and each dealer's 对账单 (SPEC §8.4) with `statements/recipients-M.json`, what mailing them needs
    /// (the dealers' emails as of this run). All are written in one pool, so the statements fill in around
    /// the large workbooks.
    func render(_ tables: ReportTables, documentDate: Day) throws {
        let settings = runner.settings
        let context = RenderContext(company: setup.config.company, documentDate: documentDate, toolVersion: toolVersion)
        var jobs: [RenderJob] = []
        let inputs = Overview.inputs(manifestInputs(tables))
        for var report in tables.reports {
            report.overview?.inputs = inputs
            let template = try Template.load(directory: settings.templates, locale: setup.locale, report: report.id)
                .naming(warehouses: setup.config.warehouses)
            report.issues = tables.issueSheets[report.id]
            let workbook = "\(folder)/\(report.id.rawValue)-\(folder).xlsx", temp = try staged.stage(workbook)
            let ready = report
            jobs.append(RenderJob(name: workbook, temp: temp, cells: ready.workbookTables.reduce(0) { $0 + $1.rows.count * $1.columns.count }) {
                try WorkbookRenderer.write(ready, template: template, context: context, to: temp)
            })
        }
        let statements = tables.statements
        let files = statements.map { "\(folder)/statements/statement-\(folder)-\($0.dealerId).xlsx" }
        if !statements.isEmpty {
            let template = try Template.load(directory: settings.templates, locale: setup.locale, document: "statement")
            for (statement, file) in zip(statements, files) {
                let temp = try staged.stage(file)
                jobs.append(RenderJob(name: file, temp: temp, cells: statement.lines.count * 7 /* date … balance */) {
                    try StatementWorkbook.write(statement, template: template, context: context, to: temp)
                })
            }
        }
        for (job, error) in RenderJob.renderAll(jobs) {
            // A full or read-only output folder is the operator's to fix, like an unreadable input (exit 3).
            guard let reason = OutputSet.unwritableReason(beside: job.temp) else { throw error }
            throw RunFailure(.fatalInput, "cannot write \(settings.out)/\(job.name): \(reason); no file was replaced")
        }
        guard !statements.isEmpty else { return }
        let recipients = StatementRecipients(period: folder, company: setup.config.company, dealers: zip(statements, files).map { s, file in
            StatementRecipients.Dealer(dealerId: s.dealerId, dealerName: s.dealerName, email: s.email, file: file,
                                       closing: s.closing.description, overdue: s.overdue.description)
        })
        try staged.write("\(folder)/\(StatementRecipients.fileName(period: folder))", bytes: recipients.encoded())
    }

    /// figures.json (SPEC §8.2; every run, as the mail's source: `PeriodFigures`). `month` and `costing`: a monthly run's.
    func figures(_ tables: ReportTables, month: Month?, costing: String?) throws -> PeriodFigures {
        let settings = runner.settings
        return try PeriodFigures(period: folder, month: month, costing: costing, locale: setup.locale,
                                 inputs: manifestInputs(tables), reports: tables.reports, issues: tables.issueSheets) {
            try Template.load(directory: settings.templates, locale: setup.locale, report: $0.id)
        }
    }

    /// Stages figures.json and, for a rerun, changes.csv (after the workbooks: a workbook is the first
    /// file a run writes), published with the run's other files.
    func write(_ figures: PeriodFigures, changes: Table?) throws {
        try staged.write("\(folder)/figures.json", bytes: figures.encoded())
        if let changes { try staged.write("\(folder)/changes.csv", bytes: CSVTwin.encode(changes)) }
    }

    /// Stage `render`, first part: the period's CSV files (closing-balances, count-adjustments) and with
    /// --csv each report's CSV twin; and when this run replaces a complete run of its period (SPEC §8.6),
    /// the comparison with it. Each table is encoded once, for its file and for the comparison (encoding
    /// is most of writing the twins: ~1 s at the month scale). Returns the tables with each overview's
    /// changes block, what `publish` keeps as `previous/`, and changes.csv (only its header when nothing
    /// changed); for a first run the tables as they are, nil, nil.
    func writeCSVFiles(_ tables: ReportTables, figures: PeriodFigures) throws
        -> (tables: ReportTables, replaced: OutputSet.Replaced?, changes: Table?) {
        let path = runner.settings.out + "/" + folder, csv = runner.settings.csv
        // The folder's own run when complete; else the one a run killed in its commit left in previous/
        // (that run's files at the top are a mix, with no manifest). Checking reads every file once.
        let top = try? PeriodFolder(path: path)
        let previous = top ?? (try? PeriodFolder(path: path + "/previous"))
        var reports = tables.reports
        for n in reports.indices { reports[n].issues = tables.issueSheets[reports[n].id] }
        var changes = previous.map { RunChanges(previous: $0, figures: figures, inputs: manifestInputs(tables), reports: reports) }
        for report in tables.reports {
            let twins = tables.csvTables(of: report).map { ("csv/\(report.id.rawValue)/\($0.id).csv", $0, csv) }
            let files = tables.files.filter { $0.report == report.id }.map { ($0.name, $0.table, true) }
            // Made one at a time: a CSV-only table (receivables' statement, open-items-M.csv) lives only while encoded.
            for (name, later, written) in twins + files where written || changes?.compares(name) == true {
                let table = later.make()
                let bytes = CSVTwin.encode(table)
                if written { try staged.write("\(folder)/\(name)", bytes: bytes) }
                try changes?.compare(table, of: report.id, file: name, encoded: bytes)
            }
            // overview.csv: the key figures, compared from figures.json.
            if csv, let overview = report.overview?.table {
                try staged.write("\(folder)/csv/\(report.id.rawValue)/\(overview.id).csv", bytes: CSVTwin.encode(overview))
            }
        }
        guard let changes, let previous else { return (tables, nil, nil) }
        var changed = tables
        for n in changed.reports.indices { changed.reports[n].overview?.changes = changes.overviews[tables.reports[n].id] }
        runner.log.info("changes.compared", metadata: ["previous": "\(previous.path)", "lines": "\(changes.lineCount)"])
        let files = previous.manifest.outputs.map { $0.name(in: previous.manifest.period) } + ["manifest.json"]
        return (changed, OutputSet.Replaced(folder: path, files: files, keep: top != nil), changes.table)
    }

    /// The inputs as the manifest lists them.
    func manifestInputs(_ tables: ReportTables) -> [Manifest.Input] {
        Manifest.inputs(of: tables.inputs, warnedLater: tables.issues.raised.map(\.ref))
    }

    /// Stage `write`: rejects.csv and duplicates.csv, then every staged file flushed to disk.
    func writeIssueFiles(_ tables: ReportTables) throws -> [OutputSet.Written] {
        try staged.write("\(folder)/rejects.csv", bytes: IssueFiles.rejects(tables.issues))
        try staged.write("\(folder)/duplicates.csv", bytes: IssueFiles.duplicates(tables.inputs.duplicates))
        return try staged.flush()
    }

    /// Publishes the written files with the manifest last (`OutputSet.publish`: a manifest in place
    /// always lists exactly the files beside it). Returns the run's exit status.
    func publish(_ files: [OutputSet.Written], _ tables: ReportTables, timer: StageTimer,
                 skipped: [Manifest.Skipped], replacing replaced: OutputSet.Replaced?) throws -> ExitStatus {
        let log = runner.log, inputs = tables.inputs
        let status: ExitStatus = inputs.rejectedRows > 0 ? .rowsRejected : .ok
        var manifest = Manifest(version: toolVersion, command: runner.settings.commandLine, period: folder,
                                startedAt: timer.startedAt, configFile: setup.configFile, configSha256: setup.configSha256)
        manifest.inputs = manifestInputs(tables)
        manifest.outputs = files.map { Manifest.Output(file: $0.path, sha256: $0.sha256, bytes: $0.bytes) }
        manifest.reportsWritten = tables.reports.map(\.id.rawValue)
        manifest.reportsSkipped = skipped
        manifest.stages = timer.stages
        manifest.issues = tables.issues.count
        manifest.exitCode = status.rawValue
        try staged.publish(record: "\(folder)/manifest.json", bytes: manifest.encoded(), replacing: replaced)
        for file in files { log.info("output.written", metadata: ["file": "\(file.path)", "bytes": "\(file.bytes)"]) }
        log.info("run.done", metadata: ["exit": "\(status.rawValue)", "rejected": "\(inputs.rejectedRows)",
                                        "manifest": "\(runner.settings.out)/\(folder)/manifest.json"])
        return status
    }
}

/// One workbook to write into its staged temporary file: a report's or a dealer's statement.
struct RenderJob: Sendable {
    /// The workbook's path under the output folder, for messages.
    let name: String
    let temp: String
    /// Cells it holds: the largest are started first.
    let cells: Int
    let write: @Sendable () throws -> Void

    /// Writes the workbooks side by side, one per core (they share nothing; libxlsxwriter keeps all state
    /// per workbook), the largest first so the others fill in around it. Returns the failures in `jobs` order.
    static func renderAll(_ jobs: [RenderJob]) -> [(RenderJob, any Error)] {
        let order = jobs.indices.sorted { jobs[$0].cells > jobs[$1].cells }
        let failures = Mutex<[Int: any Error]>([:])
        sideBySide(order.count) { n in
            do { try jobs[order[n]].write() } catch { failures.withLock { $0[order[n]] = error } }
        }
        return failures.withLock { found in found.keys.sorted().map { (jobs[$0], found[$0]!) } }
    }
}
