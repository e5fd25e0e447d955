// Opening balances, and the old-parts warehouse's returns to suppliers and scrap.

extension Generator {

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
}
