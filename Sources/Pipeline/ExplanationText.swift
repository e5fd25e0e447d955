import Config
import Core
import Ingest
import Render
import Reports

/// How `aftersales explain` prints an explanation: aligned text for a terminal, or CSV.
enum ExplanationText {
    /// One printed line: the cell (indented by depth), where the row is, the values used, the amount.
    struct Line {
        /// The cell the line belongs to.
        var address: CellAddress
        var depth: Int
        /// cell, row, step (a computation step), costing, allocation, sum, formula.
        var kind: String
        var cell = "", file = "", line = "", used = "", amount = ""
        var source: String { file.isEmpty ? (kind == "step" ? "(computation)" : "") : line.isEmpty ? file : "\(file):\(line)" }
    }

    static func lines(_ e: Explanation, depth: Int = 0) -> [Line] {
        let name = "\(e.cell.column) [\(e.cell.key.joined(separator: ","))]"
        var out: [Line] = []
        switch e.body {
        case .formula(let text, let operands):
            out.append(Line(address: e.cell, depth: depth, kind: "cell", cell: name, used: "= " + text, amount: plain(e.value)))
            for operand in operands { out += lines(operand, depth: depth + 1) }
            out.append(Line(address: e.cell, depth: depth, kind: "formula", cell: "= " + text, used: verdict(e.computed == e.value),
                            amount: plain(e.computed)))
        case .rows(let rows):
            out.append(Line(address: e.cell, depth: depth, kind: "cell", cell: name, amount: plain(e.value)))
            for row in rows {
                out.append(Line(address: e.cell, depth: depth + 1, kind: row.file == nil ? "step" : "row", file: row.file ?? "",
                                line: row.line.map(String.init) ?? "", used: row.used, amount: plain(row.amount)))
                for step in row.costing { out.append(Line(address: e.cell, depth: depth + 2, kind: "costing", used: step)) }
                for step in row.allocations { out.append(Line(address: e.cell, depth: depth + 2, kind: "allocation", used: step)) }
            }
            out.append(Line(address: e.cell, depth: depth + 1, kind: "sum", cell: "sum of \(rows.count) row\(rows.count == 1 ? "" : "s")",
                            used: verdict(e.computed == e.value), amount: plain(e.computed)))
        }
        return out
    }

    static func verdict(_ reproduces: Bool) -> String { reproduces ? "= the cell" : "≠ the cell" }

    /// The cell as the period's folder shows it: (the CSV twin, its text or nil for no row).
    typealias Written = (file: String, cell: String?)

    /// The explanation's lines, then, when the run wrote a CSV twin, the cell it shows.
    static func lines(_ e: Explanation, written: Written?) -> [Line] {
        var all = lines(e)
        if let written {
            let same = written.cell == plain(e.value)
            all.append(Line(address: e.cell, depth: 0, kind: "written", file: written.file,
                            used: same ? "the written report: = the cell" : "the written report: ≠ the cell, the inputs changed since",
                            amount: written.cell ?? "(no such row)"))
        }
        return all
    }

    static func aligned(_ e: Explanation, report: ReportID, period: String, costing: CostingMethod?, written: Written?) -> [String] {
        let all = lines(e, written: written)
        // Three columns: what the line is (indented by depth), the values used, the amount.
        let rows = all.map { line in
            [String(repeating: "  ", count: line.depth) + (line.cell.isEmpty ? line.source : line.cell)
                + (["costing", "allocation"].contains(line.kind) ? line.kind + ":" : ""), line.used, line.amount]
        }
        // Each text's width once, and the padding cut from one run of spaces: a cell's explanation can run
        // to 400k lines (profit's summary cogs at the month scale).
        let shown = rows.map { $0.map(displayWidth) }
        let widths = (0..<3).map { c in shown.map { $0[c] }.max() ?? 0 }
        let spaces = String(repeating: " ", count: widths.reduce(4, +))
        let header = "\(report.rawValue)/\(e.cell.table) \(period)" + (costing.map { " (costing \($0.rawValue))" } ?? "")
        let body = zip(rows, shown).map { r, w in
            // Left, left, right-aligned; no spaces after the last text.
            var line = r[0]
            if !r[1].isEmpty || !r[2].isEmpty { line += spaces.prefix(widths[0] - w[0] + 2) + r[1] }
            if !r[2].isEmpty { line += spaces.prefix(widths[1] - w[1] + 2 + widths[2] - w[2]) + r[2] }
            return line
        }
        let unchanged = written.map { $0.cell == plain(e.value) } ?? true
        let result = !e.reproduces ? "NOT reproduced: the rows do not add up to the cell"
            : unchanged ? "reproduced: the rows add up to the cell exactly"
            : "NOT reproduced: the rows add up to the cell as the inputs give it now, not to the written report's"

        return [header] + body + [result]
    }

    static func csv(_ e: Explanation, report: ReportID, period: String, written: Written?) -> [String] {
        let header = ["report", "period", "table", "key", "column", "depth", "kind", "file", "line", "used", "amount"]
        return ([header] + lines(e, written: written).map { line in
            [report.rawValue, period, line.address.table, line.address.key.joined(separator: ","), line.address.column,
             String(line.depth), line.kind, line.file, line.line, line.used, line.amount]
        }).map { fields in
            var out: [UInt8] = []
            CSVTwin.appendLine(fields, to: &out)
            return String(decoding: out.dropLast(), as: UTF8.self)
        }
    }

    static func plain(_ cell: Cell) -> String { CSVTwin.plain(cell) }

    static func plain(_ amount: TracedAmount) -> String {
        switch amount {
        case .money(let m): m.description
        case .qty(let q): q.description
        }
    }
}
