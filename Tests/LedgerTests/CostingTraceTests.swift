import Config
import Core
@testable import Ingest
import Ledger
import XCTest

/// What the ledger tells `explain` (SPEC §8.6): the contributions to a movement row's cells and the
/// costing step of each line asked about, worked by hand. The values are the ones the ledger makes
/// (the traced run is the same code), so these check the words and the rows, not a second valuation.
final class CostingTraceTests: XCTestCase {
    func cell(_ column: String) -> CellAddress { CellAddress(table: "movement", key: ["NEW", "P1"], column: column) }

    /// Opening 7 worth 10.00, c = 10/7: lines 2c → 2.86, 1c → 1.43, 1c → 1.43; closing 3 → 4.29; issue
    /// total 5.71, so the residue −0.01 goes to line 1 (the largest qty) → 2.85.
    func testMonthlyAverageStepsNameCAndTheResidue() {
        let trace = CellTrace(cells: [cell("issue_value"), cell("opening_value")], costsLines: true)
        _ = StockLedger.compute(month: october, openings: [opening("7", "10.00")],
                                movements: [move(1, "10-02", .sale, "2"), move(2, "10-09", .sale, "1"), move(3, "10-09", .sale, "1")],
                                method: .monthlyAverage, trace: trace)
        XCTAssertEqual(trace.contributions(to: cell("issue_value")).map(\.amount), [.money(money("2.85")), .money(money("1.43")), .money(money("1.43"))])
        XCTAssertEqual(trace.contributions(to: cell("opening_value")).map(\.amount), [.money(money("10.00"))])
        let c = "c = (opening + receipt value) / (opening + receipt qty) = 10.00 / 7 ≈ 1.4286"
        let steps = trace.costingSteps()
        XCTAssertEqual(steps.steps(of: RowRef(file: 0, line: 1)).map(\.description),
                       ["monthly average: round2(2 × c) = 2.86, \(c)", "+ rounding residue -0.01 (the issue line with the largest qty takes it)"])
        XCTAssertEqual(steps.steps(of: RowRef(file: 0, line: 2)).map(\.description), ["monthly average: round2(1 × c) = 1.43, \(c)"])
        XCTAssertEqual(steps.steps(of: RowRef(file: 0, line: 3)).map(\.description), ["monthly average: round2(1 × c) = 1.43, \(c)"])
        XCTAssertEqual(steps.steps(of: RowRef(file: 0, line: 4)).map(\.description), [], "no such line")
    }

    /// Opening −5 worth −50.00 and a receipt of 3 × 12.00: no issue line, the residue 10.00 stays in
    /// issue_value and is told as a computation step (no input row).
    func testMonthlyResidueWithoutIssueLinesIsAComputationStep() {
        let trace = CellTrace(cells: [cell("issue_value"), cell("receipt_value")])
        _ = StockLedger.compute(month: october, openings: [opening("-5", "-50.00")],
                                movements: [move(1, "10-03", .purchase, "3", cost: "12.00")], method: .monthlyAverage, trace: trace)
        let issue = trace.contributions(to: cell("issue_value"))
        XCTAssertEqual(issue.map(\.amount), [.money(money("10.00"))])
        XCTAssertNil(issue.first?.row)
        XCTAssertEqual(trace.contributions(to: cell("receipt_value")).map(\.used), ["PURCHASE qty=3 unit_cost=12.0000"])
    }

    /// FIFO: layers 2 @ 10 (opening 20.00) and 3 @ 12; an issue of 6 takes 2 @ 10 and 3 @ 12, and the
    /// shortfall 1 at the newest layer's cost 12 → round2(20 + 36 + 12) = 68.00.
    func testFIFOStepListsTheLayersAndTheShortfall() {
        let trace = CellTrace(cells: [cell("issue_value")], costsLines: true)
        _ = StockLedger.compute(month: october, openings: [opening("2", "20.00")],
                                movements: [move(1, "10-02", .purchase, "3", cost: "12.00"), move(2, "10-03", .sale, "6")],
                                method: .fifo, trace: trace)
        XCTAssertEqual(trace.contributions(to: cell("issue_value")).map(\.amount), [.money(money("68.00"))])
        XCTAssertEqual(trace.costingSteps().steps(of: RowRef(file: 0, line: 2)).map(\.description),
                       ["FIFO: round2(2 @ 10.0000 (layer) + 3 @ 12.0000 (layer) + 1 @ 12.0000 (shortfall at the newest layer's cost))"])
    }
}
