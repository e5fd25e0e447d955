import ArgumentParser
import Core
import Foundation
import Logging
import Pipeline
import Render

/// The command line: parses arguments and hands over to `Pipeline.Runner`. Nothing else lives here.
@main
struct Aftersales: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aftersales",
        abstract: "Reports of the after-sales service department (售后服务部) from ERP CSV exports.",
        version: toolVersion,
        subcommands: [Daily.self, Monthly.self, Nightly.self, Send.self, Validate.self, Explain.self])

    /// As ParsableCommand's, except that usage errors exit 2 (SPEC §5.2), not EX_USAGE.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(withError: code)
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }   // --help, --version
            FileHandle.standardError.write(Data(("aftersales: \(message(for: error))\nSee 'aftersales --help'.\n").utf8))
            exit(withError: ExitCode(ExitStatus.usage.rawValue))
        }
    }
}

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "Folder with the input CSV files.")
    var inputs = "inputs"
    @Option(help: "Output folder.")
    var out = "out"
    @Option(help: "Config file (TOML); default: aftersales.toml in the input folder when present.")
    var config: String?
    @Option(help: "Report language: zh-CN or en (default: the config's, else zh-CN).")
    var locale: String?
    @Flag(help: "Also write every table as CSV under <report-folder>/csv/<report>/.")
    var csv = false
    @Option(help: "The templates folder (default: found next to the executable).")
    var templates: String?

    func runner(_ subcommand: String) throws -> Runner {
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        guard let templates = templates ?? Template.defaultDirectory(executable: CommandLine.arguments[0]) else {
            throw ValidationError("cannot find the templates folder next to the executable; pass --templates DIR")
        }
        let line = ([subcommand] + CommandLine.arguments.dropFirst().filter { $0 != subcommand }).joined(separator: " ")
        return Runner(settings: RunSettings(inputs: inputs, out: out, configPath: config, locale: locale, csv: csv,
                                            templates: templates, commandLine: line),
                      log: Logger(label: "aftersales"))
    }
}

struct Daily: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The daily order statistics (售后配件订单日统计表) for one day.")

    @Option(help: "The day, YYYY-MM-DD, or 'latest' for the latest order date in the inputs.")
    var date: String
    @OptionGroup var common: CommonOptions

    func run() throws {
        let selection: DaySelection
        if date == "latest" { selection = .latestOrderDate } else {
            guard let day = Day(iso: date) else { throw ValidationError("--date \(date) is not a date YYYY-MM-DD or 'latest'") }
            selection = .day(day)
        }
        throw ExitCode(try common.runner("daily").daily(selection).rawValue)
    }
}

struct Monthly: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The month-end set: parts movement (配件收发月统计表), reconciliation (盘点差异及对账表), profit (售后配件月利润表), quality feedback (质量信息反馈表), closing balances, count adjustments.")

    @Option(help: "The month, YYYY-MM, or 'latest' for the month of the latest movement in the inputs.")
    var month: String
    @Option(help: "Comma-separated reports to write (parts-movement, reconciliation, profit, quality-feedback, receivables); default: every report whose inputs are present.")
    var reports: String?
    @OptionGroup var common: CommonOptions

    func run() throws {
        let selection: MonthSelection
        if month == "latest" { selection = .latestMovementMonth } else {
            guard let m = Month(iso: month) else { throw ValidationError("--month \(month) is not a month YYYY-MM or 'latest'") }
            selection = .month(m)
        }
        let selected = reports?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        throw ExitCode(try common.runner("monthly").monthly(selection, reports: selected).rawValue)
    }
}

struct Nightly: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "For cron: the daily run for D (default: yesterday in the config's time zone); on a month's last day also the monthly run.")

    @Option(help: "The day, YYYY-MM-DD (default: yesterday in the config's timezone, Asia/Shanghai unless set).")
    var date: String?
    @OptionGroup var common: CommonOptions

    func run() throws {
        var day: Day?
        if let date {
            guard let d = Day(iso: date) else { throw ValidationError("--date \(date) is not a date YYYY-MM-DD") }
            day = d
        }
        throw ExitCode(try common.runner("nightly").nightly(day, now: try Self.now()).rawValue)
    }

    /// The clock "yesterday" is read from: the system clock, or AFTERSALES_NOW (an ISO 8601 instant
    /// such as 2026-10-31T16:30:00Z) when set, which is how the tests fix the night they run in.
    static func now() throws -> Date {
        guard let text = ProcessInfo.processInfo.environment["AFTERSALES_NOW"] else { return Date() }
        guard let date = ISO8601DateFormatter().date(from: text) else {
            throw ValidationError("AFTERSALES_NOW=\(text) is not an ISO 8601 instant (e.g. 2026-10-31T16:30:00Z)")
        }
        return date
    }
}

struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mails a complete period folder's workbooks to the recipients of [delivery.reports.*] and, when [delivery.statements] is enabled, each dealer its statement; each workbook version once.")

    @Option(help: "The day of a daily folder, YYYY-MM-DD.")
    var date: String?
    @Option(help: "The month of a month-end folder, YYYY-MM.")
    var month: String?
    @Option(help: "Comma-separated reports to send, 'statements' for the dealers' statements (default: every report of the folder that has recipients, and the statements when enabled).")
    var reports: String?
    @Flag(help: "Send again what was already sent (or is uncertain).")
    var resend = false
    @Option(name: .customLong("dry-run"), help: "Write each message as DIR/<workbook name>.eml (profit-2026-10.eml, statement-2026-10-D01.eml) instead of sending it.")
    var dryRun: String?
    @OptionGroup var common: CommonOptions

    func run() throws {
        let period = try reportPeriod(date: date, month: month).description
        let selected = reports?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        throw ExitCode(try common.runner("send").send(period: period, reports: selected, resend: resend, dryRun: dryRun).rawValue)
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explains one cell of a report: its value, every input row behind it and their sum (exit 0 when they reproduce it, 1 when not).")

    @Option(help: "The day, YYYY-MM-DD (daily-orders).")
    var date: String?
    @Option(help: "The month, YYYY-MM (parts-movement, reconciliation, profit, quality-feedback).")
    var month: String?
    @Option(help: "<report>/<table>, e.g. profit/by_part.")
    var table: String
    @Option(help: "The row's key, its id columns comma-separated (e.g. NEW,P001 for parts-movement/movement; a summary's metric).")
    var key: String
    @Option(help: "The column, e.g. cogs.")
    var column: String
    @OptionGroup var common: CommonOptions

    func run() throws {
        let request = ExplainRequest(period: try reportPeriod(date: date, month: month), table: table, key: key.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }, column: column)
        // --csv prints CSV here: explain writes no files.
        // The text in a few large parts, each written at once: a cell can list ~390k lines.
        throw ExitCode(try common.runner("explain").explain(request, csv: common.csv) { text in
            text.withUnsafeBytes { bytes in   // written from the array itself: a copy into Data took ~50 ms at 40 MB
                try? FileHandle.standardOutput.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!),
                                                                      count: bytes.count, deallocator: .none))
            }
        }.rawValue)
    }
}

/// `--date D | --month M`, exactly one of them.
func reportPeriod(date: String?, month: String?) throws -> ReportPeriod {
    switch (date, month) {
    case (let date?, nil):
        guard let day = Day(iso: date) else { throw ValidationError("--date \(date) is not a date YYYY-MM-DD") }
        return .day(day)
    case (nil, let month?):
        guard let m = Month(iso: month) else { throw ValidationError("--month \(month) is not a month YYYY-MM") }
        return .month(m)
    default: throw ValidationError("give one of --date D or --month M")
    }
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reads and checks every input file; prints per-file counts and issues; writes nothing.")

    @OptionGroup var common: CommonOptions

    func run() throws {
        throw ExitCode(try common.runner("validate").validate { print($0) }.rawValue)
    }
}
