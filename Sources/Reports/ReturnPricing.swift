import Core
import Ingest

/// How a DEALER_RETURN line of the month is valued (SPEC §4.4), the one rule the profit report's
/// returns and the receivables report's credit notes share: at the unit price of the first order
/// line (file order) of its (order_no = ref_no, part_no), else at the part's list price with a
/// `return_unmatched` warning. It also knows each order's dealer (its first line's).
struct ReturnPricing {
    /// order_no → the dealer of the order's first line, for every order.
    private(set) var orderDealer = TextGroups<String>()
    private var firstPrice: [OrderPart: UnitPrice] = [:]

    init(month: Month, orders: [OrderLine], movements: [Movement]) {
        let days = month.firstDay...month.lastDay
        // Returns are few, so only the pairs they name are looked for.
        let returned = Set(movements.lazy.filter { $0.type == .dealerReturn && days.contains($0.docDate) }
            .map { OrderPart(orderNo: $0.refNo, partNo: $0.partNo) })
        let returnedOrders = TextGroups<Void>(returned.map(\.orderNo))
        var previousOrder: String?, returnedFrom = false
        forEachPrefetching(orders, prefetch: { orderDealer.prefetch($0.orderNo) }) { line in
            if line.orderNo != previousOrder {   // an order's lines follow each other: looked up once
                previousOrder = line.orderNo
                _ = orderDealer.group(line.orderNo, default: line.dealerId)
                returnedFrom = returnedOrders.group(line.orderNo) != nil
            }
            guard returnedFrom else { return }
            let pair = OrderPart(orderNo: line.orderNo, partNo: line.partNo)
            if returned.contains(pair) && firstPrice[pair] == nil { firstPrice[pair] = line.unitPrice }
        }
    }

    /// The value of the DEALER_RETURN line `m` (> 0 for a return, < 0 for its reversal), the unit price
    /// it is valued at, and the warning when its order has no line for the part.
    func value(of m: Movement, parts: [String: Part]) -> (amount: Money, price: UnitPrice, unmatched: UnmatchedReturn?) {
        if let price = firstPrice[OrderPart(orderNo: m.refNo, partNo: m.partNo)] { return (price.amount(for: m.qty), price, nil) }
        let price = parts[m.partNo]?.listPrice ?? .zero
        return (price.amount(for: m.qty), price, UnmatchedReturn(ref: m.ref, message:
            "DEALER_RETURN of \(m.partNo) refers to order \(m.refNo.isEmpty ? "(none)" : m.refNo), which has no line for that part; priced at list price \(price)"))
    }
}

/// A DEALER_RETURN whose order line was not found: priced at list price, warned about.
public struct UnmatchedReturn: Sendable, Equatable {
    public let ref: RowRef
    public let message: String
}

/// An (order_no, part_no) pair.
private struct OrderPart: Hashable {
    let orderNo: String
    let partNo: String
}
