// The repair reports exports.

extension Generator {
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
