// The movements, opening and count exports.

extension Generator {
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
}
