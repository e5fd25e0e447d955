import Config
import Core
@testable import Ingest
@testable import Pipeline
import Reconcile
import Reports
import XCTest

/// The monthly run keeps of the repair lines only what its reports read (MonthlyPipeline.repairLineIsRead) and
/// counts the trend before dropping the rest: the reports must come out exactly as from every line.
final class RepairLinesReadTests: XCTestCase {
    let month = Month(iso: "2026-10")!

    func line(_ repair: String, on date: String, part: String = "P1", warranty: Bool = true, oldPartReturn: Bool = true) -> RepairLine {
        RepairLine(repairNo: repair, lineNo: "1", repairDate: Day(iso: date)!, dealerId: "D1", productModel: "M1",
                   faultCode: "E1", faultDesc: "", partNo: part, qty: part.isEmpty ? .zero : Quantity(units: 1),
                   warranty: warranty, oldPartReturn: oldPartReturn, laborCost: Money(cents: 100), partsCost: .zero,
                   ref: RowRef(file: 0, line: 2))
    }

    func testLinesOfMAndMMinus1AreReadWholeEarlierOnlyThoseExpectingAnOldPart() {
        XCTAssertTrue(MonthlyPipeline.repairLineIsRead(line("A", on: "2026-10-31", warranty: false), month: month))
        XCTAssertTrue(MonthlyPipeline.repairLineIsRead(line("B", on: "2026-09-01", part: "", warranty: false), month: month))
        XCTAssertTrue(MonthlyPipeline.repairLineIsRead(line("C", on: "2026-08-31"), month: month))
        XCTAssertFalse(MonthlyPipeline.repairLineIsRead(line("D", on: "2026-08-31", warranty: false), month: month))
        XCTAssertFalse(MonthlyPipeline.repairLineIsRead(line("E", on: "2026-08-31", oldPartReturn: false), month: month))
        XCTAssertFalse(MonthlyPipeline.repairLineIsRead(line("F", on: "2026-08-31", part: ""), month: month))
        XCTAssertFalse(MonthlyPipeline.repairLineIsRead(line("G", on: "2026-11-01"), month: month))
    }

    /// Seeded lines over 15 months (multi-line repairs, all flag combinations): quality, old parts
    /// outstanding, repairs ↔ WARRANTY issues and profit's warranty labour are the same from the kept
    /// lines (with the trend counted first) as from all of them.
    func testReportsFromTheKeptLinesEqualThoseFromEveryLine() {
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) % n }
        var all: [RepairLine] = []
        for n in 0..<3_000 {
            var month = Month(year: 2025, month: 9)!
            for _ in 0..<next(15) { month = month.next }
            let day = month.firstDay.advanced(by: next(28))
            for _ in 0...next(3) {
                all.append(line("R\(n)", on: day.description, part: next(4) == 0 ? "" : "P\(next(5))",
                                warranty: next(3) > 0, oldPartReturn: next(2) == 0))
            }
        }
        let kept = all.filter { MonthlyPipeline.repairLineIsRead($0, month: month) }
        XCTAssertLessThan(kept.count, all.count * 2 / 3)
        var inPlace = all
        inPlace.removeAllReleasingPages { !MonthlyPipeline.repairLineIsRead($0, month: month) }   // the same lines, in order
        XCTAssertEqual(inPlace, kept)
        let trend = QualityFeedback.trendFigures(all, month: month)

        let fromAll = QualityFeedback.build(month: month, repairs: all, movements: [], parts: [:], dealers: [:], faults: [:], fleet: [:])
        let fromKept = QualityFeedback.build(month: month, repairs: kept, movements: [], parts: [:], dealers: [:], faults: [:],
                                             fleet: [:], trend: trend)
        XCTAssertEqual(fromKept.tables.map(\.rows), fromAll.tables.map(\.rows))
        XCTAssertGreaterThan(fromAll.tables.first { $0.id == "trend" }!.rows.count, 10)

        let returns = (0..<400).map { n in
            Movement(docNo: "J\(n)", lineNo: "1", docDate: Day(iso: "2026-10-20")!, warehouse: "OLD", partNo: "P\(n % 5)",
                     type: .oldPartIn, qty: Quantity(units: 1), unitCost: .zero, refNo: "R\(n * 7)", ref: RowRef(file: 1, line: Int32(n + 2)))
        }
        func reconcile(_ repairs: [RepairLine]) -> Reconciliation {
            Reconciliation.compute(month: month, ledger: [], movements: returns, counts: [], orders: [], repairs: repairs,
                                   tolerance: Tolerance(), previousClosing: nil)
        }
        let (a, b) = (reconcile(all), reconcile(kept))
        XCTAssertEqual(b.oldPartsOutstanding, a.oldPartsOutstanding)
        XCTAssertGreaterThan(a.oldPartsOutstanding.count, 100)
        XCTAssertEqual(b.repairIssue, a.repairIssue)

        func profitSummary(_ repairs: [RepairLine]) -> [[Cell]] {
            Profit.build(month: month, orders: [], movements: [], repairs: repairs, lineValues: [:], parts: [:], dealers: [:])
                .report.tables[0].rows
        }
        XCTAssertEqual(profitSummary(kept), profitSummary(all))
    }
}
