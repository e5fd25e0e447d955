// Writes the generated month as the ERP's CSV exports, with the header styles, encodings
// and line ends real exports come in, plus (demo) the deliberate bad rows.

struct FileStat {
    var name: String
    var kind: String
    var rows: Int
    var bytes: Int
    var format: String
}

extension Generator {
    static let statusLabels = ["未发货", "已发货", "已取消"]

    func write(to dir: String) throws -> [FileStat] {
        try makeDirectory(dir)
        var stats: [FileStat] = []
        func done(_ w: CSVWriter, _ kind: String, _ format: String) throws {
            try w.close()
            stats.append(FileStat(name: w.name, kind: kind, rows: w.rows, bytes: w.bytesWritten, format: format))
        }
        try done(writeParts(dir), "parts", "UTF-8, LF, Chinese labels")
        try done(writeDealers(dir), "dealers", "GB18030, CRLF, Chinese labels, extra columns 省份/联系电话")
        for w in try writeOrders(dir) { try done(w, "orders", "UTF-8, LF, Chinese labels, extra column 配件名称, status as label") }
        try done(writeMovements(dir, name: "movements-\(month.text).csv", list: movements, bom: true, crlf: true),
                 "movements", "UTF-8 with BOM, CRLF, canonical ids, no line_no, extra column remark")
        if !history.isEmpty {
            let name = "movements-oldparts-\(repairMonths[0].text)-\(repairMonths[4].text).csv"
            try done(writeMovements(dir, name: name, list: history, bom: false, crlf: false),
                     "movements", "UTF-8, LF, canonical ids; OLD_PART_IN dated before \(month.text)")
        }
        try done(writeOpening(dir), "opening", "UTF-8, LF, Chinese labels")
        try done(writeCounts(dir), "counts", "UTF-8, LF, canonical ids, dates as YYYY/M/D")
        for w in try writeRepairs(dir) { try done(w, "repairs", "UTF-8, LF, Chinese labels, booleans 是/否") }
        try done(writeFaults(dir), "faults", "UTF-8, LF, Chinese labels")
        try done(writeFleet(dir), "fleet", "UTF-8, LF, canonical ids")
        return stats
    }

    // MARK: masters

    func writeParts(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "parts.csv")
        w.header(["配件编码", "配件名称", "规格型号", "单位", "配件类别", "销售单价", "供应商"])
        for p in parts {
            w.text(p.no)
            w.text(p.name)
            w.text(p.spec)
            w.text(partTemplates[p.template].unit)
            w.text(categoryNames[partTemplates[p.template].category])
            w.price(p.list4)
            w.text(supplierNames[p.supplier])
            w.endRow()
        }
        return w
    }

    func writeDealers(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "dealers.csv", crlf: true, gb18030: true)
        w.header(["网点编码", "网点名称", "区域", "省份", "联系电话"])
        for d in dealers {
            w.text(d.id)
            w.text(d.name)
            w.text(cities[d.city].region)
            w.text(cities[d.city].province)
            w.text(d.phone)
            w.endRow()
        }
        return w
    }

    func writeFaults(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "faults.csv")
        w.header(["故障代码", "故障类别", "描述"])
        for f in faultCodes.sorted(by: { $0.code < $1.code }) {
            w.text(f.code)
            w.text(f.category)
            w.text(f.description)
            w.endRow()
        }
        return w
    }

    func writeFleet(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "fleet.csv")
        w.header(["product_model", "month", "units"])
        for (mi, pm) in productModels.enumerated() {
            for m in repairMonths {
                w.text(pm.name)
                w.text(m.text)
                w.int(fleetUnits(mi, m))
                w.endRow()
            }
        }
        return w
    }

    // MARK: orders

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

    // MARK: movements

    func remark(_ m: Movement) -> String {
        switch m.flag {
        case .reversal: return "红冲"
        case .repost: return "红冲后重开"
        case .emergency: return "紧急补货"
        default: break
        }
        switch m.type {
        case .transferOut: return Generator.transferOutRemarks[Int(m.ref) % Generator.transferOutRemarks.count]
        case .transferIn: return Generator.transferInRemarks[Int(m.ref) % Generator.transferInRemarks.count]
        case .supplierReturn: return m.warehouse == .old ? "旧件返厂索赔" : "来料不良退回"
        case .scrap: return m.warehouse == .old ? "旧件无索赔价值报废" : "运输破损报废"
        case .otherIn: return "样机拆件入库"
        case .otherOut: return "市场部样机维修领用"
        default: return ""
        }
    }

    func writeMovements(_ dir: String, name: String, list: [Movement], bom: Bool, crlf: Bool) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: name, crlf: crlf, bom: bom)
        w.header(["doc_no", "doc_date", "warehouse", "part_no", "move_type", "qty", "unit_cost", "ref_no", "remark"])
        let whNames = ["NEW", "OLD"]
        let typeIds = FlatStrings(MoveType.allCases.map { Array($0.id.utf8) })
        let prefixes = MoveType.allCases.map { $0.prefix }
        let docDigits = docWidth
        let ctx = WriteContext(self)
        let orders = self.orders, repairs = self.repairs
        for m in list {
            let line = w.nextLine
            w.beginField()
            w.appendASCII(prefixes[m.type.rawValue])
            w.appendCompactDate(Int(m.day))
            w.appendDigits(Int(m.docSeq), width: docDigits)
            w.date(Int(m.day))
            w.text(whNames[Int(m.warehouse.rawValue)])
            w.field(ctx.partNos, Int(m.part))
            w.field(typeIds, m.type.rawValue)
            w.qty(m.qty, kg: ctx.kg[Int(m.part)])
            if m.cost4 >= 0 { w.price(m.cost4) } else { w.empty() }
            switch m.refKind {
            case .none: w.empty()
            case .order:
                let o = orders[Int(m.ref)]
                w.beginField()
                w.appendASCII("DD")
                w.appendCompactDate(Int(o.day))
                w.appendDigits(Int(o.seq), width: 5)
            case .repair:
                let rp = repairs[Int(m.ref)]
                w.beginField()
                w.appendASCII("WX")
                w.appendCompactDate(Int(rp.day))
                w.appendDigits(Int(rp.seq), width: 5)
            case .external: w.text(externalRefs[Int(m.ref)])
            }
            if m.flag == .normal && (m.type.isReceipt ? m.type != .transferIn && m.type != .otherIn
                                                       : m.type == .sale || m.type == .warranty) {
                w.empty()
            } else {
                w.text(remark(m))
            }
            w.endRow()
            switch m.flag {
            case .oldPartInNewWarehouse:
                badRows.append(BadRow(file: name, line: line, column: "warehouse (仓库)", code: "old_part_in_wrong_warehouse",
                                      what: "warning: OLD_PART_IN for repair \(repairNo(Int(m.ref))) booked into NEW; used, and still counts as the old part received"))
            case .returnUnmatched:
                badRows.append(BadRow(file: name, line: line, column: "ref_no (关联单号)", code: "return_unmatched",
                                      what: "warning (profit report): DEALER_RETURN quoting order \(externalRefs[Int(m.ref)]), which is not in the inputs; priced at the part's list_price"))
            default: break
            }
        }
        return w
    }

    // MARK: opening, counts

    func writeOpening(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "opening-\(month.text).csv")
        w.header(["日期", "仓库", "配件编码", "数量", "金额"])
        for p in parts.indices {
            w.date(month.first)
            w.text("NEW")
            w.rawField(partNoBytes[p])
            w.qty(openNewQty[p], kg: parts[p].kg)
            w.money(openNewValue[p])
            w.endRow()
        }
        for p in parts.indices where parts[p].returnable {
            w.date(month.first)
            w.text("OLD")
            w.rawField(partNoBytes[p])
            w.qty(openOldQty[p], kg: parts[p].kg)
            w.money(0)
            w.endRow()
        }
        return w
    }

    func writeCounts(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "counts-\(month.text).csv")
        w.header(["count_date", "warehouse", "location", "part_no", "counted_qty", "counter"])
        for c in countRows {
            w.date(month.last, .slash)
            w.text(c.warehouse == .new ? "NEW" : "OLD")
            w.text(c.location)
            w.rawField(partNoBytes[Int(c.part)])
            w.qty(c.qty, kg: parts[Int(c.part)].kg)
            w.text(counterNames[c.counter % counterNames.count])
            w.endRow()
        }
        return w
    }

    // MARK: repairs

    func writeRepairs(_ dir: String) throws -> [CSVWriter] {
        var writers: [CSVWriter] = []
        let modelNames = FlatStrings(productModels.map { Array($0.name.utf8) })
        let faultIds = FlatStrings(faultCodes.map { Array($0.code.utf8) })
        let maxTexts = faultCodes.map { $0.texts.count }.max() ?? 1
        let texts = FlatStrings(faultCodes.flatMap { f in (0..<maxTexts).map { csvEscaped(f.texts[min($0, f.texts.count - 1)]) } })
        let yesNo = FlatStrings([Array("否".utf8), Array("是".utf8)])
        let ctx = WriteContext(self)
        let repairs = self.repairs, repairLines = self.repairLines
        for (mi, m) in repairMonths.enumerated() {
            let w = try CSVWriter(dir: dir, name: "repairs-\(m.text).csv")
            w.header(["维修单号", "行号", "维修日期", "网点编码", "机型", "机号", "故障代码", "故障描述",
                      "更换配件", "数量", "是否三包", "旧件返回", "工时费", "配件费"])
            let badAfter = sc.badRows && mi == 5 ? repairMonthStart[5] + min(30, repairMonthStart[6] - repairMonthStart[5] - 1) : -1
            for ri in repairMonthStart[mi]..<repairMonthStart[mi + 1] {
                let rp = repairs[ri]
                for k in 0..<Int(rp.lineCount) {
                    let l = repairLines[Int(rp.firstLine) + k]
                    let textLine = w.nextLine
                    w.beginField()
                    w.appendASCII("WX")
                    w.appendCompactDate(Int(rp.day))
                    w.appendDigits(Int(rp.seq), width: 5)
                    w.int(Int(l.lineNo))
                    w.date(Int(rp.day))
                    w.field(ctx.dealerIds, Int(rp.dealer))
                    w.field(modelNames, Int(rp.model))
                    w.beginField()
                    w.appendDigits(Int(rp.serial), width: 13)
                    w.field(faultIds, Int(l.fault))
                    if l.text < 0 {
                        w.text("用户反映:\n夜间运行有异响,白天正常")
                        findings.append("A fault description with a line break inside the quoted field: \(w.name):\(textLine) (the record spans two physical lines; the next record starts at line \(textLine + 2))")
                    } else {
                        w.field(texts, Int(l.fault) * maxTexts + Int(l.text))
                    }
                    if l.part >= 0 {
                        w.field(ctx.partNos, Int(l.part))
                        w.qty(l.qty, kg: ctx.kg[Int(l.part)])
                    } else {
                        w.empty()
                        w.empty()
                    }
                    w.field(yesNo, rp.warranty ? 1 : 0)
                    if l.oldReturn <= 1 { w.field(yesNo, Int(l.oldReturn)) } else { w.empty() }
                    w.money(l.labor)
                    w.money(l.partsCost)
                    w.endRow()
                }
                if ri == badAfter {
                    let line = w.nextLine
                    writeRepairPrefix(w, ri)
                    w.int(Int(rp.lineCount) + 1)
                    w.date(Int(rp.day))
                    w.rawField(dealerIdBytes[Int(rp.dealer)])
                    w.field(modelNames, Int(rp.model))
                    w.beginField()
                    w.appendDigits(Int(rp.serial), width: 13)
                    w.text("C1")
                    w.text("顺带清洗保养")
                    w.empty()
                    w.empty()
                    w.text("待定")
                    w.empty()
                    w.money(3000)
                    w.money(0)
                    w.endRow()
                    badRows.append(BadRow(file: w.name, line: line, column: "warranty (是否三包)", code: "bad_bool",
                                          what: "rejected: 是否三包 = 待定 is not a boolean"))
                }
            }
            writers.append(w)
        }
        return writers
    }

    func writeRepairPrefix(_ w: CSVWriter, _ ri: Int) {
        let rp = repairs[ri]
        w.beginField()
        w.appendASCII("WX")
        w.appendCompactDate(Int(rp.day))
        w.appendDigits(Int(rp.seq), width: 5)
    }
}
