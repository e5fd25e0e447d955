import Core

/// The overview sheet of a workbook and its CSV twin `overview.csv` (SPEC §8.2): the report's key
/// figures with their comparisons, the run's inputs, and one line per sheet with its exceptions.
/// The report's figures come from its own tables (`keyFigures`), so they always equal what the
/// tables show; the run adds the comparisons (`previous`, `ytd`) and the inputs.
public struct Overview: Sendable {
    /// One key figure. `id` is the CSV's `metric` ("NEW.closing_value"); `label` how a workbook names it.
    public struct Metric: Sendable, Equatable {
        public let id: String
        public let label: [Label]
        public let current: Cell
        public var previous: Cell = .empty
        public var ytd: Cell = .empty

        public init(id: String, label: [Label], current: Cell) {
            self.id = id
            self.label = label
            self.current = current
        }

        /// (current − previous) / |previous| × 100, 2 decimals half away from zero; nil when previous is
        /// blank or 0.
        public var changePct: Percent? {
            guard let now = current.decimal, let before = previous.decimal, before.scale == now.scale,
                  before.mantissa != 0 else { return nil }
            return Percent(now.mantissa - before.mantissa, of: Int128(before.mantissa.magnitude))
        }
    }

    /// A part of a metric's label, looked up in the template by the renderer.
    public enum Label: Sendable, Equatable {
        case warehouse(String)
        /// A table's sheet name.
        case sheet(String)
        /// A `[codes]` label (metrics, statuses, buckets).
        case code(String)
        /// A `[columns]` label.
        case column(String)
        /// An `[overview]` word.
        case word(String)
    }

    /// One input kind's files and their row counts summed, as the manifest gives them.
    public struct Input: Sendable, Equatable {
        public let kind: String, files: [String]
        public let read: Int, accepted: Int, warned: Int, rejected: Int
        public init(kind: String, files: [String], read: Int, accepted: Int, warned: Int, rejected: Int) {
            self.kind = kind; self.files = files; self.read = read; self.accepted = accepted; self.warned = warned
            self.rejected = rejected
        }
    }

    public var metrics: [Metric]
    /// Per input kind, in the order the run read them.
    public var inputs: [Input] = []
    /// The config's costing method (monthly reports); nil for the daily report.
    public var costing: String?
    /// The period the `previous` column compares with ("2026-09", "2026-10-30").
    public var previousPeriod: String?
    /// Why the previous column is blank, when it is; the template words them for the reader.
    public var notes: [Note] = []
    /// The months the ytd column spans (profit), e.g. `2026-01…2026-10`; nil: no ytd column.
    public var ytdMonths: String?
    /// The months of that span without figures, e.g. `2026-03, 2026-05…2026-06`; nil: none missing.
    public var ytdMissing: String?
    /// What changed since the previous run of the period (SPEC §8.6); nil: no previous run, or nothing changed.
    public var changes: Changes?

    /// The overview's "changes since the previous run" block: the key figures whose value differs, the
    /// input files (of the kinds the report reads) added, removed or changed, and how many lines of
    /// changes.csv name the report's tables.
    public struct Changes: Sendable, Equatable {
        public struct Figure: Sendable, Equatable {
            /// The metric's id; its label is the current metric's (a metric the run no longer has: the id).
            public let id: String
            public let previous: Cell, current: Cell
            public init(id: String, previous: Cell, current: Cell) { (self.id, self.previous, self.current) = (id, previous, current) }
        }
        public struct InputFile: Sendable, Equatable {
            public enum Change: String, Sendable, CaseIterable { case added, removed, changed }
            public let file: String, change: Change
            /// This run's count minus the previous run's (a file one run lacks counts 0 there).
            public let read: Int, accepted: Int, rejected: Int
            public init(file: String, change: Change, read: Int, accepted: Int, rejected: Int) {
                (self.file, self.change, self.read, self.accepted, self.rejected) = (file, change, read, accepted, rejected)
            }
        }
        public var figures: [Figure] = []
        public var inputs: [InputFile] = []
        /// Lines of changes.csv on the report's tables (its overview's figures aside).
        public var cells = 0
        public init() {}

        public var isEmpty: Bool { figures.isEmpty && inputs.isEmpty && cells == 0 }
    }

    /// A month whose figures the comparison lacks, and why.
    public struct Note: Sendable, Equatable {
        public enum Reason: Sendable, Equatable {
            /// No `figures.json` in that month's folder: the month was not run.
            case missing
            /// A `figures.json` that could not be read (the reason in English, for the log too).
            case unreadable(String)
            /// The month was run without this report.
            case reportNotRun
        }
        public let month: String
        public let reason: Reason
        public init(month: String, reason: Reason) { self.month = month; self.reason = reason }
    }

    public init(metrics: [Metric]) { self.metrics = metrics }

    /// Table columns of overview.csv.
    public static let schema = TableSchema("overview", [
        .text("metric"), .figure("current"), .figure("previous"), .percent("change_pct"), .figure("ytd"),
    ])

    /// The key figures as overview.csv holds them.
    public var table: Table {
        Table(Self.schema, rows: metrics.map { [.text($0.id), $0.current, $0.previous, .percent($0.changePct), $0.ytd] })
    }
}

extension Cell {
    /// The number as an exact decimal (count 0, money 2, qty 3, percent 2 decimals); nil for others.
    public var decimal: (mantissa: Int128, scale: Int)? {
        switch self {
        case .count(let n): (Int128(n), 0)
        case .money(let m): (Int128(m.cents), 2)
        case .qty(let q): (Int128(q.milli), 3)
        case .percent(let p?): (Int128(p.hundredths), 2)
        default: nil
        }
    }

    /// A cell of the same kind as `self` holding the decimal text `plain` (as figures.json stores it);
    /// nil when the text is not such a number.
    public func sameKind(plain: String) -> Cell? {
        guard let value = ExactDecimal(plain: plain) else { return nil }
        switch self {
        case .count: return value.exactly(places: 0).flatMap { Int(exactly: $0) }.map(Cell.count)
        case .money: return value.exactly(places: 2).flatMap { Int64(exactly: $0) }.map { .money(Money(cents: $0)) }
        case .qty: return value.exactly(places: 3).flatMap { Int64(exactly: $0) }.map { .qty(Quantity(milli: $0)) }
        case .percent: return value.exactly(places: 2).flatMap { Int64(exactly: $0) }.map { .percent(Percent(hundredths: $0)) }
        default: return nil
        }
    }
}

// MARK: Comparisons

extension Overview {
    /// Sets the previous column from `figures` (metric id → a number as the current cell's kind): a
    /// metric without one stays blank.
    public mutating func compare(with figures: [String: Cell], period: String) {
        previousPeriod = period
        for n in metrics.indices { metrics[n].previous = figures[metrics[n].id] ?? .empty }
    }

    /// The metrics' values in `plain` (metric id → decimal text, as figures.json stores them) as cells
    /// of the metrics' kinds; a value that is not such a number is left out.
    public func cells(from plain: [String: String]) -> [String: Cell] {
        Dictionary(uniqueKeysWithValues: metrics.compactMap { metric in
            plain[metric.id].flatMap { metric.current.sameKind(plain: $0) }.map { (metric.id, $0) }
        })
    }

    /// Sets the ytd column (本年累计, profit): each metric summed over `month` and the `earlier` months
    /// of its year that have figures (metric id → decimal text), a percentage recomputed from the sums
    /// (`ratios`: its numerator and denominator metric); names the months it covers.
    public mutating func yearToDate(month: Month, earlier: [Month: [String: String]], ratios: [String: (String, String)]) {
        let months = (1...month.month).map { Month(year: month.year, month: $0)! }
        for n in metrics.indices where metrics[n].current.decimal != nil && ratios[metrics[n].id] == nil {
            var total = metrics[n].current.decimal!.mantissa
            for m in months where m != month {
                guard let text = earlier[m]?[metrics[n].id], let value = metrics[n].current.sameKind(plain: text)?.decimal else { continue }
                total += value.mantissa
            }
            metrics[n].ytd = metrics[n].current.sameKind(plain: decimalString(total, scale: metrics[n].current.decimal!.scale)) ?? .empty
        }
        for n in metrics.indices {
            guard let (numerator, denominator) = ratios[metrics[n].id],
                  let top = metrics.first(where: { $0.id == numerator })?.ytd.decimal,
                  let bottom = metrics.first(where: { $0.id == denominator })?.ytd.decimal else { continue }
            metrics[n].ytd = .percent(Percent(top.mantissa, of: bottom.mantissa))
        }
        let missing = months.filter { $0 != month && earlier[$0] == nil }
        ytdMonths = Self.monthSpan(months)
        ytdMissing = missing.isEmpty ? nil : Self.monthRuns(missing)
    }

    /// "2026-01…2026-10", or one month alone.
    static func monthSpan(_ months: [Month]) -> String {
        months.count == 1 ? "\(months[0])" : "\(months.first!)…\(months.last!)"
    }

    /// Months as runs of consecutive ones: "2026-01…2026-03, 2026-05".
    public static func monthRuns(_ months: [Month]) -> String {
        var runs: [[Month]] = []
        for m in months {
            if let last = runs.last?.last, last.next == m { runs[runs.count - 1].append(m) } else { runs.append([m]) }
        }
        return runs.map(monthSpan).joined(separator: ", ")
    }
}
