import Core

/// The columns of each input kind (SPEC §2.2): canonical id, Chinese label, type, whether required.
/// Columns are validated in this order, so the order is part of the contract (SPEC §6).
public struct ColumnSpec: Sendable {
    public let id: String
    public let label: String
    public let type: FieldType
    public let required: Bool
}

public enum FieldType: Sendable {
    case text
    case date
    /// Quantity, at most 3 decimals.
    case qty(Sign)
    /// Price or unit cost, at most 6 decimals, kept exact.
    case price(Sign)
    /// Money input, at most 6 decimals, rounded to 0.01 when read.
    case money(Sign)
    case bool
    case orderStatus
    case moveType
    /// A whole number (fleet units).
    case integer
    /// `YYYY-MM` (fleet month).
    case month
}

/// The sign rule of a number column; a violation is `wrong_sign`.
public enum Sign: Sendable {
    case any, positive, nonNegative, nonZero

    func admits(_ mantissa: Int128) -> Bool {
        switch self {
        case .any: return true
        case .positive: return mantissa > 0
        case .nonNegative: return mantissa >= 0
        case .nonZero: return mantissa != 0
        }
    }
    var wording: String {
        switch self {
        case .any: return "any number"
        case .positive: return "a number > 0"
        case .nonNegative: return "a number ≥ 0"
        case .nonZero: return "a number ≠ 0"
        }
    }
}

public struct KindSchema: Sendable {
    public let kind: InputKind
    public let columns: [ColumnSpec]
    /// Column id → position (the row builders look columns up by id on every row).
    private let positions: [String: Int]

    init(kind: InputKind, columns: [ColumnSpec]) {
        self.kind = kind
        self.columns = columns
        positions = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.id, $0) })
    }

    public func index(of id: String) -> Int? { positions[id] }
}

private func col(_ id: String, _ label: String, _ type: FieldType, required: Bool = false) -> ColumnSpec {
    ColumnSpec(id: id, label: label, type: type, required: required)
}

extension KindSchema {
    public static func of(_ kind: InputKind) -> KindSchema {
        switch kind {
        case .parts: return parts
        case .dealers: return dealers
        case .orders: return orders
        case .movements: return movements
        case .opening: return opening
        case .counts: return counts
        case .repairs: return repairs
        case .faults: return faults
        case .fleet: return fleet
        }
    }

    static let parts = KindSchema(kind: .parts, columns: [
        col("part_no", "配件编码", .text, required: true),
        col("part_name", "配件名称", .text, required: true),
        col("spec", "规格型号", .text),
        col("unit", "单位", .text),
        col("category", "配件类别", .text),
        col("list_price", "销售单价", .price(.nonNegative)),
        col("supplier", "供应商", .text),
    ])
    static let dealers = KindSchema(kind: .dealers, columns: [
        col("dealer_id", "网点编码", .text, required: true),
        col("dealer_name", "网点名称", .text, required: true),
        col("region", "区域", .text),
    ])
    static let orders = KindSchema(kind: .orders, columns: [
        col("order_no", "订单号", .text, required: true),
        col("line_no", "行号", .text),
        col("order_date", "订单日期", .date, required: true),
        col("dealer_id", "网点编码", .text, required: true),
        col("part_no", "配件编码", .text, required: true),
        col("qty", "数量", .qty(.positive), required: true),
        col("unit_price", "单价", .price(.nonNegative)),
        col("amount", "金额", .money(.nonNegative)),
        col("channel", "订货方式", .text),
        col("status", "状态", .orderStatus, required: true),
        col("ship_date", "发货日期", .date),
    ])
    static let movements = KindSchema(kind: .movements, columns: [
        col("doc_no", "单据号", .text, required: true),
        col("line_no", "行号", .text),
        col("doc_date", "单据日期", .date, required: true),
        col("warehouse", "仓库", .text, required: true),
        col("part_no", "配件编码", .text, required: true),
        col("move_type", "业务类型", .moveType, required: true),
        col("qty", "数量", .qty(.nonZero), required: true),
        col("unit_cost", "单位成本", .price(.nonNegative)),
        col("ref_no", "关联单号", .text),
    ])
    static let opening = KindSchema(kind: .opening, columns: [
        col("warehouse", "仓库", .text, required: true),
        col("part_no", "配件编码", .text, required: true),
        col("qty", "数量", .qty(.any), required: true),
        col("value", "金额", .money(.any), required: true),
        col("as_of", "日期", .date),
    ])
    static let counts = KindSchema(kind: .counts, columns: [
        col("count_date", "盘点日期", .date, required: true),
        col("warehouse", "仓库", .text, required: true),
        col("location", "库位", .text),
        col("part_no", "配件编码", .text, required: true),
        col("counted_qty", "实盘数量", .qty(.nonNegative), required: true),
        col("counter", "盘点人", .text),
    ])
    static let repairs = KindSchema(kind: .repairs, columns: [
        col("repair_no", "维修单号", .text, required: true),
        col("line_no", "行号", .text),
        col("repair_date", "维修日期", .date, required: true),
        col("dealer_id", "网点编码", .text, required: true),
        col("product_model", "机型", .text, required: true),
        col("serial_no", "机号", .text),
        col("fault_code", "故障代码", .text),
        col("fault_desc", "故障描述", .text),
        col("part_no", "更换配件", .text),
        col("qty", "数量", .qty(.positive)),
        col("warranty", "是否三包", .bool, required: true),
        col("old_part_return", "旧件返回", .bool),
        col("labor_cost", "工时费", .money(.nonNegative)),
        col("parts_cost", "配件费", .money(.nonNegative)),
    ])
    static let faults = KindSchema(kind: .faults, columns: [
        col("fault_code", "故障代码", .text, required: true),
        col("fault_category", "故障类别", .text),
        col("description", "描述", .text),
    ])
    static let fleet = KindSchema(kind: .fleet, columns: [
        col("product_model", "机型", .text, required: true),
        col("month", "月份", .month, required: true),
        col("units", "保有量", .integer, required: true),
    ])
}
