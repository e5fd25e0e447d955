import Core

/// payments — money received from dealers (收款), keyed by (payment_no, line_no) (SPEC §8.4).
/// Fields ordered by size (see KindRow.swift).
public struct PaymentLine: Sendable, Equatable {
    public var paymentNo: String
    /// As read (a whole number), or the row's number within its payment_no when absent (SPEC §2.3).
    public var lineNo: String
    public var dealerId: String
    public var method: String
    /// The order_no it pays; empty when not given.
    public var refNo: String
    /// ≠ 0; negative for a refund or a reversal.
    public var amount: Money
    public var ref: RowRef
    public var paymentDate: Day

    init(paymentNo: String, lineNo: String, paymentDate: Day, dealerId: String, amount: Money, method: String, refNo: String,
         ref: RowRef) {
        (self.paymentNo, self.lineNo, self.paymentDate, self.dealerId) = (paymentNo, lineNo, paymentDate, dealerId)
        (self.amount, self.method, self.refNo, self.ref) = (amount, method, refNo, ref)
    }
}

extension PaymentLine: KindRow {
    static var kind: InputKind { .payments }
    var key: RowKey { .two(paymentNo, lineNo) }
    static let keyColumn = "payment_no"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) -> PaymentLine {
        let line = PaymentLine(paymentNo: p.text("payment_no"), lineNo: p.text("line_no"), paymentDate: p.date("payment_date")!,
                               dealerId: p.text("dealer_id"), amount: p.money("amount")!, method: p.text("method"),
                               refNo: p.text("ref_no"), ref: ref)
        context.checkDealer(line.dealerId, into: &warnings)
        return line
    }

    static func rows(in dataset: Dataset) -> [PaymentLine] { dataset.payments }
    static func append(_ row: consuming PaymentLine, to dataset: inout Dataset) { dataset.payments.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [PaymentLine]) -> Void) { body(&dataset.payments) }
    static func finish(_ dataset: inout Dataset) {}
    func isSame(as first: PaymentLine) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
