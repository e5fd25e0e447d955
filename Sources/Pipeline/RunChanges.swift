import CSV
import Core
import Delivery
import Foundation
import Render
import Reports

/// What changed since the previous complete run of the same period (SPEC §8.6): the lines of
/// changes.csv and each report's overview block.
///
/// What is compared, whatever `--csv` was: the key figures (this run's figures.json against the
/// previous one's, which every run writes), the input files (the two manifests), and each table whose
/// CSV file the previous run wrote (its CSV twins with `--csv`, closing-balances and count-adjustments
/// always) against the same table of this run, as the twin writes it. A row is matched by its table's
/// key columns (`TableSchema.key`; the nth row with the same key by the nth); a row one run lacks
/// shows as its non-empty cells against blanks.
struct RunChanges {
    static let schema = TableSchema("changes", [.text("report"), .text("table"), .text("key"), .text("column"),
                                                .text("previous"), .text("current")])
    /// The report column of the input files' lines.
    static let inputsReport = "inputs"

    /// Per report of this run, in order: the lines of its figures, then of its tables as compared.
    private var lines: [(report: ReportID, rows: [[Cell]])] = []
    private var inputLines: [[Cell]] = []
    private var blocks: [ReportID: Overview.Changes] = [:]
    private let previous: PeriodFolder
    /// The files the previous run's manifest lists (names inside the period folder).
    private let listed: Set<String>

    /// The overview blocks of the reports with a change.
    var overviews: [ReportID: Overview.Changes] { blocks.filter { !$0.value.isEmpty } }
    var lineCount: Int { inputLines.count + lines.reduce(0) { $0 + $1.rows.count } }
    var table: Table { Table(Self.schema, rows: lines.flatMap(\.rows) + inputLines) }

    /// The key figures and the input files; the tables follow, one `compare` each.
    /// - Parameter reports: this run's reports with their overviews and Data issues sheets (the kinds they read).
    init(previous: PeriodFolder, figures: PeriodFigures, inputs: [Manifest.Input], reports: [Report]) {
        self.previous = previous
        listed = Set(previous.manifest.outputs.map { $0.name(in: previous.manifest.period) })
        let fileChanges = Self.compareInputs(previous.manifest.inputs, inputs)
        let earlier = PeriodFigures.read(previous.path + "/figures.json")
        let reportsBefore = Set(previous.reports)
        for report in reports {
            let id = report.id
            var block = Overview.Changes(), rows: [[Cell]] = []
            let kinds = Set((report.issues?.kinds ?? []).map(\.rawValue))
            block.inputs = fileChanges.filter { kinds.contains($0.kind) }.map(\.file)
            if let overview = report.overview, let now = figures.overviews?[id.rawValue], reportsBefore.contains(id.rawValue),
               let before = earlier?.overviews?[id.rawValue] {
                let found = Self.diff(Rows(figuresOf: before), Rows(figuresOf: now), key: Overview.schema.key)
                rows = found.map { [.text(id.rawValue), .text(Overview.schema.id)] + $0.cells }
                block.figures = found.filter { $0.column == "current" }.map { line in
                    let kind = overview.metrics.first { $0.id == line.key }?.current
                    func cell(_ text: String) -> Cell { text.isEmpty ? .empty : kind?.sameKind(plain: text) ?? .text(text) }
                    return Overview.Changes.Figure(id: line.key, previous: cell(line.previous), current: cell(line.current))
                }
            }
            lines.append((id, rows))
            blocks[id] = block
        }
        inputLines = fileChanges.flatMap { change in change.lines.map { [.text(Self.inputsReport), .text(change.kind)] + $0.cells } }
    }

    /// Whether the previous run wrote `file` (a name inside the period folder).
    func compares(_ file: String) -> Bool { listed.contains(file) }

    /// Compares `table` of `report`, `encoded` as its CSV file, with the previous run's `file`, when it wrote one.
    mutating func compare(_ table: Table, of report: ReportID, file: String, encoded: [UInt8]) throws {
        guard compares(file), let n = lines.firstIndex(where: { $0.report == report }) else { return }
        let old = try Self.contents(of: previous.path + "/" + file)
        // Most tables of a rerun are unchanged: equal bytes need no parsing.
        guard old != encoded else { return }
        let found = Self.diff(Rows(csv: old), Rows(csv: encoded), key: table.schema.key)
        lines[n].rows += found.map { [.text(report.rawValue), .text(table.id)] + $0.cells }
        blocks[report]?.cells += found.count
    }

    /// One line of changes.csv after its report and table.
    struct Line {
        let key: String, column: String, previous: String, current: String
        var cells: [Cell] { [.text(key), .text(column), .text(previous), .text(current)] }
    }

    /// A table as text: its header and rows.
    struct Rows {
        var columns: [String]
        var rows: [[String]]

        init(columns: [String], rows: [[String]]) { (self.columns, self.rows) = (columns, rows) }

        /// A CSV file as the twin writes it: the header, then the rows.
        init(csv bytes: [UInt8]) {
            var records: [[String]] = []
            var scanner = CSVScanner()
            let collect: (borrowing CSVRecord) -> Void = { record in records.append((0..<record.count).map { record.string($0) }) }
            bytes.withUnsafeBufferPointer { scanner.feed($0, collect) }
            scanner.finish(collect)
            self.init(columns: records.first ?? [], rows: Array(records.dropFirst()))
        }

        /// A report's key figures as overview.csv holds them (metric, current, previous, change_pct, ytd).
        init(figuresOf overview: PeriodFigures.ReportOverview) {
            self.init(columns: Overview.schema.columnIDs, rows: overview.metrics.map {
                [$0.id, $0.current ?? "", $0.previous ?? "", $0.changePct ?? "", $0.ytd ?? ""]
            })
        }

        /// Each row's key (`key` columns' values joined by `|`; the nth repeat of a key gets `#n`).
        func keys(_ key: [String]) -> [String] {
            let positions = key.compactMap(columns.firstIndex(of:))
            var seen: [String: Int] = [:]
            return rows.map { row in
                let text = positions.map { $0 < row.count ? row[$0] : "" }.joined(separator: "|")
                seen[text, default: 0] += 1
                return seen[text]! == 1 ? text : "\(text)#\(seen[text]!)"
            }
        }
    }

    /// The cells that differ between two versions of a table, in the current table's row order, then the
    /// rows only the previous one has, in its order. Columns only one version has are not compared.
    static func diff(_ before: Rows, _ now: Rows, key: [String]) -> [Line] {
        let beforeKeys = before.keys(key), nowKeys = now.keys(key)
        let beforeRow = Dictionary(zip(beforeKeys, before.rows), uniquingKeysWith: { first, _ in first })
        let compared = now.columns.enumerated().compactMap { n, column -> (String, Int, Int)? in
            guard !key.contains(column), let m = before.columns.firstIndex(of: column) else { return nil }
            return (column, m, n)
        }
        func cell(_ row: [String]?, _ i: Int) -> String { row.flatMap { i < $0.count ? $0[i] : nil } ?? "" }
        var lines: [Line] = []
        for (k, row) in zip(nowKeys, now.rows) {
            let old = beforeRow[k]
            for (column, m, n) in compared where cell(old, m) != cell(row, n) {
                lines.append(Line(key: k, column: column, previous: cell(old, m), current: cell(row, n)))
            }
        }
        let nowSet = Set(nowKeys)
        for (k, row) in zip(beforeKeys, before.rows) where !nowSet.contains(k) {
            for (column, m, _) in compared where !cell(row, m).isEmpty {
                lines.append(Line(key: k, column: column, previous: cell(row, m), current: ""))
            }
        }
        return lines
    }

    /// An input file added, removed or changed (by sha256) between two runs, with its lines of changes.csv.
    struct InputFileChange {
        let kind: String
        let file: Overview.Changes.InputFile
        let lines: [Line]
    }

    /// The input files of two manifests compared by name: added, removed, or with another sha256.
    static func compareInputs(_ before: [PeriodFolder.Manifest.Input], _ now: [Manifest.Input]) -> [InputFileChange] {
        typealias Counts = (kind: String, sha256: String, read: Int, accepted: Int, warned: Int, duplicate: Int, rejected: Int)
        let old = Dictionary(before.map { ($0.file, Counts($0.kind, $0.sha256, $0.read, $0.accepted, $0.warned, $0.duplicate, $0.rejected)) },
                             uniquingKeysWith: { first, _ in first })
        let new = Dictionary(now.map { ($0.file, Counts($0.kind, $0.sha256, $0.read, $0.accepted, $0.warned, $0.duplicate, $0.rejected)) },
                             uniquingKeysWith: { first, _ in first })
        let names = now.map(\.file) + before.map(\.file).filter { new[$0] == nil }
        return names.compactMap { name in
            let a = old[name], b = new[name]
            guard a?.sha256 != b?.sha256, let kind = (b ?? a)?.kind else { return nil }
            func text(_ value: (Counts) -> String) -> (String, String) { (a.map(value) ?? "", b.map(value) ?? "") }
            let columns: [(String, (Counts) -> String)] = [("sha256", \.sha256), ("read", { "\($0.read)" }), ("accepted", { "\($0.accepted)" }),
                                                          ("warned", { "\($0.warned)" }), ("duplicate", { "\($0.duplicate)" }),
                                                          ("rejected", { "\($0.rejected)" })]
            let lines = columns.compactMap { column, value -> Line? in
                let (previous, current) = text(value)
                return previous == current ? nil : Line(key: name, column: column, previous: previous, current: current)
            }
            func delta(_ count: (Counts) -> Int) -> Int { (b.map(count) ?? 0) - (a.map(count) ?? 0) }
            let change: Overview.Changes.InputFile.Change = a == nil ? .added : b == nil ? .removed : .changed
            return InputFileChange(kind: kind, file: .init(file: name, change: change, read: delta(\.read), accepted: delta(\.accepted),
                                                           rejected: delta(\.rejected)), lines: lines)
        }
    }

    static func contents(of path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunFailure(.fatalInput, "cannot read \(path) of the previous run")
        }
        return Array(data)
    }
}

extension PeriodFigures {
    /// A figures.json, nil when there is none or it cannot be read (the previous run's figures are then
    /// not compared: an older version's run).
    static func read(_ path: String) -> PeriodFigures? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(PeriodFigures.self, from: data)
    }
}
