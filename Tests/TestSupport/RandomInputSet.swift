import Foundation

/// A small random but plausible month of ERP exports (2026-10), with now and then a bad row: an exact
/// duplicate order line, an order with a negative quantity, a movement with a non-number quantity or a
/// conflicting key, unknown dealers and parts, a movement dated in September. Receivables: dealers with
/// and without credit terms, opening items of every type (some as of another month, one of an unknown
/// type), payments partial and in full, refunds, payments naming no order or another dealer's.
public struct RandomInputSet {
    public private(set) var files: [String: String] = [:]
    /// Data rows written per file.
    public private(set) var dataRows: [String: Int] = [:]

    public init(seed: UInt64) {
        var g = SplitMix64(seed: seed)
        func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &g) < p }
        func pick<T>(_ list: [T]) -> T { list[int(0...list.count - 1)] }
        func decimal(_ cents: Int) -> String { "\(cents / 100).\(String(format: "%02d", cents % 100))" }
        func quantity() -> String { chance(0.2) ? "\(int(1...9)).\(pick(["5", "25", "125"]))" : "\(int(1...12))" }
        func day(_ from: Int = 1) -> String { String(format: "2026-10-%02d", int(from...31)) }

        let partNos = (1...int(3...6)).map { String(format: "P%02d", $0) }
        let dealerIds = (1...int(2...4)).map { String(format: "D%02d", $0) }
        let faultCodes = ["E1", "E4", "P0", "F2"]
        let models = ["KFR-35GW", "KFR-72LW", "KFR-26GW"]
        let names = ["压缩机", "四通阀", "遥控器", "过滤网", "电机", "主板", "制冷剂R32"]

        add("parts.csv", "part_no,part_name,spec,unit,category,list_price,supplier", partNos.enumerated().map { i, p in
            "\(p),\(names[i % names.count]),S-\(i),\(pick(["个", "台", "kg"])),\(pick(["制冷件", "电器件", "辅料"])),\(decimal(int(100...200_000))),\(pick(["甲供应商", "乙供应商", "丙供应商"]))"
        })
        let regions = dealerIds.map { _ in pick(["华东", "华南", "华北"]) }
        add("faults.csv", "fault_code,fault_category,description", faultCodes.map { "\($0),\(pick(["制冷", "电气", "噪声"])),故障\($0)" })
        add("fleet.csv", "product_model,month,units", models.flatMap { m in ["2026-09", "2026-10"].map { "\(m),\($0),\(int(100...5000))" } })

        add("opening-2026-10.csv", "warehouse,part_no,qty,value,as_of", partNos.filter { _ in chance(0.7) }.map { p in
            let qty = int(0...20)
            return "NEW,\(p),\(qty),\(decimal(qty * int(100...50_000))),2026-10-01"
        } + (chance(0.5) ? ["OLD,\(partNos[0]),\(int(0...3)),0.00,2026-10-01"] : []))

        let orderNos = (1...int(4...12)).map { "SO\(1000 + $0)" }
        let repairNos = (1...int(3...8)).map { "R\(100 + $0)" }
        var movements: [String] = []
        for i in 1...int(8...30) {
            let type = pick(["PURCHASE", "TRANSFER_IN", "DEALER_RETURN", "OLD_PART_IN", "OTHER_IN",
                             "SALE", "WARRANTY", "TRANSFER_OUT", "SUPPLIER_RETURN", "SCRAP", "OTHER_OUT"])
            let receipt = ["PURCHASE", "TRANSFER_IN", "DEALER_RETURN", "OLD_PART_IN", "OTHER_IN"].contains(type)
            let qty = (type == "PURCHASE" && chance(0.1) ? "-" : "") + quantity()
            let cost = receipt && type != "OLD_PART_IN" ? decimal(int(100...60_000)) : ""
            let ref = type == "SALE" ? pick(orderNos) : type == "WARRANTY" ? pick(repairNos) : ""
            let part = chance(0.05) ? "PX9" : pick(partNos)
            let date = chance(0.05) ? "2026-09-30" : day()
            movements.append("MV\(i),1,\(date),\(type == "OLD_PART_IN" ? "OLD" : "NEW"),\(part),\(type),\(qty),\(cost),\(ref)")
        }
        if chance(0.4) { movements.append("MVX,1,\(day()),NEW,\(pick(partNos)),SALE,abc,,") }
        if chance(0.4) { movements.append("MV1,1,\(day()),NEW,\(pick(partNos)),SCRAP,99,,") }    // MV1/1 again, other content
        add("movements-2026-10.csv", "doc_no,line_no,doc_date,warehouse,part_no,move_type,qty,unit_cost,ref_no", movements)

        add("counts-2026-10.csv", "count_date,warehouse,location,part_no,counted_qty,counter",
            partNos.enumerated().filter { _ in chance(0.6) }.map { i, p in "2026-10-31,NEW,L\(i),\(p),\(quantity()),张三" })

        var orders: [String] = [], orderDealer: [(order: String, dealer: String)] = []
        for no in orderNos {
            let date = chance(0.1) ? String(format: "2026-09-%02d", int(20...30)) : day()
            let dealer = chance(0.05) ? "D99" : pick(dealerIds)
            orderDealer.append((no, dealer))
            for line in 1...int(1...2) {
                let status = pick(["open", "shipped", "cancelled", "未发货", "已发货"])
                let shipped = status == "shipped" || status == "已发货"
                let ship = shipped ? day(date.hasPrefix("2026-10") ? Int(date.suffix(2))! : 1) : ""
                orders.append("\(no),\(line),\(date),\(dealer),\(pick(partNos)),\(quantity()),\(decimal(int(100...200_000))),,\(pick(["phone", "qq", "fax"])),\(status),\(ship)")
            }
        }
        if chance(0.5) { orders.append(orders[int(0...orders.count - 1)]) }                        // an exact duplicate
        if chance(0.4) { orders.append("SO999,1,\(day()),\(pick(dealerIds)),\(pick(partNos)),-2,10.00,,phone,open,") }
        if chance(0.5) {
            let cut = int(1...orders.count - 1)
            add("orders-2026-10-a.csv", Self.ordersHeader, Array(orders[..<cut]))
            add("orders-2026-10-b.csv", Self.ordersHeader, Array(orders[cut...]))
        } else {
            add("orders-2026-10.csv", Self.ordersHeader, orders)
        }

        add("repairs-2026-10.csv", "repair_no,line_no,repair_date,dealer_id,product_model,serial_no,fault_code,fault_desc,part_no,qty,warranty,old_part_return,labor_cost,parts_cost",
            repairNos.map { no in
                let part = chance(0.1) ? "" : pick(partNos)
                return "\(no),1,\(day()),\(pick(dealerIds)),\(pick(models)),SN\(no),\(pick(faultCodes)),不制冷,\(part),\(part.isEmpty ? "" : quantity()),\(pick(["Y", "N", "是", "否"])),\(pick(["Y", "N", ""])),\(decimal(int(0...30_000))),\(decimal(int(0...20_000)))"
            })

        // The receivables' inputs from a generator of their own, so that the sets above stay as they were.
        var h = SplitMix64(seed: seed &* 31)
        func r(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &h) }
        func draw<T>(_ list: [T]) -> T { list[r(0...list.count - 1)] }
        func date(from: Int, to: Int) -> String {   // days from 2026-10-01 (negative: before)
            let start = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
                                       year: 2026, month: 10, day: 1).date!
            let d = start.addingTimeInterval(Double(r(from...to)) * 86_400)
            let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: d)
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        add("dealers.csv", "dealer_id,dealer_name,region,credit_days,credit_limit", zip(dealerIds, regions).map { id, region in
            "\(id),网点\(id),\(region),\(r(1...3) == 1 ? "" : "\(r(0...60))"),\(r(1...3) == 1 ? "" : decimal(r(0...300_000)))"
        })
        var opening: [String] = []
        for n in 1...r(3...10) {
            let type = draw(["invoice", "invoice", "invoice", "credit", "payment"])
            let docDate = date(from: -200, to: -1), due = type == "invoice" ? date(from: -180, to: 45) : docDate
            let cents = r(1...150_000) * (type == "invoice" || (type == "payment" && r(1...5) == 1) ? 1 : -1)
            let amount = (cents < 0 ? "-" : "") + decimal(abs(cents))
            let asOf = r(1...8) == 1 ? "2026-09-01" : "2026-10-01"
            opening.append("\(asOf),\(type == "invoice" ? "SO\(800 + n)" : "OP\(n)"),\(type),\(docDate),\(due),\(draw(dealerIds)),\(amount)")
        }
        if r(1...3) == 1 { opening.append("2026-10-01,X1,voucher,2026-09-01,2026-09-01,\(draw(dealerIds)),10.00") }
        add("receivables-2026-10.csv", "as_of,doc_no,doc_type,doc_date,due_date,dealer_id,open_amount", opening)
        var paymentLines: [String] = []
        for n in 1...r(2...8) {
            let (order, dealer) = draw(orderDealer)
            let payer = r(1...6) == 1 ? draw(dealerIds) : dealer      // now and then another dealer's order
            let ref = r(1...4) == 1 ? "" : r(1...5) == 1 ? "SO\(800 + r(1...10))" : order
            let paid = r(1...8) == 1 ? "2026-09-\(r(10...30))" : date(from: 0, to: 30)
            for line in 1...r(1...2) {
                let cents = r(1...120_000) * (r(1...6) == 1 ? -1 : 1)   // a refund now and then
                paymentLines.append("PY\(n),\(line),\(paid),\(payer),\((cents < 0 ? "-" : "") + decimal(abs(cents))),\(draw(["bank", "cash"])),\(line == 1 ? ref : "")")
            }
        }
        add("payments-2026-10.csv", "payment_no,line_no,payment_date,dealer_id,amount,method,ref_no", paymentLines)
    }

    public static let ordersHeader = "order_no,line_no,order_date,dealer_id,part_no,qty,unit_price,amount,channel,status,ship_date"

    private mutating func add(_ name: String, _ header: String, _ rows: [String]) {
        files[name] = ([header] + rows).joined(separator: "\n") + "\n"
        dataRows[name] = rows.count
    }
}
