import Core

/// opening — balances at the start of the period (期初库存), keyed by (as_of, warehouse, part_no).
public struct OpeningBalance: Sendable, Equatable {
    public var warehouse: String
    public var partNo: String
    public var qty: Quantity
    public var value: Money
    public var asOf: Day?
    /// Where the row was read (nil for a row made in code): what `explain` names.
    public var ref: RowRef? = nil
}

extension OpeningBalance: KindRow {
    static var kind: InputKind { .opening }
    var key: RowKey { .three(asOf?.description ?? "", warehouse, partNo) }
    static let keyColumn = "part_no"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) -> OpeningBalance {
        let row = OpeningBalance(warehouse: p.text("warehouse"), partNo: p.text("part_no"), qty: p.quantity("qty")!,
                                 value: p.money("value")!, asOf: p.date("as_of"), ref: ref)
        context.checkPart(row.partNo, into: &warnings)
        return row
    }

    static func rows(in dataset: Dataset) -> [OpeningBalance] { dataset.openings }
    static func append(_ row: consuming OpeningBalance, to dataset: inout Dataset) { dataset.openings.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [OpeningBalance]) -> Void) { body(&dataset.openings) }
    static func finish(_ dataset: inout Dataset) {}
    func isSame(as first: OpeningBalance) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
