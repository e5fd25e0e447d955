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
