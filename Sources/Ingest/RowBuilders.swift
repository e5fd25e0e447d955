import Config
import Core

/// A warning raised against a row that is still used.
struct RowWarning {
    let column: String
    let code: IssueCode
    let message: String
}

/// What the row builders need beyond the row itself.
struct BuildContext: Sendable {
    let partNos: CodeSet?      // nil when there is no parts master
    let dealerIds: CodeSet?    // nil when there is no dealers master
    let oldPartsWarehouse: String
    let period: Month?             // the monthly run's month, for movement_before_period

    func checkPart(_ partNo: String, column: String = "part_no", into warnings: inout [RowWarning]) {
        if let partNos, !partNo.isEmpty, !partNos.contains(partNo) {
            warnings.append(RowWarning(column: column, code: .unknownPart, message: "part_no \(partNo) is not in the parts master; shown as (unknown)"))
        }
    }
    func checkDealer(_ dealerId: String, into warnings: inout [RowWarning]) {
        if let dealerIds, !dealerIds.contains(dealerId) {
            warnings.append(RowWarning(column: "dealer_id", code: .unknownDealer, message: "dealer_id \(dealerId) is not in the dealers master; shown as (unknown)"))
        }
    }
}

/// Turns a validated row into its typed form, applying the rules between fields (SPEC §2.2, §6).
enum RowBuilders {
    static func order(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) throws -> OrderLine {
        let qty = p.quantity("qty")!
        let unitPrice: UnitPrice
        let amount: Money
        switch (p.price("unit_price"), p.money("amount")) {
        case (nil, nil):
            throw RowFailure(column: "unit_price", code: .emptyRequired, message: "unit_price and amount are both empty; at least one is required")
        case (nil, let given?):
            unitPrice = UnitPrice(value: given, per: qty)
            amount = given
        case (let price?, let given):
            unitPrice = price
            guard let computed = price.checkedAmount(for: qty),
                  ExactRange.admits(Int128(computed.cents), scale: 2) else {
                throw RowFailure(column: "unit_price", code: .badNumber,
                                 message: "qty × unit_price (\(qty) × \(price)) is beyond the largest amount accepted, 1,000,000,000,000")
            }
            amount = computed
            if let given, abs(given.cents - amount.cents) > 1 {
                warnings.append(RowWarning(column: "amount", code: .amountMismatch,
                                           message: "amount \(given) differs from qty × unit_price = \(amount); \(amount) is used"))
            }
        }
        guard let status = p.status("status") else { preconditionFailure("status is required") }
        let shipDate = p.date("ship_date")
        if status == .shipped && shipDate == nil {
            throw RowFailure(column: "ship_date", code: .missingShipDate, message: "status is shipped but ship_date is empty")
        }
        let line = OrderLine(orderNo: p.text("order_no"), lineNo: p.text("line_no"), orderDate: p.date("order_date")!,
                             dealerId: p.text("dealer_id"), partNo: p.text("part_no"), qty: qty, unitPrice: unitPrice,
                             amount: amount, channel: p.text("channel"), status: status, shipDate: shipDate, ref: ref)
        context.checkDealer(line.dealerId, into: &warnings)
        context.checkPart(line.partNo, into: &warnings)
        return line
    }

    static func movement(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) throws -> Movement {
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
        if let period = context.period, movement.docDate < period.firstDay {
            warnings.append(RowWarning(column: "doc_date", code: .movementBeforePeriod,
                                       message: "doc_date \(movement.docDate) is before \(period); left out of the ledger"))
        }
        return movement
    }

    static func repair(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) -> RepairLine {
        let partNo = p.text("part_no")
        let warranty = p.flag("warranty")!
        let line = RepairLine(repairNo: p.text("repair_no"), lineNo: p.text("line_no"), repairDate: p.date("repair_date")!,
                              dealerId: p.text("dealer_id"), productModel: p.text("product_model"), serialNo: p.text("serial_no"),
                              faultCode: p.text("fault_code"), faultDesc: p.text("fault_desc"), partNo: partNo,
                              qty: partNo.isEmpty ? .zero : (p.quantity("qty") ?? Quantity(units: 1)),
                              warranty: warranty, oldPartReturn: p.flag("old_part_return") ?? warranty,
                              laborCost: p.money("labor_cost") ?? .zero, partsCost: p.money("parts_cost") ?? .zero, ref: ref)
        context.checkDealer(line.dealerId, into: &warnings)
        context.checkPart(partNo, into: &warnings)
        return line
    }

    static func opening(_ p: RowParser, context: BuildContext, warnings: inout [RowWarning]) -> OpeningBalance {
        let row = OpeningBalance(warehouse: p.text("warehouse"), partNo: p.text("part_no"), qty: p.quantity("qty")!,
                                 value: p.money("value")!, asOf: p.date("as_of"))
        context.checkPart(row.partNo, into: &warnings)
        return row
    }

    static func count(_ p: RowParser, context: BuildContext, warnings: inout [RowWarning]) -> CountLine {
        let row = CountLine(countDate: p.date("count_date")!, warehouse: p.text("warehouse"), location: p.text("location"),
                            partNo: p.text("part_no"), countedQty: p.quantity("counted_qty")!, counter: p.text("counter"))
        context.checkPart(row.partNo, into: &warnings)
        return row
    }

    static func part(_ p: RowParser) -> Part {
        Part(partNo: p.text("part_no"), name: p.text("part_name"), spec: p.text("spec"), unit: p.text("unit"),
             category: p.text("category"), listPrice: p.price("list_price"), supplier: p.text("supplier"))
    }

    static func dealer(_ p: RowParser) -> Dealer {
        Dealer(dealerId: p.text("dealer_id"), name: p.text("dealer_name"), region: p.text("region"))
    }

    static func fault(_ p: RowParser) -> Fault {
        Fault(code: p.text("fault_code"), category: p.text("fault_category"), description: p.text("description"))
    }

    static func fleet(_ p: RowParser) -> FleetEntry {
        guard let month = p.month("month"), let units = p.integer("units") else {
            preconditionFailure("month and units are required")
        }
        return FleetEntry(productModel: p.text("product_model"), month: month, units: units)
    }
}
