import Core
import Delivery
import Foundation
import Logging
import Render
import Reports

/// figures.json as the run makes it from its reports (the format: Delivery's `PeriodFigures`).
extension PeriodFigures {
    /// `reports` of the run of `period`, `issues` their Data issues sheets, `template(report)` its
    /// templates in the run's locale.
    init(period: String, month: Month?, costing: String?, locale: String, inputs: [Manifest.Input], reports: [Report],
         issues: [ReportID: IssueSheet], template: (Report) throws -> Template) rethrows {
        let values = Dictionary(uniqueKeysWithValues: reports.compactMap { report in
            report.overview.map { overview in
                (report.id.rawValue, Dictionary(uniqueKeysWithValues: overview.metrics.compactMap { metric in
                    metric.current.plain.map { (metric.id, $0) }
                }))
            }
        })
        var overviews: [String: ReportOverview] = [:]
        for var report in reports {
            guard let overview = report.overview else { continue }
            let template = try template(report)
            report.issues = issues[report.id]
            overviews[report.id.rawValue] = ReportOverview(overview, sheets: OverviewSheet.sheetLines(of: report, template: template),
                                                           template: template)
        }
        self.init(month: month?.description, costing: costing,
                  inputs: Dictionary(inputs.map { ($0.file, $0.sha256) }, uniquingKeysWith: { first, _ in first }),
                  reports: values, period: period, locale: locale, overviews: overviews)
    }

    /// What an earlier month's figures.json gave: its figures, or why there are none. A missing or
    /// unreadable file is not fatal: its month is named in the overview and the log, and left out.
    enum Lookup {
        case found(PeriodFigures)
        case missing
        case unreadable(String)
    }

    static func lookup(out: String, month: Month) -> Lookup {
        let path = "\(out)/\(month)/figures.json"
        guard let data = FileManager.default.contents(atPath: path) else { return .missing }
        do {
            let figures = try JSONDecoder().decode(PeriodFigures.self, from: data)
            guard figures.month == month.description else { return .unreadable("it is for \(figures.month ?? figures.period ?? "another period")") }
            return .found(figures)
        } catch {
            return .unreadable("not a figures file")
        }
    }
}

/// The overviews of a monthly run: each report's key figures, compared with M−1 and, for profit,
/// summed over the year (SPEC §8.2).
struct MonthlyOverviews {
    let out: String
    let month: Month
    let costing: String
    let log: Logger

    /// Profit's margin is a ratio: its year to date is the ratio of the sums, not a sum.
    static let ratios = ["margin_pct": ("gross_profit", "net_revenue")]

    /// `reports` with their overviews set.
    func attach(to reports: [Report]) -> [Report] {
        let earlier = Array(Set((1..<month.month).map { Month(year: month.year, month: $0)! } + [month.previous])).sorted()
        var found: [Month: PeriodFigures] = [:], notes: [Month: Overview.Note] = [:], missing: [Month] = []
        for m in earlier {
            switch PeriodFigures.lookup(out: out, month: m) {
            case .found(let figures): found[m] = figures
            case .missing:
                missing.append(m)
                notes[m] = Overview.Note(month: m.description, reason: .missing)
            case .unreadable(let why):
                notes[m] = Overview.Note(month: m.description, reason: .unreadable(why))
                log.warning("figures.unreadable", metadata: ["month": "\(m)", "reason": "\(why)"])
            }
        }
        if !missing.isEmpty { log.warning("figures.missing", metadata: ["months": "\(Overview.monthRuns(missing))"]) }
        // Each report's figures are read off its tables side by side (a pass over ~1M rows at ten times a month).
        let keyFigures = reports.map { _ in Slot<[Overview.Metric]>() }
        sideBySide(reports.count) { n in keyFigures[n].value = Overview.keyFigures(of: reports[n]) }
        return zip(reports, keyFigures).map { report, keyFigures in
            var report = report, overview = Overview(metrics: keyFigures.value)
            overview.costing = costing
            let previous = found[month.previous]?.reports[report.id.rawValue]
            overview.compare(with: overview.cells(from: previous ?? [:]), period: month.previous.description)
            if let note = notes[month.previous] {
                overview.notes.append(note)
            } else if previous == nil {
                overview.notes.append(Overview.Note(month: month.previous.description, reason: .reportNotRun))
            }
            if report.id == .profit {
                let sums = found.filter { $0.key.year == month.year }.compactMapValues { $0.reports[report.id.rawValue] }
                overview.yearToDate(month: month, earlier: sums, ratios: Self.ratios)
            }
            report.overview = overview
            return report
        }
    }
}

extension Cell {
    /// The number as figures.json stores it: exact decimal text ("1234.50"); nil when blank.
    var plain: String? { decimal.map { decimalString($0.mantissa, scale: $0.scale) } }
}

extension Overview {
    /// The overview's inputs block: the manifest's row counts summed per input kind (the daily order
    /// files would otherwise fill the first screen).
    static func inputs(_ manifest: [Manifest.Input]) -> [Input] {
        var kinds: [String] = []
        var byKind: [String: [Manifest.Input]] = [:]
        for input in manifest {
            if byKind[input.kind] == nil { kinds.append(input.kind) }
            byKind[input.kind, default: []].append(input)
        }
        return kinds.map { kind in
            let files = byKind[kind]!
            func total(_ count: (Manifest.Input) -> Int) -> Int { files.reduce(0) { $0 + count($1) } }
            return Input(kind: kind, files: files.map(\.file), read: total(\.read), accepted: total(\.accepted),
                         warned: total(\.warned), rejected: total(\.rejected))
        }
    }
}

extension PeriodFigures.ReportOverview {
    /// One report's overview as its workbook shows it: labels and sheet names from `template`.
    init(_ overview: Overview, sheets: [OverviewSheet.SheetLine], template: Template) {
        self.init(comparedWith: overview.previousPeriod, ytdCovers: OverviewSheet.ytdCoverage(of: overview, template: template),
                  metrics: overview.metrics.map { metric in
                      Metric(id: metric.id, label: template.label(of: metric), current: metric.current.plain,
                             previous: metric.previous.plain, changePct: Cell.percent(metric.changePct).plain, ytd: metric.ytd.plain)
                  },
                  sheets: sheets.map { Sheet(table: $0.table, sheet: $0.sheet, rows: $0.rows, exceptions: $0.exceptions) })
    }
}
