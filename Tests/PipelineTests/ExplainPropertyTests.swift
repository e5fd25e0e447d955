import Config
import Core
import Foundation
import Ingest
import Logging
import Pipeline
import Reports
import TestSupport
import XCTest

/// SPEC §8.6 and issue 18 item 2: on seeded random input sets, under each costing method, every
/// money and quantity cell (and every margin) of every table of every report is explained in process
/// and its rows (or its formula) reproduce it exactly. The explanation is recorded by the builders'
/// own statements (`Tracer`), so a figure the report adds up one way and the tracer another shows here.
/// `AFTERSALES_PROPERTY_CASES=N` runs N seeds (default 4).
final class ExplainPropertyTests: XCTestCase {
    /// What was explained, so that a check that silently matched nothing shows.
    var cells = 0, rowsListed = 0, costingSteps = 0, allocations = 0, formulas = 0
    var cellsPerReport: [ReportID: Int] = [:]
    var columnsSeen = Set<String>()

    func testEveryCellOfEveryReportIsReproducedByItsRows() throws {
        let cases = ProcessInfo.processInfo.environment["AFTERSALES_PROPERTY_CASES"].flatMap(Int.init) ?? 4
        for seed in 1...UInt64(cases) {
            for method in CostingMethod.allCases { try check(seed: seed, method: method) }
        }
        print("explain: \(cases) input sets × \(CostingMethod.allCases.count) methods, \(cells) cells reproduced "
              + "(\(formulas) by formula), \(rowsListed) rows listed, \(costingSteps) costing steps, \(allocations) allocations; "
              + "per report \(cellsPerReport)")
        for report in ReportID.allCases { XCTAssertGreaterThan(cellsPerReport[report] ?? 0, 0, "\(report) explained") }
        XCTAssertGreaterThan(costingSteps, 0)
        XCTAssertGreaterThan(allocations, 0, "open items partly cleared")
        XCTAssertGreaterThan(formulas, 0)
        // Every money and quantity column of every table was explained at least once with a value.
        for report in ReportID.allCases {
            for table in report.tables {
                for column in table.columns where [.money, .qty].contains(column.kind) {
                    XCTAssertTrue(columnsSeen.contains("\(report.rawValue)/\(table.id).\(column.id)"),
                                  "\(report.rawValue)/\(table.id).\(column.id) never explained")
                }
            }
        }
    }

    func check(seed: UInt64, method: CostingMethod) throws {
        let inputs = try folder(), out = try folder()
        let files = ExplainInputs(seed: seed).files
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(inputs)/\(name)"))
        }
        try Data("costing = \"\(method.rawValue)\"\n".utf8).write(to: URL(fileURLWithPath: "\(inputs)/aftersales.toml"))
        // Last month's closing balances, so that opening_continuity has rows.
        try FileManager.default.createDirectory(atPath: "\(out)/2026-09", withIntermediateDirectories: true)
        try Data("warehouse,part_no,qty,value,as_of\nNEW,P01,3,30.00,2026-10-01\nNEW,P09,1,9.99,2026-10-01\n".utf8)
            .write(to: URL(fileURLWithPath: "\(out)/2026-09/closing-balances-2026-09.csv"))
        // And last month's open items, so that receivables_continuity has rows: the first opening item
        // of the set with 1.00 more, and one the set does not have.
        let header = "as_of,doc_no,doc_type,doc_date,due_date,dealer_id,open_amount"
        let first = files["receivables-2026-10.csv"]!.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
            .first { $0[0] == "2026-10-01" && ["invoice", "credit", "payment"].contains($0[2]) }!
        let changed = (first.dropLast() + [Money(cents: Int64(first[6].replacingOccurrences(of: ".", with: ""))! + 100).description])
            .joined(separator: ",")
        try Data("\(header)\n\(changed)\n2026-10-01,GONE1,invoice,2026-08-01,2026-08-31,D01,42.00\n".utf8)
            .write(to: URL(fileURLWithPath: "\(out)/2026-09/open-items-2026-09.csv"))
        let runner = Runner(settings: RunSettings(inputs: inputs, out: out, configPath: nil, locale: nil, csv: false, templates: "",
                                                  commandLine: "explain"),
                            log: Logger(label: "explain-test") { _ in SwiftLogNoOpLogHandler() })
        let periods: [(ReportID, ReportPeriod)] =
            ReportID.allCases.filter { $0 != .dailyOrders }.map { ($0, .month(Month(year: 2026, month: 10)!)) }
            + [10, 20, 31].map { (.dailyOrders, .day(Day(year: 2026, month: 10, day: $0)!)) }
        for (report, period) in periods {
            let explainer = try runner.explainer(of: report, for: period)
            let built = try explainer.built()
            var addresses: [CellAddress] = []
            for table in built.tables {
                let keyColumns = table.schema.key.map { table.column($0)! }
                for column in explainer.explainable(table.schema) {
                    let c = table.column(column)!
                    for row in table.rows where isFigure(row[c]) {
                        addresses.append(CellAddress(table: table.id, key: keyColumns.map { text(row[$0]) }, column: column))
                    }
                }
            }
            let context = "seed \(seed) \(method.rawValue) \(report.rawValue) \(period)"
            for (address, explanation) in zip(addresses, try explainer.explain(addresses)) {
                guard let explanation else { XCTFail("\(context): \(address) not found"); continue }
                XCTAssertTrue(explanation.reproduces, "\(context): \(address) = \(explanation.value), explained as \(explanation.computed)")
                XCTAssertEqual(explanation.value, built.cell(address), "\(context): \(address) the cell of the report")
                count(explanation, report: report)
                cellsPerReport[report, default: 0] += 1
            }
        }
    }

    func count(_ e: Explanation, report: ReportID) {
        cells += 1
        if e.value != .empty { columnsSeen.insert("\(report.rawValue)/\(e.cell.table).\(e.cell.column)") }
        switch e.body {
        case .rows(let rows):
            rowsListed += rows.count
            costingSteps += rows.reduce(0) { $0 + $1.costing.count }
            allocations += rows.reduce(0) { $0 + $1.allocations.count }
        case .formula(_, let operands):
            formulas += 1
            for operand in operands { count(operand, report: report) }
        }
    }

    func isFigure(_ cell: Cell) -> Bool {
        switch cell {
        case .money, .qty, .percent: true
        default: false
        }
    }

    func text(_ cell: Cell) -> String {
        switch cell {
        case .text(let s), .code(let s): s
        case .date(let d): d.description
        default: ""
        }
    }

    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "explain-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}

/// `RandomInputSet` with a second movements file that works the ledger harder: per part a dozen or
/// more lines of every type, reversals (红冲) of receipts and issues, over-issues into negative stock,
/// dealer returns and SALE issues referring to the set's orders, WARRANTY issues and old parts
/// received against its repairs (some dated before the month).
struct ExplainInputs {
    var files: [String: String]

    init(seed: UInt64) {
        let set = RandomInputSet(seed: seed)
        files = set.files
        var g = SplitMix64(seed: seed &* 7919)
        func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        func pick<T>(_ list: [T]) -> T { list[int(0...list.count - 1)] }
        func firstFields(_ prefix: String) -> [String] {
            // In file name order: a seed makes the same set in every process.
            files.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.flatMap { $0.value.split(separator: "\n").dropFirst() }
                .map { String($0.split(separator: ",", omittingEmptySubsequences: false)[0]) }
        }
        let parts = firstFields("parts"), orders = firstFields("orders-"), repairs = firstFields("repairs-")
        let receipts = ["PURCHASE", "TRANSFER_IN", "DEALER_RETURN", "OLD_PART_IN", "OTHER_IN"]
        let issues = ["SALE", "WARRANTY", "TRANSFER_OUT", "SUPPLIER_RETURN", "SCRAP", "OTHER_OUT"]
        var lines: [String] = []
        for part in parts {
            for n in 1...int(8...20) {
                let type = pick(receipts + issues + ["SALE", "PURCHASE"])
                let reversal = int(1...8) == 1
                let qty = (reversal ? "-" : "") + (int(1...5) == 1 ? "\(int(1...9)).5" : "\(int(1...15))")
                let cost = receipts.contains(type) && type != "OLD_PART_IN" ? "\(int(1...900)).\(int(10...99))" : ""
                let ref = ["SALE", "DEALER_RETURN"].contains(type) ? pick(orders)
                    : ["WARRANTY", "OLD_PART_IN"].contains(type) ? pick(repairs) : ""
                let date = type == "OLD_PART_IN" && int(1...4) == 1 ? "2026-09-15" : String(format: "2026-10-%02d", int(1...31))
                lines.append("Z\(part)-\(n),1,\(date),\(type == "OLD_PART_IN" ? "OLD" : "NEW"),\(part),\(type),\(qty),\(cost),\(ref)")
            }
        }
        files["movements-2026-10-z.csv"] = (["doc_no,line_no,doc_date,warehouse,part_no,move_type,qty,unit_cost,ref_no"] + lines)
            .joined(separator: "\n") + "\n"
    }
}
