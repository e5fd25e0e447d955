import Core
import Foundation
import Logging
import Render
import Reports

/// `<out>/<M>/figures.json` (SPEC §8.2): each report's overview metrics of M as exact decimal text,
/// the costing method and the inputs' digests. Every monthly run writes it; later runs read it for
/// their previous (M−1) and year-to-date columns, like closing-balances for the openings.
struct MonthFigures: Codable, Equatable {
    var month: String
    var costing: String
    /// Input file name → sha256, as in the manifest.
    var inputs: [String: String]
    /// Report id → metric id → its value ("1234.50"); a blank metric (a margin of nothing) is left out.
    var reports: [String: [String: String]]

    init(month: Month, costing: String, inputs: [Manifest.Input], reports: [Report]) {
        self.month = month.description
        self.costing = costing
        self.inputs = Dictionary(inputs.map { ($0.file, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        self.reports = Dictionary(uniqueKeysWithValues: reports.compactMap { report in
            report.overview.map { overview in
                (report.id.rawValue, Dictionary(uniqueKeysWithValues: overview.metrics.compactMap { metric in
                    metric.current.decimal.map { (metric.id, decimalString($0.mantissa, scale: $0.scale)) }
                }))
            }
        })
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }

    /// What an earlier month's figures.json gave: its figures, or why there are none. A missing or
    /// unreadable file is not fatal: its month is named in the overview and the log, and left out.
    enum Lookup {
        case found(MonthFigures)
        case missing
        case unreadable(String)
    }

    static func lookup(out: String, month: Month) -> Lookup {
        let path = "\(out)/\(month)/figures.json"
        guard let data = FileManager.default.contents(atPath: path) else { return .missing }
        do {
            let figures = try JSONDecoder().decode(MonthFigures.self, from: data)
            guard figures.month == month.description else { return .unreadable("it is for \(figures.month)") }
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
        var found: [Month: MonthFigures] = [:], notes: [Month: String] = [:], missing: [Month] = []
        for m in earlier {
            switch MonthFigures.lookup(out: out, month: m) {
            case .found(let figures): found[m] = figures
            case .missing:
                missing.append(m)
                notes[m] = "\(m): figures.json missing"
            case .unreadable(let why):
                notes[m] = "\(m): figures.json unreadable (\(why)), ignored"
                log.warning("figures.unreadable", metadata: ["month": "\(m)", "reason": "\(why)"])
            }
        }
        if !missing.isEmpty { log.warning("figures.missing", metadata: ["months": "\(Overview.monthRuns(missing))"]) }
        return reports.map { report in
            var report = report, overview = Overview(metrics: Overview.keyFigures(of: report))
            overview.costing = costing
            let previous = found[month.previous]?.reports[report.id.rawValue]
            overview.compare(with: overview.cells(from: previous ?? [:]), period: month.previous.description)
            if let note = notes[month.previous] {
                overview.notes.append(note)
            } else if previous == nil {
                overview.notes.append("\(month.previous): figures.json has no \(report.id.rawValue) figures")   // not run that month
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
