import Core
import Foundation
import Ingest
@testable import Render
import Reports
import TestSupport
import XCTest

final class DataIssuesSheetTests: XCTestCase {
    func testFilesShownAreShortened() {
        XCTAssertEqual(DataIssuesSheet.filesText(["a.csv"]), "a.csv")
        XCTAssertEqual(DataIssuesSheet.filesText(["a.csv", "b.csv", "c.csv", "d.csv", "e.csv"]), "a.csv, b.csv, c.csv (+2)")
    }

    /// 203 bad_date rows in orders.csv and one unknown_part: the summary, 200 rows, the line for the 3 cut.
    func testLayoutOfSummaryDetailsAndCutLine() throws {
        func issue(_ line: Int, _ code: IssueCode) -> DataIssue {
            DataIssue(file: "orders.csv", line: line, column: "order_date", severity: code.severity, code: code, message: "m\(line)", rawRow: "")
        }
        let digest = IssueDigest((2...204).map { issue($0, .badDate) } + [issue(300, .unknownPart)])
        var report = Report(id: .profit, period: "2026-10", tables: [])
        report.issues = digest.sheet(kinds: [.orders])
        let template = try Template.load(directory: WorkbookRendererTests.templates, locale: "en", report: .profit)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("issues-\(UUID().uuidString).xlsx").path
        try WorkbookRenderer.write(report, template: template,
                                   context: RenderContext(company: "", documentDate: Day(iso: "2026-10-31")!, toolVersion: "test"), to: path)
        let book = try XLSXReadBack(path: path)
        XCTAssertEqual(book.sheetNames, ["Data issues"])
        let rows = book.rows(sheet: "Data issues")
        XCTAssertEqual(rows[3], ["Files", "", "Rows", "Severity", "Code", "What it means, what to do"])
        XCTAssertEqual(Array(rows[4].prefix(5)), ["orders.csv", "", "203", "error (rejected)", "bad date"])
        XCTAssertEqual(Array(rows[5].prefix(5)), ["orders.csv", "", "1", "warning (used)", "unknown part"])
        XCTAssertEqual(rows[8], ["File", "Line", "Column", "Severity", "Code", "Message"])   // row 9: the details' header
        XCTAssertEqual(rows[9], ["orders.csv", "2", "order_date", "error (rejected)", "bad date", "m2"])
        XCTAssertEqual(rows[208][1], "201", "the 200th bad_date row")
        XCTAssertEqual(rows[209][1], "300", "then the warning, in run order")
        XCTAssertEqual(rows[210], ["bad date: 3 more rows in rejects.csv"])
        XCTAssertEqual(rows.count, 211)
        let xml = try book.xml(ofSheet: "Data issues")
        XCTAssertTrue(xml.contains("ySplit=\"9\""), "the details' header (row 9) frozen")
        XCTAssertTrue(xml.contains("<autoFilter ref=\"A9:F210\""), xml.prefix(2000).description)
    }
}
