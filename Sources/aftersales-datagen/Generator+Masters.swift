// The parts and dealers masters.

extension Generator {

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
}
