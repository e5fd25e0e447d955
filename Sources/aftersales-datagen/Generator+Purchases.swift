// Purchases sized to keep stock from going negative, and their reversals.

extension Generator {

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
}
