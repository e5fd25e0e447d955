import Core

/// dealers — dealers and service stations (经销商/网点), keyed by dealer_id.
public struct Dealer: Sendable, Equatable {
    public var dealerId: String
    public var name: String
    public var region: String
    /// Days from invoice to due date (SPEC §8.4); nil when blank (the config's default applies).
    public var creditDays: Int64? = nil
    /// nil when blank: no limit.
    public var creditLimit: Money? = nil
    public var email: String = ""
    /// Its row in the dealers file (explain names it for credit_limit); nil for a dealer made in a test.
    public var ref: RowRef? = nil
}

extension Dealer: KindRow {
    static var kind: InputKind { .dealers }
    var key: RowKey { .one(dealerId) }
    static let keyColumn = "dealer_id"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) -> Dealer {
        Dealer(dealerId: p.text("dealer_id"), name: p.text("dealer_name"), region: p.text("region"),
               creditDays: p.integer("credit_days"), creditLimit: p.money("credit_limit"), email: p.text("email"), ref: ref)
    }

    static func rows(in dataset: Dataset) -> [Dealer] { dataset.dealerRows }
    static func append(_ row: consuming Dealer, to dataset: inout Dataset) { dataset.dealerRows.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [Dealer]) -> Void) { body(&dataset.dealerRows) }
    static func finish(_ dataset: inout Dataset) {
        dataset.dealers = Dictionary(uniqueKeysWithValues: dataset.dealerRows.map { ($0.dealerId, $0) })
        dataset.dealerRows = []
    }
}
