import Core

/// faults — the fault-code catalogue, keyed by fault_code.
public struct Fault: Sendable, Equatable {
    public var code: String
    public var category: String
    public var description: String
}

extension Fault: KindRow {
    static var kind: InputKind { .faults }
    var key: RowKey { .one(code) }
    static let keyColumn = "fault_code"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) -> Fault {
        Fault(code: p.text("fault_code"), category: p.text("fault_category"), description: p.text("description"))
    }

    static func rows(in dataset: Dataset) -> [Fault] { dataset.faultRows }
    static func append(_ row: consuming Fault, to dataset: inout Dataset) { dataset.faultRows.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [Fault]) -> Void) { body(&dataset.faultRows) }
    static func finish(_ dataset: inout Dataset) {
        dataset.faults = Dictionary(uniqueKeysWithValues: dataset.faultRows.map { ($0.code, $0) })
        dataset.faultRows = []
    }
}
