// Builds one consistent month of after-sales data in memory: masters, orders, repairs,
// the stock movements that follow from them, opening balances chosen so that stock
// rarely goes negative, and the month-end physical count.

final class Generator {
    let preset: Preset
    let sc: Scale
    let month: Month
    let seed: UInt64

    /// The report month and the five before it (repairs, fleet).
    let repairMonths: [Month]

    var parts: [Part] = []
    var partNoBytes: [[UInt8]] = []
    var partNameField: [[UInt8]] = []
    var partTable = WeightedTable([])
    var partsByTemplate: [[Int32]] = []
    var partsByTemplateModel: [[Int32]] = []
    var templateIndex: [String: Int] = [:]

    var dealers: [Dealer] = []
    var dealerIdBytes: [[UInt8]] = []
    var orderDealerTable = WeightedTable([])
    var repairDealerTable = WeightedTable([])

    var orders: [Order] = []
    var lines: [OrderLine] = []

    var repairs: [Repair] = []
    var repairLines: [RepairLine] = []
    /// Repairs of repairMonths[i] are repairs[repairMonthStart[i] ..< repairMonthStart[i+1]].
    var repairMonthStart: [Int] = []

    var movements: [Movement] = []
    var history: [Movement] = []          // OLD_PART_IN dated before the month
    var externalRefs: [String] = []
    var serial: Int32 = 0

    var openNewQty: [Int64] = []
    var openNewValue: [Int64] = []
    var openOldQty: [Int64] = []
    var bookNew: [Int64] = []
    var bookOld: [Int64] = []
    var negativeA = -1                    // goes negative, recovers with a late purchase
    var negativeB = -1                    // goes negative and stays negative at month end

    struct CountRow {
        var warehouse: Warehouse
        var location: String
        var part: Int32
        var qty: Int64
        var counter: Int
    }
    var countRows: [CountRow] = []

    /// Human-readable notes on what the reports should show (README).
    var findings: [String] = []
    var badRows: [BadRow] = []
    var negativeReport: [(wh: Warehouse, part: Int, first: Int, min: Int64)] = []
    var outstandingBuckets = [0, 0, 0, 0]
    var docWidth = 4

    // Order-line marks used by the sales step and the bad-row planner.
    var lineMark: [UInt8] = []
    static let markUsed: UInt8 = 1

    init(preset: Preset, month: Month, seed: UInt64) {
        self.preset = preset
        self.sc = Scale.of(preset)
        self.month = month
        self.seed = seed
        self.repairMonths = (0..<6).map { month.adding($0 - 5) }
    }

    func rng(_ stream: UInt64) -> Rng { Rng(seed: seed, stream: stream) }

    func nextSerial() -> Int32 {
        serial += 1
        return serial
    }

    func isHoliday(_ d: Int) -> Bool {
        let c = Cal.civil(d)
        return (c.m == 10 && c.d <= 3) || (c.m == 1 && c.d == 1)
    }

    /// The next working day on or after d (warehouses do not ship on Sundays or 国庆 1–3).
    func workday(_ d: Int) -> Int {
        var x = d
        while Cal.weekday(x) == 0 || isHoliday(x) { x += 1 }
        return x
    }

    func generate() {
        makeParts()
        makeDealers()
        makeOrders()
        makeRepairs()
        makeSales()
        makeDealerReturns()
        makeWarrantyIssues()
        makeOldPartReceipts()
        makeOtherNewMovements()
        makeOpening()
        makeOldWarehouseIssues()
        planPurchases()
        makePurchaseReversals()
        assignDocumentNumbers()
        walkLedger()
        makeCounts()
        computeOutstanding()
    }

    // MARK: masters

    func makeParts() {
        var r = rng(1)
        let nT = partTemplates.count
        let nM = productModels.count
        for (i, t) in partTemplates.enumerated() { templateIndex[t.name] = i }
        partsByTemplate = Array(repeating: [], count: nT)
        partsByTemplateModel = Array(repeating: [], count: nT * nM)
        let letters = Array("ABCDEFGH")
        for t in 0..<nT {
            let tpl = partTemplates[t]
            let count = sc.parts / nT + (t < sc.parts % nT ? 1 : 0)
            for s in 0..<count {
                let model = (s + t) % nM
                let pm = productModels[model]
                let variant = 1 + (s + t) % 9
                var spec = tpl.spec
                spec = spec.replacingAll("{c}", String(pm.capacity))
                spec = spec.replacingAll("{k}", pm.compressor)
                spec = spec.replacingAll("{v}", String(variant))
                spec = spec.replacingAll("{L}", String(letters[(s / nM) % letters.count]))
                if s >= nM * letters.count { spec += "-" + String(s / (nM * letters.count)) }
                var name = tpl.name
                if s == 0 && tpl.name == commaPartTemplate { name = commaPartName }
                if s == 0 && tpl.name == quotePartTemplate { name = quotePartName }
                var list4: Int64
                if tpl.name == fourDecimalPriceTemplate {
                    list4 = Int64(r.between(tpl.priceLo, tpl.priceHi - 1)) * 10_000 + Int64(r.between(1, 9999))
                } else {
                    let cents = [0, 0, 0, 0, 50, 80, 90, r.below(100)][r.below(8)]
                    list4 = (Int64(r.between(tpl.priceLo, tpl.priceHi)) * 100 + Int64(cents)) * 100
                }
                var cost4 = list4 * Int64(r.between(52, 68)) / 100
                if tpl.name != fourDecimalPriceTemplate { cost4 = divRound(cost4, 100) * 100 }
                if cost4 <= 0 { cost4 = 100 }
                let no = String(10 + tpl.category) + pad(t, 2) + pad(s + 1, 5)
                let idx = Int32(parts.count)
                // Old parts come back for supplier claims only from 200 yuan up (旧件返回 policy).
                let returnable = tpl.returnable && list4 >= 2_000_000
                parts.append(Part(no: no, name: name, spec: spec, template: t, model: model, list4: list4,
                                  cost4: cost4, supplier: tpl.supplier, kg: tpl.kg, returnable: returnable))
                partsByTemplate[t].append(idx)
                partsByTemplateModel[t * nM + model].append(idx)
            }
        }
        partNoBytes = parts.map { Array($0.no.utf8) }
        partNameField = parts.map { csvEscaped($0.name) }
        let rank = r.permutation(parts.count)
        partTable = WeightedTable(parts.indices.map { i in
            Int64(partTemplates[parts[i].template].orderWeight) * 1_000_000 / Int64(rank[i] + 8)
        })
    }

    func makeDealers() {
        var r = rng(2)
        var used = Set<String>()
        let channelTable = WeightedTable(channelWeights)
        let discounts: [Int64] = [950, 920, 885, 865]
        for k in 0..<sc.dealers {
            let cityIndex = k % cities.count
            let city = cities[cityIndex]
            var name = ""
            for _ in 0..<80 {
                let w = tradeNames[r.below(tradeNames.count)]
                let p = dealerPatterns[r.below(dealerPatterns.count)]
                let cand = p.replacingAll("{city}", city.name).replacingAll("{w}", w)
                if !used.contains(cand) { name = cand; break }
            }
            if name.isEmpty { name = city.name + tradeNames[k % tradeNames.count] + "家电服务有限公司第" + String(k) + "网点" }
            used.insert(name)
            let digits = city.areaCode.count == 3 ? 8 : 7
            var num = String(r.between(2, 8))
            for _ in 1..<digits { num += String(r.below(10)) }
            let discount = r.chance(12, 100) ? discounts[r.below(discounts.count)] : 1000
            dealers.append(Dealer(id: "W" + pad(10001 + k, 5), name: name, city: cityIndex,
                                  phone: city.areaCode + "-" + num, discountPermille: discount,
                                  channel: channelTable.pick(&r)))
        }
        dealerIdBytes = dealers.map { Array($0.id.utf8) }
        let rank1 = r.permutation(dealers.count)
        orderDealerTable = WeightedTable(rank1.map { Int64(1_000_000 / ($0 + 3)) })
        let rank2 = r.permutation(dealers.count)
        repairDealerTable = WeightedTable(rank2.map { Int64(1_000_000 / ($0 + 4)) })
    }

    // MARK: orders

    func orderDayWeight(_ d: Int) -> Int {
        var w = [3, 10, 10, 10, 10, 10, 6][Cal.weekday(d)]
        let c = Cal.civil(d)
        if c.m == 10 && c.d <= 7 { w = c.d <= 3 ? 2 : 4 }     // 国庆 holiday week
        if c.m == 1 && c.d == 1 { w = 2 }
        return w
    }

    func makeOrders() {
        var r = rng(10)
        let first = month.first, last = month.last
        let totalW = (first...last).reduce(0) { $0 + orderDayWeight($1) }
        var plan: [(day: Int, lines: Int)] = []
        for d in (first - sc.tailDays)..<first {
            plan.append((d, sc.orderLines * orderDayWeight(d) / totalW))
        }
        var cum = 0, prev = 0
        for d in first...last {
            cum += orderDayWeight(d)
            let t = sc.orderLines * cum / totalW
            plan.append((d, t - prev))
            prev = t
        }
        let linesPerOrder = WeightedTable([30, 25, 18, 11, 7, 4, 2, 1, 1, 1])
        let leadTable = WeightedTable([8, 35, 27, 15, 8, 4, 2, 1])
        let channelTable = WeightedTable(channelWeights)
        orders.reserveCapacity(sc.orderLines / 2)
        lines.reserveCapacity(sc.orderLines + sc.orderLines / 4)
        var picked: [Int32] = []
        for (d, n) in plan {
            var remaining = n
            let firstOrder = orders.count
            while remaining > 0 {
                let k = min(remaining, linesPerOrder.pick(&r) + 1)
                remaining -= k
                let dealer = orderDealerTable.pick(&r)
                let channel = r.chance(70, 100) ? dealers[dealer].channel : channelTable.pick(&r)
                let cancelledOrder = r.chance(2, 100)
                let lead = leadTable.pick(&r)
                let oi = Int32(orders.count)
                let firstLine = Int32(lines.count)
                picked.removeAll(keepingCapacity: true)
                for _ in 0..<k {
                    var p = Int32(partTable.pick(&r))
                    var tries = 0
                    while picked.contains(p) && tries < 8 {
                        p = Int32(partTable.pick(&r))
                        tries += 1
                    }
                    if picked.contains(p) { continue }
                    picked.append(p)
                    let part = parts[Int(p)]
                    let tpl = partTemplates[part.template]
                    let qty: Int64 = tpl.kg
                        ? Int64(r.between(500, tpl.orderMax * 1000))
                        : Int64(1 + r.skewLow(tpl.orderMax)) * 1000
                    let disc = dealers[dealer].discountPermille
                    let price4 = disc == 1000 ? part.list4 : divRound(part.list4 * disc, 1000)
                    var status = LineStatus.open
                    var shipDay = -1
                    if cancelledOrder || r.chance(15, 1000) {
                        status = .cancelled
                    } else {
                        var sd = d + lead
                        if r.chance(4, 100) { sd += r.between(10, 35) }             // back order
                        if d < first && r.chance(7, 100) { sd = last + 30 }        // still waiting at month end
                        sd = workday(sd)
                        if sd <= last {
                            status = .shipped
                            shipDay = sd
                        }
                    }
                    lines.append(OrderLine(order: oi, lineNo: Int16(lines.count - Int(firstLine) + 1), status: status,
                                           part: p, shipDay: Int32(shipDay), qty: qty, price4: price4,
                                           amount: amountCents(qtyMilli: qty, price4: price4)))
                }
                orders.append(Order(day: Int32(d), seq: 0, minute: 0, channel: UInt8(channel), dealer: Int32(dealer),
                                    firstLine: firstLine, lineCount: Int32(lines.count) - firstLine))
            }
            let cnt = orders.count - firstOrder
            for i in 0..<cnt {
                orders[firstOrder + i].seq = Int32(i + 1)
                orders[firstOrder + i].minute = Int16(480 + (600 * i + r.below(600)) / cnt)
            }
        }
        lineMark = Array(repeating: 0, count: lines.count)
    }

    // MARK: repairs

    func fleetUnits(_ model: Int, _ m: Month) -> Int {
        let pm = productModels[model]
        let k = (m.y * 12 + m.m) - (month.y * 12 + month.m)
        let scale = max(1, sc.repairLines / 300)
        return max(100, pm.fleet * scale * (100 + pm.growth * k) / 100)
    }

    func makeRepairs() {
        let nM = productModels.count
        let spikeModelIndex = productModels.firstIndex { $0.name == spikeModel } ?? 0
        let spikeFaultIndex = faultCodes.firstIndex { $0.code == spikeFault } ?? 0
        let faultTemplates: [[Int]] = faultCodes.map { f in f.templates.compactMap { templateIndex[$0] } }
        let linesPerRepair = WeightedTable([75, 20, 5])
        for (mi, m) in repairMonths.enumerated() {
            repairMonthStart.append(repairs.count)
            var r = rng(200 + UInt64(mi))
            let target = sc.repairLines * seasonality[m.m - 1] / seasonality[month.m - 1]
            let modelTable = WeightedTable((0..<nM).map { Int64(fleetUnits($0, m)) * Int64(productModels[$0].failure) })
            let baseFaults = WeightedTable(faultCodes.map { Int64($0.weight) })
            let spikeFactor: Int64 = mi >= 4 ? 7 : (mi == 3 ? 3 : 1)
            let spikeFaults = WeightedTable(faultCodes.enumerated().map { i, f in
                Int64(f.weight) * (i == spikeFaultIndex ? spikeFactor : 1)
            })
            let nRepairs = max(1, target * 100 / 115)
            var days = (0..<nRepairs).map { _ in m.first + r.below(m.count) }
            days.sort()
            var made = 0
            var seqDay = -1
            var seq = 0
            var usedParts: [Int32] = []
            for d in days {
                if made >= target { break }
                if d != seqDay { seqDay = d; seq = 0 }
                seq += 1
                let k = linesPerRepair.pick(&r) + 1
                let model = modelTable.pick(&r)
                let warranty = r.chance(85, 100)
                let faults = model == spikeModelIndex ? spikeFaults : baseFaults
                let f0 = faults.pick(&r)
                let ri = Int32(repairs.count)
                let firstLine = Int32(repairLines.count)
                let mfg = Month(y: m.y, m: m.m).adding(-r.between(1, 40))
                let serial = Int64(productModels[model].capacity) * 10_000_000_000
                    + Int64((mfg.y % 100) * 100 + mfg.m) * 1_000_000 + Int64(r.below(1_000_000))
                usedParts.removeAll(keepingCapacity: true)
                for j in 0..<k {
                    let f = (j == 0 || r.chance(80, 100)) ? f0 : faults.pick(&r)
                    let fc = faultCodes[f]
                    var part: Int32 = -1
                    let tl = faultTemplates[f]
                    if !tl.isEmpty && !r.chance(fc.noPartPercent, 100) {
                        for _ in 0..<4 {
                            let t = tl[r.skewLow(tl.count)]
                            let exact = partsByTemplateModel[t * nM + model]
                            let pool = exact.isEmpty || r.chance(15, 100) ? partsByTemplate[t] : exact
                            if pool.isEmpty { continue }
                            let p = pool[r.skewLow(pool.count)]
                            if !usedParts.contains(p) { part = p; break }
                        }
                    }
                    if part < 0 && j > 0 { continue }      // a second line without a part adds nothing
                    var qty: Int64 = 0
                    var old: UInt8 = 0
                    var partsCost: Int64 = 0
                    if part >= 0 {
                        usedParts.append(part)
                        let pp = parts[Int(part)]
                        let tpl = partTemplates[pp.template]
                        if tpl.kg {
                            qty = Int64(r.between(300, tpl.repairMax))
                        } else {
                            qty = Int64(r.chance(85, 100) ? 1 : r.between(1, tpl.repairMax)) * 1000
                        }
                        old = warranty && pp.returnable ? 1 : 0
                        partsCost = amountCents(qtyMilli: qty, price4: pp.list4)
                    }
                    // Some exports leave 旧件返回 blank where it equals the default (= 是否三包).
                    if (old == 1) == warranty && r.chance(4, 100) { old = 2 }
                    let labor: Int64 = j == 0 ? Int64(fc.laborYuan + [0, 0, 20, 50][r.below(4)]) * 100 : 0
                    repairLines.append(RepairLine(repair: ri, lineNo: Int16(repairLines.count - Int(firstLine) + 1),
                                                  fault: Int16(f), text: Int16(r.below(fc.texts.count)), oldReturn: old,
                                                  part: part, qty: qty, labor: labor, partsCost: partsCost))
                }
                made += repairLines.count - Int(firstLine)
                repairs.append(Repair(day: Int32(d), seq: Int32(seq), dealer: Int32(repairDealerTable.pick(&r)),
                                      model: Int16(model), warranty: warranty, serial: serial, firstLine: firstLine,
                                      lineCount: Int32(repairLines.count) - firstLine))
            }
        }
        repairMonthStart.append(repairs.count)
        // One service engineer typed a line break into the fault description (demo only).
        if sc.badRows {
            let start = repairMonthStart[5]
            let ri = start + min(20, repairs.count - start - 1)
            repairLines[Int(repairs[ri].firstLine)].text = -1
        }
    }

    var currentRepairRange: Range<Int> { repairMonthStart[5]..<repairMonthStart[6] }

    // MARK: movements that follow from orders and repairs

    func addMove(_ m: Movement) {
        var mm = m
        mm.serial = nextSerial()
        movements.append(mm)
    }

    func move(_ type: MoveType, _ wh: Warehouse, day: Int, part: Int, qty: Int64, cost4: Int64 = -1,
              refKind: RefKind = .none, ref: Int = 0, group: Int64 = 0, flag: MoveFlag = .normal) -> Movement {
        Movement(day: Int32(day), type: type, warehouse: wh, flag: flag, refKind: refKind, part: Int32(part),
                 ref: Int32(ref), qty: qty, cost4: cost4, group: group, serial: 0)
    }

    func pickDistinct(_ pool: [Int], _ n: Int, _ r: inout Rng) -> [Int] {
        var out: [Int] = []
        var tries = 0
        while out.count < n && tries < n * 50 && !pool.isEmpty {
            tries += 1
            let li = pool[r.below(pool.count)]
            if lineMark[li] != 0 { continue }
            lineMark[li] = Generator.markUsed
            out.append(li)
        }
        return out.sorted()
    }

    func orderNo(_ oi: Int) -> String {
        "DD" + Cal.compact(Int(orders[oi].day)) + pad(Int(orders[oi].seq), 5)
    }

    func repairNo(_ ri: Int) -> String {
        "WX" + Cal.compact(Int(repairs[ri].day)) + pad(Int(repairs[ri].seq), 5)
    }

    func describeLine(_ li: Int) -> String {
        let l = lines[li]
        return "order \(orderNo(Int(l.order))) line \(l.lineNo) part \(parts[Int(l.part)].no)"
    }

    func makeSales() {
        var r = rng(20)
        let L = sc.orderLines
        var shippedInMonth: [Int] = []
        var openInMonth: [Int] = []
        for (li, l) in lines.enumerated() {
            if l.status == .shipped && month.contains(Int(l.shipDay)) { shippedInMonth.append(li) }
            if l.status == .open && orders[Int(l.order)].day >= Int32(month.first)
                && orders[Int(l.order)].day <= Int32(month.last - 3) { openInMonth.append(li) }
        }
        // Keep the first lines of each day free for the bad-row planner (demo).
        let notIssued = Set(pickDistinct(shippedInMonth, max(1, L / 20_000), &r))
        let mismatch = Set(pickDistinct(shippedInMonth, max(3, L / 6_000), &r))
        let duplicated = Set(pickDistinct(shippedInMonth, max(1, L / 100_000), &r))
        let issuedOnly = pickDistinct(openInMonth, max(1, L / 20_000), &r)
        let list = { (set: Set<Int>) -> [Int] in set.sorted() }
        var dupGroup: Int64 = 3_000_000_000
        for li in shippedInMonth {
            let l = lines[li]
            if notIssued.contains(li) { continue }
            var qty = l.qty
            var flag = MoveFlag.normal
            if mismatch.contains(li) {
                flag = .qtyMismatch
                if parts[Int(l.part)].kg {
                    qty = l.qty > 1000 ? l.qty - 500 : l.qty + 500
                } else {
                    qty = l.qty >= 2000 ? l.qty - 1000 : l.qty + 1000
                }
            }
            addMove(move(.sale, .new, day: Int(l.shipDay), part: Int(l.part), qty: qty, refKind: .order,
                         ref: Int(l.order), group: Int64(l.order), flag: flag))
            if duplicated.contains(li) {
                dupGroup += 2
                addMove(move(.sale, .new, day: Int(l.shipDay), part: Int(l.part), qty: qty, refKind: .order,
                             ref: Int(l.order), group: dupGroup, flag: .duplicateIssue))
                let revDay = min(month.last, Int(l.shipDay) + r.between(1, 5))
                addMove(move(.sale, .new, day: revDay, part: Int(l.part), qty: -qty, refKind: .order,
                             ref: Int(l.order), group: dupGroup + 1, flag: .reversal))
            }
        }
        for li in issuedOnly {
            let l = lines[li]
            let d = min(month.last, Int(orders[Int(l.order)].day) + r.between(1, 3))
            addMove(move(.sale, .new, day: d, part: Int(l.part), qty: l.qty, refKind: .order,
                         ref: Int(l.order), group: Int64(l.order), flag: .issuedNotShipped))
        }
        func note(_ title: String, _ items: [Int]) {
            let shown = items.prefix(6).map(describeLine).joined(separator: "; ")
            findings.append("\(title) (\(items.count)): \(shown)\(items.count > 6 ? "; …" : "")")
        }
        note("Orders ↔ ledger `shipped_not_issued` — shipped line with no SALE", list(notIssued))
        note("Orders ↔ ledger `qty_mismatch` — SALE qty differs from the shipped qty", list(mismatch))
        note("Orders ↔ ledger `issued_not_shipped` — SALE against a line still open", issuedOnly)
        note("SALE posted twice and the duplicate reversed (红冲, negative qty) a few days later — nets to `matched`",
             list(duplicated))
    }

    func makeDealerReturns() {
        var r = rng(21)
        var candidates: [Int] = []
        for (li, l) in lines.enumerated() where l.status == .shipped && Int(l.shipDay) <= month.last - 2 {
            candidates.append(li)
        }
        let n = max(2, candidates.count * 12 / 1000)
        var made = 0
        var tries = 0
        while made < n && tries < n * 20 && !candidates.isEmpty {
            tries += 1
            let li = candidates[r.below(candidates.count)]
            if lineMark[li] != 0 { continue }
            let l = lines[li]
            let d = max(month.first, Int(l.shipDay) + r.between(2, 20))
            if d > month.last { continue }
            lineMark[li] = Generator.markUsed
            let part = parts[Int(l.part)]
            let q: Int64 = part.kg ? min(l.qty, 1000) : 1000
            addMove(move(.dealerReturn, .new, day: d, part: Int(l.part), qty: q, cost4: part.cost4,
                         refKind: .order, ref: Int(l.order), group: Int64(l.order)))
            made += 1
        }
        if sc.badRows {
            // A return quoting an order from before the data set: profit prices it at list price (warning).
            let p = partTable.pick(&r)
            let oldDay = month.adding(-2).first + 18
            externalRefs.append("DD" + Cal.compact(oldDay) + "00007")
            addMove(move(.dealerReturn, .new, day: month.first + 16, part: p, qty: 1000, cost4: parts[p].cost4,
                         refKind: .external, ref: externalRefs.count - 1, group: 2_000_000_000, flag: .returnUnmatched))
        }
    }

    func makeWarrantyIssues() {
        var r = rng(22)
        var candidates: [Int] = []
        for ri in currentRepairRange where repairs[ri].warranty {
            let rp = repairs[ri]
            for k in 0..<Int(rp.lineCount) where repairLines[Int(rp.firstLine) + k].part >= 0 {
                candidates.append(Int(rp.firstLine) + k)
            }
        }
        let n = max(1, candidates.count / 1000)
        var special: [Int: MoveFlag] = [:]
        var noIssue: [Int] = [], mismatch: [Int] = [], wrong: [Int] = []
        var tries = 0
        while special.count < n * 3 && tries < 1000 && candidates.count > 10 {
            tries += 1
            let rl = candidates[r.below(candidates.count)]
            if special[rl] != nil { continue }
            if noIssue.count < n { special[rl] = .normal; noIssue.append(rl) }
            else if mismatch.count < n { special[rl] = .qtyMismatch; mismatch.append(rl) }
            else { special[rl] = .wrongPart; wrong.append(rl) }
        }
        for rl in candidates {
            let line = repairLines[rl]
            let ri = Int(line.repair)
            var part = Int(line.part)
            var qty = line.qty
            var flag = MoveFlag.normal
            if let s = special[rl] {
                switch s {
                case .normal: continue
                case .qtyMismatch:
                    flag = .qtyMismatch
                    qty = parts[part].kg ? qty + 250 : qty + 1000
                case .wrongPart:
                    flag = .wrongPart
                    let pool = partsByTemplate[parts[part].template]
                    if let other = pool.first(where: { Int($0) != part }) { part = Int(other) }
                    else { part = (part + 1) % parts.count }
                default: break
                }
            }
            addMove(move(.warranty, .new, day: Int(repairs[ri].day), part: part, qty: qty, refKind: .repair,
                         ref: ri, group: Int64(ri), flag: flag))
        }
        func describe(_ rl: Int) -> String {
            "repair \(repairNo(Int(repairLines[rl].repair))) part \(parts[Int(repairLines[rl].part)].no)"
        }
        func note(_ title: String, _ items: [Int]) {
            let s = items.sorted()
            findings.append("\(title) (\(s.count)): \(s.prefix(6).map(describe).joined(separator: "; "))\(s.count > 6 ? "; …" : "")")
        }
        note("Repairs ↔ ledger `shipped_not_issued` — warranty line with no WARRANTY issue", noIssue)
        note("Repairs ↔ ledger `qty_mismatch` — WARRANTY issue qty differs", mismatch)
        note("Repairs ↔ ledger wrong part issued (the repair's part shows `shipped_not_issued`, the issued one `issued_not_shipped`)", wrong)
    }

    func makeOldPartReceipts() {
        var r = rng(23)
        for ri in 0..<repairs.count where repairs[ri].warranty {
            let rp = repairs[ri]
            for k in 0..<Int(rp.lineCount) {
                let line = repairLines[Int(rp.firstLine) + k]
                guard line.part >= 0, line.oldReturn != 0, parts[Int(line.part)].returnable else { continue }
                let roll = r.below(100)
                let delay: Int
                if roll < 86 { delay = r.between(8, 40) } else if roll < 94 { delay = r.between(41, 75) } else { continue }
                let d = workday(Int(rp.day) + delay)
                let m = move(.oldPartIn, .old, day: d, part: Int(line.part), qty: line.qty, refKind: .repair,
                             ref: ri, group: Int64(rp.dealer))
                if d < month.first {
                    var h = m
                    h.serial = nextSerial()
                    history.append(h)
                } else if d <= month.last {
                    addMove(m)
                }
            }
        }
        if sc.badRows {
            // One old part booked into the new-parts warehouse by mistake (warning, still counts as received).
            if let i = movements.indices.first(where: {
                movements[$0].type == .oldPartIn && movements[$0].day >= Int32(month.first + 10)
            }) {
                movements[i].warehouse = .new
                movements[i].flag = .oldPartInNewWarehouse
                movements[i].group = 2_000_000_001
            }
        }
    }

    static let transferOutRemarks = ["调往华南中转库", "调往华北中转库", "调往西南中转库"]
    static let transferInRemarks = ["华东中转库调回", "总部备件库调入"]

    func makeOtherNewMovements() {
        var r = rng(24)
        let L = sc.orderLines
        func randomDay() -> Int { workday(month.first + r.below(month.count - 1)) }
        func unitsOrKg(_ p: Int, _ maxUnits: Int) -> Int64 {
            parts[p].kg ? Int64(r.between(2, 10)) * 1000 : Int64(r.between(1, max(1, maxUnits))) * 1000
        }
        for _ in 0..<max(3, L / 150) {
            let p = partTable.pick(&r)
            let rem = r.below(Generator.transferOutRemarks.count)
            addMove(move(.transferOut, .new, day: randomDay(), part: p, qty: unitsOrKg(p, 5), ref: rem, group: Int64(rem)))
        }
        for _ in 0..<max(2, L / 200) {
            let p = partTable.pick(&r)
            let rem = r.below(Generator.transferInRemarks.count)
            addMove(move(.transferIn, .new, day: randomDay(), part: p, qty: unitsOrKg(p, 6), cost4: parts[p].cost4,
                         ref: rem, group: Int64(rem)))
        }
        for _ in 0..<max(1, L / 400) {
            let p = partTable.pick(&r)
            addMove(move(.supplierReturn, .new, day: randomDay(), part: p, qty: unitsOrKg(p, 2), group: Int64(parts[p].supplier)))
        }
        for _ in 0..<max(1, L / 600) {
            let p = partTable.pick(&r)
            addMove(move(.scrap, .new, day: randomDay(), part: p, qty: 1000))
        }
        for _ in 0..<max(1, L / 400) {
            let p = partTable.pick(&r)
            addMove(move(.otherIn, .new, day: randomDay(), part: p, qty: unitsOrKg(p, 3), cost4: parts[p].cost4))
        }
        for _ in 0..<max(2, L / 300) {
            let p = partTable.pick(&r)
            addMove(move(.otherOut, .new, day: randomDay(), part: p, qty: unitsOrKg(p, 2)))
        }
    }

    // MARK: opening balances

    func makeOpening() {
        var r = rng(30)
        let n = parts.count
        var issues = [Int64](repeating: 0, count: n)
        var issueEvents = [Int](repeating: 0, count: n)
        var early = [Int64](repeating: 0, count: n)          // net issues before the 20th
        var receipts = [Int64](repeating: 0, count: n)
        for m in movements where m.warehouse == .new {
            let p = Int(m.part)
            if m.type.isReceipt {
                receipts[p] += m.qty
                if Int(m.day) < month.first + 19 { early[p] -= m.qty }
            } else {
                if m.qty > 0 { issues[p] += m.qty; issueEvents[p] += 1 }
                if Int(m.day) < month.first + 19 { early[p] += m.qty }
            }
        }
        // The two parts that go negative: busy, counted in units, with early demand.
        let ranked = (0..<n).filter { !parts[$0].kg && issueEvents[$0] >= 4 && early[$0] >= 4000 }
            .sorted { issueEvents[$0] != issueEvents[$1] ? issueEvents[$0] > issueEvents[$1] : $0 < $1 }
        if ranked.count > 6 {
            negativeA = ranked[2]
            negativeB = ranked[5]
        }
        openNewQty = Array(repeating: 0, count: n)
        openNewValue = Array(repeating: 0, count: n)
        openOldQty = Array(repeating: 0, count: n)
        for p in 0..<n {
            var q: Int64
            if p == negativeA {
                // Short by 2–3 units before the 20th; the first purchase from the 20th on fixes it.
                q = max(0, early[p] - Int64(r.between(2, 3)) * 1000) / 1000 * 1000
            } else if p == negativeB {
                // Short by 2–3 units by month end, no purchase at all.
                q = max(0, issues[p] - receipts[p] - Int64(r.between(2, 3)) * 1000) / 1000 * 1000
            } else if issues[p] > 0 {
                q = issues[p] * Int64(r.between(30, 110)) / 100
                q = parts[p].kg ? q / 10 * 10 : q / 1000 * 1000
            } else {
                q = r.chance(25, 100) ? 0 : (parts[p].kg ? Int64(r.between(1000, 20000)) : Int64(r.between(1, 8)) * 1000)
            }
            openNewQty[p] = q
            let cost = parts[p].cost4 * Int64(r.between(970, 1030)) / 1000
            openNewValue[p] = q == 0 ? 0 : amountCents(qtyMilli: q, price4: cost)
            if parts[p].returnable { openOldQty[p] = Int64(r.between(0, 4)) * 1000 }
        }
    }

    // MARK: old-parts warehouse: batch returns to suppliers, scrap

    func makeOldWarehouseIssues() {
        var r = rng(31)
        let n = parts.count
        let returnDays = [workday(month.first + 11), workday(month.first + 25)]
        // Receipts into OLD per part and day, in day order.
        var receipts: [[(day: Int, qty: Int64)]] = Array(repeating: [], count: n)
        for m in movements where m.warehouse == .old && m.type.isReceipt {
            receipts[Int(m.part)].append((Int(m.day), m.qty))
        }
        var stockAfterReturns = [Int64](repeating: 0, count: n)
        for p in 0..<n where parts[p].returnable {
            var returned: Int64 = 0
            for rd in returnDays {
                var s = openOldQty[p] - returned
                for e in receipts[p] where e.day <= rd { s += e.qty }
                let q = s * 8 / 10 / 1000 * 1000
                if q >= 1000 {
                    addMove(move(.supplierReturn, .old, day: rd, part: p, qty: q, group: Int64(parts[p].supplier)))
                    returned += q
                }
            }
            var s = openOldQty[p] - returned
            for e in receipts[p] { s += e.qty }
            stockAfterReturns[p] = s
        }
        let scrapDay = workday(month.last - 3) <= month.last ? workday(month.last - 3) : month.last - 3
        var scrapped = 0
        var tries = 0
        let target = max(1, sc.orderLines / 500)
        let returnableParts = (0..<n).filter { parts[$0].returnable }
        while scrapped < target && tries < target * 30 && !returnableParts.isEmpty {
            tries += 1
            let p = returnableParts[r.below(returnableParts.count)]
            // Stock at the scrap day: receipts after it do not count.
            var s = stockAfterReturns[p]
            for e in receipts[p] where e.day > scrapDay { s -= e.qty }
            if s >= 1000 {
                addMove(move(.scrap, .old, day: scrapDay, part: p, qty: 1000))
                stockAfterReturns[p] -= 1000
                scrapped += 1
            }
        }
    }

    // MARK: purchases

    func packRounded(_ q: Int64, _ p: Int) -> Int64 {
        let part = parts[p]
        let pack: Int64
        if part.kg {
            pack = partTemplates[part.template].orderMax >= 20 ? 10_000 : 1_000
        } else if part.cost4 < 150_000 {
            pack = 10_000
        } else if part.cost4 < 1_500_000 {
            pack = 5_000
        } else {
            pack = 1_000
        }
        return max(pack, (q + pack - 1) / pack * pack)
    }

    func purchaseCost(_ p: Int, _ r: inout Rng) -> Int64 {
        var c = parts[p].cost4 * Int64(r.between(940, 1080)) / 1000
        if r.chance(65, 100) { c = divRound(c, 100) * 100 }
        return max(1, c)
    }

    func planPurchases() {
        var r = rng(40)
        let n = parts.count
        // Scheduled replenishment early in the month for part of the range.
        var issues = [Int64](repeating: 0, count: n)
        var events = [Int](repeating: 0, count: n)
        for m in movements where m.warehouse == .new && !m.type.isReceipt && m.qty > 0 {
            issues[Int(m.part)] += m.qty
            events[Int(m.part)] += 1
        }
        // Busy parts get weekly deliveries, each at its own unit cost.
        for p in 0..<n where issues[p] > 0 && p != negativeA && p != negativeB && r.chance(85, 100) {
            let k = min(5, 1 + events[p] / 6)
            for i in 0..<k {
                let d = workday(month.first + 2 + 7 * i + r.below(4))
                if d > month.last { break }
                addMove(move(.purchase, .new, day: d, part: p,
                             qty: packRounded(issues[p] * Int64(r.between(20, 45)) / 100 / Int64(k), p),
                             cost4: purchaseCost(p, &r), group: Int64(parts[p].supplier)))
            }
        }
        // Per-part NEW events, bucketed (CSR) and walked day by day: receipts first, then issues.
        var counts = [Int](repeating: 0, count: n + 1)
        for m in movements where m.warehouse == .new { counts[Int(m.part) + 1] += 1 }
        for i in 0..<n { counts[i + 1] += counts[i] }
        var fill = counts
        var idx = [Int32](repeating: 0, count: movements.count)
        for (i, m) in movements.enumerated() where m.warehouse == .new {
            idx[fill[Int(m.part)]] = Int32(i)
            fill[Int(m.part)] += 1
        }
        let recoverDay = month.first + 19
        var evs: [Int32] = []
        for p in 0..<n {
            let lo = counts[p], hi = counts[p + 1]
            if p == negativeB { continue }
            evs.removeAll(keepingCapacity: true)
            evs.append(contentsOf: idx[lo..<hi])
            evs.sort { a, b in
                let ma = movements[Int(a)], mb = movements[Int(b)]
                return ma.day != mb.day ? ma.day < mb.day : a < b
            }
            var remaining: Int64 = 0
            for e in evs where !movements[Int(e)].type.isReceipt && movements[Int(e)].qty > 0 { remaining += movements[Int(e)].qty }
            var s = openNewQty[p]
            var recovered = p != negativeA
            var i = 0
            while i < evs.count {
                let d = Int(movements[Int(evs[i])].day)
                var rec: Int64 = 0, iss: Int64 = 0, back: Int64 = 0
                var j = i
                while j < evs.count && Int(movements[Int(evs[j])].day) == d {
                    let m = movements[Int(evs[j])]
                    if m.type.isReceipt { rec += m.qty } else if m.qty > 0 { iss += m.qty } else { back -= m.qty }
                    j += 1
                }
                s += rec
                if !recovered && d >= recoverDay && s - iss < 0 {
                    let q = packRounded(iss - s + remaining / 2, p)
                    addMove(move(.purchase, .new, day: d, part: p, qty: q, cost4: purchaseCost(p, &r),
                                 group: Int64(parts[p].supplier), flag: .emergency))
                    s += q
                    recovered = true
                } else if recovered && s - iss < 0 {
                    let short = iss - s
                    let lot = max(short, remaining * Int64(r.between(40, 80)) / 100)
                    let q = packRounded(lot, p)
                    let pd = max(month.first, d - r.between(0, 3))
                    addMove(move(.purchase, .new, day: pd, part: p, qty: q, cost4: purchaseCost(p, &r),
                                 group: Int64(parts[p].supplier), flag: pd == d ? .emergency : .normal))
                    s += q
                }
                s = s - iss + back
                remaining -= iss
                i = j
            }
            if !recovered && s < 0 {
                let q = packRounded(-s + 2000, p)
                addMove(move(.purchase, .new, day: max(recoverDay, month.first), part: p, qty: q,
                             cost4: purchaseCost(p, &r), group: Int64(parts[p].supplier), flag: .emergency))
            }
        }
    }

    /// A receipt posted at the wrong cost, reversed (红冲) and re-entered the same day.
    func makePurchaseReversals() {
        var r = rng(41)
        let purchases = movements.indices.filter {
            movements[$0].type == .purchase && movements[$0].part != Int32(negativeA) && movements[$0].part != Int32(negativeB)
        }
        guard !purchases.isEmpty else { return }
        let n = max(1, sc.orderLines / 100_000)
        var group: Int64 = 1_000_000_000
        var described: [String] = []
        for _ in 0..<n {
            let orig = movements[purchases[r.below(purchases.count)]]
            group += 2
            var rev = orig
            rev.qty = -orig.qty
            rev.flag = .reversal
            rev.group = group
            addMove(rev)
            var fixed = orig
            fixed.cost4 = max(1, divRound(orig.cost4 * 97, 100))
            fixed.flag = .repost
            fixed.group = group + 1
            addMove(fixed)
            described.append("part \(parts[Int(orig.part)].no) on \(Cal.iso(Int(orig.day)))")
        }
        findings.append("PURCHASE reversed (红冲, negative qty at the original unit_cost) and re-entered at the right cost the same day (\(n)): \(described.prefix(6).joined(separator: "; "))")
    }

    // MARK: documents, ledger walk, count

    func sortAndNumber(_ list: inout [Movement]) -> Int {
        let rank: [Int] = {
            let sorted = MoveType.allCases.sorted { $0.prefix < $1.prefix }
            var a = [Int](repeating: 0, count: MoveType.allCases.count)
            for (i, t) in sorted.enumerated() { a[t.rawValue] = i }
            return a
        }()
        list.sort { a, b in
            if a.day != b.day { return a.day < b.day }
            let ra = rank[a.type.rawValue], rb = rank[b.type.rawValue]
            if ra != rb { return ra < rb }
            if a.group != b.group { return a.group < b.group }
            return a.serial < b.serial
        }
        var maxSeq = 0
        var seq = 0
        for i in list.indices {
            let m = list[i]
            if i == 0 || list[i - 1].day != m.day || list[i - 1].type != m.type {
                seq = 1
            } else if list[i - 1].group != m.group {
                seq += 1
            }
            list[i].docSeq = Int32(seq)
            maxSeq = max(maxSeq, seq)
        }
        return maxSeq
    }

    func assignDocumentNumbers() {
        let a = sortAndNumber(&movements)
        let b = sortAndNumber(&history)
        docWidth = max(4, String(max(a, b)).count)
    }

    func docNo(_ m: Movement) -> String {
        m.type.prefix + Cal.compact(Int(m.day)) + pad(Int(m.docSeq), docWidth)
    }

    /// The SPEC §4.2 walk: by doc_date; on one date receipts before issues; then file order.
    func walkLedger() {
        let n = parts.count
        var q: [[Int64]] = [openNewQty, openOldQty]
        var minQ: [[Int64]] = [openNewQty, openOldQty]
        var firstNeg: [[Int]] = [Array(repeating: -1, count: n), Array(repeating: -1, count: n)]
        var i = 0
        while i < movements.count {
            let d = movements[i].day
            var j = i
            while j < movements.count && movements[j].day == d { j += 1 }
            for pass in 0..<2 {
                for k in i..<j {
                    let m = movements[k]
                    if m.type.isReceipt != (pass == 0) { continue }
                    let w = Int(m.warehouse.rawValue), p = Int(m.part)
                    q[w][p] += m.type.isReceipt ? m.qty : -m.qty
                    if q[w][p] < minQ[w][p] { minQ[w][p] = q[w][p] }
                    if q[w][p] < 0 && firstNeg[w][p] < 0 { firstNeg[w][p] = Int(d) }
                }
            }
            i = j
        }
        bookNew = q[0]
        bookOld = q[1]
        for w in 0..<2 {
            for p in 0..<n where firstNeg[w][p] >= 0 {
                negativeReport.append((Warehouse(rawValue: UInt8(w))!, p, firstNeg[w][p], minQ[w][p]))
            }
        }
    }

    func location(_ wh: Warehouse, _ p: Int, _ k: Int) -> String {
        if wh == .old {
            return "J-" + pad((p * 7 + k * 3) % 20 + 1, 2) + "-" + pad(p % 4 + 1, 2)
        }
        let zone = k == 0 ? categoryZones[partTemplates[parts[p].template].category] : "E"
        return zone + "-" + pad((p * 7 + k * 11) % 40 + 1, 2) + "-" + pad((p + k) % 5 + 1, 2)
    }

    func makeCounts() {
        var r = rng(50)
        let n = parts.count
        var variance = [Int64](repeating: 0, count: n)
        var oldVariance = [Int64](repeating: 0, count: n)
        var skip = Set<Int>()
        var notes: [String] = []
        let candidates = (0..<n).filter { bookNew[$0] >= 3000 && $0 != negativeA && $0 != negativeB }
        let nVar = max(2, n / 60)
        var used = Set<Int>()
        func pickCandidate(_ pool: [Int], _ pred: (Int) -> Bool = { _ in true }) -> Int? {
            for _ in 0..<200 where !pool.isEmpty {
                let p = pool[r.below(pool.count)]
                if !used.contains(p) && pred(p) { used.insert(p); return p }
            }
            return nil
        }
        for k in 0..<nVar {
            if let p = pickCandidate(candidates, { !self.parts[$0].kg }) {
                variance[p] = Int64(r.between(1, 3)) * 1000
                if k < 3 { notes.append("NEW \(parts[p].no) surplus +\(variance[p] / 1000)") }
            }
        }
        for k in 0..<(nVar + 1) {
            if let p = pickCandidate(candidates, { !self.parts[$0].kg }) {
                variance[p] = -Int64(r.between(1, 2)) * 1000
                if k < 3 { notes.append("NEW \(parts[p].no) shortage \(variance[p] / 1000)") }
            }
        }
        if let p = pickCandidate(candidates, { self.parts[$0].kg && self.bookNew[$0] > 2000 }) {
            variance[p] = -350
            notes.append("NEW \(parts[p].no) (\(parts[p].name), kg) shortage -0.350")
        }
        if let p = pickCandidate(candidates) {
            skip.insert(p)
            notes.append("NEW \(parts[p].no) not counted (`not_counted`, book \(qtyText(bookNew[p], kg: parts[p].kg)))")
        }
        var found = -1
        if let p = (0..<n).first(where: { bookNew[$0] == 0 && openNewQty[$0] == 0 && !used.contains($0) && !parts[$0].kg }) {
            found = p
            notes.append("NEW \(parts[p].no) found on the shelf with book 0 (surplus +2)")
        }
        let oldCandidates = (0..<n).filter { bookOld[$0] >= 2000 }
        if let p = pickCandidate(oldCandidates) {
            oldVariance[p] = -1000
            notes.append("OLD \(parts[p].no) shortage -1")
        }
        if let p = pickCandidate(oldCandidates) {
            oldVariance[p] = 1000
            notes.append("OLD \(parts[p].no) surplus +1")
        }
        if negativeB >= 0 {
            notes.append("NEW \(parts[negativeB].no) book is negative at month end, counted 0 (surplus)")
        }
        for p in 0..<n {
            if skip.contains(p) { continue }
            var c = bookNew[p] + variance[p]
            if p == found { c = 2000 }
            if bookNew[p] == 0 && p != found { continue }
            if c < 0 { c = 0 }
            emitCount(.new, p, c, &r)
        }
        for p in 0..<n where bookOld[p] != 0 {
            emitCount(.old, p, max(0, bookOld[p] + oldVariance[p]), &r)
        }
        let surplus = variance.filter { $0 > 0 }.count, shortage = variance.filter { $0 < 0 }.count
        let split = countRows.count - Set(countRows.map { Int($0.warehouse.rawValue) * n + Int($0.part) }).count
        findings.append("Stock count on \(Cal.iso(month.last)) of NEW and OLD (\(countRows.count) rows; some parts on 2–3 locations, \(split) extra location rows): \(surplus) deliberate surpluses and \(shortage) shortages in NEW, e.g. " + notes.joined(separator: "; "))
    }

    func emitCount(_ wh: Warehouse, _ p: Int, _ qty: Int64, _ r: inout Rng) {
        let counter = (wh == .old ? 6 : partTemplates[parts[p].template].category * 2) + r.below(2)
        let unit: Int64 = parts[p].kg ? 1 : 1000
        if qty >= 2 * unit && r.chance(15, 100) {
            let k = qty >= 6 * unit && r.chance(30, 100) ? 3 : 2
            var left = qty
            for i in 0..<k {
                var part = i == k - 1 ? left : (qty / Int64(k)) / unit * unit
                if part <= 0 { part = unit }
                if part > left { part = left }
                left -= part
                countRows.append(CountRow(warehouse: wh, location: location(wh, p, i), part: Int32(p), qty: part, counter: counter))
                if left <= 0 { break }
            }
        } else {
            countRows.append(CountRow(warehouse: wh, location: location(wh, p, 0), part: Int32(p), qty: qty, counter: counter))
        }
    }

    /// Old parts still outstanding at month end, by age bucket (for the README).
    func computeOutstanding() {
        var received: [Int: Int64] = [:]         // key: repair * parts + part
        let np = parts.count
        for m in movements where m.type == .oldPartIn && m.refKind == .repair { received[Int(m.ref) * np + Int(m.part), default: 0] += m.qty }
        for m in history where m.type == .oldPartIn && m.refKind == .repair { received[Int(m.ref) * np + Int(m.part), default: 0] += m.qty }
        for ri in 0..<repairs.count where repairs[ri].warranty {
            let rp = repairs[ri]
            for k in 0..<Int(rp.lineCount) {
                let line = repairLines[Int(rp.firstLine) + k]
                guard line.part >= 0, line.oldReturn != 0 else { continue }
                let got = received[ri * np + Int(line.part)] ?? 0
                if got >= line.qty { continue }
                let age = month.last - Int(rp.day)
                outstandingBuckets[age <= 30 ? 0 : age <= 60 ? 1 : age <= 90 ? 2 : 3] += 1
            }
        }
    }
}

extension String {
    func replacingAll(_ target: String, _ with: String) -> String {
        replacing(target, with: with)
    }
}

/// A CSV field as bytes, quoted when needed (RFC 4180).
func csvEscaped(_ s: String) -> [UInt8] {
    var needs = false
    for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { needs = true; break }
    if !needs { return Array(s.utf8) }
    var out: [UInt8] = [0x22]
    for b in s.utf8 {
        if b == 0x22 { out.append(0x22) }
        out.append(b)
    }
    out.append(0x22)
    return out
}
