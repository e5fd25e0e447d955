import Config
import Core
import Crypto
import Foundation
import Ingest
import Logging
import Render
import Reports

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
            let lock = try OutputLock(folder: settings.out, holder: holderNote())
            defer { withExtendedLifetime(lock) {} }
            var timer = StageTimer()
            let dataset = try timer.measure("ingest") { try load(setup.config, kinds: [.orders], period: nil, neededBy: ["daily-orders": .orders]) }
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
            var report = timer.measure("reports") {
                DailyOrders.build(orders: dataset.orders, parts: dataset.parts, dealers: dataset.dealers, day: day)
            }
            timer.rows["reports"] = report.tables.reduce(0) { $0 + $1.rows.count }
            let folder = day.description
            let csvTables = report.tables
            report.tables.append(DataIssues.table(dataset.issues))

            let outputs = OutputSet(root: settings.out)
            OutputSet.sweepStale(in: settings.out + "/" + folder)
            do {
                let template = try Template.load(directory: settings.templates, locale: setup.locale, report: report.id)
                let context = RenderContext(company: setup.config.company, documentDate: day, toolVersion: toolVersion)
                try timer.measure("render") {
                    try WorkbookRenderer.write(report, template: template, context: context,
                                               to: outputs.stage("\(folder)/\(report.id)-\(folder).xlsx"))
                    if settings.csv {
                        for table in csvTables {
                            try outputs.write("\(folder)/csv/\(report.id)/\(table.id).csv", bytes: CSVTwin.encode(table))
                        }
                    }
                }
                timer.rows["render"] = timer.rows["reports"]
                return try finish(outputs: outputs, folder: folder, period: day.description, dataset: dataset,
                                  setup: setup, timer: timer, written: [report.id], skipped: [])
            } catch {
                outputs.discard()
                throw error
            }
        }
    }

    /// `aftersales validate`: reads every kind, prints per-file counts and the issues, writes nothing.
    public func validate(print: (String) -> Void) -> ExitStatus {
        guarded {
            let setup = try prepare()
            let dataset = try load(setup.config, kinds: Set(InputKind.allCases), period: nil, neededBy: [:])
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
            if let problem = KindSchema.problems(in: config).first {
                throw RunFailure(.usage, "\(configFile): \(problem)")
            }
        }
        let locale = settings.locale ?? config.locale
        guard ["zh-CN", "en"].contains(locale) else { throw RunFailure(.usage, "--locale \(locale) is not one of zh-CN, en") }
        return Setup(config: config, configFile: configFile, configSha256: digest, locale: locale)
    }

    /// Reads the inputs; a kind a selected report needs but the folder lacks is a fatal input error.
    func load(_ config: Config, kinds: Set<InputKind>, period: Month?, neededBy: [String: InputKind]) throws -> Dataset {
        let loader = Loader(directory: settings.inputs, config: config, period: period)
        do {
            let available = try loader.discover()
            for (report, kind) in neededBy.sorted(by: { $0.key < $1.key }) where available[kind] == nil {
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

    /// Writes rejects.csv and duplicates.csv, renames every file into place, then writes the manifest.
    func finish(outputs: OutputSet, folder: String, period: String, dataset: Dataset, setup: Setup,
                timer: StageTimer, written: [String], skipped: [Manifest.Skipped]) throws -> ExitStatus {
        var timer = timer
        try outputs.write("\(folder)/rejects.csv", bytes: IssueFiles.rejects(dataset.issues))
        try outputs.write("\(folder)/duplicates.csv", bytes: IssueFiles.duplicates(dataset.duplicates))
        let files = try timer.measure("write") { try outputs.commit() }
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
        try outputs.write("\(folder)/manifest.json", bytes: manifest.encoded())
        _ = try outputs.commit()
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

    mutating func measure<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        stages.append(Manifest.Stage(stage: stage, seconds: (seconds * 1000).rounded() / 1000, rows: rows[stage] ?? 0))
        return result
    }
}
