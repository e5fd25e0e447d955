import Core
import Ingest
import Reports
import XCTest

/// The Data issues sheet's model (SPEC §8.1): the run's summary, and per report the issues of the kinds it
/// reads, at most 200 rows per code.
final class IssueDigestTests: XCTestCase {
    private func issue(_ file: String, _ line: Int, _ code: IssueCode) -> DataIssue {
        DataIssue(file: file, line: line, column: "c", severity: code.severity, code: code, message: "m", rawRow: "")
    }

    /// Read: 230 bad_date in orders-1.csv (lines 2…231), 3 unknown_part in movements.csv, 20 bad_date in
    /// orders-2.csv, a duplicate_file orders-3.csv at line 0; raised later: 2 return_unmatched on movements.csv.
    private var digest: IssueDigest {
        let read = (2...231).map { issue("orders-1.csv", $0, .badDate) }
            + (2...4).map { issue("movements.csv", $0, .unknownPart) }
            + (2...21).map { issue("orders-2.csv", $0, .badDate) }
            + [issue("orders-3.csv", 0, .duplicateFile)]
        return IssueDigest(read, [issue("movements.csv", 7, .returnUnmatched), issue("movements.csv", 9, .returnUnmatched)])
    }

    func testSummaryCountsEveryIssueErrorsFirst() {
        let summary = digest.summary
        // Errors first, then warnings by count: unknown_part 3, then duplicate_file 1 and return_unmatched 2 → 2 before 1.
        XCTAssertEqual(summary.map(\.code), [.badDate, .unknownPart, .returnUnmatched, .duplicateFile])
        XCTAssertEqual(summary.map(\.count), [250, 3, 2, 1])   // 230 + 20
        XCTAssertEqual(summary.reduce(0) { $0 + $1.count }, 256, "= the issues of rejects.csv: 230 + 3 + 20 + 1 + 2")
        XCTAssertEqual(summary[0].files, ["orders-1.csv", "orders-2.csv"])
        XCTAssertEqual(summary[0].severity, .error)
    }

    func testOrdersReportGets200RowsPerCodeInRunOrder() {
        let sheet = digest.sheet(kinds: [.orders, .parts])
        let lines = sheet.details.rows.map { row -> String in
            guard case .text(let file) = row[0], case .count(let line) = row[1] else { return "?" }
            return "\(file):\(line)"
        }
        // bad_date: the first 200 in run order are all of orders-1.csv, lines 2…201; then the duplicate file.
        XCTAssertEqual(lines.count, 201)
        XCTAssertEqual(lines.first, "orders-1.csv:2")
        XCTAssertEqual(lines[199], "orders-1.csv:201")
        XCTAssertEqual(lines[200], "orders-3.csv:0", "a duplicate_file counts on its file's kind")
        XCTAssertEqual(sheet.more.map(\.code), [.badDate])
        XCTAssertEqual(sheet.more.map(\.count), [50])   // 250 − 200
        XCTAssertEqual(sheet.summary.map(\.count), [250, 3, 2, 1], "the summary stays the whole run's")
    }

    func testMovementsReportGetsOnlyItsKinds() {
        let sheet = digest.sheet(kinds: [.movements, .parts])
        let codes = sheet.details.rows.map { row -> String in
            guard case .code(let code) = row[4] else { return "?" }
            return code
        }
        XCTAssertEqual(codes, ["unknown_part", "unknown_part", "unknown_part", "return_unmatched", "return_unmatched"])
        XCTAssertTrue(sheet.more.isEmpty)
        XCTAssertTrue(digest.sheet(kinds: [.repairs]).details.rows.isEmpty)
    }
}
