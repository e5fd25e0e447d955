// The generator's in-memory records. Quantities are thousandths (so refrigerant can be
// 2.375 kg), money is cents, prices and unit costs are ten-thousandths of a yuan.

enum Preset: String, CaseIterable, Sendable {
    case demo, month, month10
}

struct Scale {
    let parts: Int
    let dealers: Int
    /// Order lines dated in the month (the previous month's tail comes on top).
    let orderLines: Int
    /// Repair lines in the report month (earlier months follow the season).
    let repairLines: Int
    /// Days of the previous month whose orders are included (backlog aging).
    let tailDays: Int
    /// One orders file per day (how real exports come) instead of one per month.
    let dailyOrderFiles: Bool
    /// Deliberate bad rows, listed in README.md.
    let badRows: Bool

    static func of(_ p: Preset) -> Scale {
        switch p {
        case .demo:
            return Scale(parts: 120, dealers: 25, orderLines: 1080, repairLines: 300, tailDays: 5,
                         dailyOrderFiles: true, badRows: true)
        case .month:
            return Scale(parts: 20_000, dealers: 500, orderLines: 200_000, repairLines: 50_000, tailDays: 5,
                         dailyOrderFiles: false, badRows: false)
        case .month10:
            return Scale(parts: 200_000, dealers: 5_000, orderLines: 2_000_000, repairLines: 500_000, tailDays: 5,
                         dailyOrderFiles: false, badRows: false)
        }
    }
}

struct Part {
    var no: String
    var name: String
    var spec: String
    var template: Int
    var model: Int
    var list4: Int64
    var cost4: Int64
    var supplier: Int
    var kg: Bool
    var returnable: Bool
}

struct Dealer {
    var id: String
    var name: String
    var city: Int
    var phone: String
    var discountPermille: Int64
    var channel: Int
    /// Days to pay (信用天数); nil = the config's default, 30.
    var creditDays: Int? = nil
    /// Cents (信用额度); nil = no limit.
    var creditLimit: Int64? = nil
    var email = ""
}

/// A receivable open on the 1st of the month (SPEC §8.4 receivables).
struct OpenItem {
    enum DocType: String { case invoice = "发票", credit = "贷项", payment = "收款" }
    var docNo: String
    var type: DocType
    var day: Int
    var due: Int
    var dealer: Int
    /// Cents: > 0 for an invoice, < 0 for a credit or an unused payment.
    var amount: Int64
}

/// One line of a payment (收款).
struct PaymentRecord {
    var no: String
    var lineNo: Int
    var day: Int
    var dealer: Int
    /// Cents; < 0 for a refund.
    var amount: Int64
    var method: String
    /// The order it pays; empty when not given.
    var ref: String
}

enum LineStatus: UInt8 { case open = 0, shipped = 1, cancelled = 2 }

struct Order {
    var day: Int32
    var seq: Int32
    var minute: Int16
    var channel: UInt8
    var dealer: Int32
    var firstLine: Int32
    var lineCount: Int32
}

struct OrderLine {
    var order: Int32
    var lineNo: Int16
    var status: LineStatus
    var part: Int32
    var shipDay: Int32      // -1 when not shipped
    var qty: Int64
    var price4: Int64
    var amount: Int64
}

struct Repair {
    var day: Int32
    var seq: Int32
    var dealer: Int32
    var model: Int16
    var warranty: Bool
    var serial: Int64
    var firstLine: Int32
    var lineCount: Int32
}

struct RepairLine {
    var repair: Int32
    var lineNo: Int16
    var fault: Int16
    var text: Int16         // index into the fault's texts; -1 = the multi-line demo text
    var oldReturn: UInt8    // 0 否, 1 是, 2 blank (the default: = warranty)
    var part: Int32         // -1 = no part replaced
    var qty: Int64
    var labor: Int64
    var partsCost: Int64
}

enum MoveType: Int, CaseIterable {
    case purchase, transferIn, dealerReturn, oldPartIn, otherIn
    case sale, warranty, transferOut, supplierReturn, scrap, otherOut

    var id: String {
        switch self {
        case .purchase: return "PURCHASE"
        case .transferIn: return "TRANSFER_IN"
        case .dealerReturn: return "DEALER_RETURN"
        case .oldPartIn: return "OLD_PART_IN"
        case .otherIn: return "OTHER_IN"
        case .sale: return "SALE"
        case .warranty: return "WARRANTY"
        case .transferOut: return "TRANSFER_OUT"
        case .supplierReturn: return "SUPPLIER_RETURN"
        case .scrap: return "SCRAP"
        case .otherOut: return "OTHER_OUT"
        }
    }

    var isReceipt: Bool { rawValue <= MoveType.otherIn.rawValue }

    /// Document number prefix (pinyin initials, as Chinese ERPs do).
    var prefix: String {
        switch self {
        case .purchase: return "CG"         // 采购
        case .transferIn: return "DR"       // 调入
        case .dealerReturn: return "TH"     // 退货
        case .oldPartIn: return "JJ"        // 旧件
        case .otherIn: return "QR"          // 其他入
        case .sale: return "XS"             // 销售
        case .warranty: return "SB"         // 三包
        case .transferOut: return "DC"      // 调出
        case .supplierReturn: return "TG"   // 退供
        case .scrap: return "BF"            // 报废
        case .otherOut: return "QC"         // 其他出
        }
    }
}

enum Warehouse: UInt8 { case new = 0, old = 1 }

enum MoveFlag: UInt8 {
    case normal = 0
    case oldPartInNewWarehouse   // deliberate warning row
    case returnUnmatched         // deliberate warning row
    case reversal                // 红冲
    case repost                  // re-entered after a reversal
    case duplicateIssue          // issued twice by mistake, reversed later
    case emergency               // emergency purchase
    case qtyMismatch
    case issuedNotShipped
    case wrongPart
}

enum RefKind: UInt8 { case none = 0, order, repair, external }

struct Movement {
    var day: Int32
    var type: MoveType
    var warehouse: Warehouse
    var flag: MoveFlag
    var refKind: RefKind
    var part: Int32
    var ref: Int32          // order index, repair index, external-ref index, or remark index
    var qty: Int64          // signed: negative = reversal (红冲)
    var cost4: Int64        // -1 = empty
    var group: Int64        // lines of one document share (day, prefix, group)
    var serial: Int32       // creation order, the last sort key
    var docSeq: Int32 = 0
}

/// A deliberately bad row, reported in README.md.
struct BadRow {
    var file: String
    var line: Int
    var column: String
    var code: String
    var what: String
}
