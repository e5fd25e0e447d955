import Core

/// fleet — units in service per product model and month, keyed by (product_model, month).
public struct FleetEntry: Sendable, Equatable {
    public var productModel: String
    public var month: Month
    public var units: Int64
}

extension FleetEntry: KindRow {
    static var kind: InputKind { .fleet }
    var key: RowKey { .two(productModel, month.description) }
    static let keyColumn = "product_model"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) -> FleetEntry {
        guard let month = p.month("month"), let units = p.integer("units") else {
            preconditionFailure("month and units are required")
        }
        return FleetEntry(productModel: p.text("product_model"), month: month, units: units)
    }

    static func rows(in dataset: Dataset) -> [FleetEntry] { dataset.fleetRows }
    static func append(_ row: consuming FleetEntry, to dataset: inout Dataset) { dataset.fleetRows.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [FleetEntry]) -> Void) { body(&dataset.fleetRows) }
    static func finish(_ dataset: inout Dataset) {
        dataset.fleet = Dictionary(uniqueKeysWithValues: dataset.fleetRows.map {
            (Dataset.FleetKey(productModel: $0.productModel, month: $0.month), $0.units)
        })
        dataset.fleetRows = []
    }
}
