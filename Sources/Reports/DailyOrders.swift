import Core
import Ingest

/// 售后配件订单日统计表 (SPEC §3, §5.1 daily-orders, §6 Daily) for day D.
public enum DailyOrders {
    public static let unknownName = "(unknown)"

    public enum Tables {
        public static let summary = TableSchema("summary", [.code("metric"), .figure("value")])
        public static let byDealer = TableSchema("by_dealer", [
            .text("dealer_id"), .text("dealer_name"), .text("region"), .count("orders"), .count("lines"), .qty("qty"),
            .money("amount"), .money("mtd_amount"),
        ])
        public static let byPart = TableSchema("by_part", [
            .text("part_no"), .text("part_name"), .count("lines"), .qty("qty"), .money("amount"),
        ])
        public static let backlog = TableSchema("backlog", key: ["order_no", "line_no"], [
            .text("order_no"), .text("line_no"), .date("order_date"), .text("dealer_id"), .text("part_no"), .qty("qty"),
            .money("amount"), .count("age_days"),
        ])
        public static let lines = TableSchema("lines", key: ["order_no", "line_no"], [
            .text("order_no"), .text("line_no"), .date("order_date"), .text("dealer_id"), .text("dealer_name"),
            .text("part_no"), .text("part_name"), .qty("qty"), .unitCost("unit_price"), .money("amount"), .text("channel"),
            .code("status"), .date("ship_date"),
        ])
        static let all = [summary, byDealer, byPart, backlog, lines]
    }

    public static func build(orders: [OrderLine], parts: [String: Part], dealers: [String: Dealer], day: Day) -> Report {
        let lines = DayLines(orders, day: day)
        let summary = Table(Tables.summary, rows: summaryMetrics(orders, day: day).map { [.code($0.0), $0.1] })

        return Report(id: .dailyOrders, period: day.description, tables: [
            summary,
            byDealer(received: lines.received, receivedMTD: lines.receivedMTD, dealers: dealers),
            byPart(received: lines.received, parts: parts),
            backlogTable(lines.backlog, day: day),
            linesTable(lines.received, parts: parts, dealers: dealers),
        ])
    }

    /// The overview's previous column (SPEC §8.2): the summary metrics of D−1, and for the month-to-date
    /// ones those of the previous month up to the same day (capped at its last day). A comparison is
    /// left blank when the inputs do not reach back to its start: the earliest order_date read is after
    /// D−1, or after the first day of the previous month for the month-to-date ones.
    public static func previousFigures(orders: [OrderLine], day: Day) -> (figures: [String: Cell], period: String) {
        let earliest = orders.lazy.map(\.orderDate).min() ?? day
        let yesterday = day.advanced(by: -1), lastMonth = day.month.previous
        let sameDay = Day(year: lastMonth.year, month: lastMonth.month,
                          day: min(day.components.day, Day.daysIn(year: lastMonth.year, month: lastMonth.month)))!
        var previous: [String: Cell] = [:]
        if earliest <= yesterday {
            for (id, cell) in summaryMetrics(orders, day: yesterday) where !id.hasPrefix("mtd_") { previous[id] = cell }
        }
        if earliest <= lastMonth.firstDay {
            for (id, cell) in summaryMetrics(orders, day: sameDay) where id.hasPrefix("mtd_") { previous[id] = cell }
        }
        return (previous, "\(yesterday) / \(lastMonth.firstDay)…\(sameDay)")
    }

    /// The summary metrics of day D (SPEC §3, §5.1) in one pass over the lines, none copied: the same
    /// function gives the day's summary and the overview's previous figures (2.3M lines at ten times a
    /// month, three times over).
    static func summaryMetrics(_ orders: [OrderLine], day: Day) -> [(String, Cell)] {
        let monthStart = day.month.firstDay
        var ordersReceived = Set<String>(), ordersMTD = Set<String>()
        var linesReceived = 0, linesShipped = 0, openLines = 0
        var qtyReceived = Quantity.zero, qtyShipped = Quantity.zero
        var amountReceived = Money.zero, amountShipped = Money.zero, amountReceivedMTD = Money.zero
        var amountShippedMTD = Money.zero, openAmount = Money.zero
        for line in orders {
            let live = line.status != .cancelled
            if live && line.orderDate == day {
                ordersReceived.insert(line.orderNo)
                linesReceived += 1
                qtyReceived += line.qty
                amountReceived += line.amount
            }
            if live && line.orderDate >= monthStart && line.orderDate <= day {
                ordersMTD.insert(line.orderNo)
                amountReceivedMTD += line.amount
            }
            if line.status == .shipped, let ship = line.shipDate {
                if ship == day {
                    linesShipped += 1
                    qtyShipped += line.qty
                    amountShipped += line.amount
                }
                if ship >= monthStart && ship <= day { amountShippedMTD += line.amount }
            }
            if live && line.orderDate <= day && isOpen(line, on: day) {
                openLines += 1
                openAmount += line.amount
            }
        }
        return [
            ("orders_received", .count(ordersReceived.count)), ("lines_received", .count(linesReceived)),
            ("qty_received", .qty(qtyReceived)), ("amount_received", .money(amountReceived)),
            ("lines_shipped", .count(linesShipped)), ("qty_shipped", .qty(qtyShipped)), ("amount_shipped", .money(amountShipped)),
            ("mtd_orders_received", .count(ordersMTD.count)), ("mtd_amount_received", .money(amountReceivedMTD)),
            ("mtd_amount_shipped", .money(amountShippedMTD)),
            ("open_lines", .count(openLines)), ("open_amount", .money(openAmount)),
        ]
    }

    /// Open on D, for a line ordered by D and not cancelled: open, or shipped after D.
    static func isOpen(_ line: OrderLine, on day: Day) -> Bool {
        line.status == .open || (line.shipDate.map { $0 > day } ?? false)
    }

    /// The lines of day D that the tables list.
    struct DayLines {
        let received: [OrderLine], receivedMTD: [OrderLine], backlog: [OrderLine]

        init(_ orders: [OrderLine], day: Day) {
            let monthStart = day.month.firstDay
            // Filters over all lines, not over a copy of the uncancelled ones (2.3M lines at ten times a month).
            func isLive(_ line: OrderLine) -> Bool { line.status != .cancelled }
            received = orders.filter { isLive($0) && $0.orderDate == day }
            receivedMTD = orders.filter { isLive($0) && $0.orderDate >= monthStart && $0.orderDate <= day }
            backlog = orders.filter { isLive($0) && $0.orderDate <= day && DailyOrders.isOpen($0, on: day) }
        }
    }

    static func byDealer(received: [OrderLine], receivedMTD: [OrderLine], dealers: [String: Dealer]) -> Table {
        struct Figures { var orders = Set<String>(), lines = 0, qty = Quantity.zero, amount = Money.zero, mtd = Money.zero }
        var byDealer: [String: Figures] = [:]
        for line in received {
            byDealer[line.dealerId, default: Figures()].orders.insert(line.orderNo)
            byDealer[line.dealerId]!.lines += 1
            byDealer[line.dealerId]!.qty += line.qty
            byDealer[line.dealerId]!.amount += line.amount
        }
        for line in receivedMTD { byDealer[line.dealerId, default: Figures()].mtd += line.amount }
        let rows: [[Cell]] = byDealer.keys.sorted(by: idPrecedes).map { id in
            let f = byDealer[id]!
            let dealer = dealers[id]
            return [.text(id), .text(dealer?.name ?? unknownName), .text(dealer?.region ?? ""),
                    .count(f.orders.count), .count(f.lines), .qty(f.qty), .money(f.amount), .money(f.mtd)]
        }
        return Table(Tables.byDealer, rows: rows,
                     totals: Table.totals(of: rows, Tables.byDealer, summing: ["orders", "lines", "qty", "amount", "mtd_amount"]))
    }

    static func byPart(received: [OrderLine], parts: [String: Part]) -> Table {
        var byPart: [String: (lines: Int, qty: Quantity, amount: Money)] = [:]
        for line in received {
            let f = byPart[line.partNo] ?? (0, .zero, .zero)
            byPart[line.partNo] = (f.lines + 1, f.qty + line.qty, f.amount + line.amount)
        }
        let rows: [[Cell]] = byPart.keys.sorted(by: idPrecedes).map { partNo in
            let f = byPart[partNo]!
            return [.text(partNo), .text(parts[partNo]?.name ?? unknownName), .count(f.lines), .qty(f.qty), .money(f.amount)]
        }
        return Table(Tables.byPart, rows: rows,
                     totals: Table.totals(of: rows, Tables.byPart, summing: ["lines", "qty", "amount"]))
    }

    static func backlogTable(_ lines: [OrderLine], day: Day) -> Table {
        let rows: [[Cell]] = sortedByOrder(lines).map { line in
            [.text(line.orderNo), .text(line.lineNo), .date(line.orderDate), .text(line.dealerId), .text(line.partNo),
             .qty(line.qty), .money(line.amount), .count(line.orderDate.distance(to: day))]
        }
        return Table(Tables.backlog, rows: rows,
                     totals: Table.totals(of: rows, Tables.backlog, summing: ["qty", "amount"]))
    }

    static func linesTable(_ lines: [OrderLine], parts: [String: Part], dealers: [String: Dealer]) -> Table {
        let rows: [[Cell]] = sortedByOrder(lines).map { line in
            [.text(line.orderNo), .text(line.lineNo), .date(line.orderDate), .text(line.dealerId),
             .text(dealers[line.dealerId]?.name ?? unknownName), .text(line.partNo),
             .text(parts[line.partNo]?.name ?? unknownName), .qty(line.qty), .price(line.unitPrice),
             .money(line.amount), .text(line.channel), .code(line.status.rawValue), line.shipDate.map(Cell.date) ?? .empty]
        }
        return Table(Tables.lines, rows: rows,
                     totals: Table.totals(of: rows, Tables.lines, summing: ["qty", "amount"]))
    }

    private static func sortedByOrder(_ lines: [OrderLine]) -> [OrderLine] {
        idOrder(lines.map(\.orderNo), lines.map(\.lineNo)).map { lines[$0] }
    }
}
