import Core
import Ingest
import Ledger

/// 质量信息反馈表 (SPEC §4.4 Quality, §5.1 quality-feedback, §6 "Quality and profit") for month M:
/// repairs dated in M by model, fault, part, supplier and dealer, and the trend of the months before.
///
/// Where the spec is silent:
/// - by_fault: category and description come from the faults catalogue; a code missing there (or
///   catalogued without a description) shows the most frequent fault_desc of its lines in M (ties:
///   the earliest line). Lines without a fault code count under `(none)`, so the shares add up to 100.
/// - by_part and by_supplier count the lines that name a part; by_supplier also lists a supplier whose
///   parts only came back as old parts in M.
/// - Totals rows sum counts, quantities and amounts; units, prev_repairs and the ratios are not summed
///   (a sum over the listed models only would mislead).
public enum QualityFeedback {
    public static let noFaultCode = "(none)"
    /// The Pareto charts show the 20 largest (the table lists all).
    static let paretoChartRows = 20

    public enum Tables {
        public static let byModel = TableSchema("by_model", [
            .text("product_model"), .count("repairs"), .count("warranty_repairs"), .money("parts_cost"), .money("labor_cost"),
            .money("total_cost"), .count("units"), .percent("repairs_per_1000"), .count("prev_repairs"), .percent("change_pct"),
        ])
        public static let byFault = TableSchema("by_fault", [
            .text("fault_code"), .text("fault_category"), .text("description"), .count("lines"), .percent("share_pct"),
            .percent("cumulative_pct"),
        ])
        public static let byPart = TableSchema("by_part", [
            .text("part_no"), .text("part_name"), .text("supplier"), .qty("qty"), .count("lines"), .percent("share_pct"),
            .percent("cumulative_pct"),
        ])
        public static let bySupplier = TableSchema("by_supplier", [
            .text("supplier"), .count("lines"), .qty("qty"), .money("parts_cost"), .qty("old_parts_received"),
        ])
        public static let byDealer = TableSchema("by_dealer", [
            .text("dealer_id"), .text("dealer_name"), .count("repairs"), .count("warranty_repairs"), .money("labor_cost"),
            .money("parts_cost"),
        ])
        public static let trend = TableSchema("trend", [.text("month"), .count("repairs"), .count("warranty_repairs")])
        static let all = [byModel, byFault, byPart, bySupplier, byDealer, trend]
    }

    static let formulas: [Formula] = [.sum(Tables.byModel.id, "total_cost", "+parts_cost", "+labor_cost")]

    /// - Parameter trend: the trend's figures per month (`trendFigures`) when `repairs` no longer holds
    ///   every line of the months before M−1 (the monthly run keeps only what it reads of them); nil:
    ///   counted from `repairs`.
    public static func build(month: Month, repairs: [RepairLine], movements: [Movement], parts: [String: Part],
                             dealers: [String: Dealer], faults: [String: Fault], fleet: [Dataset.FleetKey: Int64],
                             trend figures: [Month: MonthRepairs]? = nil, trace: CellTrace? = nil) -> Report {
        if let trace {
            build(month: month, repairs: repairs, movements: movements, parts: parts, dealers: dealers, faults: faults, fleet: fleet,
                  trend: figures, tracer: trace)
        } else {
            build(month: month, repairs: repairs, movements: movements, parts: parts, dealers: dealers, faults: faults, fleet: fleet,
                  trend: figures, tracer: NoTrace())
        }
    }

    static func build(month: Month, repairs: [RepairLine], movements: [Movement], parts: [String: Part],
                      dealers: [String: Dealer], faults: [String: Fault], fleet: [Dataset.FleetKey: Int64],
                      trend figures: [Month: MonthRepairs]?, tracer: some Tracer) -> Report {
        let days = month.firstDay...month.lastDay, previousDays = month.previous.firstDay...month.previous.lastDay
        let current = MonthLines(repairs, in: days), previous = MonthLines(repairs, in: previousDays)
        let oldParts = movements.filter { $0.type == .oldPartIn && days.contains($0.docDate) }
        return Report(id: .qualityFeedback, period: month.description, tables: [
            byModel(current, previous: previous, month: month, fleet: fleet, tracer: tracer),
            byFault(current, faults: faults),
            byPart(current, parts: parts, tracer: tracer),
            bySupplier(current, oldParts: oldParts, parts: parts, tracer: tracer),
            byDealer(current, dealers: dealers, tracer: tracer),
            trend(figures ?? trendFigures(repairs, month: month), month: month),
        ], charts: [
            ChartSpec(.column, table: Tables.byFault.id, category: "fault_code", values: ["lines"], title: "chart_fault_pareto",
                      labels: "cumulative_pct", firstRows: paretoChartRows),
            ChartSpec(.line, table: Tables.byFault.id, category: "fault_code", values: ["cumulative_pct"],
                      title: "chart_fault_cumulative", axisMax: 100, firstRows: paretoChartRows),
            ChartSpec(.column, table: Tables.byPart.id, category: "part_no", values: ["lines"], title: "chart_part_pareto",
                      labels: "cumulative_pct", firstRows: paretoChartRows),
            ChartSpec(.line, table: Tables.byPart.id, category: "part_no", values: ["cumulative_pct"],
                      title: "chart_part_cumulative", axisMax: 100, firstRows: paretoChartRows),
            ChartSpec(.line, table: Tables.trend.id, category: "month", values: ["repairs", "warranty_repairs"], title: "chart_trend"),
        ])
    }

    /// What a group of repair lines adds up to: a repair is one repair_no, a warranty repair one
    /// with at least one warranty line; costs and quantities sum per line.
    struct Figures {
        var repairs = 0, warrantyRepairs = 0
        var lines = 0, qty = Quantity.zero, laborCost = Money.zero, partsCost = Money.zero
    }

    /// The lines of one month, as views through their positions (not copies: at ten times a month each
    /// month's lines would be ~0.1 GB more), each with the number of its repair: 0, 1, 2… per distinct
    /// repair_no, given once for the month's five groupings (each hashed every repair_no again: at ten
    /// times a month ~0.2 s of CPU).
    struct MonthLines: RandomAccessCollection {
        private let repairs: [RepairLine]
        private let positions: [Int], numbers: [Int32]

        init(_ repairs: [RepairLine], in days: ClosedRange<Day>) {
            var positions: [Int] = [], numbers: [Int32] = []
            var repairNumbers = TextNumbers()
            var previous: (repairNo: String, number: Int32)?   // a repair's lines follow each other: looked up once
            for (n, line) in repairs.enumerated() where days.contains(line.repairDate) {
                if line.repairNo != previous?.repairNo { previous = (line.repairNo, Int32(repairNumbers.insert(line.repairNo))) }
                positions.append(n)
                numbers.append(previous!.number)
            }
            (self.repairs, self.positions, self.numbers) = (repairs, positions, numbers)
        }

        var startIndex: Int { 0 }
        var endIndex: Int { positions.count }
        subscript(n: Int) -> (line: RepairLine, repair: Int) { (repairs[positions[n]], Int(numbers[n])) }
    }

    /// - Parameter table: the table whose rows the groups are, for the tracer: each line's qty, labor_cost
    ///   and parts_cost go into its group's row.
    static func group(_ lines: some Sequence<(line: RepairLine, repair: Int)>, by key: (RepairLine) -> String, table: String = "",
                      tracer: some Tracer = NoTrace()) -> TextGroups<Figures> {
        var groups = TextGroups<Figures>()
        // Distinct repairs per group: (group, repair) as one integer per line, sorted, each pair once
        // (where a Set of repair_nos per group hashed every line's repair_no again, 5 groupings over).
        var pairs: [UInt64] = [], warrantyPairs: [UInt64] = []
        for (line, repair) in lines {
            let g = groups.group(key(line), default: Figures())
            groups.values[g].lines += 1
            groups.values[g].qty += line.qty
            groups.values[g].laborCost += line.laborCost
            groups.values[g].partsCost += line.partsCost
            if type(of: tracer).isOn {
                let used = "repair \(line.repairNo)/\(line.lineNo) \(line.repairDate) part \(line.partNo) qty=\(line.qty) labor_cost=\(line.laborCost) parts_cost=\(line.partsCost)"
                tracer.add(table, key(line), "", "qty", .qty(line.qty), row: line.ref, used: used)
                tracer.add(table, key(line), "", "labor_cost", .money(line.laborCost), row: line.ref, used: used)
                tracer.add(table, key(line), "", "parts_cost", .money(line.partsCost), row: line.ref, used: used)
            }
            let pair = UInt64(g) << 32 | UInt64(repair)
            pairs.append(pair)
            if line.warranty { warrantyPairs.append(pair) }
        }
        pairs.sort()
        warrantyPairs.sort()
        for (n, pair) in pairs.enumerated() where n == 0 || pair != pairs[n - 1] { groups.values[Int(pair >> 32)].repairs += 1 }
        for (n, pair) in warrantyPairs.enumerated() where n == 0 || pair != warrantyPairs[n - 1] {
            groups.values[Int(pair >> 32)].warrantyRepairs += 1
        }
        return groups
    }

    static func byModel(_ current: MonthLines, previous: MonthLines, month: Month,
                        fleet: [Dataset.FleetKey: Int64], tracer: some Tracer) -> Table {
        let now = group(current, by: \.productModel, table: Tables.byModel.id, tracer: tracer)
        let before = group(previous, by: \.productModel), hasPrevious = !previous.isEmpty
        let rows: [[Cell]] = idOrder(now.keys).map { n in
            let model = now.keys[n], f = now.values[n]
            let repairs = f.repairs
            let units = fleet[Dataset.FleetKey(productModel: model, month: month)]
            // Blank when M−1 has no repairs at all; 0 when it has some, none of this model.
            let prev: Int? = hasPrevious ? before[model]?.repairs ?? 0 : nil
            return [.text(model), .count(repairs), .count(f.warrantyRepairs), .money(f.partsCost), .money(f.laborCost),
                    .money(f.partsCost + f.laborCost), units.map { .count(Int($0)) } ?? .empty,
                    .percent(units.flatMap { Percent(Int128(repairs) * 10, of: Int128($0)) }),   // repairs / units × 1000
                    prev.map(Cell.count) ?? .empty,
                    .percent(prev.flatMap { Percent(Int128(repairs - $0), of: Int128($0)) })]    // nil when prev is 0
        }
        return Table(Tables.byModel, rows: rows,
                     totals: Table.totals(of: rows, Tables.byModel,
                                          summing: ["repairs", "warranty_repairs", "parts_cost", "labor_cost", "total_cost"]))
    }

    static func byFault(_ current: MonthLines, faults: [String: Fault]) -> Table {
        let code = { (line: RepairLine) in line.faultCode.isEmpty ? noFaultCode : line.faultCode }
        let catalogued = { (code: String) in faults[code].map(\.description).flatMap { $0.isEmpty ? nil : $0 } }
        // The lines' descriptions, kept only for the codes the catalogue does not describe.
        var descriptions = TextGroups<[String]?>()
        for (line, _) in current {
            let c = code(line)
            let n = descriptions.group(c, default: catalogued(c) == nil ? [] : nil)
            descriptions.values[n]?.append(line.faultDesc)
        }
        let rows: [[Cell]] = pareto(group(current, by: code)).map { entry in
            let fault = faults[entry.id]
            let description = catalogued(entry.id) ?? commonest(descriptions[entry.id]!!)
            return [.text(entry.id), .text(fault?.category ?? ""), .text(description), .count(entry.figures.lines),
                    .percent(entry.share), .percent(entry.cumulative)]
        }
        return Table(Tables.byFault, rows: rows,
                     totals: Table.totals(of: rows, Tables.byFault, summing: ["lines"]))
    }

    static func byPart(_ current: MonthLines, parts: [String: Part], tracer: some Tracer) -> Table {
        let lines = current.lazy.filter { !$0.line.partNo.isEmpty }
        let rows: [[Cell]] = pareto(group(lines, by: \.partNo, table: Tables.byPart.id, tracer: tracer)).map { entry in
            [.text(entry.id), .text(parts[entry.id]?.name ?? DailyOrders.unknownName), .text(supplier(entry.id, parts)),
             .qty(entry.figures.qty), .count(entry.figures.lines), .percent(entry.share), .percent(entry.cumulative)]
        }
        return Table(Tables.byPart, rows: rows,
                     totals: Table.totals(of: rows, Tables.byPart, summing: ["qty", "lines"]))
    }

    static func bySupplier(_ current: MonthLines, oldParts: [Movement], parts: [String: Part],
                           tracer: some Tracer) -> Table {
        let figures = group(current.lazy.filter { !$0.line.partNo.isEmpty }, by: { supplier($0.partNo, parts) },
                            table: Tables.bySupplier.id, tracer: tracer)
        var received: [String: Quantity] = [:]
        for movement in oldParts {
            received[supplier(movement.partNo, parts), default: .zero] += movement.qty   // net of 红冲
            if type(of: tracer).isOn {
                tracer.add(Tables.bySupplier.id, supplier(movement.partNo, parts), "", "old_parts_received", .qty(movement.qty),
                           row: movement.ref, used: "OLD_PART_IN \(movement.partNo) \(movement.docDate) qty=\(movement.qty)")
            }
        }
        let rows: [[Cell]] = Set(figures.keys).union(received.keys).sorted(by: idPrecedes).map { name in
            let f = figures[name] ?? Figures()
            return [.text(name), .count(f.lines), .qty(f.qty), .money(f.partsCost), .qty(received[name] ?? .zero)]
        }
        return Table(Tables.bySupplier, rows: rows,
                     totals: Table.totals(of: rows, Tables.bySupplier, summing: ["lines", "qty", "parts_cost", "old_parts_received"]))
    }

    static func byDealer(_ current: MonthLines, dealers: [String: Dealer], tracer: some Tracer) -> Table {
        let figures = group(current, by: \.dealerId, table: Tables.byDealer.id, tracer: tracer)
        let rows: [[Cell]] = idOrder(figures.keys).map { n in
            let id = figures.keys[n], f = figures.values[n]
            return [.text(id), .text(dealers[id]?.name ?? DailyOrders.unknownName), .count(f.repairs),
                    .count(f.warrantyRepairs), .money(f.laborCost), .money(f.partsCost)]
        }
        return Table(Tables.byDealer, rows: rows,
                     totals: Table.totals(of: rows, Tables.byDealer,
                                          summing: ["repairs", "warranty_repairs", "labor_cost", "parts_cost"]))
    }

    /// Distinct repairs and warranty repairs of one month.
    public struct MonthRepairs: Sendable, Equatable {
        public var repairs: Int
        public var warrantyRepairs: Int
    }

    /// The trend's figures: months M−12 … M that have at least one repair line. The lines of a repair
    /// usually follow each other, so a line like the one before it (same repair, date and warranty
    /// flag) adds nothing and is skipped without hashing.
    public static func trendFigures(_ repairs: [RepairLine], month: Month) -> [Month: MonthRepairs] {
        // Per month M−k (k = 0…12): each repair_no once, with whether any of its lines is a warranty line.
        var tables = [TextGroups<Bool>](repeating: TextGroups(), count: 13)
        var date: Day?, monthsBack = 0                      // of the last line's date
        var previous: (repairNo: String, warranty: Bool)?   // the last line counted on that date
        for line in repairs {
            if line.repairDate != date {
                (date, monthsBack, previous) = (line.repairDate, line.repairDate.month.distance(to: month), nil)
            }
            if let p = previous, p.repairNo == line.repairNo && p.warranty == line.warranty { continue }
            previous = (line.repairNo, line.warranty)
            guard (0...12).contains(monthsBack) else { continue }
            let n = tables[monthsBack].group(line.repairNo, default: line.warranty)
            if line.warranty { tables[monthsBack].values[n] = true }
        }
        var figures: [Month: MonthRepairs] = [:]
        var m = month
        for k in 0...12 {
            let repairs = tables[k].values
            if !repairs.isEmpty { figures[m] = MonthRepairs(repairs: repairs.count, warrantyRepairs: repairs.count { $0 }) }
            if m.year == 1 && m.month == 1 { break }   // no month before 0001-01
            m = m.previous
        }
        return figures
    }

    /// Months M−12 … M that have at least one repair line, and always M.
    static func trend(_ figures: [Month: MonthRepairs], month: Month) -> Table {
        let months = Set(figures.keys).union([month]).sorted()
        return Table(Tables.trend, rows: months.map { m in
            let f = figures[m] ?? MonthRepairs(repairs: 0, warrantyRepairs: 0)
            return [.text(m.description), .count(f.repairs), .count(f.warrantyRepairs)]
        })
    }

    /// Pareto order: lines descending, then id ascending; share and cumulative % of all lines, the
    /// cumulative one from the exact running count (not a sum of rounded shares).
    static func pareto(_ groups: TextGroups<Figures>) -> [(id: String, figures: Figures, share: Percent?, cumulative: Percent?)] {
        let total = Int128(groups.values.reduce(0) { $0 + $1.lines })
        var running = 0
        // The sort is stable: groups with as many lines stay in id order.
        return idOrder(groups.keys).sorted { groups.values[$0].lines > groups.values[$1].lines }.map { n in
            let figures = groups.values[n]
            running += figures.lines
            return (groups.keys[n], figures, Percent(Int128(figures.lines), of: total), Percent(Int128(running), of: total))
        }
    }

    /// The supplier of a part from the master; `(unknown)` for a part not in it or without one.
    static func supplier(_ partNo: String, _ parts: [String: Part]) -> String {
        guard let name = parts[partNo]?.supplier, !name.isEmpty else { return DailyOrders.unknownName }
        return name
    }

    /// The most frequent non-empty text (ties: the earliest), "" when there is none.
    static func commonest(_ texts: [String]) -> String {
        var counts: [String: Int] = [:]
        for text in texts where !text.isEmpty { counts[text, default: 0] += 1 }
        let top = counts.values.max() ?? 0
        return texts.first { !$0.isEmpty && counts[$0] == top } ?? ""
    }
}
