import Core
import Foundation
import Logging
@testable import Pipeline
import Reports
import XCTest

/// Every report the runs build from the demo month (inputs/) holds the tables its id declares, each
/// cell fitting its declared column (debug builds also check this as tables are made; this test holds
/// in a release test run too). And profit's warnings reach the issues through the reports stage's output.
final class DeclaredTablesTests: XCTestCase {
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("inputs").path

    func runner() -> Runner {
        Runner(settings: RunSettings(inputs: Self.demo, out: NSTemporaryDirectory() + "declared-\(UUID().uuidString)",
                                     configPath: nil, locale: nil, csv: false, templates: "", commandLine: "test"),
               log: Logger(label: "test"))
    }

    func assertFitsItsDeclaration(_ report: Report, _ file: StaticString = #filePath, _ line: UInt = #line) {
        XCTAssertEqual(report.tables.map(\.schema), report.id.tables, "\(report.id.rawValue) holds its declared tables",
                       file: file, line: line)
        for table in report.tables + (report.sheets ?? []) {
            XCTAssertNil(table.schema.misfit(in: table.rows + (table.totals.map { [$0] } ?? [])), file: file, line: line)
        }
    }

    func testEveryMonthlyTableOfTheDemoMonthFitsItsDeclaredColumns() throws {
        let runner = runner()
        let setup = try runner.prepare()
        let plan = try MonthlyPlan(selected: nil, available: try runner.discover(setup.config))
        XCTAssertEqual(plan.reports.map(\.id), [.partsMovement, .reconciliation, .profit, .qualityFeedback, .receivables])
        let pipeline = MonthlyPipeline(runner: runner, setup: setup, plan: plan, month: Month(iso: "2026-10")!)
        var read = try pipeline.ingest()
        let ledger = pipeline.computeLedger(&read)
        let reconciliation = try pipeline.reconcile(read, ledger)
        let firstRound = try pipeline.reportsFromRows(read, ledger)
        let tables = try pipeline.reportsFromResults(pipeline.release(read, ledger, keeping: reconciliation), firstRound: firstRound)

        XCTAssertEqual(tables.reports.map(\.id), plan.reports.map(\.id))
        // The CSV-only tables (receivables' statement, the period's files) are made when written.
        for var report in tables.reports {
            report.tables += (tables.laterTwins[report.id] ?? []).map { $0.make() }
            assertFitsItsDeclaration(report)
        }
        let files = tables.files.map { $0.table.make() }
        XCTAssertEqual(files.map(\.id), ["closing-balances", "count-adjustments", "open-items"])
        for table in [tables.issues.table()] + files { XCTAssertNil(table.schema.misfit(in: table.rows)) }

        // The demo month has one DEALER_RETURN without its order line: warned after ingest's issues, once
        // (profit and receivables both value it); then its one payment naming another dealer's order
        // (payments line 2: W10001 names DD2026092900018).
        XCTAssertEqual(tables.issues.raised.map(\.issue.code), [.returnUnmatched, .paymentUnmatched])
        // The receivables run hands on a 对账单 per dealer of its balances, and next month's receivables file.
        let balances = try XCTUnwrap(tables.reports.last?.table("balances"))
        XCTAssertEqual(tables.statements.map { Cell.text($0.dealerId) }, balances.rows.map { $0[0] })
        XCTAssertFalse(tables.statements.isEmpty)
        XCTAssertEqual(tables.files.map(\.name).last, "open-items-2026-10.csv")
        XCTAssertEqual(tables.inputs.issues.count, tables.issues.read.count, "the dataset is not edited")
        XCTAssertEqual(tables.issues.table().rows.count, tables.issues.count)
        XCTAssertEqual(tables.issues.table().rows.last?[4], .code("payment_unmatched"))
        // Each workbook's sheet lists the issues of the kinds its report reads: profit reads movements (the
        // warning is on a movement row), quality feedback reads no orders (where most of the demo's are).
        XCTAssertEqual(tables.issueSheets[.profit]?.details.rows.last?[4], .code("return_unmatched"))
        let qualityFiles = tables.issueSheets[.qualityFeedback]?.details.rows.map { $0[0] } ?? []
        XCTAssertFalse(qualityFiles.contains { if case .text(let f) = $0 { f.hasPrefix("orders") } else { false } })
        XCTAssertEqual(tables.issueSheets[.reconciliation]?.details.rows.count, tables.issues.count, "every kind, fewer than 200 per code")
    }

    func testTheDailyTablesOfTheDemoMonthFitTheirDeclaredColumns() throws {
        let runner = runner()
        let setup = try runner.prepare()
        let read = try runner.load(setup.config, kinds: [.orders], period: nil, neededBy: [(.dailyOrders, .orders)])
        assertFitsItsDeclaration(DailyOrders.build(orders: read.orders, parts: read.parts, dealers: read.dealers,
                                                   day: Day(iso: "2026-10-31")!))
    }
}
