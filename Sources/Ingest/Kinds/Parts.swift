import Core

/// parts — the parts master (配件档案), keyed by part_no.
public struct Part: Sendable, Equatable {
    public var partNo: String
    public var name: String
    public var spec: String
    public var unit: String
    public var category: String
    public var listPrice: UnitPrice?
    public var supplier: String
}

extension Part: KindRow {
    static var kind: InputKind { .parts }
    var key: RowKey { .one(partNo) }
    static let keyColumn = "part_no"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) -> Part {
        Part(partNo: p.text("part_no"), name: p.text("part_name"), spec: p.text("spec"), unit: p.text("unit"),
             category: p.text("category"), listPrice: p.price("list_price"), supplier: p.text("supplier"))
    }

    static func rows(in dataset: Dataset) -> [Part] { dataset.partRows }
    static func append(_ row: consuming Part, to dataset: inout Dataset) { dataset.partRows.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [Part]) -> Void) { body(&dataset.partRows) }
    static func finish(_ dataset: inout Dataset) {
        dataset.parts = Dictionary(uniqueKeysWithValues: dataset.partRows.map { ($0.partNo, $0) })
        dataset.partRows = []
    }
}
