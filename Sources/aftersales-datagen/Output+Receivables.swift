// The payments and the opening receivables files, with the demo's deliberate bad rows.

extension Generator {
    func writePayments(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "payments-\(month.text).csv")
        w.header(["收款单号", "行号", "收款日期", "网点编码", "金额", "方式", "核销单号"])
        // Demo: after the 5th, 12th and 20th line, a payment with one thing wrong.
        let bad: [Int: (column: String, code: String, what: String)] = sc.badRows ? [
            5: ("amount (金额)", "wrong_sign", "rejected: amount 0.00 (a payment is ≠ 0)"),
            12: ("payment_date (收款日期)", "bad_date", "rejected: impossible date \(month.text)-32"),
            20: ("dealer_id (网点编码)", "empty_required", "rejected: no dealer"),
        ] : [:]
        for (n, p) in paymentLines.enumerated() {
            writePayment(w, p)
            guard let (column, code, what) = bad[n + 1] else { continue }
            var row = p
            row.no = docNo("SK", p.day)
            row.lineNo = 1
            let line = w.nextLine
            switch code {
            case "wrong_sign": row.amount = 0
            case "bad_date":
                for x in [row.no, "1", month.text + "-32", dealers[p.dealer].id, fixedText(p.amount, 2), p.method, ""] { w.text(x) }
                w.endRow()
                badRows.append(BadRow(file: w.name, line: line, column: column, code: code, what: what))
                continue
            default: row.dealer = -1
            }
            writePayment(w, row)
            badRows.append(BadRow(file: w.name, line: line, column: column, code: code, what: what))
        }
        return w
    }

    /// A payment line; dealer −1 writes it without a dealer.
    private func writePayment(_ w: CSVWriter, _ p: PaymentRecord) {
        w.text(p.no)
        w.int(p.lineNo)
        w.date(p.day)
        w.text(p.dealer < 0 ? "" : dealers[p.dealer].id)
        w.money(p.amount)
        w.text(p.method)
        w.text(p.ref)
        w.endRow()
    }

    func writeReceivables(_ dir: String) throws -> CSVWriter {
        let w = try CSVWriter(dir: dir, name: "receivables-\(month.text).csv")
        w.header(["日期", "单据号", "类型", "单据日期", "到期日", "网点编码", "未清金额"])
        func row(_ item: OpenItem, type: String, due: String) {
            for x in [Cal.iso(month.first), item.docNo, type, Cal.iso(item.day), due, dealers[item.dealer].id] { w.text(x) }
            w.money(item.amount)
            w.endRow()
        }
        // Demo: after the 3rd, 8th and 15th item, an item with one thing wrong.
        for (n, item) in openItems.enumerated() {
            row(item, type: item.type.rawValue, due: Cal.iso(item.due))
            guard sc.badRows, [3, 8, 15].contains(n + 1) else { continue }
            var copy = item
            copy.docNo += "-1"
            let line = w.nextLine
            switch n + 1 {
            case 3:
                row(copy, type: "折让", due: Cal.iso(item.due))
                badRows.append(BadRow(file: w.name, line: line, column: "doc_type (类型)", code: "unknown_doc_type",
                                      what: "rejected: type 折让 is not 发票/贷项/收款"))
            case 8:
                copy.amount = -abs(item.amount)
                row(copy, type: OpenItem.DocType.invoice.rawValue, due: Cal.iso(item.due))
                badRows.append(BadRow(file: w.name, line: line, column: "open_amount (未清金额)", code: "wrong_sign",
                                      what: "rejected: an invoice open for \(fixedText(copy.amount, 2)) (must be > 0)"))
            default:
                let previous = month.adding(-1), due = "\(previous.text)-\(previous.count + 1)"
                row(copy, type: item.type.rawValue, due: due)
                badRows.append(BadRow(file: w.name, line: line, column: "due_date (到期日)", code: "bad_date",
                                      what: "rejected: impossible date \(due)"))
            }
        }
        return w
    }
}
