import Foundation
import TestSupport
import XCTest

/// `aftersales explain` (SPEC §8.6) as the binary runs it on the monthly fixture: hand-worked cells,
/// their rows and costing steps in text and CSV, exit 1 when the written report no longer matches the
/// inputs (a backdated entry since), exit 2 naming the valid tables, columns and keys.
final class ExplainEndToEndTests: XCTestCase {
    func explain(_ arguments: [String], method: String = "fifo", inputs: String = fixture("monthly"), out: String? = nil) throws
        -> Binary.Result {
        let folder = try out ?? temporaryFolder()
        try "costing = \"\(method)\"\n".write(toFile: folder + "/config.toml", atomically: true, encoding: .utf8)
        return try Binary.run(["explain", "--inputs", inputs, "--out", folder, "--config", folder + "/config.toml"] + arguments)
    }

    /// FIFO, P001: revenue = SO1001 4 × 1500 + SO1004 1 × 1500 = 7500.00 (orders lines 2 and 5), no
    /// returns; cogs = SALE SO1 (movements line 3) 4 from the opening layer at 10000/10 = 4000.00;
    /// gross_profit 3500.00; margin 3500 / 7500 = 46.67 %.
    func testMarginOfAPartIsItsFormulaOverRowsWithTheirFIFOLayers() throws {
        let run = try explain(["--month", "2026-10", "--table", "profit/by_part", "--key", "P001", "--column", "margin_pct"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "profit/by_part 2026-10 (costing fifo)")
        XCTAssertEqual(lines.last, "reproduced: the rows add up to the cell exactly")
        func line(_ start: String) -> String? { lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(start) } }
        XCTAssertTrue(try XCTUnwrap(line("margin_pct [P001]")).hasSuffix(" 46.67"))
        XCTAssertTrue(try XCTUnwrap(line("margin_pct [P001]")).contains("= gross_profit / net_revenue × 100"))
        XCTAssertTrue(try XCTUnwrap(line("gross_profit [P001]")).hasSuffix(" 3500.00"))
        XCTAssertTrue(try XCTUnwrap(line("revenue [P001]")).hasSuffix(" 7500.00"))
        XCTAssertTrue(try XCTUnwrap(line("orders-2026-10.csv:2")).hasSuffix(" 6000.00"))
        XCTAssertTrue(try XCTUnwrap(line("orders-2026-10.csv:5")).hasSuffix(" 1500.00"))
        XCTAssertTrue(try XCTUnwrap(line("movements-2026-10.csv:3")).hasSuffix(" 4000.00"))
        XCTAssertNotNil(line("costing:"), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line("costing:")).contains("FIFO: round2(4 @ 1000.0000 (layer))"), run.stdout)
        XCTAssertNil(lines.first { $0.contains("≠") }, run.stdout)
    }

    /// Moving average, NEW/P001 (as in MonthlyEndToEndTests): SALE 4 × 15500/15 = 4133.33, WARRANTY
    /// 1 × 11366.67/11 = 1033.33, so issue_value 5166.66; CSV rows carry file, line and amount.
    func testIssueValueInCSVWithTheMovingAveragesUsed() throws {
        let run = try explain(["--month", "2026-10", "--table", "parts-movement/movement", "--key", "NEW,P001",
                               "--column", "issue_value", "--csv"], method: "moving-average")
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = CSVText.rows(run.stdout)
        XCTAssertEqual(rows[0], ["report", "period", "table", "key", "column", "depth", "kind", "file", "line", "used", "amount"])
        let data = rows.dropFirst().map { Array($0[6...]) }
        XCTAssertEqual(data.first, ["cell", "", "", "", "5166.66"])
        XCTAssertEqual(data.filter { $0[0] == "row" }.map { [$0[1], $0[2], $0[4]] },
                       [["movements-2026-10.csv", "3", "4133.33"], ["movements-2026-10.csv", "6", "1033.33"]])
        XCTAssertEqual(data.filter { $0[0] == "costing" }.map { $0[3] },
                       ["moving average: round2(4 × V/Q), V/Q = 15500.00 / 15 before the line",
                        "moving average: round2(1 × V/Q), V/Q = 11366.67 / 11 before the line"])
        XCTAssertEqual(data.last, ["sum", "", "", "= the cell", "5166.66"])
    }

    /// A run with --csv wrote the report; a SALE of P001 added afterwards with an October date moves
    /// its cogs: explain lists the new row, its rows reproduce the figure the inputs give now, but not
    /// the written one: exit 1.
    func testABackdatedEntryAfterTheRunIsExitOne() throws {
        let inputs = try temporaryFolder(), out = try temporaryFolder()
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture("monthly")) {
            try FileManager.default.copyItem(atPath: fixture("monthly") + "/" + name, toPath: inputs + "/" + name)
        }
        let monthly = try Binary.run(["monthly", "--month", "2026-10", "--inputs", inputs, "--out", out, "--csv", "--reports", "profit"])
        XCTAssertEqual(monthly.status, 0, monthly.stderr)
        let arguments = ["--month", "2026-10", "--table", "profit/by_part", "--key", "P001", "--column", "cogs"]
        let before = try explain(arguments, method: "monthly-average", inputs: inputs, out: out)
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertTrue(before.stdout.contains("the written report: = the cell"), before.stdout)

        try "doc_no,line_no,doc_date,warehouse,part_no,move_type,qty,unit_cost,ref_no\nSO9,1,2026-10-06,NEW,P001,SALE,1,,SO1004\n"
            .write(toFile: inputs + "/movements-2026-10-late.csv", atomically: true, encoding: .utf8)
        let after = try explain(arguments, method: "monthly-average", inputs: inputs, out: out)
        XCTAssertEqual(after.status, 1, after.stderr)
        XCTAssertTrue(after.stdout.contains("movements-2026-10-late.csv:2"), after.stdout)
        XCTAssertTrue(after.stdout.contains("the written report: ≠ the cell"), after.stdout)
        XCTAssertTrue(after.stdout.hasSuffix("NOT reproduced: the rows add up to the cell as the inputs give it now, not to the written report's\n"))
    }

    /// The receivables fixture as worked by hand in ReceivablesEndToEndTests (its own aftersales.toml: credit
    /// days 20). D01: closing 900.00 = opening 300.00 (SO2901, receivables line 2) + invoiced 1200.00 (SO3001's
    /// lines 1000 + 2 × 100, orders lines 2 and 3) + credited −100.00 (RT3001, 1 × P002 at SO3001's 100) + paid
    /// −500.00 (PY01); d31_60 300.00 is SO2901, 47 days past due and never cleared.
    func testReceivablesClosingIsItsFormulaOverTheInputRows() throws {
        let run = try Binary.run(["explain", "--month", "2026-10", "--inputs", fixture("receivables"), "--out", try temporaryFolder(),
                                  "--table", "receivables/balances", "--key", "D01", "--column", "closing"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        XCTAssertEqual(lines.first, "receivables/balances 2026-10 (costing monthly-average)")
        XCTAssertEqual(Array(lines.dropFirst()), [
            "closing [D01] = opening + invoiced + credited + paid 900.00",
            "opening [D01] 300.00",
            "receivables-2026-10.csv:2 invoice SO2901 doc_date=2026-08-15 due_date=2026-09-14 open_amount=300.00 300.00",
            "sum of 1 row = the cell 300.00",
            "invoiced [D01] 1200.00",
            "orders-2026-10.csv:2 order SO3001/1 shipped 2026-10-05 amount=1000.00 1000.00",
            "orders-2026-10.csv:3 order SO3001/2 shipped 2026-10-06 amount=200.00 200.00",
            "sum of 2 rows = the cell 1200.00",
            "credited [D01] -100.00",
            "movements-2026-10.csv:2 DEALER_RETURN RT3001 ref_no=SO3001 P002 qty=1 price=100.0000 value=100.00 -100.00",
            "sum of 1 row = the cell -100.00",
            "paid [D01] -500.00",
            "payments-2026-10.csv:2 payment PY01/1 2026-10-20 ref_no=SO3001 amount=500.00 -500.00",
            "sum of 1 row = the cell -500.00",
            "= opening + invoiced + credited + paid = the cell 900.00",
            "reproduced: the rows add up to the cell exactly",
        ])

        let bucket = try Binary.run(["explain", "--month", "2026-10", "--inputs", fixture("receivables"), "--out", try temporaryFolder(),
                                     "--table", "receivables/balances", "--key", "D01", "--column", "d31_60", "--csv"])
        XCTAssertEqual(bucket.status, 0, bucket.stderr)
        XCTAssertEqual(CSVText.rows(bucket.stdout).dropFirst().map { Array($0[6...]) }, [
            ["cell", "", "", "", "300.00"],
            ["row", "receivables-2026-10.csv", "2",
             "opening invoice SO2901 doc_date=2026-08-15 due_date=2026-09-14 amount=300.00 open=300.00", "300.00"],
            ["sum", "", "", "= the cell", "300.00"],
        ])
    }

    /// The allocation steps of an open item: SO3001 (1200.00) keeps 600.00 after RT3001's credit note
    /// (100.00, it names SO3001) and PY01 (500.00, names SO3001); D03's opening payment PY2999 (−80.00)
    /// settles the opening invoice SO2800 (50.00) first, then absorbs the refund PY03 (20.00): −10.00 unapplied.
    func testOpenItemsShowTheAllocationsThatClearedThem() throws {
        func explain(_ table: String, _ key: String, _ column: String) throws -> [[String]] {
            let run = try Binary.run(["explain", "--month", "2026-10", "--inputs", fixture("receivables"), "--out", try temporaryFolder(),
                                      "--table", table, "--key", key, "--column", column, "--csv"])
            XCTAssertEqual(run.status, 0, run.stderr)
            return CSVText.rows(run.stdout).dropFirst().map { Array($0[6...]) }
        }
        XCTAssertEqual(try explain("receivables/open_items", "D01,invoice,SO3001,2026-10-06", "open_amount"), [
            ["cell", "", "", "", "600.00"],
            ["row", "orders-2026-10.csv", "2", "invoice SO3001 doc_date=2026-10-06 due_date=2026-11-05 amount=1200.00 open=600.00", "600.00"],
            ["allocation", "", "", "credit RT3001 (2026-10-15) cleared 100.00", ""],
            ["allocation", "", "", "payment PY01 (2026-10-20) cleared 500.00", ""],
            ["sum", "", "", "= the cell", "600.00"],
        ])
        XCTAssertEqual(try explain("receivables/balances", "D03", "unapplied"), [
            ["cell", "", "", "", "-10.00"],
            ["row", "receivables-2026-10.csv", "5",
             "opening payment PY2999 doc_date=2026-09-28 due_date=2026-09-28 amount=-80.00 open=-10.00", "-10.00"],
            ["allocation", "", "", "cleared 50.00 of opening invoice SO2800 (2026-06-01)", ""],
            ["allocation", "", "", "cleared 20.00 of payment PY03 (2026-10-28)", ""],
            ["sum", "", "", "= the cell", "-10.00"],
        ])
        // D01's statement after PY01: 300.00 + 1000.00 + 200.00 − 100.00 − 500.00, a running sum over the rows
        // (listed in the order the files are read).
        XCTAssertEqual(try explain("receivables/statement", "D01,2026-10-20,payment,PY01", "balance").filter { $0[0] != "row" }, [
            ["cell", "", "", "", "900.00"], ["sum", "", "", "= the cell", "900.00"],
        ])
        XCTAssertEqual(try explain("receivables/statement", "D01,2026-10-20,payment,PY01", "balance").filter { $0[0] == "row" }
            .map { "\($0[1]):\($0[2]) \($0[4])" },
            ["orders-2026-10.csv:2 1000.00", "orders-2026-10.csv:3 200.00", "movements-2026-10.csv:2 -100.00",
             "payments-2026-10.csv:2 -500.00", "receivables-2026-10.csv:2 300.00"])
    }

    /// receivables_continuity: last month's open items (written here) had SO2901 at 350.00, this month's
    /// receivables row 2 has 300.00; the previous figure is named as last month's file, not an input row.
    func testReceivablesContinuityNamesLastMonthsFileAndThisMonthsRow() throws {
        let out = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: out + "/2026-09", withIntermediateDirectories: true)
        try "as_of,doc_no,doc_type,doc_date,due_date,dealer_id,open_amount\n2026-10-01,SO2901,invoice,2026-08-15,2026-09-14,D01,350.00\n"
            .write(toFile: out + "/2026-09/open-items-2026-09.csv", atomically: true, encoding: .utf8)
        func explain(_ column: String) throws -> [[String]] {
            let run = try Binary.run(["explain", "--month", "2026-10", "--inputs", fixture("receivables"), "--out", out,
                                      "--table", "reconciliation/receivables_continuity", "--key", "D01,invoice,SO2901,2026-08-15",
                                      "--column", column, "--csv"])
            XCTAssertEqual(run.status, 0, run.stderr)
            return CSVText.rows(run.stdout).dropFirst().map { Array($0[6...]) }
        }
        XCTAssertEqual(try explain("prev_open_amount")[1],
                       ["step", "", "", "last month's open-items file (an output of this tool, not an input row)", "350.00"])
        XCTAssertEqual(try explain("open_amount")[1], ["row", "receivables-2026-10.csv", "2", "as_of=2026-10-01 open_amount=300.00", "300.00"])
    }

    func testWhatDoesNotExistIsExitTwoNamingTheValidOnes() throws {
        let table = try explain(["--month", "2026-10", "--table", "profit/by_model", "--key", "P001", "--column", "cogs"])
        XCTAssertEqual(table.status, 2)
        XCTAssertTrue(table.stderr.contains("profit has the tables summary, by_part, by_dealer, by_category"), table.stderr)

        let column = try explain(["--month", "2026-10", "--table", "profit/by_part", "--key", "P001", "--column", "part_name"])
        XCTAssertEqual(column.status, 2)
        XCTAssertTrue(column.stderr.contains("can be explained are sold_qty, revenue, returned_qty, returns, net_revenue, cogs, gross_profit, margin_pct"),
                      column.stderr)

        let key = try explain(["--month", "2026-10", "--table", "profit/by_part", "--key", "P999", "--column", "cogs"])
        XCTAssertEqual(key.status, 2)
        XCTAssertTrue(key.stderr.contains("profit/by_part is keyed by part_no; its keys with cogs: P001; P002; P003"), key.stderr)

        let metric = try explain(["--month", "2026-10", "--table", "profit/summary", "--key", "cogs", "--column", "value"])
        XCTAssertEqual(metric.status, 0, metric.stderr)
        let daily = try explain(["--date", "2026-10-12", "--table", "daily-orders/summary", "--key", "orders_received", "--column", "value"])
        XCTAssertEqual(daily.status, 2, "a count is not a money or quantity figure")
        let period = try explain(["--date", "2026-10-12", "--table", "profit/summary", "--key", "cogs", "--column", "value"])
        XCTAssertEqual(period.status, 2)
        XCTAssertTrue(period.stderr.contains("profit is explained for a month: --month M"), period.stderr)
    }
}
