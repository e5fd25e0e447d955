import Core

/// orders — parts order lines from dealers (配件订单), keyed by (order_no, line_no).
/// Fields ordered by size (see KindRow.swift).
public struct OrderLine: Sendable, Equatable {
    public var orderNo: String
    public var lineNo: String
    public var dealerId: String
    public var partNo: String
    public var channel: String
    public var qty: Quantity
    /// As read, or amount / qty when the file gave only the amount.
    public var unitPrice: UnitPrice {
        get { storedPrice.price! }
        set { storedPrice = StoredPrice(newValue) }
    }
    private var storedPrice: StoredPrice
    /// round2(qty × unit_price), or the file's amount when it gave only the amount.
    public var amount: Money
    public var ref: RowRef
    public var orderDate: Day
    public var shipDate: Day?
    public var status: OrderStatus

    init(orderNo: String, lineNo: String, orderDate: Day, dealerId: String, partNo: String, qty: Quantity, unitPrice: UnitPrice,
         amount: Money, channel: String, status: OrderStatus, shipDate: Day?, ref: RowRef) {
        (self.orderNo, self.lineNo, self.orderDate, self.dealerId, self.partNo) = (orderNo, lineNo, orderDate, dealerId, partNo)
        (self.qty, self.storedPrice, self.amount, self.channel) = (qty, StoredPrice(unitPrice), amount, channel)
        (self.status, self.shipDate, self.ref) = (status, shipDate, ref)
    }
}

public enum OrderStatus: String, Sendable, CaseIterable {
    case open, shipped, cancelled
    public var label: String {
        switch self {
        case .open: return "未发货"
        case .shipped: return "已发货"
        case .cancelled: return "已取消"
        }
    }
}

extension OrderLine: KindRow {
    static var kind: InputKind { .orders }
    var key: RowKey { .two(orderNo, lineNo) }
    static let keyColumn = "order_no"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) throws -> OrderLine {
        let qty = p.quantity("qty")!
        let unitPrice: UnitPrice
        let amount: Money
        switch (p.price("unit_price"), p.money("amount")) {
        case (nil, nil):
            throw RowFailure(column: "unit_price", code: .emptyRequired, message: "unit_price and amount are both empty; at least one is required")
        case (nil, let given?):
            unitPrice = UnitPrice(value: given, per: qty)
            amount = given
        case (let price?, let given):
            unitPrice = price
            guard let computed = price.checkedAmount(for: qty),
                  ExactRange.admits(Int128(computed.cents), scale: 2) else {
                throw RowFailure(column: "unit_price", code: .badNumber,
                                 message: "qty × unit_price (\(qty) × \(price)) is beyond the largest amount accepted, 1,000,000,000,000")
            }
            amount = computed
            if let given, abs(given.cents - amount.cents) > 1 {
                warnings.append(RowWarning(column: "amount", code: .amountMismatch,
                                           message: "amount \(given) differs from qty × unit_price = \(amount); \(amount) is used"))
            }
        }
        guard let status = p.status("status") else { preconditionFailure("status is required") }
        let shipDate = p.date("ship_date")
        if status == .shipped && shipDate == nil {
            throw RowFailure(column: "ship_date", code: .missingShipDate, message: "status is shipped but ship_date is empty")
        }
        let line = OrderLine(orderNo: p.text("order_no"), lineNo: p.text("line_no"), orderDate: p.date("order_date")!,
                             dealerId: p.text("dealer_id"), partNo: p.text("part_no"), qty: qty, unitPrice: unitPrice,
                             amount: amount, channel: p.text("channel"), status: status, shipDate: shipDate, ref: ref)
        context.checkDealer(line.dealerId, into: &warnings)
        context.checkPart(line.partNo, into: &warnings)
        return line
    }

    static func rows(in dataset: Dataset) -> [OrderLine] { dataset.orders }
    static func append(_ row: consuming OrderLine, to dataset: inout Dataset) { dataset.orders.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [OrderLine]) -> Void) { body(&dataset.orders) }
    static func finish(_ dataset: inout Dataset) {}
    func isSame(as first: OrderLine) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
