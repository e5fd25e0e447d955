import Core
@testable import Ingest
@testable import Reports
import XCTest

/// SPEC §4.4 Quality and §6 "Quality and profit" for the quality feedback sheet, on hand-made repair lines.
final class QualityFeedbackTests: XCTestCase {
    let month = Month(iso: "2026-10")!

    func line(_ repair: String, _ no: String = "1", on date: String = "2026-10-15", model: String = "M1", dealer: String = "D1",
              fault: String = "E1", desc: String = "", part: String = "", qty: Int64 = 1000, warranty: Bool = true,
              labor: Int64 = 0, parts: Int64 = 0) -> RepairLine {
        RepairLine(repairNo: repair, lineNo: no, repairDate: Day(iso: date)!, dealerId: dealer, productModel: model,
                   faultCode: fault, faultDesc: desc, partNo: part, qty: part.isEmpty ? .zero : Quantity(milli: qty),
                   warranty: warranty, oldPartReturn: warranty, laborCost: Money(cents: labor), partsCost: Money(cents: parts),
                   ref: RowRef(file: 0, line: 2))
    }

    func build(_ repairs: [RepairLine], movements: [Movement] = [], parts: [String: Part] = [:], faults: [String: Fault] = [:],
               fleet: [Dataset.FleetKey: Int64] = [:]) -> Report {
        QualityFeedback.build(month: month, repairs: repairs, movements: movements, parts: parts, dealers: [:], faults: faults,
                              fleet: fleet)
    }

    func column(_ table: Table, _ id: String) -> [Cell] { table.rows.map { $0[table.column(id)!] } }
    func percent(_ hundredths: Int64) -> Cell { .percent(Percent(hundredths: hundredths)) }

    /// R1 has three lines (one warranty): one repair, one warranty repair, costs summed per line.
    func testAMultiLineRepairCountsOnceAndItsCostsSumPerLine() {
        let report = build([
            line("R1", "1", warranty: false, labor: 12_000),
            line("R1", "2", part: "P1", warranty: true, parts: 4_750),
            line("R1", "3", part: "P2", warranty: false, labor: 1_000, parts: 250),
            line("R2", warranty: false, labor: 5_000),
        ])
        let model = report.table("by_model")!
        XCTAssertEqual(model.rows[0][1...5], [.count(2), .count(1), .money(Money(cents: 5_000)), .money(Money(cents: 18_000)),
                                             .money(Money(cents: 23_000))])
        XCTAssertEqual(report.table("by_dealer")!.rows[0][2...5], [.count(2), .count(1), .money(Money(cents: 18_000)),
                                                                   .money(Money(cents: 5_000))])
        XCTAssertEqual(report.table("trend")!.rows, [[.text("2026-10"), .count(2), .count(1)]])
        XCTAssertEqual(column(report.table("by_fault")!, "lines"), [.count(4)], "every line counts for the faults")
    }

    /// A repair's lines apart from each other (two exports, R2 between them) still make one repair in each
    /// grouping: the month's lines are numbered by repair_no, not by runs of lines.
    func testARepairWhoseLinesAreApartCountsOnce() {
        let report = build([
            line("R1", "1", dealer: "D1", warranty: false),
            line("R2", "1", dealer: "D2", warranty: false),
            line("R1", "2", dealer: "D1", part: "P1", warranty: true),
            line("R1", "3", on: "2026-09-30", dealer: "D1"),   // M−1: counted there only
        ])
        XCTAssertEqual(report.table("by_model")!.rows[0][1...2], [.count(2), .count(1)])
        XCTAssertEqual(report.table("by_model")!.rows[0][8], .count(1), "prev_repairs: R1 in September")
        XCTAssertEqual(report.table("by_dealer")!.rows.map { Array($0[0...3]) },
                       [[.text("D1"), .text("(unknown)"), .count(1), .count(1)], [.text("D2"), .text("(unknown)"), .count(1), .count(0)]])
    }

    /// Three codes of one line each: cumulative 33.33, 66.67 (exact 2/3, not 33.33 + 33.33), 100.00;
    /// a tie in counts goes by code ascending.
    func testParetoCumulativeIsRoundedFromTheExactShareAndTiesGoById() {
        let report = build([line("R1", fault: "E3"), line("R2", fault: "E1"), line("R3", fault: "E2")])
        let faults = report.table("by_fault")!
        XCTAssertEqual(column(faults, "fault_code"), [.text("E1"), .text("E2"), .text("E3")])
        XCTAssertEqual(column(faults, "share_pct"), [percent(3_333), percent(3_333), percent(3_333)])
        XCTAssertEqual(column(faults, "cumulative_pct"), [percent(3_333), percent(6_667), percent(10_000)])

        let parts = build([
            line("R1", part: "P9"), line("R2", part: "P9"), line("R3", part: "P2"), line("R4", part: "P2"),
            line("R5", part: "P1"), line("R6"),
        ]).table("by_part")!
        XCTAssertEqual(column(parts, "part_no"), [.text("P2"), .text("P9"), .text("P1")], "2, 2 (tie by id), 1; no part: not listed")
        XCTAssertEqual(column(parts, "share_pct"), [percent(4_000), percent(4_000), percent(2_000)])
        XCTAssertEqual(column(parts, "cumulative_pct"), [percent(4_000), percent(8_000), percent(10_000)])
        XCTAssertEqual(column(parts, "part_name"), [.text("(unknown)"), .text("(unknown)"), .text("(unknown)")])
        XCTAssertEqual(parts.totals?[parts.column("lines")!], .count(5))
    }

    /// 3 repairs of 12,000 units = 0.25 per 1000; 2 of 3,000 = 0.6667 → 0.67; no fleet row, or 0 units: blank.
    func testRepairsPer1000UnitsAndBlankWithoutFleet() {
        let report = build([
            line("R1", model: "A"), line("R2", model: "A"), line("R3", model: "A"),
            line("R4", model: "B"), line("R5", model: "B"),
            line("R6", model: "C"), line("R7", model: "D"),
        ], fleet: [Dataset.FleetKey(productModel: "A", month: month): 12_000,
                   Dataset.FleetKey(productModel: "B", month: month): 3_000,
                   Dataset.FleetKey(productModel: "C", month: month.previous): 5_000,
                   Dataset.FleetKey(productModel: "D", month: month): 0])
        let model = report.table("by_model")!
        XCTAssertEqual(column(model, "units"), [.count(12_000), .count(3_000), .empty, .count(0)])
        XCTAssertEqual(column(model, "repairs_per_1000"), [percent(25), percent(67), .percent(nil), .percent(nil)])
    }

    /// M−1 with no repairs at all: prev blank. With some: 0 for a model without any, and change_pct blank on 0.
    func testPreviousMonthBlankVersusZeroAndChange() {
        let october = [line("R1", model: "A"), line("R2", model: "A"), line("R3", model: "A"), line("R4", model: "B"),
                       line("R5", model: "C")]
        let alone = build(october + [line("R0", on: "2026-08-31", model: "A")]).table("by_model")!
        XCTAssertEqual(column(alone, "prev_repairs"), [.empty, .empty, .empty], "August is not M−1")
        XCTAssertEqual(column(alone, "change_pct"), [.percent(nil), .percent(nil), .percent(nil)])

        let september = [line("S1", on: "2026-09-01", model: "A"), line("S2", on: "2026-09-30", model: "A"),
                         line("S2", "2", on: "2026-09-30", model: "A"), line("S3", on: "2026-09-10", model: "C"),
                         line("S4", on: "2026-09-11", model: "C"), line("S5", on: "2026-09-12", model: "C")]
        let model = build(october + september).table("by_model")!
        XCTAssertEqual(column(model, "prev_repairs"), [.count(2), .count(0), .count(3)])
        XCTAssertEqual(column(model, "change_pct"), [percent(5_000), .percent(nil), percent(-6_667)], "(3−2)/2; on 0 blank; (1−3)/3")
        XCTAssertEqual(model.totals?[model.column("repairs")!], .count(5))
        XCTAssertEqual(model.totals?[model.column("prev_repairs")!], .empty, "not summed")
    }

    /// The catalogue's category and description win; a code not in it shows its commonest text; no code is `(none)`.
    func testFaultTextsFromTheCatalogueElseTheCommonestLineText() {
        let report = build([
            line("R1", fault: "E1", desc: "不冷"),
            line("R2", fault: "X9", desc: "面板松"), line("R3", fault: "X9", desc: "面板松动"), line("R4", fault: "X9", desc: "面板松动"),
            line("R5", fault: "X9", desc: ""),
            line("R6", fault: "", desc: "其他"),
        ], faults: ["E1": Fault(code: "E1", category: "制冷系统", description: "不制冷")])
        let faults = report.table("by_fault")!
        XCTAssertEqual(faults.rows.map { Array($0[0...3]) }, [
            [.text("X9"), .text(""), .text("面板松动"), .count(4)],
            [.text("(none)"), .text(""), .text("其他"), .count(1)],
            [.text("E1"), .text("制冷系统"), .text("不制冷"), .count(1)],
        ])
    }

    /// Old parts: net OLD_PART_IN of M (reversal included, other months and types not) per supplier,
    /// also for a supplier without repair lines; parts without a supplier are `(unknown)`.
    func testSuppliersWithOldPartsReceivedInTheMonth() {
        func move(_ part: String, _ qty: Int64, on date: String = "2026-10-10", type: MoveType = .oldPartIn) -> Movement {
            Movement(docNo: "M", lineNo: "1", docDate: Day(iso: date)!, warehouse: "OLD", partNo: part, type: type,
                     qty: Quantity(milli: qty * 1000), unitCost: UnitPrice.zero, refNo: "", ref: RowRef(file: 1, line: 2))
        }
        let parts = ["P1": Part(partNo: "P1", name: "压缩机", spec: "", unit: "", category: "", listPrice: nil, supplier: "S-A"),
                     "P2": Part(partNo: "P2", name: "阀", spec: "", unit: "", category: "", listPrice: nil, supplier: "S-B"),
                     "P3": Part(partNo: "P3", name: "线", spec: "", unit: "", category: "", listPrice: nil, supplier: "")]
        let report = build([line("R1", part: "P1", qty: 2_000, parts: 30_000), line("R2", part: "P3"), line("R3", part: "P7")],
                           movements: [move("P1", 2), move("P1", -1), move("P1", 5, on: "2026-09-30"), move("P1", 4, type: .purchase),
                                       move("P2", 3)],
                           parts: parts)
        XCTAssertEqual(report.table("by_supplier")!.rows, [
            [.text("(unknown)"), .count(2), .qty(Quantity(units: 2)), .money(.zero), .qty(.zero)],
            [.text("S-A"), .count(1), .qty(Quantity(units: 2)), .money(Money(cents: 30_000)), .qty(Quantity(units: 1))],
            [.text("S-B"), .count(0), .qty(.zero), .money(.zero), .qty(Quantity(units: 3))],
        ])
        XCTAssertEqual(column(report.table("by_part")!, "supplier"), [.text("S-A"), .text("(unknown)"), .text("(unknown)")])
    }

    /// Trend: M−12 … M with repair lines (M−13 and later months not), and M even without any.
    func testTrendListsMonthsWithRepairsAndAlwaysM() {
        let report = build([line("R1", on: "2025-10-01"), line("R2", on: "2025-09-30"), line("R3", on: "2026-03-05", warranty: false),
                            line("R3", "2", on: "2026-03-05"), line("R4", on: "2026-11-01")])
        XCTAssertEqual(report.table("trend")!.rows, [
            [.text("2025-10"), .count(1), .count(1)],
            [.text("2026-03"), .count(1), .count(1)],
            [.text("2026-10"), .count(0), .count(0)],
        ])
        XCTAssertEqual(report.table("by_model")!.rows.count, 0)
    }
}
