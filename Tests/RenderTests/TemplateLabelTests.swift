import Ingest
@testable import Render
import Reports
import XCTest

/// A workbook shows a column, sheet or word by its id when its template has no label for it: every id
/// a report's workbook shows has one, in every locale.
final class TemplateLabelTests: XCTestCase {
    static let locales = ["zh-CN", "en"]

    func testEveryTableAndColumnOfEveryReportIsLabelledInEveryLocale() throws {
        for locale in Self.locales {
            for report in ReportID.allCases {
                let template = try Template.load(directory: WorkbookRendererTests.templates, locale: locale, report: report)
                let place = "templates/\(locale)/\(report.rawValue)"
                XCTAssertNotEqual(template.title, report.rawValue, "\(place): no title")
                // Every workbook ends with the Data issues sheet.
                for table in report.tables + [DataIssues.schema] {
                    let text = template.table(table.id)
                    XCTAssertNotEqual(text.sheet, table.id, "\(place): no sheet name for \(table.id)")
                    XCTAssertNotEqual(text.title, table.id, "\(place): no title for \(table.id)")
                    for column in table.columns {
                        XCTAssertNotNil(template.columns[column.id], "\(place): no label for \(table.id).\(column.id)")
                    }
                }
                for word in ["period", "totals", "no_data"] {
                    XCTAssertNotNil(template.text[word], "\(place): no text for \(word)")
                }
                for word in ["summary", "details", "more", "files", "count", "severity", "code", "meaning"] {
                    XCTAssertNotNil(template.issuesSheet[word], "\(place): no [issues_sheet] text for \(word)")
                }
                for code in IssueCode.allCases {
                    XCTAssertNotNil(template.meanings[code.rawValue], "\(place): no meaning for \(code.rawValue)")
                    XCTAssertNotNil(template.codes[code.rawValue], "\(place): no label for \(code.rawValue)")
                }
            }
        }
    }

    /// The overview sheet's words, and every label its key figures are named with (SPEC §8.2).
    func testOverviewWordsAndKeyFigureLabelsInEveryLocale() throws {
        for locale in Self.locales {
            for report in ReportID.allCases {
                let template = try Template.load(directory: WorkbookRendererTests.templates, locale: locale, report: report)
                let place = "templates/\(locale)/\(report.rawValue)"
                for word in OverviewSheet.words {
                    XCTAssertNotNil(template.overview[word], "\(place): no [overview] word \(word)")
                }
                // The reconciliation's figures are one per check and status whatever the rows; the others'
                // labels are columns and codes the tests above cover.
                let empty = Report(id: report, period: "", tables: report.tables.map { Table($0, rows: []) })
                for metric in Overview.keyFigures(of: empty) {
                    for label in metric.label {
                        let labelled: Bool
                        switch label {
                        case .warehouse: labelled = true   // a code without a label is shown as is
                        case .code(let code): labelled = template.codes[code] != nil
                        case .column(let id): labelled = template.columns[id] != nil
                        case .sheet(let id): labelled = template.tables[id] != nil
                        case .word(let word): labelled = template.overview[word] != nil
                        }
                        XCTAssertTrue(labelled, "\(place): no label for \(label) of \(metric.id)")
                    }
                }
            }
        }
    }
}
