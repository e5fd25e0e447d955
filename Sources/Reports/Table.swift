import Core

/// A report is data: named tables of typed cells. How a table looks (labels, titles, number
/// formats) is the template's business (Render); what it holds is decided here.
public struct Report: Sendable {
    public let id: ReportID
    /// The period the report covers, as shown in titles and file names ("2026-10-31", "2026-10").
    public let period: String
    /// The tables of the CSV twin.
    public var tables: [Table]
    /// The workbook's sheets when they differ from `tables` (the movement report has a sheet per
    /// warehouse); nil = one sheet per table.
    public var sheets: [Table]?
    /// Charts drawn beside their tables in the workbook (not in the CSV twin).
    public var charts: [ChartSpec]
    /// The overview sheet the workbook opens on and `overview.csv` (SPEC §8.2); set by the run.
    public var overview: Overview?
    /// The Data issues sheet the workbook ends with (SPEC §8.1); the run sets it.
    public var issues: IssueSheet?

    public init(id: ReportID, period: String, tables: [Table], sheets: [Table]? = nil, charts: [ChartSpec] = []) {
        self.id = id
        self.period = period
        self.tables = tables
        self.sheets = sheets
        self.charts = charts
    }

    /// What the workbook shows, in order.
    public var workbookTables: [Table] { sheets ?? tables }

    public func table(_ id: String) -> Table? { tables.first { $0.id == id } }
}

public struct Table: Sendable {
    public let schema: TableSchema
    public var rows: [[Cell]]
    /// The workbook's totals row (not in the CSV twin): a total under each summed column,
    /// `.empty` elsewhere. Nil for tables without totals.
    public var totals: [Cell]?
    /// A code naming the slice a sheet shows (the warehouse of a movement sheet); the template's
    /// label for it is added to the sheet name and heading.
    public var variant: String?
    /// Numbers the template's heading and empty-sheet line name by key (`{matched}`): what a sheet showing
    /// part of its table says about the rest.
    public var headingValues: [String: Int] = [:]

    /// Debug builds check every cell against its declared column (tests build every report); release
    /// builds do not pay for it.
    public init(_ schema: TableSchema, rows: [[Cell]], totals: [Cell]? = nil, variant: String? = nil) {
        #if DEBUG
        if let misfit = schema.misfit(in: rows + (totals.map { [$0] } ?? [])) { preconditionFailure(misfit) }
        #endif
        self.schema = schema
        self.rows = rows
        self.totals = totals
        self.variant = variant
    }

    public var id: String { schema.id }
    /// Canonical column ids (the CSV twin's header; the template gives the labels).
    public var columns: [String] { schema.columnIDs }

    public func column(_ id: String) -> Int? { columns.firstIndex(of: id) }

    /// A totals row summing the named columns over all rows.
    public static func totals(of rows: [[Cell]], columns: [String], summing summed: Set<String>) -> [Cell] {
        columns.indices.map { c in
            guard summed.contains(columns[c]) else { return .empty }
            return rows.reduce(Cell.empty) { $0.adding($1[c]) }
        }
    }

    /// A totals row of `schema`'s table summing the named columns over `rows`.
    public static func totals(of rows: [[Cell]], _ schema: TableSchema, summing summed: Set<String>) -> [Cell] {
        totals(of: rows, columns: schema.columnIDs, summing: summed)
    }
}

/// A chart of one table's columns: which cells it plots, not how it looks. The renderer places it
/// beside the table; the template gives the title (a `[text]` key) and the series names (column labels).
public struct ChartSpec: Sendable {
    public enum Kind: Sendable { case column, line }
    public var kind: Kind
    public var table: String
    /// The column naming the points (the category axis).
    public var category: String
    /// One series per column.
    public var values: [String]
    /// The template `[text]` key of the chart's title.
    public var title: String
    /// A column whose values label the points of the first series (a Pareto's cumulative % on its counts).
    public var labels: String?
    /// A fixed top of the value axis (100 for a cumulative %); nil = automatic.
    public var axisMax: Double?
    /// Plot only the table's first rows (a Pareto's vital few, so its bars stay legible); nil = all.
    public var firstRows: Int?

    public init(_ kind: Kind, table: String, category: String, values: [String], title: String,
                labels: String? = nil, axisMax: Double? = nil, firstRows: Int? = nil) {
        self.kind = kind
        self.table = table
        self.category = category
        self.values = values
        self.title = title
        self.labels = labels
        self.axisMax = axisMax
        self.firstRows = firstRows
    }
}

/// One typed value. Numbers stay exact; the renderer picks the format from the case.
public enum Cell: Sendable, Equatable {
    case empty
    case text(String)
    /// A canonical code (status, bucket, severity): English in the CSV twin, a label from the
    /// template's `codes` table in the workbook.
    case code(String)
    case count(Int)
    case money(Money)
    case qty(Quantity)
    /// A unit cost or price in ten-thousandths of a yuan: rounded to the 4 decimals it is shown
    /// with (SPEC §4.1) when the cell is made, so a cell stays 24 bytes (an exact price is 32).
    case unitCost(Int64)
    /// A percentage with 2 decimals; nil is shown blank.
    case percent(Percent?)
    case date(Day)

    /// A unit cost cell for `price` (watched like every figure: see ExactRange).
    public static func price(_ price: UnitPrice) -> Cell { .unitCost(ExactRange.fit(price.rounded(places: 4), "the unit cost \(price)")) }

    /// The sum of two cells of the same numeric kind (empty counts as zero).
    func adding(_ other: Cell) -> Cell {
        switch (self, other) {
        case (.empty, _): return other
        case (_, .empty): return self
        case let (.count(a), .count(b)): return .count(a + b)
        case let (.money(a), .money(b)): return .money(a + b)
        case let (.qty(a), .qty(b)): return .qty(a + b)
        default: preconditionFailure("cannot add \(self) and \(other)")
        }
    }
}

/// Ascending order for id columns: numeric ids by value ("2" < "10"), others by code point.
public func idPrecedes(_ a: String, _ b: String) -> Bool {
    if a == b { return false }
    if let x = Int(a), let y = Int(b), x != y { return x < y }
    return utf8Order(a, b) < 0
}

/// The positions of rows keyed by the id `columns` (all equally long), sorted by the first column
/// that differs, as `idPrecedes` sorts it; each id is parsed as a number once, not at every
/// comparison (~20 times each for 0.2M parts).
public func idOrder(_ columns: [String]...) -> [Int] { idOrder(columns) }

public func idOrder(_ columns: [[String]]) -> [Int] {
    let numbers = columns.map { $0.map { Int($0) } }
    return columns[0].indices.sorted { a, b in
        for (c, ids) in columns.enumerated() where ids[a] != ids[b] {
            if let x = numbers[c][a], let y = numbers[c][b], x != y { return x < y }
            return utf8Order(ids[a], ids[b]) < 0
        }
        return false
    }
}

