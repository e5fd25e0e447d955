import Core

/// movements — stock ledger entries (收发记录), keyed by (doc_no, line_no).
/// Fields ordered by size (see KindRow.swift).
public struct Movement: Sendable, Equatable {
    public var docNo: String
    public var lineNo: String
    public var warehouse: String
    public var partNo: String
    public var refNo: String
    /// As in the file: positive in the type's direction, negative for a reversal (红冲).
    public var qty: Quantity
    /// Receipt types: the unit cost (0 for OLD_PART_IN without one). Issue types: nil (ignored).
    public var unitCost: UnitPrice? {
        get { storedCost.price }
        set { storedCost = StoredPrice(newValue) }
    }
    private var storedCost: StoredPrice
    public var ref: RowRef
    public var docDate: Day
    public var type: MoveType

    init(docNo: String, lineNo: String, docDate: Day, warehouse: String, partNo: String, type: MoveType, qty: Quantity,
         unitCost: UnitPrice?, refNo: String, ref: RowRef) {
        (self.docNo, self.lineNo, self.docDate, self.warehouse, self.partNo) = (docNo, lineNo, docDate, warehouse, partNo)
        (self.type, self.qty, self.storedCost, self.refNo, self.ref) = (type, qty, StoredPrice(unitCost), refNo, ref)
    }
}

public enum MoveType: String, Sendable, CaseIterable {
    case purchase = "PURCHASE", transferIn = "TRANSFER_IN", dealerReturn = "DEALER_RETURN"
    case oldPartIn = "OLD_PART_IN", otherIn = "OTHER_IN"
    case sale = "SALE", warranty = "WARRANTY", transferOut = "TRANSFER_OUT"
    case supplierReturn = "SUPPLIER_RETURN", scrap = "SCRAP", otherOut = "OTHER_OUT"

    public var isReceipt: Bool {
        switch self {
        case .purchase, .transferIn, .dealerReturn, .oldPartIn, .otherIn: return true
        default: return false
        }
    }
    public var label: String {
        switch self {
        case .purchase: return "采购入库"
        case .transferIn: return "调拨入库"
        case .dealerReturn: return "退货入库"
        case .oldPartIn: return "旧件入库"
        case .otherIn: return "其他入库"
        case .sale: return "销售出库"
        case .warranty: return "三包出库"
        case .transferOut: return "调拨出库"
        case .supplierReturn: return "退供应商"
        case .scrap: return "报废"
        case .otherOut: return "其他出库"
        }
    }
}

extension Movement: KindRow {
    static var kind: InputKind { .movements }
    var key: RowKey { .two(docNo, lineNo) }
    static let keyColumn = "doc_no"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) throws -> Movement {
        guard let type = p.moveType("move_type") else { preconditionFailure("move_type is required") }
        let movement = Movement(docNo: p.text("doc_no"), lineNo: p.text("line_no"), docDate: p.date("doc_date")!,
                                warehouse: p.text("warehouse"), partNo: p.text("part_no"), type: type, qty: p.quantity("qty")!,
                                unitCost: type.isReceipt ? (p.price("unit_cost") ?? .zero) : nil,
                                refNo: p.text("ref_no"), ref: ref)
        context.checkPart(movement.partNo, into: &warnings)
        if type == .oldPartIn && movement.warehouse != context.oldPartsWarehouse {
            warnings.append(RowWarning(column: "warehouse", code: .oldPartInWrongWarehouse,
                                       message: "OLD_PART_IN into warehouse \(movement.warehouse), not the old-parts warehouse \(context.oldPartsWarehouse)"))
        }
        return movement
    }

    static func rows(in dataset: Dataset) -> [Movement] { dataset.movements }
    static func append(_ row: consuming Movement, to dataset: inout Dataset) { dataset.movements.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [Movement]) -> Void) { body(&dataset.movements) }
    static func finish(_ dataset: inout Dataset) {}
    func isSame(as first: Movement) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
