// Repair reports of the report month and the five before it.

extension Generator {

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
}
