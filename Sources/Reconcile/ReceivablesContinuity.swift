import Core
import Ingest

/// An open item whose amount differs between last month's `open-items-<M−1>.csv` and this month's
/// receivables input (SPEC §8.4 `receivables_continuity`); 0 on the side that lacks it.
public struct OpenItemDifference: Sendable, Equatable {
    public let dealerId: String
    public let docType: DocType
    public let docNo: String
    public let docDate: Day
    public let previousOpenAmount: Money
    public let openAmount: Money
}

extension Reconciliation {
    /// The items of `previous` (last month's open items as this tool wrote them) and of `receivables`
    /// with as_of = the 1st of `month`, keys from either side, whose open amounts differ; in (dealer_id,
    /// doc_type, doc_no, doc_date) order.
    public static func receivablesContinuity(month: Month, receivables: [ReceivableItem], previous: [ReceivableItem])
        -> [OpenItemDifference] {
        struct Key: Hashable { let dealerId: String, docType: DocType, docNo: String, docDate: Day }
        func amounts(_ items: some Sequence<ReceivableItem>) -> [Key: Money] {
            var amounts: [Key: Money] = [:]
            for item in items {
                amounts[Key(dealerId: item.dealerId, docType: item.docType, docNo: item.docNo, docDate: item.docDate), default: .zero]
                    += item.openAmount
            }
            return amounts
        }
        let before = amounts(previous), now = amounts(receivables.lazy.filter { $0.asOf == month.firstDay })
        let keys = Set(before.keys).union(now.keys).filter { before[$0] != now[$0] }
        return keys.sorted { a, b in
            if a.dealerId != b.dealerId { return a.dealerId < b.dealerId }
            if a.docType != b.docType { return a.docType.rawValue < b.docType.rawValue }
            if a.docNo != b.docNo { return a.docNo < b.docNo }
            return a.docDate < b.docDate
        }.map { key in
            OpenItemDifference(dealerId: key.dealerId, docType: key.docType, docNo: key.docNo, docDate: key.docDate,
                               previousOpenAmount: before[key] ?? .zero, openAmount: now[key] ?? .zero)
        }
    }
}
