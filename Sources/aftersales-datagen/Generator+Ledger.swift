// Document numbers, the ledger walk, the month-end count and the old parts outstanding.

extension Generator {

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
