import Config
import Core
import Ingest
import Render
import Reports

/// How `aftersales explain` prints an explanation: aligned text for a terminal, or CSV. Both are written
/// as bytes into a few large buffers, each printed by one write: a cell's explanation can run to ~390k lines
/// (profit's summary cogs at the month scale), where a String per line and its padding took a fifth of the run.
enum ExplanationText {
    /// One printed line: the cell (indented by depth), where the row is, the values used, the amount.
    struct Line {
        /// The cell the line belongs to.
        var address: CellAddress
        var depth: Int
        var kind: Kind
        var cell = "", file = "", line: Int? = nil, used = Used.text(""), amount = ""
    }

    enum Kind: String {
        /// `step`: a computation step (no input row); `written`: the cell in the period's CSV twin.
        case cell, row, step, costing, allocation, sum, formula, written
    }

    /// A line's values used: a text, or a costing step written when printed.
    enum Used {
        case text(String)
        case costing(CostingStep)

        func write(to out: inout [UInt8]) {
            switch self {
            case .text(let text): out.append(contentsOf: text.utf8)
            case .costing(let step): step.write(to: &out)
            }
        }
        var text: String {
            switch self {
            case .text(let text): text
            case .costing(let step): step.description
            }
        }
    }

    /// Calls `line` with each line of `e`, in order, and `rows` with each list of input rows (whose lines
    /// `forEachLine(of:_:)` gives) where its lines go.
    static func forEachLine(_ e: Explanation, depth: Int = 0, _ line: (Line) -> Void,
                            rows: ([ExplainedRow], _ cell: CellAddress, _ depth: Int) -> Void) {
        let name = "\(e.cell.column) [\(e.cell.key.joined(separator: ","))]"
        switch e.body {
        case .formula(let text, let operands):
            line(Line(address: e.cell, depth: depth, kind: .cell, cell: name, used: .text("= " + text), amount: plain(e.value)))
            for operand in operands { forEachLine(operand, depth: depth + 1, line, rows: rows) }
            line(Line(address: e.cell, depth: depth, kind: .formula, cell: "= " + text, used: .text(verdict(e.computed == e.value)),
                      amount: plain(e.computed)))
        case .rows(let list):
            line(Line(address: e.cell, depth: depth, kind: .cell, cell: name, amount: plain(e.value)))
            rows(list, e.cell, depth + 1)
            line(Line(address: e.cell, depth: depth + 1, kind: .sum, cell: "sum of \(list.count) row\(list.count == 1 ? "" : "s")",
                      used: .text(verdict(e.computed == e.value)), amount: plain(e.computed)))
        }
    }

    /// The lines of input row `row` of `cell`: the row, its costing steps and allocations.
    static func forEachLine(of row: ExplainedRow, cell: CellAddress, depth: Int, _ line: (Line) -> Void) {
        line(Line(address: cell, depth: depth, kind: row.file == nil ? .step : .row, file: row.file ?? "", line: row.line,
                  used: .text(row.used), amount: plain(row.amount)))
        for step in row.costing { line(Line(address: cell, depth: depth + 1, kind: .costing, used: .costing(step))) }
        for step in row.allocations { line(Line(address: cell, depth: depth + 1, kind: .allocation, used: .text(step))) }
    }

    static func verdict(_ reproduces: Bool) -> String { reproduces ? "= the cell" : "≠ the cell" }

    /// The cell as the period's folder shows it: (the CSV twin, its text or nil for no row).
    typealias Written = (file: String, cell: String?)

    /// The explanation's lines, then, when the run wrote a CSV twin, the cell it shows.
    static func forEachLine(_ e: Explanation, written: Written?, _ line: (Line) -> Void,
                            rows: ([ExplainedRow], _ cell: CellAddress, _ depth: Int) -> Void) {
        forEachLine(e, line, rows: rows)
        if let written {
            let same = written.cell == plain(e.value)
            line(Line(address: e.cell, depth: 0, kind: .written, file: written.file,
                      used: .text(same ? "the written report: = the cell" : "the written report: ≠ the cell, the inputs changed since"),
                      amount: written.cell ?? "(no such row)"))
        }
    }

    /// The aligned layout's three texts of each line, written once: what the line is (indented by depth), the
    /// values used, the amount; with their display widths and the widest of each.
    struct Columns {
        var bytes: [UInt8] = []
        /// Where each text ends in `bytes`, three per line.
        var ends: [Int] = []
        var shown: [Int] = []
        var widths = [0, 0, 0]

        /// A line of the cell itself: the cell, its formula or sum, the written report's figure. The lines of
        /// its input rows go through `add(_:depth:)`.
        mutating func add(_ line: Line) {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * line.depth))
            bytes.append(contentsOf: (line.cell.isEmpty ? line.file : line.cell).utf8)
            close(0)
            line.used.write(to: &bytes)
            close(1)
            bytes.append(contentsOf: line.amount.utf8)
            close(2)
        }

        /// The lines of input row `row`, as `forEachLine(of:)` gives them to the CSV, written without a
        /// `Line` each (a whole-month cell has ~390k rows and as many costing steps).
        mutating func add(_ row: ExplainedRow, depth: Int) {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
            if let file = row.file, !file.isEmpty {
                bytes.append(contentsOf: file.utf8)
                if let number = row.line { bytes.append(UInt8(ascii: ":")); bytes.append(contentsOf: String(number).utf8) }
            } else if row.file == nil {
                bytes.append(contentsOf: "(computation)".utf8)
            }
            close(0)
            bytes.append(contentsOf: row.used.utf8)
            close(1)
            bytes.append(contentsOf: plain(row.amount).utf8)
            close(2)
            for step in row.costing { addDetail(.costing, depth: depth + 1) { step.write(to: &$0) } }
            for allocation in row.allocations { addDetail(.allocation, depth: depth + 1) { $0.append(contentsOf: allocation.utf8) } }
        }

        /// A costing step or an allocation under a row (at `depth` + 1 of the row's `depth`).
        private mutating func addDetail(_ kind: Kind, depth: Int, _ text: (inout [UInt8]) -> Void) {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
            bytes.append(contentsOf: (kind.rawValue + ":").utf8)
            close(0)
            text(&bytes)
            close(1)
            close(2)
        }

        private mutating func close(_ column: Int) {
            let start = ends.last ?? 0
            let width = bytes.withUnsafeBufferPointer { displayWidth(UnsafeBufferPointer(rebasing: $0[start...])) }
            ends.append(bytes.count)
            shown.append(width)
            widths[column] = max(widths[column], width)
        }

        /// The lines laid out at `widths` (the widest of every part): left, left, right-aligned; no spaces
        /// after the last text.
        func laidOut(_ widths: [Int]) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + ends.count / 3 * (widths[0] + widths[2] + 8))
            func pad(_ count: Int) { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
            for n in stride(from: 0, to: ends.count, by: 3) {
                let start = n == 0 ? 0 : ends[n - 1]
                let (what, used, amount) = (bytes[start..<ends[n]], bytes[ends[n]..<ends[n + 1]], bytes[ends[n + 1]..<ends[n + 2]])
                out.append(contentsOf: what)
                if !used.isEmpty || !amount.isEmpty { pad(widths[0] - shown[n] + 2); out.append(contentsOf: used) }
                if !amount.isEmpty { pad(widths[1] - shown[n + 1] + 2 + widths[2] - shown[n + 2]); out.append(contentsOf: amount) }
                out.append(UInt8(ascii: "\n"))
            }
            return out
        }
    }

    /// The text in parts, to be printed one after the other (a whole-month cell's ~40 MB are not copied into one array).
    static func aligned(_ e: Explanation, report: ReportID, period: String, costing: CostingMethod?, written: Written?) -> [[UInt8]] {
        // The lines in parts, in order: a long list of rows is written in two halves side by side (profit's
        // summary cogs: ~190k rows and their costing steps), the lines after it in a part of their own.
        var parts = [Columns()]
        forEachLine(e, written: written, { parts[parts.count - 1].add($0) }, rows: { rows, cell, depth in
            let halves = rows.count < 1000 ? 1 : 2
            let written = (0..<halves).map { _ in Slot<Columns>() }
            sideBySide(halves) { h in
                var part = Columns()
                for row in rows[h * rows.count / halves..<(h + 1) * rows.count / halves] { part.add(row, depth: depth) }
                written[h].value = part
            }
            parts += written.map(\.value) + [Columns()]
        })
        let widths = (0..<3).map { c in parts.map { $0.widths[c] }.max()! }
        let laidOut = parts.map { _ in Slot<[UInt8]>() }
        sideBySide(parts.count) { [parts] n in laidOut[n].value = parts[n].laidOut(widths) }

        let header = "\(report.rawValue)/\(e.cell.table) \(period)" + (costing.map { " (costing \($0.rawValue))" } ?? "")
        let unchanged = written.map { $0.cell == plain(e.value) } ?? true
        let result = !e.reproduces ? "NOT reproduced: the rows do not add up to the cell"
            : unchanged ? "reproduced: the rows add up to the cell exactly"
            : "NOT reproduced: the rows add up to the cell as the inputs give it now, not to the written report's"
        return [Array((header + "\n").utf8)] + laidOut.map(\.value) + [Array((result + "\n").utf8)]
    }

    static func csv(_ e: Explanation, report: ReportID, period: String, written: Written?) -> [UInt8] {
        var out: [UInt8] = []
        CSVTwin.appendLine(["report", "period", "table", "key", "column", "depth", "kind", "file", "line", "used", "amount"], to: &out)
        // The cell's own fields are the same on every line of one cell: quoted once.
        var cellFields: (address: CellAddress, bytes: [UInt8])?
        func add(_ line: Line) {
            if cellFields?.address != line.address {
                var bytes: [UInt8] = []
                for field in [report.rawValue, period, line.address.table, line.address.key.joined(separator: ","), line.address.column] {
                    CSVTwin.appendField(field, to: &bytes)
                    bytes.append(UInt8(ascii: ","))
                }
                cellFields = (line.address, bytes)
            }
            out.append(contentsOf: cellFields!.bytes)
            for field in [String(line.depth), line.kind.rawValue, line.file, line.line.map(String.init) ?? "", line.used.text] {
                CSVTwin.appendField(field, to: &out)
                out.append(UInt8(ascii: ","))
            }
            CSVTwin.appendField(line.amount, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        forEachLine(e, written: written, add, rows: { rows, cell, depth in
            for row in rows { forEachLine(of: row, cell: cell, depth: depth, add) }
        })
        return out
    }

    /// Columns UTF-8 `bytes` take on a terminal, as `displayWidth` counts them, decoded here without a
    /// String (a costing step's "≈" is on ~190k lines of a whole-month cell).
    static func displayWidth(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var width = 0, i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte < 0xE0 {
                if byte & 0xC0 != 0x80 { width += 1 }   // not a continuation byte (below U+0800: never wide)
                i += 1
            } else {
                let length = byte < 0xF0 ? 3 : 4
                var scalar = UInt32(byte) & (length == 3 ? 0x0F : 0x07)
                for k in 1..<length where i + k < bytes.count { scalar = scalar << 6 | UInt32(bytes[i + k] & 0x3F) }
                width += Render.isWide(scalar) ? 2 : 1
                i += length
            }
        }
        return width
    }

    static func plain(_ cell: Cell) -> String { CSVTwin.plain(cell) }

    static func plain(_ amount: TracedAmount) -> String {
        switch amount {
        case .money(let m): m.description
        case .qty(let q): q.description
        }
    }
}
