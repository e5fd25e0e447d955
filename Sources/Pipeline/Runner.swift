import Config
import Core
import Crypto
import Delivery
import Foundation
import Ingest
import Logging

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

/// Runs the commands under the output folder's lock: the daily and the monthly run are pipelines of
/// their own (`DailyPipeline`, `MonthlyPipeline`).
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
            let smtp = try smtpSettings(setup)   // a delivery config error stops the night before it writes
            return try locked {
                let daily = try runDaily(.day(day), setup)
                var written = daily.rawValue <= ExitStatus.rowsRejected.rawValue ? ["\(day)"] : []
                var status = daily
                if day == day.month.lastDay {
                    let monthly = try runMonthly(.month(day.month), reports: nil, setup)
                    if monthly.rawValue <= ExitStatus.rowsRejected.rawValue { written.append("\(day.month)") }
                    status = max(daily.rawValue, monthly.rawValue) == daily.rawValue ? daily : monthly
                }
                // What was written goes out when [delivery] is configured; a failed run's folder does not.
                guard let smtp else { return status }
                var delivered = true
                for period in written {
                    delivered = try runDelivery(period: period, reports: nil, resend: false, dryRun: nil, smtp: smtp, setup) == .ok && delivered
                }
                return status.rawValue <= ExitStatus.rowsRejected.rawValue && !delivered ? .notDelivered : status
            }
        }
    }

    func runDaily(_ selection: DaySelection, _ setup: Setup) throws -> ExitStatus {
        try DailyPipeline(runner: self, setup: setup, selection: selection).run()
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
        let timer = StageTimer()   // the run starts before `--month latest` reads the movements
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
        return try MonthlyPipeline(runner: self, setup: setup, plan: plan, month: month).run(timer)
    }

    /// `aftersales send --date D | --month M`: mails the complete period folder `<out>/<period>/`
    /// to the recipients of `[delivery.reports.*]` (SPEC §8.5); `dryRun` writes .eml files instead.
    public func send(period: String, reports: [String]?, resend: Bool, dryRun: String?) -> ExitStatus {
        guarded {
            let setup = try prepare()
            guard let smtp = try smtpSettings(setup) else {
                throw RunFailure(.usage, "the config has no [delivery] table: nowhere to send to (SPEC §8.7)")
            }
            return try locked { try runDelivery(period: period, reports: reports, resend: resend, dryRun: dryRun, smtp: smtp, setup) }
        }
    }

    /// `[delivery]`'s SMTP settings with the password; nil without `[delivery]`; exit 2 on a problem.
    func smtpSettings(_ setup: Setup) throws -> SMTPSettings? {
        guard let delivery = setup.config.delivery else { return nil }
        do { return try SMTPSettings(config: delivery, environment: ProcessInfo.processInfo.environment) } catch {
            throw RunFailure(.usage, "\(setup.configFile ?? "config"): \(error.description)")
        }
    }

    /// Delivers one period folder: `.ok` when everything is delivered, `.notDelivered` otherwise
    /// (each failure has its own log line from the Deliverer).
    func runDelivery(period: String, reports: [String]?, resend: Bool, dryRun: String?, smtp: SMTPSettings, _ setup: Setup) throws -> ExitStatus {
        guard let delivery = setup.config.delivery else { return .ok }
        let deliverer = Deliverer(config: delivery, transport: CurlSMTP(settings: smtp), locale: setup.locale,
                                  templates: settings.templates, log: log)
        let folder = settings.out + "/" + period
        do {
            let result = if let dryRun { try deliverer.dryRun(folder: folder, reports: reports, into: dryRun) }
                         else { try deliverer.deliver(folder: folder, reports: reports, resend: resend) }
            return result.allDelivered ? .ok : .notDelivered
        } catch let failure as DeliveryFailure {
            log.error("delivery.failed", metadata: ["folder": "\(folder)", "reason": "\(failure.description)"])
            return .notDelivered
        }
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
