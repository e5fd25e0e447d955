import Foundation
import TestSupport
import XCTest

/// A rerun of a period (SPEC §8.6): the previous complete run kept as previous/, changes.csv and the
/// overview's "changes since the previous run" block. Fixtures/monthly (2026-10; its figures are
/// worked out in MonthlyEndToEndTests), with a backdated receipt added to October's movements.
///
/// The receipt: PO4, 2026-10-02, NEW/P002, PURCHASE 9.5 kg @ 80.00 = 760.00. Monthly average, NEW/P002:
/// before c = (1640 + 850) / 30.5 = 81.639344…, closing 28.125 → 2296.11, issues 193.89, unit cost
/// 2296.11 / 28.125 = 81.6395; after c = (1640 + 850 + 760) / (20.5 + 10 + 9.5) = 3250 / 40 = 81.25,
/// closing 37.625 → round2(3057.03125) = 3057.03, issues 3250 − 3057.03 = 192.97 (SO2's 2.375 × 81.25 =
/// 192.96875 → 192.97, no residue), unit cost 3057.03 / 37.625 = 81.249966… → 81.2500. Counted 28.125
/// on 10-31: the variance 0 becomes 28.125 − 37.625 = −9.5, valued at the exact unit cost:
/// round2(−9.5 × 3057.03 / 37.625) = round2(−771.8747…) = −771.87 (not −9.5 × 81.2500 = −771.875 → −.88),
/// a shortage beyond the zero tolerance: investigate, and a count adjustment OTHER_OUT 9.5 / 771.87.
/// The movement totals of NEW: receipts 5370.00 + 760.00 = 6130.00, issues 5372.75 − 0.92 = 5371.83,
/// closing 11787.25 + 760.92 = 12548.17. Profit: P002's COGS 193.89 → 192.97, its gross profit
/// 225.63 − 192.97 = 32.66 and margin 32.66 / 225.63 = 14.475…% → 14.48 (was 31.74, 14.07); the same
/// for its category 辅料 (P002 alone) and, on dealer D01 (SO1001 and SO1002), COGS 4308.18 → 4307.26,
/// gross profit 1917.45 → 1918.37, margin 1918.37 / 6225.63 = 30.814…% → 30.81 (was 30.80); summary
/// COGS 4344.18 → 4343.26, gross profit 3421.45 → 3422.37, margin 3422.37 / 7765.63 = 44.0707…% →
/// 44.07 (was 44.06), after warranty 2222.88 → 2223.80, and the same in the overview's ytd (October is
/// the only month of 2026 run). Quality reads movements but none of its cells moves. The order
/// issues are qty matches: unchanged. The stock variance counts: match 1 → 0, shortage 1 → 2, its qty
/// −1 → −10.5 and value −1028.57 → −1800.44.
final class ChangesEndToEndTests: XCTestCase {
    static let receipt = "PO4,1,2026-10-02,NEW,P002,PURCHASE,9.5,80.00,\n"

    /// Figures from the overviews' figures.json (exact decimals: quantities with 3 decimals), then the
    /// tables in report and table order, then the input files.
    static let figureLines = """
        parts-movement,overview,NEW.receipt_value,current,5370.00,6130.00
        parts-movement,overview,NEW.issue_value,current,5372.75,5371.83
        parts-movement,overview,NEW.closing_value,current,11787.25,12548.17
        """
    static let movementLines = """
        parts-movement,movement,NEW|P002,receipt_qty,10,19.5
        parts-movement,movement,NEW|P002,receipt_value,850.00,1610.00
        parts-movement,movement,NEW|P002,issue_value,193.89,192.97
        parts-movement,movement,NEW|P002,closing_qty,28.125,37.625
        parts-movement,movement,NEW|P002,closing_value,2296.11,3057.03
        parts-movement,movement,NEW|P002,unit_cost,81.6395,81.2500
        parts-movement,movement,NEW|P002,purchase_qty,10,19.5
        parts-movement,movement,NEW|P002,variance_qty,0,-9.5
        """
    static let closingLines = """
        parts-movement,closing-balances,NEW|P002,qty,28.125,37.625
        parts-movement,closing-balances,NEW|P002,value,2296.11,3057.03
        """
    static let reconciliationFigureLines = """
        reconciliation,overview,stock_variance.match.count,current,1,0
        reconciliation,overview,stock_variance.shortage.count,current,1,2
        reconciliation,overview,stock_variance.shortage.variance_qty,current,-1.000,-10.500
        reconciliation,overview,stock_variance.shortage.variance_value,current,-1028.57,-1800.44
        """
    static let varianceLines = """
        reconciliation,stock_variance,NEW|P002,book_qty,28.125,37.625
        reconciliation,stock_variance,NEW|P002,variance_qty,0,-9.5
        reconciliation,stock_variance,NEW|P002,unit_cost,81.6395,81.2500
        reconciliation,stock_variance,NEW|P002,variance_value,0.00,-771.87
        reconciliation,stock_variance,NEW|P002,status,match,shortage
        reconciliation,stock_variance,NEW|P002,action,ok,investigate
        """
    /// A row only this run has: its non-empty cells against blanks.
    static let adjustmentLines = """
        reconciliation,count-adjustments,NEW|P002,qty,,9.5
        reconciliation,count-adjustments,NEW|P002,value,,771.87
        reconciliation,count-adjustments,NEW|P002,move_type,,OTHER_OUT
        """
    static let profitFigureLines = """
        profit,overview,cogs,current,4344.18,4343.26
        profit,overview,cogs,ytd,4344.18,4343.26
        profit,overview,gross_profit,current,3421.45,3422.37
        profit,overview,gross_profit,ytd,3421.45,3422.37
        profit,overview,margin_pct,current,44.06,44.07
        profit,overview,margin_pct,ytd,44.06,44.07
        profit,overview,profit_after_warranty,current,2222.88,2223.80
        profit,overview,profit_after_warranty,ytd,2222.88,2223.80
        """
    static let profitLines = """
        profit,summary,cogs,value,4344.18,4343.26
        profit,summary,gross_profit,value,3421.45,3422.37
        profit,summary,margin_pct,value,44.06,44.07
        profit,summary,profit_after_warranty,value,2222.88,2223.80
        profit,by_part,P002,cogs,193.89,192.97
        profit,by_part,P002,gross_profit,31.74,32.66
        profit,by_part,P002,margin_pct,14.07,14.48
        profit,by_dealer,D01,cogs,4308.18,4307.26
        profit,by_dealer,D01,gross_profit,1917.45,1918.37
        profit,by_dealer,D01,margin_pct,30.80,30.81
        profit,by_category,辅料,cogs,193.89,192.97
        profit,by_category,辅料,gross_profit,31.74,32.66
        profit,by_category,辅料,margin_pct,14.07,14.48
        """

    /// The movements file's lines: its sha256 (coreutils' of the two versions) and 10 → 11 rows read
    /// and accepted (MV0, before the month, is accepted too).
    func inputLines(before: String, after: String) -> String {
        """
        inputs,movements,movements-2026-10.csv,sha256,\(before),\(after)
        inputs,movements,movements-2026-10.csv,read,10,11
        inputs,movements,movements-2026-10.csv,accepted,10,11
        """
    }

    func testAnUnchangedRerunReportsNoneThenABackdatedReceiptReportsExactlyTheCellsItMoves() throws {
        let inputs = try copiedFixture("monthly"), out = try temporaryFolder(), folder = "\(out)/2026-10"
        let args = ["monthly", "--month", "2026-10", "--inputs", inputs, "--out", out, "--csv", "--locale", "en"]
        XCTAssertEqual(try Binary.run(args).status, 0)
        XCTAssertFalse(exists("\(folder)/changes.csv"), "no previous run: no changes.csv")
        XCTAssertFalse(exists("\(folder)/previous"))
        let first = try sha256s(folder)

        // The same inputs again: changes.csv is only its header, the workbooks are the first run's bytes
        // (no block: nothing to mail as a correction), and previous/ is the first run.
        XCTAssertEqual(try Binary.run(args).status, 0)
        XCTAssertEqual(try text("\(folder)/changes.csv"), "report,table,key,column,previous,current\n")
        let second = try sha256s(folder)
        XCTAssertEqual(second.filter { !$0.key.hasPrefix("previous/") && $0.key != "changes.csv" && $0.key != "manifest.json" },
                       first.filter { $0.key != "manifest.json" })
        XCTAssertEqual(second.filter { $0.key.hasPrefix("previous/") }.mapKeys { String($0.dropFirst("previous/".count)) }, first)

        let movements = "\(inputs)/movements-2026-10.csv"
        let before = try sha256sum(movements)
        try append(Self.receipt, to: movements)
        let after = try sha256sum(movements)
        XCTAssertEqual(try Binary.run(args).status, 0)
        XCTAssertEqual(try text("\(folder)/changes.csv"), [
            "report,table,key,column,previous,current", Self.figureLines, Self.movementLines, Self.closingLines,
            Self.reconciliationFigureLines, Self.varianceLines, Self.adjustmentLines, Self.profitFigureLines, Self.profitLines,
            inputLines(before: before, after: after),
        ].joined(separator: "\n") + "\n")
        // previous/ is now the second run, whole: its manifest lists exactly its files with their sha256.
        XCTAssertEqual(try sha256s("\(folder)/previous"), second.filter { !$0.key.hasPrefix("previous/") })

        // The profit overview's block: the four figures that differ, the cells of its tables, the movements file.
        let profit = try XLSXReadBack(path: "\(folder)/profit-2026-10.xlsx")
        let rows = profit.rows(sheet: "Overview")
        let top = try XCTUnwrap(rows.firstIndex { $0.first == "Changes since the previous run of this period" })
        XCTAssertEqual(rows[top + 1].prefix(3), ["Metric", "Previous run", "This run"])
        XCTAssertEqual(rows[(top + 2)...(top + 5)].map { Array($0.prefix(3)) }, [
            ["Cost of goods sold", "4344.18", "4343.26"], ["Gross profit", "3421.45", "3422.37"],
            ["Margin %", "44.06", "44.07"], ["Profit after warranty", "2222.88", "2223.8"],
        ])
        XCTAssertEqual(rows[top + 6].first, "13 cells of this report's tables differ from the previous run: changes.csv lists them")
        XCTAssertEqual(rows[top + 8].first, "Input files added, removed or changed")
        XCTAssertEqual(rows[top + 10].prefix(5), ["movements-2026-10.csv", "changed", "1", "1", "0"])
        // Quality reads movements: its block names the file, and no figure or cell of its own.
        let quality = try XLSXReadBack(path: "\(folder)/quality-feedback-2026-10.xlsx").rows(sheet: "Overview")
        let qualityTop = try XCTUnwrap(quality.firstIndex { $0.first == "Changes since the previous run of this period" })
        XCTAssertEqual(quality[qualityTop + 2].first, "Input files added, removed or changed")
        XCTAssertEqual(quality[qualityTop + 4].prefix(2), ["movements-2026-10.csv", "changed"])
    }

    /// Without --csv (and over a run without it) the CSV twins are neither written nor compared: the key
    /// figures, the month-end CSV files and the input files are.
    func testWithoutCSVTheFiguresTheMonthEndFilesAndTheInputsAreCompared() throws {
        let inputs = try copiedFixture("monthly"), out = try temporaryFolder(), folder = "\(out)/2026-10"
        let args = ["monthly", "--month", "2026-10", "--inputs", inputs, "--out", out]
        XCTAssertEqual(try Binary.run(args + ["--csv"]).status, 0)
        XCTAssertEqual(try Binary.run(args).status, 0)
        XCTAssertFalse(exists("\(folder)/csv"), "the twins of the run with --csv are kept in previous/ only")
        XCTAssertTrue(exists("\(folder)/previous/csv/profit/summary.csv"))
        let movements = "\(inputs)/movements-2026-10.csv"
        let before = try sha256sum(movements)
        try append(Self.receipt, to: movements)
        XCTAssertEqual(try Binary.run(args).status, 0)
        XCTAssertEqual(try text("\(folder)/changes.csv"), [
            "report,table,key,column,previous,current", Self.figureLines, Self.closingLines, Self.reconciliationFigureLines,
            Self.adjustmentLines, Self.profitFigureLines, inputLines(before: before, after: try sha256sum(movements)),
        ].joined(separator: "\n") + "\n")
    }

    /// Input files added, removed and changed, each with its row-count deltas (this run's minus the
    /// previous run's; a file one run lacks counts 0 there).
    func testInputFilesAddedRemovedAndChangedWithTheirRowCountDeltas() throws {
        let inputs = try copiedFixture("monthly"), out = try temporaryFolder(), folder = "\(out)/2026-10"
        let args = ["monthly", "--month", "2026-10", "--inputs", inputs, "--out", out, "--locale", "en"]
        XCTAssertEqual(try Binary.run(args).status, 0)
        let counts = try sha256sum("\(inputs)/counts-2026-10.csv"), orders = try sha256sum("\(inputs)/orders-2026-10.csv")
        // Removed: the counts (5 rows). Added: September's repairs, one good line and one with a bad date
        // (2 read, 1 accepted, 1 rejected). Changed: an order line with a negative qty (rejected) added.
        XCTAssertEqual(unlink("\(inputs)/counts-2026-10.csv"), 0)
        try """
            repair_no,line_no,repair_date,dealer_id,product_model,serial_no,fault_code,fault_desc,part_no,qty,warranty,old_part_return,labor_cost,parts_cost
            R009,1,2026-09-12,D01,KFR-35GW,SN9,E1,不制冷,P001,1,Y,N,60,0
            R010,1,2026-09-31,D02,KFR-35GW,SN10,E1,不制冷,P001,1,Y,N,60,0

            """.write(toFile: "\(inputs)/repairs-2026-09.csv", atomically: true, encoding: .utf8)
        try append("SO1005,1,2026-10-30,D02,P003,-1,20,,qq,shipped,2026-10-31\n", to: "\(inputs)/orders-2026-10.csv")
        let repairs = try sha256sum("\(inputs)/repairs-2026-09.csv"), ordersAfter = try sha256sum("\(inputs)/orders-2026-10.csv")
        XCTAssertEqual(try Binary.run(args).status, 1, "rows rejected")
        let lines = try text("\(folder)/changes.csv").split(separator: "\n").filter { $0.hasPrefix("inputs,") }
        XCTAssertEqual(lines, [
            "inputs,orders,orders-2026-10.csv,sha256,\(orders),\(ordersAfter)",
            "inputs,orders,orders-2026-10.csv,read,4,5",
            "inputs,orders,orders-2026-10.csv,rejected,0,1",
            "inputs,repairs,repairs-2026-09.csv,sha256,,\(repairs)",
            "inputs,repairs,repairs-2026-09.csv,read,,2",
            "inputs,repairs,repairs-2026-09.csv,accepted,,1",
            "inputs,repairs,repairs-2026-09.csv,warned,,0",
            "inputs,repairs,repairs-2026-09.csv,duplicate,,0",
            "inputs,repairs,repairs-2026-09.csv,rejected,,1",
            "inputs,counts,counts-2026-10.csv,sha256,\(counts),",
            "inputs,counts,counts-2026-10.csv,read,5,",
            "inputs,counts,counts-2026-10.csv,accepted,5,",
            "inputs,counts,counts-2026-10.csv,warned,0,",
            "inputs,counts,counts-2026-10.csv,duplicate,0,",
            "inputs,counts,counts-2026-10.csv,rejected,0,",
        ])
        // The reconciliation reads every kind: its block lists the three files in that order.
        let rows = try XLSXReadBack(path: "\(folder)/reconciliation-2026-10.xlsx").rows(sheet: "Overview")
        let top = try XCTUnwrap(rows.firstIndex { $0.first == "Input files added, removed or changed" })
        XCTAssertEqual(rows[top + 1].prefix(5), ["File", "Change", "Read ±", "Accepted ±", "Rejected ±"])
        XCTAssertEqual(rows[(top + 2)...(top + 4)].map { Array($0.prefix(5)) }, [
            ["orders-2026-10.csv", "changed", "1", "0", "1"],
            ["repairs-2026-09.csv", "added", "2", "1", "1"],
            ["counts-2026-10.csv", "removed", "-5", "-5", "0"],
        ])
    }

    // MARK: Helpers

    /// A fixture folder copied, so that a test can change its inputs.
    func copiedFixture(_ name: String) throws -> String {
        let copy = try temporaryFolder() + "/" + name
        try FileManager.default.copyItem(atPath: fixture(name), toPath: copy)
        return copy
    }

    func append(_ line: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// coreutils' sha256sum of one file (not the code under test's hashing).
    func sha256sum(_ path: String) throws -> String {
        let result = try MountSpace.execute(["/usr/bin/sha256sum", path], in: "/")
        XCTAssertEqual(result.status, 0, result.stderr)
        return String(result.stdout.prefix(64))
    }
}

extension Dictionary {
    func mapKeys<K: Hashable>(_ transform: (Key) -> K) -> [K: Value] {
        Dictionary<K, Value>(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
