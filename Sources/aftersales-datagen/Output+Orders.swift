// The orders exports, with the demo's deliberate bad order rows.

extension Generator {
    enum OrderBad {
        case badDate, negativeQty, unknownStatus, missingShipDate, fieldCount, unknownPart
        case exactDuplicate, conflictDuplicate(source: Int), amountMismatch
    }

    /// Deliberate bad order rows (demo): key = the order line after which they are written.
    func planOrderBadRows() -> (after: [Int: [OrderBad]], amountDelta: [Int: Int64]) {
        var after: [Int: [OrderBad]] = [:]
        var delta: [Int: Int64] = [:]
        guard sc.badRows else { return (after, delta) }
        func ordersOn(_ offset: Int) -> [Int] {
            var d = month.first + offset
            while d <= month.last {
                let list = orders.indices.filter { Int(orders[$0].day) == d }
                if list.count >= 3 { return list }
                d += 1
            }
            return []
        }
        /// A shipped line of that day's orders, untouched by the reconciliation stories.
        func cleanShippedLine(_ offset: Int, skip: Int) -> Int? {
            var seen = 0
            for oi in ordersOn(offset) {
                let o = orders[oi]
                for li in Int(o.firstLine)..<Int(o.firstLine + o.lineCount)
                where lines[li].status == .shipped && lineMark[li] == 0 && !parts[Int(lines[li].part)].kg {
                    if seen == skip { return li }
                    seen += 1
                    break
                }
            }
            return nil
        }
        func lastLineOfOrder(_ offset: Int, _ k: Int) -> Int? {
            let list = ordersOn(offset)
            guard !list.isEmpty else { return nil }
            let o = orders[list[min(k, list.count - 1)]]
            return Int(o.firstLine + o.lineCount) - 1
        }
        let simple: [(Int, OrderBad)] = [(9, .badDate), (11, .negativeQty), (13, .unknownStatus),
                                         (14, .missingShipDate), (15, .fieldCount), (21, .unknownPart)]
        for (offset, kind) in simple {
            if let li = lastLineOfOrder(offset, 1) { after[li, default: []].append(kind) }
        }
        if let li = cleanShippedLine(19, skip: 1) {
            lineMark[li] = Generator.markUsed
            after[li, default: []].append(.exactDuplicate)
        }
        if let src = cleanShippedLine(19, skip: 3), let li = lastLineOfOrder(20, 1) {
            lineMark[src] = Generator.markUsed
            after[li, default: []].append(.conflictDuplicate(source: src))
        }
        if let li = cleanShippedLine(22, skip: 2) {
            lineMark[li] = Generator.markUsed
            delta[li] = 1000
        }
        return (after, delta)
    }

    func writeOrders(_ dir: String) throws -> [CSVWriter] {
        let plan = planOrderBadRows()
        var writers: [CSVWriter] = []
        var lineAt = [Int32](repeating: 0, count: lines.count)
        var fileOf = [Int32](repeating: 0, count: lines.count)
        let header = ["订单号", "行号", "订单日期", "网点编码", "配件编码", "配件名称", "数量", "单价", "金额", "订货方式", "状态", "发货日期"]
        var w: CSVWriter? = nil
        var currentDay = Int32.min
        let orders = self.orders, lines = self.lines
        let ctx = WriteContext(self)
        for (oi, o) in orders.enumerated() {
            if w == nil || (sc.dailyOrderFiles && o.day != currentDay) {
                let name = sc.dailyOrderFiles ? "orders-\(Cal.iso(Int(o.day))).csv" : "orders-\(month.text).csv"
                let nw = try CSVWriter(dir: dir, name: name)
                nw.header(header)
                writers.append(nw)
                w = nw
                currentDay = o.day
            }
            let out = w!
            for li in Int(o.firstLine)..<Int(o.firstLine + o.lineCount) {
                lineAt[li] = Int32(out.nextLine)
                fileOf[li] = Int32(writers.count - 1)
                let delta = plan.amountDelta[li] ?? 0
                Generator.writeOrderLine(out, o, lines[li], ctx, amountDelta: delta)
                if delta != 0 {
                    badRows.append(BadRow(file: out.name, line: Int(lineAt[li]), column: "amount (金额)", code: "amount_mismatch",
                                          what: "warning: amount is 10.00 more than round2(qty × unit_price); the line is used with round2(qty × unit_price)"))
                }
                for bad in plan.after[li] ?? [] {
                    writeBadOrderRow(out, oi, li, bad, lineAt: lineAt, fileOf: fileOf, writers: writers)
                }
            }
        }
        return writers
    }

    func orderLineFields(_ oi: Int, _ li: Int) -> [String] {
        let o = orders[oi], l = lines[li]
        let p = parts[Int(l.part)]
        let minute = Int(o.minute)
        return [orderNo(oi), String(l.lineNo), Cal.iso(Int(o.day)) + " " + pad(minute / 60, 2) + ":" + pad(minute % 60, 2),
                dealers[Int(o.dealer)].id, p.no, p.name, p.kg ? fixedText(l.qty, 3) : String(l.qty / 1000),
                l.price4 % 100 == 0 ? fixedText(l.price4 / 100, 2) : fixedText(l.price4, 4), fixedText(l.amount, 2),
                channels[Int(o.channel)], Generator.statusLabels[Int(l.status.rawValue)],
                l.shipDay >= 0 ? Cal.iso(Int(l.shipDay)) : ""]
    }

    /// Plain copies of the lookup arrays the hot write loops need.
    struct WriteContext {
        let dealerIds: FlatStrings
        let partNos: FlatStrings
        let partNames: FlatStrings
        let kg: [Bool]
        init(_ g: Generator) {
            dealerIds = FlatStrings(g.dealerIdBytes)
            partNos = FlatStrings(g.partNoBytes)
            partNames = FlatStrings(g.partNameField)
            kg = g.parts.map { $0.kg }
        }
    }

    static func writeOrderLine(_ w: CSVWriter, _ o: Order, _ l: OrderLine, _ ctx: WriteContext, amountDelta: Int64) {
        w.beginField()
        w.appendASCII("DD")
        w.appendCompactDate(Int(o.day))
        w.appendDigits(Int(o.seq), width: 5)
        w.int(Int(l.lineNo))
        w.date(Int(o.day), .iso, minute: Int(o.minute))
        w.field(ctx.dealerIds, Int(o.dealer))
        w.field(ctx.partNos, Int(l.part))
        w.field(ctx.partNames, Int(l.part))
        w.qty(l.qty, kg: ctx.kg[Int(l.part)])
        w.price(l.price4)
        w.money(l.amount + amountDelta)
        w.text(channels[Int(o.channel)])
        w.text(Generator.statusLabels[Int(l.status.rawValue)])
        if l.shipDay >= 0 { w.date(Int(l.shipDay)) } else { w.empty() }
        w.endRow()
    }

    func writeBadOrderRow(_ w: CSVWriter, _ oi: Int, _ li: Int, _ bad: OrderBad,
                          lineAt: [Int32], fileOf: [Int32], writers: [CSVWriter]) {
        let o = orders[oi]
        var f = orderLineFields(oi, li)
        // An extra line of the same order with one thing wrong.
        let p = parts[Int(lines[li].part)]
        func extraLine(qtyUnits: Int64) {
            f[1] = String(Int(o.lineCount) + 1)
            f[6] = p.kg ? fixedText(qtyUnits * 1000, 3) : String(qtyUnits)
            f[8] = fixedText(amountCents(qtyMilli: qtyUnits * 1000, price4: lines[li].price4), 2)
            f[10] = Generator.statusLabels[0]
            f[11] = ""
        }
        let line = w.nextLine
        var column = "", code = "", what = ""
        switch bad {
        case .badDate:
            extraLine(qtyUnits: 1)
            f[2] = pad(month.y, 4) + "-13-45"
            (column, code, what) = ("order_date (订单日期)", "bad_date", "rejected: impossible date \(f[2])")
        case .negativeQty:
            extraLine(qtyUnits: -2)
            (column, code, what) = ("qty (数量)", "wrong_sign", "rejected: qty -2 on an order line")
        case .unknownStatus:
            extraLine(qtyUnits: 1)
            f[10] = "待审核"
            (column, code, what) = ("status (状态)", "unknown_status", "rejected: status 待审核 is not open/shipped/cancelled")
        case .missingShipDate:
            extraLine(qtyUnits: 1)
            f[10] = Generator.statusLabels[1]
            (column, code, what) = ("ship_date (发货日期)", "missing_ship_date", "rejected: status 已发货 with an empty ship date")
        case .fieldCount:
            extraLine(qtyUnits: 1)
            f.removeLast()
            (column, code, what) = ("", "field_count", "rejected: 11 fields, the header has 12 (the trailing empty ship date is missing)")
        case .unknownPart:
            extraLine(qtyUnits: 1)
            f[4] = "190000001"
            f[5] = "测试配件(已停产)"
            f[7] = "35.00"
            f[8] = "35.00"
            (column, code, what) = ("part_no (配件编码)", "unknown_part", "warning: part 190000001 is not in parts.csv; the line is used, shown as (unknown)")
        case .exactDuplicate:
            (column, code, what) = ("", "(duplicate)", "dropped as an exact duplicate of line \(line - 1) (counted in the manifest, listed in duplicates.csv, not in rejects.csv)")
        case .conflictDuplicate(let src):
            let so = Int(lines[src].order)
            f = orderLineFields(so, src)
            let l = lines[src]
            let newQty = l.qty + 1000
            f[6] = String(newQty / 1000)
            f[8] = fixedText(amountCents(qtyMilli: newQty, price4: l.price4), 2)
            let firstFile = writers[Int(fileOf[src])].name
            (column, code, what) = ("", "duplicate_conflict",
                                    "rejected: same order_no+line_no as \(firstFile):\(lineAt[src]) (\(orderNo(so)) line \(l.lineNo)) with qty \(newQty / 1000) instead of \(l.qty / 1000); the first is kept")
        case .amountMismatch:
            return
        }
        for x in f { w.text(x) }
        w.endRow()
        badRows.append(BadRow(file: w.name, line: line, column: column, code: code, what: what))
    }
}
