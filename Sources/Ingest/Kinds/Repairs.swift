import Core

/// repairs — repair reports (维修报表 / 三包单), keyed by (repair_no, line_no).
/// Fields ordered by size (see KindRow.swift). serial_no (机号) is read and checked like every column,
/// and tells duplicates from conflicts (the row's content hash), but is not kept: no report reads it,
/// and at ten times a month it was ~54 MB while every repair line is held (ingest and the ledger).
public struct RepairLine: Sendable, Equatable {
    public var repairNo: String
    public var lineNo: String
    public var dealerId: String
    public var productModel: String
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

    init(repairNo: String, lineNo: String, repairDate: Day, dealerId: String, productModel: String,
         faultCode: String, faultDesc: String, partNo: String, qty: Quantity, warranty: Bool, oldPartReturn: Bool,
         laborCost: Money, partsCost: Money, ref: RowRef) {
        (self.repairNo, self.lineNo, self.repairDate, self.dealerId) = (repairNo, lineNo, repairDate, dealerId)
        (self.productModel, self.faultCode, self.faultDesc) = (productModel, faultCode, faultDesc)
        (self.partNo, self.qty, self.warranty, self.oldPartReturn) = (partNo, qty, warranty, oldPartReturn)
        (self.laborCost, self.partsCost, self.ref) = (laborCost, partsCost, ref)
    }
}

extension RepairLine: KindRow {
    static var kind: InputKind { .repairs }
    var key: RowKey { .two(repairNo, lineNo) }
    static let keyColumn = "repair_no"

    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) -> RepairLine {
        let partNo = p.text("part_no")
        let warranty = p.flag("warranty")!
        let line = RepairLine(repairNo: p.text("repair_no"), lineNo: p.text("line_no"), repairDate: p.date("repair_date")!,
                              dealerId: p.text("dealer_id"), productModel: p.text("product_model"),
                              faultCode: p.text("fault_code"), faultDesc: p.text("fault_desc"), partNo: partNo,
                              qty: partNo.isEmpty ? .zero : (p.quantity("qty") ?? Quantity(units: 1)),
                              warranty: warranty, oldPartReturn: p.flag("old_part_return") ?? warranty,
                              laborCost: p.money("labor_cost") ?? .zero, partsCost: p.money("parts_cost") ?? .zero, ref: ref)
        context.checkDealer(line.dealerId, into: &warnings)
        context.checkPart(partNo, into: &warnings)
        return line
    }

    static func rows(in dataset: Dataset) -> [RepairLine] { dataset.repairs }
    static func append(_ row: consuming RepairLine, to dataset: inout Dataset) { dataset.repairs.append(row) }
    static func withRows(in dataset: inout Dataset, _ body: (inout [RepairLine]) -> Void) { body(&dataset.repairs) }
    static func finish(_ dataset: inout Dataset) {}
    func isSame(as first: RepairLine) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
