import Core
import Reports
import Testing
import XCTest

/// `TableSchema.misfit`: the check behind Table's debug assertion.
final class TableSchemaTests: XCTestCase {
    let schema = TableSchema("t", [.text("part_no"), .qty("qty"), .figure("value")])

    func testMisfitNamesTheFirstCellThatDoesNotFitItsColumn() {
        XCTAssertNil(schema.misfit(in: [[.text("P1"), .qty(Quantity(units: 2)), .money(Money(cents: 5))],
                                        [.empty, .empty, .percent(nil)]]))
        XCTAssertEqual(schema.misfit(in: [[.text("P1"), .money(Money(cents: 5)), .empty]]),
                       "t row 0: money(0.05) in the qty column qty")
        XCTAssertEqual(schema.misfit(in: [[.text("P1"), .qty(.zero), .text("x")]])?.hasPrefix("t row 0:"), true)
        XCTAssertEqual(schema.misfit(in: [[.text("P1")]]), "t row 0: 1 cells for 3 columns")
    }

    func testEveryReportDeclaresDistinctTablesAndColumns() {
        for report in ReportID.allCases {
            XCTAssertEqual(Set(report.tables.map(\.id)).count, report.tables.count, "\(report.rawValue): a table id twice")
            for table in report.tables {
                XCTAssertEqual(Set(table.columnIDs).count, table.columns.count, "\(report.rawValue).\(table.id): a column twice")
            }
        }
    }
}

#if DEBUG
/// Table's debug check: a report that puts a cell of another kind in a column stops a debug build.
@Test func aCellOfAnotherKindStopsADebugBuild() async {
    await #expect(processExitsWith: .failure) {
        _ = Table(TableSchema("t", [.qty("qty")]), rows: [[.money(Money(cents: 1))]])
    }
}
#endif
