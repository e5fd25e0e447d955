// The stock movements that follow from orders and repairs.

extension Generator {

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
}
