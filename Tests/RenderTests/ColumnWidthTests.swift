import Core
@testable import Render
import Reports
import XCTest

/// The width pass counts the characters of each value as Excel shows it without making the text; these
/// check the count against the text itself.
final class ColumnWidthTests: XCTestCase {
    /// The text whose width a cell needs: thousands separators on money, quantities and counts, 3 more
    /// decimals on quantities in a kg column, the CSV twin's form otherwise.
    private func shownText(_ cell: Cell, fractionalQty: Bool, template: Template) -> String {
        switch cell {
        case .code(let code): return template.code(code)
        case .money(let m): return grouped(m.description)
        case .qty(let q): return grouped(q.description) + (fractionalQty ? "000" : "")
        case .count(let n): return grouped(String(n))
        case .date: return "2026-10-31"
        case let other: return CSVTwin.plain(other)
        }
    }

    func testCountedWidthsEqualTheShownTexts() throws {
        let template = try Template.load(directory: WorkbookRendererTests.templates, locale: "zh-CN", report: .reconciliation)
        var magnitudes: [Int64] = [0, 1, 5, 9, 10, 99, 100, 101, 999, 1_000, 1_001, 9_999, 10_000, 12_345, 99_999, 100_000,
                                   999_999, 1_000_000, 1_234_567, 10_000_000, 123_456_789_012, 999_999_999_999_999]
        var state: UInt64 = 42
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            magnitudes.append(Int64(state >> 40) >> Int64(state % 24))
        }
        var cells: [Cell] = [.empty, .text("压缩机A"), .text("plain"), .code("ok"), .code("no_such_code"), .percent(nil),
                             .date(Day(iso: "2026-10-31")!)]
        for m in magnitudes {
            for v in [m, -m] {
                cells += [.money(Money(cents: v)), .qty(Quantity(milli: v)), .count(Int(v)), .percent(Percent(hundredths: v)),
                          .price(UnitPrice(numerator: Int128(v), denominator: 7)),
                          .price(UnitPrice(mantissa: Int128(v), scale: 6))]
            }
        }
        for cell in cells {
            for fractional in [false, true] {
                let text = shownText(cell, fractionalQty: fractional, template: template)
                XCTAssertEqual(WorkbookRenderer.shownWidth(cell, fractionalQty: fractional, template: template), displayWidth(text),
                               "\(cell) shown as \(text)")
            }
        }
    }

    func testDisplayWidthCountsWideCharactersDouble() {
        XCTAssertEqual(displayWidth(""), 0)
        XCTAssertEqual(displayWidth("P-001 刹车片"), 12)
        XCTAssertEqual(displayWidth("ＡＢ￥"), 6)           // full-width forms
        XCTAssertEqual(displayWidth("é€"), 2)               // narrow beyond ASCII
        XCTAssertEqual(displayWidth("한글"), 4)
    }
}
