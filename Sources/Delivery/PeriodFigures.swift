import Foundation

/// `<out>/<period>/figures.json`: each report's overview metrics as exact decimal text, the
/// costing method and the inputs' digests (SPEC §8.2 asks it of monthly runs: later runs read
/// `<out>/<M>/figures.json` for their previous (M−1) and year-to-date columns, like closing-balances
/// for the openings), and what the mail body shows (SPEC §8.5): each report's overview as its
/// workbook shows it, labels in the run's locale. Every run writes it, the daily one too, as the
/// mail's source; the comparisons only ever read monthly folders. Fields added after the first
/// release are optional, so older files still read. The run (Pipeline) writes it and reads earlier
/// months' for its comparisons; the mail (`PeriodFolder`) reads it for the message body.
public struct PeriodFigures: Codable, Equatable, Sendable {
    /// The month of a monthly run ("2026-10"); nil for a daily run.
    public var month: String?
    /// The config's costing method (monthly runs); nil for a daily run.
    public var costing: String?
    /// Input file name → sha256, as in the manifest.
    public var inputs: [String: String]
    /// Report id → metric id → its value ("1234.50"); a blank metric (a margin of nothing) is left out.
    public var reports: [String: [String: String]]
    /// The period folder ("2026-10", "2026-10-31").
    public var period: String?
    /// The locale of the labels and sheet names in `overviews`.
    public var locale: String?
    /// Report id → its overview as the workbook shows it.
    public var overviews: [String: ReportOverview]?

    /// One report's overview sheet as text: the key figures with their labels and comparisons, the
    /// sheets with their exceptions (Delivery's `PeriodFolder` reads these fields).
    public struct ReportOverview: Codable, Equatable, Sendable {
        public struct Metric: Codable, Equatable, Sendable {
            public var id: String
            public var label: String
            /// Exact decimal text; nil when blank.
            public var current: String?
            public var previous: String?
            public var changePct: String?
            public var ytd: String?

            public init(id: String, label: String, current: String?, previous: String?, changePct: String?, ytd: String?) {
                (self.id, self.label, self.current, self.previous, self.changePct, self.ytd) = (id, label, current, previous, changePct, ytd)
            }

            enum CodingKeys: String, CodingKey { case id, label, current, previous, changePct = "change_pct", ytd }
        }
        public struct Sheet: Codable, Equatable, Sendable {
            public var table: String
            public var sheet: String
            public var rows: Int
            /// nil: the table has no notion of an exception (a summary, a breakdown).
            public var exceptions: Int?

            public init(table: String, sheet: String, rows: Int, exceptions: Int?) {
                (self.table, self.sheet, self.rows, self.exceptions) = (table, sheet, rows, exceptions)
            }
        }
        /// The period of the previous column ("2026-09", "2026-10-30").
        public var comparedWith: String?
        /// The months the ytd column sums (profit).
        public var ytdCovers: String?
        public var metrics: [Metric]
        public var sheets: [Sheet]

        public init(comparedWith: String?, ytdCovers: String?, metrics: [Metric], sheets: [Sheet]) {
            (self.comparedWith, self.ytdCovers, self.metrics, self.sheets) = (comparedWith, ytdCovers, metrics, sheets)
        }

        enum CodingKeys: String, CodingKey {
            case comparedWith = "compared_with", ytdCovers = "ytd_covers", metrics, sheets
        }
    }

    public init(month: String?, costing: String?, inputs: [String: String], reports: [String: [String: String]],
                period: String?, locale: String?, overviews: [String: ReportOverview]?) {
        (self.month, self.costing, self.inputs, self.reports) = (month, costing, inputs, reports)
        (self.period, self.locale, self.overviews) = (period, locale, overviews)
    }

    /// The file's bytes: sorted keys, so a rerun writes the same bytes.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}
