/// The nine kinds of input file, known by their file-name prefix (SPEC §2).
public enum InputKind: String, CaseIterable, Sendable, Comparable {
    case parts, dealers, orders, movements, opening, counts, repairs, faults, fleet

    /// Masters are read by every command; the others only when a report needs them.
    public var isMaster: Bool { self == .parts || self == .dealers || self == .faults || self == .fleet }

    /// The canonical column ids of the kind (SPEC §2.2), in schema order. The config's
    /// `columns` and `defaults` may name only these; Ingest's schema has the same ids.
    public var columnIds: [String] {
        switch self {
        case .parts: return ["part_no", "part_name", "spec", "unit", "category", "list_price", "supplier"]
        case .dealers: return ["dealer_id", "dealer_name", "region"]
        case .orders: return ["order_no", "line_no", "order_date", "dealer_id", "part_no", "qty", "unit_price",
                              "amount", "channel", "status", "ship_date"]
        case .movements: return ["doc_no", "line_no", "doc_date", "warehouse", "part_no", "move_type", "qty",
                                 "unit_cost", "ref_no"]
        case .opening: return ["warehouse", "part_no", "qty", "value", "as_of"]
        case .counts: return ["count_date", "warehouse", "location", "part_no", "counted_qty", "counter"]
        case .repairs: return ["repair_no", "line_no", "repair_date", "dealer_id", "product_model", "serial_no",
                               "fault_code", "fault_desc", "part_no", "qty", "warranty", "old_part_return",
                               "labor_cost", "parts_cost"]
        case .faults: return ["fault_code", "fault_category", "description"]
        case .fleet: return ["product_model", "month", "units"]
        }
    }

    public static func < (a: InputKind, b: InputKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
