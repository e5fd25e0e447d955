// Dealer parts orders over the month.

extension Generator {

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
}
