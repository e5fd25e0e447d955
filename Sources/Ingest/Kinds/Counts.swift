import Core

/// counts — the physical stock count (盘点表), keyed by (count_date, warehouse, location, part_no).
public struct CountLine: Sendable, Equatable {
    public var countDate: Day
    public var warehouse: String
    public var location: String
    public var partNo: String
    public var countedQty: Quantity
    public var counter: String
    /// Where the row was read (nil for a row made in code): what `explain` names.
    public var ref: RowRef? = nil
}

extension CountLine: KindRow {
    static var kind: InputKind { .counts }
    var key: RowKey { .four(countDate.description, warehouse, location, partNo) }
    static let keyColumn = "part_no"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) -> CountLine {
        let row = CountLine(countDate: p.date("count_date")!, warehouse: p.text("warehouse"), location: p.text("location"),
                            partNo: p.text("part_no"), countedQty: p.quantity("counted_qty")!, counter: p.text("counter"), ref: ref)
        context.checkPart(row.partNo, into: &warnings)
        return row
    }

    static func rows(in dataset: Dataset) -> [CountLine] { dataset.counts }
    static func append(_ row: consuming CountLine, to dataset: inout Dataset) { dataset.counts.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [CountLine]) -> Void) { body(&dataset.counts) }
    static func finish(_ dataset: inout Dataset) {}
    func isSame(as first: CountLine) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
