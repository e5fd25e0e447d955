import Core

/// The typed rows of each input kind (SPEC §2.2). Rows keep the order of the files
/// (file name, then line), which the ledger's tie rules depend on.

public struct Part: Sendable, Equatable {
    public var partNo: String
    public var name: String
    public var spec: String
    public var unit: String
    public var category: String
    public var listPrice: UnitPrice?
    public var supplier: String
}

public struct Dealer: Sendable, Equatable {
    public var dealerId: String
    public var name: String
    public var region: String
}

public enum OrderStatus: String, Sendable, CaseIterable {
    case open, shipped, cancelled
    public var label: String {
        switch self {
        case .open: return "未发货"
        case .shipped: return "已发货"
        case .cancelled: return "已取消"
        }
    }
}

// The stored properties of the row types are ordered by size, the narrow ones last and together, so
// that no padding follows a 4- or 1-byte field: 8 bytes less per order, movement and repair line
// (~70 MB at ten times a month).

public struct OrderLine: Sendable, Equatable {
    public var orderNo: String
    public var lineNo: String
    public var dealerId: String
    public var partNo: String
    public var channel: String
    public var qty: Quantity
    /// As read, or amount / qty when the file gave only the amount.
    public var unitPrice: UnitPrice {
        get { storedPrice.price! }
        set { storedPrice = StoredPrice(newValue) }
    }
    private var storedPrice: StoredPrice
    /// round2(qty × unit_price), or the file's amount when it gave only the amount.
    public var amount: Money
    public var ref: RowRef
    public var orderDate: Day
    public var shipDate: Day?
    public var status: OrderStatus

    init(orderNo: String, lineNo: String, orderDate: Day, dealerId: String, partNo: String, qty: Quantity, unitPrice: UnitPrice,
         amount: Money, channel: String, status: OrderStatus, shipDate: Day?, ref: RowRef) {
        (self.orderNo, self.lineNo, self.orderDate, self.dealerId, self.partNo) = (orderNo, lineNo, orderDate, dealerId, partNo)
        (self.qty, self.storedPrice, self.amount, self.channel) = (qty, StoredPrice(unitPrice), amount, channel)
        (self.status, self.shipDate, self.ref) = (status, shipDate, ref)
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

public struct OpeningBalance: Sendable, Equatable {
    public var warehouse: String
    public var partNo: String
    public var qty: Quantity
    public var value: Money
    public var asOf: Day?
}

public struct CountLine: Sendable, Equatable {
    public var countDate: Day
    public var warehouse: String
    public var location: String
    public var partNo: String
    public var countedQty: Quantity
    public var counter: String
}

public struct RepairLine: Sendable, Equatable {
    public var repairNo: String
    public var lineNo: String
    public var dealerId: String
    public var productModel: String
    public var serialNo: String
    public var faultCode: String
    public var faultDesc: String
    /// Empty when no part was replaced.
    public var partNo: String
    /// 0 when no part was replaced; default 1 when a part is named.
    public var qty: Quantity
    public var laborCost: Money
    public var partsCost: Money
    public var ref: RowRef
    public var repairDate: Day
    public var warranty: Bool
    public var oldPartReturn: Bool

    init(repairNo: String, lineNo: String, repairDate: Day, dealerId: String, productModel: String, serialNo: String,
         faultCode: String, faultDesc: String, partNo: String, qty: Quantity, warranty: Bool, oldPartReturn: Bool,
         laborCost: Money, partsCost: Money, ref: RowRef) {
        (self.repairNo, self.lineNo, self.repairDate, self.dealerId) = (repairNo, lineNo, repairDate, dealerId)
        (self.productModel, self.serialNo, self.faultCode, self.faultDesc) = (productModel, serialNo, faultCode, faultDesc)
        (self.partNo, self.qty, self.warranty, self.oldPartReturn) = (partNo, qty, warranty, oldPartReturn)
        (self.laborCost, self.partsCost, self.ref) = (laborCost, partsCost, ref)
    }
}

public struct Fault: Sendable, Equatable {
    public var code: String
    public var category: String
    public var description: String
}

public struct FleetEntry: Sendable, Equatable {
    public var productModel: String
    public var month: Month
    public var units: Int64
}
