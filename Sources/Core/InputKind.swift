/// The kinds of input file, known by their file-name prefix (SPEC §2), and the columns of each
/// (SPEC §2.2). What Ingest makes of a kind's rows is in Sources/Ingest/Kinds.
public enum InputKind: String, CaseIterable, Sendable, Comparable {
    case parts, dealers, orders, movements, opening, counts, repairs, faults, fleet, payments, receivables

    /// Masters are read by every command; the others only when a report needs them.
    public var isMaster: Bool {
        switch self {
        case .parts, .dealers, .faults, .fleet: return true
        case .orders, .movements, .opening, .counts, .repairs, .payments, .receivables: return false
        }
    }

    /// The canonical column ids, in schema order: all the config's `columns` and `defaults` may name.
    public var columnIds: [String] { columns.map(\.id) }

    /// The kind of the input file `name`: the kind whose name is the longest prefix of it (SPEC §6:
    /// case-sensitive), so that a kind named like another's prefix (`orders`, `orders_x`) is not
    /// misfiled. Nil for a file of no kind.
    public static func of(fileName name: String) -> InputKind? {
        longestPrefix(of: name, among: allCases, \.rawValue)
    }

    public static func < (a: InputKind, b: InputKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Of `candidates`, the one whose `prefix` is the longest that `name` starts with.
func longestPrefix<T>(of name: String, among candidates: [T], _ prefix: (T) -> String) -> T? {
    candidates.filter { name.hasPrefix(prefix($0)) }.max { prefix($0).utf8.count < prefix($1).utf8.count }
}

extension InputKind {
    /// The columns (SPEC §2.2). Rows are validated in this order, so the order is part of the
    /// contract (SPEC §6).
    public var columns: [ColumnSpec] {
        switch self {
        case .parts: return [
            ColumnSpec("part_no", "配件编码", .text, required: true),
            ColumnSpec("part_name", "配件名称", .text, required: true),
            ColumnSpec("spec", "规格型号", .text),
            ColumnSpec("unit", "单位", .text),
            ColumnSpec("category", "配件类别", .text),
            ColumnSpec("list_price", "销售单价", .price(.nonNegative)),
            ColumnSpec("supplier", "供应商", .text),
        ]
        case .dealers: return [
            ColumnSpec("dealer_id", "网点编码", .text, required: true),
            ColumnSpec("dealer_name", "网点名称", .text, required: true),
            ColumnSpec("region", "区域", .text),
            ColumnSpec("credit_days", "信用天数", .integer),
            ColumnSpec("credit_limit", "信用额度", .money(.nonNegative)),
            ColumnSpec("email", "邮箱", .text),
        ]
        case .orders: return [
            ColumnSpec("order_no", "订单号", .text, required: true),
            ColumnSpec("line_no", "行号", .text),
            ColumnSpec("order_date", "订单日期", .date, required: true),
            ColumnSpec("dealer_id", "网点编码", .text, required: true),
            ColumnSpec("part_no", "配件编码", .text, required: true),
            ColumnSpec("qty", "数量", .qty(.positive), required: true),
            ColumnSpec("unit_price", "单价", .price(.nonNegative)),
            ColumnSpec("amount", "金额", .money(.nonNegative)),
            ColumnSpec("channel", "订货方式", .text),
            ColumnSpec("status", "状态", .orderStatus, required: true),
            ColumnSpec("ship_date", "发货日期", .date),
        ]
        case .movements: return [
            ColumnSpec("doc_no", "单据号", .text, required: true),
            ColumnSpec("line_no", "行号", .text),
            ColumnSpec("doc_date", "单据日期", .date, required: true),
            ColumnSpec("warehouse", "仓库", .text, required: true),
            ColumnSpec("part_no", "配件编码", .text, required: true),
            ColumnSpec("move_type", "业务类型", .moveType, required: true),
            ColumnSpec("qty", "数量", .qty(.nonZero), required: true),
            ColumnSpec("unit_cost", "单位成本", .price(.nonNegative)),
            ColumnSpec("ref_no", "关联单号", .text),
        ]
        case .opening: return [
            ColumnSpec("warehouse", "仓库", .text, required: true),
            ColumnSpec("part_no", "配件编码", .text, required: true),
            ColumnSpec("qty", "数量", .qty(.any), required: true),
            ColumnSpec("value", "金额", .money(.any), required: true),
            ColumnSpec("as_of", "日期", .date),
        ]
        case .counts: return [
            ColumnSpec("count_date", "盘点日期", .date, required: true),
            ColumnSpec("warehouse", "仓库", .text, required: true),
            ColumnSpec("location", "库位", .text),
            ColumnSpec("part_no", "配件编码", .text, required: true),
            ColumnSpec("counted_qty", "实盘数量", .qty(.nonNegative), required: true),
            ColumnSpec("counter", "盘点人", .text),
        ]
        case .repairs: return [
            ColumnSpec("repair_no", "维修单号", .text, required: true),
            ColumnSpec("line_no", "行号", .text),
            ColumnSpec("repair_date", "维修日期", .date, required: true),
            ColumnSpec("dealer_id", "网点编码", .text, required: true),
            ColumnSpec("product_model", "机型", .text, required: true),
            ColumnSpec("serial_no", "机号", .text),
            ColumnSpec("fault_code", "故障代码", .text),
            ColumnSpec("fault_desc", "故障描述", .text),
            ColumnSpec("part_no", "更换配件", .text),
            ColumnSpec("qty", "数量", .qty(.positive)),
            ColumnSpec("warranty", "是否三包", .bool, required: true),
            ColumnSpec("old_part_return", "旧件返回", .bool),
            ColumnSpec("labor_cost", "工时费", .money(.nonNegative)),
            ColumnSpec("parts_cost", "配件费", .money(.nonNegative)),
        ]
        case .faults: return [
            ColumnSpec("fault_code", "故障代码", .text, required: true),
            ColumnSpec("fault_category", "故障类别", .text),
            ColumnSpec("description", "描述", .text),
        ]
        case .fleet: return [
            ColumnSpec("product_model", "机型", .text, required: true),
            ColumnSpec("month", "月份", .month, required: true),
            ColumnSpec("units", "保有量", .integer, required: true),
        ]
        case .payments: return [
            ColumnSpec("payment_no", "收款单号", .text, required: true),
            ColumnSpec("line_no", "行号", .integer),
            ColumnSpec("payment_date", "收款日期", .date, required: true),
            ColumnSpec("dealer_id", "网点编码", .text, required: true),
            ColumnSpec("amount", "金额", .money(.nonZero), required: true),
            ColumnSpec("method", "方式", .text),
            ColumnSpec("ref_no", "核销单号", .text),
        ]
        case .receivables: return [
            ColumnSpec("as_of", "日期", .date, required: true),
            ColumnSpec("doc_no", "单据号", .text, required: true),
            ColumnSpec("doc_type", "类型", .docType, required: true),
            ColumnSpec("doc_date", "单据日期", .date, required: true),
            ColumnSpec("due_date", "到期日", .date, required: true),
            ColumnSpec("dealer_id", "网点编码", .text, required: true),
            // The sign depends on doc_type: checked as a rule between fields (Receivables.swift).
            ColumnSpec("open_amount", "未清金额", .money(.any), required: true),
        ]
        }
    }
}
