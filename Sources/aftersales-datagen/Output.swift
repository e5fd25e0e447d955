// Writes the generated month as the ERP's CSV exports, with the header styles, encodings
// and line ends real exports come in, plus (demo) the deliberate bad rows.

struct FileStat {
    var name: String
    var kind: String
    var rows: Int
    var bytes: Int
    var format: String
}

extension Generator {
    static let statusLabels = ["未发货", "已发货", "已取消"]

    func write(to dir: String) throws -> [FileStat] {
        try makeDirectory(dir)
        var stats: [FileStat] = []
        func done(_ w: CSVWriter, _ kind: String, _ format: String) throws {
            try w.close()
            stats.append(FileStat(name: w.name, kind: kind, rows: w.rows, bytes: w.bytesWritten, format: format))
        }
        try done(writeParts(dir), "parts", "UTF-8, LF, Chinese labels")
        try done(writeDealers(dir), "dealers", "GB18030, CRLF, Chinese labels, extra columns 省份/联系电话, credit terms and 邮箱 partly blank")
        for w in try writeOrders(dir) { try done(w, "orders", "UTF-8, LF, Chinese labels, extra column 配件名称, status as label") }
        try done(writeMovements(dir, name: "movements-\(month.text).csv", list: movements, bom: true, crlf: true),
                 "movements", "UTF-8 with BOM, CRLF, canonical ids, no line_no, extra column remark")
        if !history.isEmpty {
            let name = "movements-oldparts-\(repairMonths[0].text)-\(repairMonths[4].text).csv"
            try done(writeMovements(dir, name: name, list: history, bom: false, crlf: false),
                     "movements", "UTF-8, LF, canonical ids; OLD_PART_IN dated before \(month.text)")
        }
        try done(writeOpening(dir), "opening", "UTF-8, LF, Chinese labels")
        try done(writeCounts(dir), "counts", "UTF-8, LF, canonical ids, dates as YYYY/M/D")
        for w in try writeRepairs(dir) { try done(w, "repairs", "UTF-8, LF, Chinese labels, booleans 是/否") }
        try done(writeFaults(dir), "faults", "UTF-8, LF, Chinese labels")
        try done(writeFleet(dir), "fleet", "UTF-8, LF, canonical ids")
        try done(writePayments(dir), "payments", "UTF-8, LF, Chinese labels")
        try done(writeReceivables(dir), "receivables", "UTF-8, LF, Chinese labels, types as labels 发票/贷项/收款")
        return stats
    }

    // MARK: masters

    func writeParts(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "parts.csv")
        w.header(["配件编码", "配件名称", "规格型号", "单位", "配件类别", "销售单价", "供应商"])
        for p in parts {
            w.text(p.no)
            w.text(p.name)
            w.text(p.spec)
            w.text(partTemplates[p.template].unit)
            w.text(categoryNames[partTemplates[p.template].category])
            w.price(p.list4)
            w.text(supplierNames[p.supplier])
            w.endRow()
        }
        return w
    }

    func writeDealers(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "dealers.csv", crlf: true, gb18030: true)
        w.header(["网点编码", "网点名称", "区域", "省份", "联系电话", "信用天数", "信用额度", "邮箱"])
        for d in dealers {
            w.text(d.id)
            w.text(d.name)
            w.text(cities[d.city].region)
            w.text(cities[d.city].province)
            w.text(d.phone)
            if let days = d.creditDays { w.int(days) } else { w.empty() }
            if let limit = d.creditLimit { w.money(limit) } else { w.empty() }
            w.text(d.email)
            w.endRow()
        }
        return w
    }

    func writeFaults(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "faults.csv")
        w.header(["故障代码", "故障类别", "描述"])
        for f in faultCodes.sorted(by: { $0.code < $1.code }) {
            w.text(f.code)
            w.text(f.category)
            w.text(f.description)
            w.endRow()
        }
        return w
    }

    func writeFleet(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "fleet.csv")
        w.header(["product_model", "month", "units"])
        for (mi, pm) in productModels.enumerated() {
            for m in repairMonths {
                w.text(pm.name)
                w.text(m.text)
                w.int(fleetUnits(mi, m))
                w.endRow()
            }
        }
        return w
    }
}
