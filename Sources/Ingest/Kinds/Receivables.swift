import Core

/// receivables — open items brought forward (期初应收明细), keyed by (as_of, doc_type, doc_no,
/// doc_date): an order invoiced in two months has two items with one doc_no (SPEC §8.4).
/// Fields ordered by size (see KindRow.swift).
public struct ReceivableItem: Sendable, Equatable {
    public var docNo: String
    public var dealerId: String
    /// invoice > 0, credit < 0, payment ≠ 0 (a refund not absorbed is > 0).
    public var openAmount: Money
    public var ref: RowRef
    public var asOf: Day
    public var docDate: Day
    public var dueDate: Day
    public var docType: DocType

    init(asOf: Day, docNo: String, docType: DocType, docDate: Day, dueDate: Day, dealerId: String, openAmount: Money, ref: RowRef) {
        (self.asOf, self.docNo, self.docType, self.docDate, self.dueDate) = (asOf, docNo, docType, docDate, dueDate)
        (self.dealerId, self.openAmount, self.ref) = (dealerId, openAmount, ref)
    }
}

/// A receivables item's type (SPEC §8.4), in the order documents of a day are walked.
public enum DocType: String, Sendable, CaseIterable {
    case invoice, credit, payment
    public var label: String {
        switch self {
        case .invoice: return "发票"
        case .credit: return "贷项"
        case .payment: return "收款"
        }
    }
}

extension ReceivableItem: KindRow {
    static var kind: InputKind { .receivables }
    var key: RowKey { .four(asOf.description, docType.rawValue, docNo, docDate.description) }
    static let keyColumn = "doc_no"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) throws -> ReceivableItem {
        guard let docType = p.docType("doc_type") else { preconditionFailure("doc_type is required") }
        let amount = p.money("open_amount")!
        // The sign depends on the type: a rule between fields, after the column checks (SPEC §6).
        let admitted: Bool
        let expected: String
        switch docType {
        case .invoice: (admitted, expected) = (amount.cents > 0, "> 0 for an invoice")
        case .credit: (admitted, expected) = (amount.cents < 0, "< 0 for a credit")
        case .payment: (admitted, expected) = (amount.cents != 0, "≠ 0 for a payment")
        }
        guard admitted else {
            throw RowFailure(column: "open_amount", code: .wrongSign, message: "open_amount is \(amount); expected a number \(expected)")
        }
        let item = ReceivableItem(asOf: p.date("as_of")!, docNo: p.text("doc_no"), docType: docType, docDate: p.date("doc_date")!,
                                  dueDate: p.date("due_date")!, dealerId: p.text("dealer_id"), openAmount: amount, ref: ref)
        context.checkDealer(item.dealerId, into: &warnings)
        return item
    }

    static func rows(in dataset: Dataset) -> [ReceivableItem] { dataset.receivables }
    static func append(_ row: consuming ReceivableItem, to dataset: inout Dataset) { dataset.receivables.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [ReceivableItem]) -> Void) { body(&dataset.receivables) }
    static func finish(_ dataset: inout Dataset) {}
    func isSame(as first: ReceivableItem) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
