import Core
import Ingest
import Ledger

/// 售后配件月利润表 (SPEC §4.4, §5.1 profit, §6 "Quality and profit"): revenue of the lines
/// shipped in M, dealer returns priced at the order line they refer to, COGS from the ledger's
/// line values under the configured costing method, and the cost of warranty.
public enum Profit {
    public static let unmatched = "(unmatched)"

    public enum Tables {
        public static let summary = TableSchema("summary", [.code("metric"), .figure("value")])
        public static let byPart = TableSchema("by_part", [
            .text("part_no"), .text("part_name"), .text("category"), .qty("sold_qty"), .money("revenue"), .qty("returned_qty"),
            .money("returns"), .money("net_revenue"), .money("cogs"), .money("gross_profit"), .percent("margin_pct"),
        ])
        public static let byDealer = TableSchema("by_dealer", [
            .text("dealer_id"), .text("dealer_name"), .text("region"), .money("net_revenue"), .money("cogs"),
            .money("gross_profit"), .percent("margin_pct"),
        ])
        public static let byCategory = TableSchema("by_category", [
            .text("category"), .money("net_revenue"), .money("cogs"), .money("gross_profit"), .percent("margin_pct"),
        ])
        static let all = [summary, byPart, byDealer, byCategory]
    }

    /// The derived cells (SPEC §4.4); net_revenue of by_dealer and by_category, which have no revenue
    /// column, is explained by its rows.
    static let formulas: [Formula] = [
        .summary(Tables.summary.id, "net_revenue", "+revenue", "-returns"),
        .summary(Tables.summary.id, "gross_profit", "+net_revenue", "-cogs"),
        .percent(Tables.summary.id, "value", "gross_profit", of: "net_revenue", metric: "margin_pct"),
        .summary(Tables.summary.id, "profit_after_warranty", "+gross_profit", "-warranty_parts_cost", "-warranty_labor_cost"),
        .sum(Tables.byPart.id, "net_revenue", "+revenue", "-returns"),
    ] + [Tables.byPart, Tables.byDealer, Tables.byCategory].flatMap { table in
        [.sum(table.id, "gross_profit", "+net_revenue", "-cogs"), .percent(table.id, "margin_pct", "gross_profit", of: "net_revenue")]
    }

    /// The figures of each part and each dealer.
    struct Sums {
        var byPart = TextGroups<Figures>(), byDealer = TextGroups<Figures>()

        mutating func add(part: String, dealer: String, _ change: (inout Figures) -> Void) {
            change(&byPart.values[byPart.group(part, default: Figures())])
            change(&byDealer.values[byDealer.group(dealer, default: Figures())])
        }
    }

    struct Figures {
        var soldQty = Quantity.zero, revenue = Money.zero, returnedQty = Quantity.zero, returns = Money.zero, cogs = Money.zero
        var netRevenue: Money { revenue - returns }
        var grossProfit: Money { netRevenue - cogs }
        var margin: Cell { .percent(Percent(Int128(grossProfit.cents), of: Int128(netRevenue.cents))) }

        mutating func add(_ f: Figures) {
            soldQty += f.soldQty; revenue += f.revenue; returnedQty += f.returnedQty; returns += f.returns; cogs += f.cogs
        }
    }

    /// - Parameter trace: `explain`'s tracer; nil for the normal run.
    public static func build(month: Month, orders: [OrderLine], movements: [Movement], repairs: [RepairLine],
                             lineValues: LineValues, parts: [String: Part], dealers: [String: Dealer], trace: CellTrace? = nil)
        -> (report: Report, unmatchedReturns: [UnmatchedReturn]) {
        if let trace {
            build(month: month, orders: orders, movements: movements, repairs: repairs, lineValues: lineValues, parts: parts,
                  dealers: dealers, tracer: trace)
        } else {
            build(month: month, orders: orders, movements: movements, repairs: repairs, lineValues: lineValues, parts: parts,
                  dealers: dealers, tracer: NoTrace())
        }
    }

    static func build(month: Month, orders: [OrderLine], movements: [Movement], repairs: [RepairLine], lineValues: LineValues,
                      parts: [String: Part], dealers: [String: Dealer], tracer: some Tracer)
        -> (report: Report, unmatchedReturns: [UnmatchedReturn]) {
        let days = month.firstDay...month.lastDay
        @Sendable func category(_ partNo: String) -> String {
            guard let c = parts[partNo]?.category, !c.isEmpty else { return DailyOrders.unknownName }
            return c
        }
        /// The amounts of input row `row`, each into its column of the part's, the dealer's and the category's
        /// rows and of the summary (a table without that column is never asked about). Autoclosures: a normal
        /// run builds neither the amounts nor the text (a string per shipped line cost the reports stage ~0.4 s
        /// at the month scale).
        let traced = [Tables.byPart, Tables.byDealer, Tables.byCategory, Tables.summary].map { tracer.wants(anyOf: [$0.id]) }
        @Sendable func trace(_ amounts: @autoclosure () -> [(column: String, amount: TracedAmount)], _ row: RowRef, part: String,
                             dealer: String, _ used: @autoclosure () -> String) {
            guard type(of: tracer).isOn else { return }
            for (column, amount) in amounts() {
                if traced[0] { tracer.add(Tables.byPart.id, part, "", column, amount, row: row, used: used()) }
                if traced[1] { tracer.add(Tables.byDealer.id, dealer, "", column, amount, row: row, used: used()) }
                if traced[2] { tracer.add(Tables.byCategory.id, category(part), "", column, amount, row: row, used: used()) }
                if traced[3] { tracer.add(Tables.summary.id, column, "", "value", amount, row: row, used: used()) }
            }
        }

        // The shipped order lines and the month's movements add to different figures of a part and a dealer:
        // the order lines are summed beside the making of the returns' prices, then the movements in two
        // halves side by side (profit was the longest report of its round, ~0.3 s on one core at the
        // month); the sums are added at the end. By category is summed from by part: one lookup fewer per line.
        // Inside the monthly run's first round (itself a sideBySide) libdispatch runs these pieces one after
        // the other, the round's other reports keeping the other core busy; they run side by side when profit
        // is built alone (`explain`).
        let shipped = Slot<Sums>(), pricing = Slot<ReturnPricing>()
        sideBySide(2) { task in
            guard task == 0 else {
                pricing.value = ReturnPricing(month: month, orders: orders, movements: movements)
                return
            }
            var sums = Sums()
            forEachPrefetching(orders, prefetch: { sums.byPart.prefetch($0.partNo) }) { line in
                guard line.status == .shipped, let shipped = line.shipDate, days.contains(shipped) else { return }
                sums.add(part: line.partNo, dealer: line.dealerId) { $0.soldQty += line.qty; $0.revenue += line.amount }
                trace([("sold_qty", .qty(line.qty)), ("revenue", .money(line.amount)), ("net_revenue", .money(line.amount))],
                      line.ref, part: line.partNo, dealer: line.dealerId,
                      "order \(line.orderNo)/\(line.lineNo) shipped \(shipped) qty=\(line.qty) amount=\(line.amount)")
            }
            shipped.value = sums
        }
        let prices = pricing.value, orderDealer = prices.orderDealer
        let halves = [movements[..<(movements.count / 2)], movements[(movements.count / 2)...]]
        let moved = halves.map { _ in Slot<(sums: Sums, warrantyParts: Money, unmatchedReturns: [UnmatchedReturn])>() }
        sideBySide(2) { half in
            var sums = Sums()
            var previousDealer: (orderNo: String, dealer: String)?
            func dealer(_ orderNo: String) -> String {   // an order's issue lines follow each other: looked up once
                if orderNo != previousDealer?.orderNo { previousDealer = (orderNo, orderDealer[orderNo] ?? unmatched) }
                return previousDealer!.dealer
            }
            var unmatchedReturns: [UnmatchedReturn] = []
            var warrantyParts = Money.zero
            var values = LineValues.Reader(lineValues)   // the movements meet their values in order
            forEachPrefetching(halves[half], prefetch: { sums.byPart.prefetch($0.partNo); orderDealer.prefetch($0.refNo) }) { m in
                guard days.contains(m.docDate) else { return }
                switch m.type {
                case .sale:
                    let value = values.value(for: m.ref) ?? .zero
                    let dealer = dealer(m.refNo)
                    sums.add(part: m.partNo, dealer: dealer) { $0.cogs += value }
                    trace([("cogs", .money(value))], m.ref, part: m.partNo, dealer: dealer,
                          "SALE ref_no=\(m.refNo) qty=\(m.qty) line value=\(value)")
                case .dealerReturn:
                    let (returned, price, unmatched) = prices.value(of: m, parts: parts), value = values.value(for: m.ref) ?? .zero
                    if let unmatched { unmatchedReturns.append(unmatched) }
                    let dealer = dealer(m.refNo)
                    sums.add(part: m.partNo, dealer: dealer) { $0.returnedQty += m.qty; $0.returns += returned; $0.cogs -= value }
                    trace([("returned_qty", .qty(m.qty)), ("returns", .money(returned)), ("net_revenue", .money(-returned)),
                           ("cogs", .money(-value))], m.ref, part: m.partNo, dealer: dealer,
                          "DEALER_RETURN ref_no=\(m.refNo) qty=\(m.qty) price=\(price) line value=\(value)")
                case .warranty:
                    let value = values.value(for: m.ref) ?? .zero
                    warrantyParts += value
                    tracer.add(Tables.summary.id, "warranty_parts_cost", "", "value", .money(value), row: m.ref,
                               used: "WARRANTY ref_no=\(m.refNo) qty=\(m.qty) line value=\(value)")
                default:
                    break
                }
            }
            moved[half].value = (sums, warrantyParts, unmatchedReturns)
        }
        var (byPart, byDealer) = (shipped.value.byPart, shipped.value.byDealer)
        var warrantyParts = Money.zero, unmatchedReturns: [UnmatchedReturn] = []
        for half in moved.map(\.value) {
            for (part, f) in zip(half.sums.byPart.keys, half.sums.byPart.values) { byPart.values[byPart.group(part, default: Figures())].add(f) }
            for (dealer, f) in zip(half.sums.byDealer.keys, half.sums.byDealer.values) {
                byDealer.values[byDealer.group(dealer, default: Figures())].add(f)
            }
            warrantyParts += half.warrantyParts
            unmatchedReturns += half.unmatchedReturns
        }
        var byCategory: [String: Figures] = [:]
        for (partNo, f) in zip(byPart.keys, byPart.values) { byCategory[category(partNo), default: Figures()].add(f) }

        // Warranty labour: every line of a repair of M that has at least one warranty line.
        let warrantyRepairs = TextGroups<Void>(repairs.lazy.filter { $0.warranty && days.contains($0.repairDate) }.map(\.repairNo))
        let warrantyLabor = repairs.lazy.filter { days.contains($0.repairDate) && warrantyRepairs.group($0.repairNo) != nil }
            .reduce(Money.zero) { sum, line in
                tracer.add(Tables.summary.id, "warranty_labor_cost", "", "value", .money(line.laborCost), row: line.ref,
                           used: "repair \(line.repairNo)/\(line.lineNo) labor_cost=\(line.laborCost)")
                return sum + line.laborCost
            }

        let total = byPart.values.reduce(into: Figures()) { $0.add($1) }
        let profitAfterWarranty = total.grossProfit - warrantyParts - warrantyLabor
        let metrics: [(String, Cell)] = [
            ("revenue", .money(total.revenue)), ("returns", .money(total.returns)), ("net_revenue", .money(total.netRevenue)),
            ("cogs", .money(total.cogs)), ("gross_profit", .money(total.grossProfit)), ("margin_pct", total.margin),
            ("warranty_parts_cost", .money(warrantyParts)), ("warranty_labor_cost", .money(warrantyLabor)),
            ("profit_after_warranty", .money(profitAfterWarranty)),
        ]
        let summary = Table(Tables.summary, rows: metrics.map { [.code($0.0), $0.1] })

        let partRows: [[Cell]] = idOrder(byPart.keys).map { n in
            let partNo = byPart.keys[n], f = byPart.values[n]
            return [.text(partNo), .text(parts[partNo]?.name ?? DailyOrders.unknownName), .text(category(partNo)),
                    .qty(f.soldQty), .money(f.revenue), .qty(f.returnedQty), .money(f.returns), .money(f.netRevenue),
                    .money(f.cogs), .money(f.grossProfit), f.margin]
        }
        let dealerRows: [[Cell]] = idOrder(byDealer.keys).map { n in
            let id = byDealer.keys[n], f = byDealer.values[n]
            let name = id == unmatched ? unmatched : (dealers[id]?.name ?? DailyOrders.unknownName)
            return [.text(id), .text(name), .text(dealers[id]?.region ?? ""), .money(f.netRevenue), .money(f.cogs),
                    .money(f.grossProfit), f.margin]
        }
        let categoryRows: [[Cell]] = byCategory.keys.sorted(by: idPrecedes).map { c in
            let f = byCategory[c]!
            return [.text(c), .money(f.netRevenue), .money(f.cogs), .money(f.grossProfit), f.margin]
        }
        let tables = [
            summary,
            Table(Tables.byPart, rows: partRows, totals: totals(partRows, Tables.byPart, total)),
            Table(Tables.byDealer, rows: dealerRows, totals: totals(dealerRows, Tables.byDealer, total)),
            Table(Tables.byCategory, rows: categoryRows, totals: totals(categoryRows, Tables.byCategory, total)),
        ]
        return (Report(id: .profit, period: month.description, tables: tables), unmatchedReturns)
    }

    /// Sums of the money and quantity columns; the margin of the totals, not a sum of margins.
    static func totals(_ rows: [[Cell]], _ schema: TableSchema, _ total: Figures) -> [Cell] {
        var cells = Table.totals(of: rows, schema,
                                 summing: ["sold_qty", "revenue", "returned_qty", "returns", "net_revenue", "cogs", "gross_profit"])
        if let margin = schema.columnIDs.firstIndex(of: "margin_pct") { cells[margin] = total.margin }
        return cells
    }
}
