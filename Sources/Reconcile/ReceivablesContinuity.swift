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
    /// doc_type, doc_no, doc_date) order. `trace` is `explain`'s tracer (nil for the normal run; a few
    /// hundred items, so not specialized away).
    public static func receivablesContinuity(month: Month, receivables: [ReceivableItem], previous: [ReceivableItem],
                                             trace: CellTrace? = nil) -> [OpenItemDifference] {
        struct Key: Hashable {
            let dealerId: String, docType: DocType, docNo: String, docDate: Day
            var cell: [String] { [dealerId, docType.rawValue, docNo, docDate.description] }
        }
        func amounts(_ items: some Sequence<ReceivableItem>, traced: Bool) -> [Key: Money] {
            var amounts: [Key: Money] = [:]
            for item in items {
                let key = Key(dealerId: item.dealerId, docType: item.docType, docNo: item.docNo, docDate: item.docDate)
                amounts[key, default: .zero] += item.openAmount
                guard traced else { continue }
                trace?.add("receivables_continuity", keys: key.cell, "open_amount", .money(item.openAmount), row: item.ref,
                           used: "as_of=\(item.asOf) open_amount=\(item.openAmount)", allocations: [])
            }
            return amounts
        }
        let before = amounts(previous, traced: false), now = amounts(receivables.lazy.filter { $0.asOf == month.firstDay }, traced: true)
        let keys = Set(before.keys).union(now.keys).filter { before[$0] != now[$0] }
        for key in keys {
            trace?.add("receivables_continuity", keys: key.cell, "prev_open_amount", .money(before[key] ?? .zero), row: nil,
                       used: "last month's open-items file (an output of this tool, not an input row)", allocations: [])
        }
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
