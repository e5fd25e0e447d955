import Core
import Foundation
@testable import Render
import Reports
import TestSupport
import XCTest

/// The dealer's 对账单 workbook (SPEC §8.4 `statement`): what the dealer reads, in both locales, and how it prints.
final class StatementWorkbookTests: XCTestCase {
    static let context = RenderContext(company: "某某空调有限公司", documentDate: Day(iso: "2026-10-31")!, toolVersion: "test")

    /// W10007, October 2026, worked by hand: opening 1,000.00; invoice XS1 2,345.60 → 3,345.60; return credit
    /// TH1 −120.00 → 3,225.60; payment SK1 (paying XS1) −3,000.00 → 225.60; refund SK2 +50.00 → 275.60 = closing.
    /// Aging 200.00 (1–30) + 125.60 (31–60) − 50.00 unapplied = 275.60; limit 200.00: over by 75.60.
    static func statement(limit: Money? = Money(cents: 20_000), extraLines: Int = 0) -> DealerStatement {
        func day(_ d: Int) -> Day { Day(year: 2026, month: 10, day: d)! }
        var lines = [
            DealerStatement.Line(date: day(1), kind: .opening, balance: Money(cents: 100_000)),
            .init(date: day(5), kind: .invoice, docNo: "XS1", debit: Money(cents: 234_560), balance: Money(cents: 334_560)),
            .init(date: day(12), kind: .credit, docNo: "TH1", refNo: "XS1", credit: Money(cents: 12_000), balance: Money(cents: 322_560)),
            .init(date: day(20), kind: .payment, docNo: "SK1", refNo: "XS1", credit: Money(cents: 300_000), balance: Money(cents: 22_560)),
            .init(date: day(28), kind: .payment, docNo: "SK2", debit: Money(cents: 5_000), balance: Money(cents: 27_560)),
        ]
        // Further invoices of 1.00 each, for the length of a busy dealer's month.
        for n in 0..<extraLines {
            let balance = Money(cents: 27_560 + 100 * Int64(n + 1))
            lines.append(.init(date: day(29), kind: .invoice, docNo: "XS\(100 + n)", debit: Money(cents: 100), balance: balance))
        }
        lines.append(.init(date: day(31), kind: .closing, balance: lines.last!.balance))
        var aging = DealerStatement.Aging()
        aging.d1to30 = Money(cents: 20_000 + 100 * Int64(extraLines))
        aging.d31to60 = Money(cents: 12_560)
        aging.unapplied = Money(cents: -5_000)
        return DealerStatement(dealerId: "W10007", dealerName: "杭州恒通家电服务部", region: "华东", month: Month(year: 2026, month: 10)!,
                               lines: lines, aging: aging, creditLimit: limit)
    }

    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("statements-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    /// The workbook written in the test's directory, read back, and its sheet's name.
    private func written(_ statement: DealerStatement, locale: String) throws -> (XLSXReadBack, String) {
        let template = try Template.load(directory: WorkbookRendererTests.templates, locale: locale, document: "statement")
        let path = directory.appendingPathComponent("statement-\(locale).xlsx").path
        try StatementWorkbook.write(statement, template: template, context: Self.context, to: path)
        let book = try XLSXReadBack(path: path)
        return (book, template.title)
    }

    func testChineseStatementLinesAgingLimitAndConfirmation() throws {
        let (book, sheet) = try written(Self.statement(), locale: "zh-CN")
        XCTAssertEqual(book.sheetNames, ["对账单"])
        let rows = book.rows(sheet: sheet)
        XCTAssertEqual(rows[0].first, "某某空调有限公司")
        XCTAssertEqual(rows[1].first, "对账单")
        XCTAssertEqual(rows[3].first, "网点：W10007  杭州恒通家电服务部")
        XCTAssertEqual(rows[4][0], "区域：华东")
        XCTAssertEqual(rows[4][4], "对账期间：2026-10-01 至 2026-10-31")
        XCTAssertEqual(rows[5][4], "对账日期：2026-10-31")
        XCTAssertEqual(rows[6], ["日期", "类型", "单据号", "关联单号", "借方（应收）", "贷方（已收/冲减）", "余额"])
        // Excel serials: 2024-04-30 is 45412 (XLSXTests), 2026-10-01 is 884 days later.
        XCTAssertEqual(rows[7], ["46296", "期初余额", "", "", "", "", "1000"])
        XCTAssertEqual(rows[8], ["46300", "发票", "XS1", "", "2345.6", "", "3345.6"])
        XCTAssertEqual(rows[9], ["46307", "退货贷项", "TH1", "XS1", "", "120", "3225.6"])
        XCTAssertEqual(rows[10], ["46315", "收款", "SK1", "XS1", "", "3000", "225.6"])
        XCTAssertEqual(rows[11], ["46323", "收款", "SK2", "", "50", "", "275.6"])
        XCTAssertEqual(rows[12], ["46326", "期末余额", "", "", "", "", "275.6"])
        // The aging on the left, the credit limit on the right.
        XCTAssertEqual(rows[14][0], "期末余额账龄")
        XCTAssertEqual(rows[14][4], "信用额度")
        XCTAssertEqual(rows[15].prefix(3), ["未到期", "", "0"])
        XCTAssertEqual(rows[16].prefix(3), ["逾期 1–30 天", "", "200"])
        XCTAssertEqual(rows[17].prefix(3), ["逾期 31–60 天", "", "125.6"])
        XCTAssertEqual(rows[20].prefix(3), ["逾期 120 天以上", "", "0"])
        XCTAssertEqual(rows[21].prefix(3), ["未核销预收款/贷项", "", "-50"])
        XCTAssertEqual(rows[22].prefix(3), ["期末余额", "", "275.6"])
        XCTAssertEqual(rows[15].suffix(3), ["信用额度", "", "200"])
        XCTAssertEqual(rows[16].suffix(3), ["期末余额", "", "275.6"])
        XCTAssertEqual(rows[17][4], "超出额度")
        XCTAssertEqual(book.number(sheet: sheet, "G18"), 75.6, "275.60 − 200.00")
        XCTAssertEqual(rows[18][4], "期末余额已超出信用额度 75.60 元，请尽快安排回款；超限期间新订单可能暂缓发货。")
        // The confirmation block: what to do, boxes to tick, where to sign and stamp, the issuer.
        XCTAssertEqual(rows[24].first, "网点确认")
        XCTAssertTrue(rows[25][0].hasPrefix("请核对本对账单的往来明细及期末余额，确认无误后签字盖章回传"))
        XCTAssertEqual(rows[26][0], "□ 核对无误")
        XCTAssertEqual(rows[26][2], "□ 有差异，差异说明：")
        XCTAssertEqual(rows[29][0], "网点负责人签字：")
        XCTAssertEqual(rows[29][4], "网点盖章：")
        XCTAssertEqual(rows[30][0], "日期：　　　　年　　月　　日")
        XCTAssertEqual(rows[30][4], "对账单位：某某空调有限公司")
        XCTAssertEqual(rows.count, 31)

        let styles = try book.xml(of: "xl/styles.xml")
        XCTAssertTrue(styles.contains(##"formatCode="#,##0.00""##) && styles.contains(#"formatCode="yyyy-mm-dd""#))
        XCTAssertTrue(styles.contains(#"<bottom style="double">"#), "the closing line ruled off")
        let xml = try book.xml(ofSheet: sheet)
        XCTAssertTrue(xml.contains(#"<conditionalFormatting sqref="G8:G13">"#), "a credit balance in red")
        XCTAssertTrue(xml.contains(#"<mergeCell ref="E19:G22"/>"#), "the over-limit note has room")
    }

    /// 40 lines: portrait A4, 1 page wide and tall, margins, centred, the header row repeated, the footer numbering pages.
    func testPrintSetupOnOnePage() throws {
        let (book, sheet) = try written(Self.statement(extraLines: StatementWorkbook.onePageLines - 6), locale: "zh-CN")
        let xml = try book.xml(ofSheet: sheet)
        XCTAssertTrue(xml.contains(#"<pageSetUpPr fitToPage="1"/>"#))
        XCTAssertTrue(xml.contains(#"<printOptions horizontalCentered="1"/>"#))
        XCTAssertTrue(xml.contains(#"<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.7""#))
        XCTAssertTrue(xml.contains(#"<pageSetup paperSize="9" orientation="portrait""#))
        XCTAssertFalse(xml.contains("fitToHeight"), "1 page tall is Excel's default for fitToHeight")
        XCTAssertTrue(xml.contains("<oddFooter>&amp;L某某空调有限公司 对账单 W10007 2026-10&amp;R第 &amp;P 页 / 共 &amp;N 页</oddFooter>"))
        XCTAssertTrue(xml.contains(#"showGridLines="0""#))
        XCTAssertTrue(try book.xml(of: "xl/workbook.xml").contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'对账单'!$7:$7</definedName>"#))
        XCTAssertEqual(book.rows(sheet: sheet)[6 + StatementWorkbook.onePageLines].prefix(2), ["46326", "期末余额"])
    }

    /// 41 lines, longer than a page: one page wide, as many tall as it needs, the aging, the limit and the
    /// confirmation first (from row 8, after the title block and an empty row), where no page break cuts them;
    /// then the lines under their header (row 26), repeated on every page.
    func testLongStatementPutsAgingAndConfirmationFirst() throws {
        let (book, sheet) = try written(Self.statement(extraLines: StatementWorkbook.onePageLines - 5), locale: "zh-CN")
        let rows = book.rows(sheet: sheet)
        XCTAssertEqual(rows[7].first, "期末余额账龄")
        XCTAssertEqual(rows[15].prefix(3), ["期末余额", "", "310.6"], "275.60 + 35 × 1.00")
        XCTAssertEqual(rows[17].first, "网点确认")
        XCTAssertEqual(rows[23][0], "日期：　　　　年　　月　　日")
        XCTAssertEqual(rows[25], ["日期", "类型", "单据号", "关联单号", "借方（应收）", "贷方（已收/冲减）", "余额"])
        XCTAssertEqual(rows[26].prefix(2), ["46296", "期初余额"])
        XCTAssertEqual(rows[66].prefix(2), ["46326", "期末余额"])
        XCTAssertEqual(rows.count, 67)
        let xml = try book.xml(ofSheet: sheet)
        XCTAssertTrue(xml.contains(#"fitToHeight="0""#))
        XCTAssertTrue(xml.contains(#"<conditionalFormatting sqref="G27:G67">"#))
        XCTAssertTrue(try book.xml(of: "xl/workbook.xml").contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'对账单'!$26:$26</definedName>"#))
    }

    func testEnglishLabelsAndNoLimit() throws {
        let (book, sheet) = try written(Self.statement(limit: nil), locale: "en")
        XCTAssertEqual(book.sheetNames, ["Statement of account"])
        let rows = book.rows(sheet: sheet)
        XCTAssertEqual(rows[1].first, "Statement of account")
        XCTAssertEqual(rows[3].first, "Dealer: W10007  杭州恒通家电服务部")
        XCTAssertEqual(rows[4][4], "Period: 2026-10-01 to 2026-10-31")
        XCTAssertEqual(rows[6], ["Date", "Type", "Document", "Reference", "Debit", "Credit", "Balance"])
        XCTAssertEqual(rows.dropFirst(7).prefix(6).map { $0[1] },
                       ["Opening balance", "Invoice", "Credit note", "Payment", "Payment", "Closing balance"])
        XCTAssertEqual(rows[15].suffix(3), ["Credit limit", "", "none"])
        XCTAssertEqual(rows[16].suffix(3), ["Closing balance", "", "275.6"])
        XCTAssertEqual(rows[17].count, 3, "no limit: nothing beside the 31–60 bucket")
        XCTAssertEqual(rows[22].prefix(3), ["Closing balance", "", "275.6"])
        XCTAssertEqual(rows[26][0], "□ Agreed")
        XCTAssertEqual(rows[29][4], "Stamp:")
    }

    func testWithinTheLimitShowsWhatIsAvailable() throws {
        let (book, sheet) = try written(Self.statement(limit: Money(cents: 50_000)), locale: "zh-CN")
        let rows = book.rows(sheet: sheet)
        XCTAssertEqual(rows[17].suffix(3), ["可用额度", "", "224.4"], "500.00 − 275.60")
        XCTAssertEqual(rows[18].count, 3, "no over-limit note")
    }

    /// Statements of several dealers: each at its own path with its own dealer and running balance; a path
    /// that cannot be written is an error naming it.
    func testEachStatementAtItsPathAndAnUnwritablePathNamed() throws {
        let dir = directory!
        let template = try Template.load(directory: WorkbookRendererTests.templates, locale: "zh-CN", document: "statement")
        let base = Self.statement()
        let statements = (0..<3).map { n in
            DealerStatement(dealerId: "W\(10_001 + n)", dealerName: "网点\(n)", region: "华东", month: base.month,
                            lines: Self.statement(extraLines: n).lines, aging: base.aging, creditLimit: nil)
        }
        for statement in statements {
            try StatementWorkbook.write(statement, template: template, context: Self.context,
                                        to: dir.appendingPathComponent("statement-2026-10-\(statement.dealerId).xlsx").path)
        }
        for (n, statement) in statements.enumerated() {
            let book = try XLSXReadBack(path: dir.appendingPathComponent("statement-2026-10-\(statement.dealerId).xlsx").path)
            let rows = book.rows(sheet: "对账单")
            XCTAssertEqual(rows[3].first, "网点：W\(10_001 + n)  网点\(n)")
            XCTAssertEqual(rows[12 + n].last, "\(275.6 + Double(n))", "closing after \(n) more invoices of 1.00")
        }
        let unwritable = dir.appendingPathComponent("missing/statement.xlsx").path
        XCTAssertThrowsError(try StatementWorkbook.write(statements[0], template: template, context: Self.context, to: unwritable)) { error in
            XCTAssertTrue("\(error)".contains("missing/statement.xlsx"), "\(error)")
        }
    }

    /// Every word, column and line type the statement shows has a label in both locales.
    func testEveryStatementLabelInEveryLocale() throws {
        for locale in TemplateLabelTests.locales {
            let template = try Template.load(directory: WorkbookRendererTests.templates, locale: locale, document: "statement")
            XCTAssertNotEqual(template.title, "statement", "\(locale): no title")
            for word in StatementWorkbook.words { XCTAssertNotNil(template.text[word], "\(locale): no [text] \(word)") }
            for id in StatementWorkbook.columns + StatementWorkbook.agingColumns {
                XCTAssertNotNil(template.columns[id], "\(locale): no label for column \(id)")
            }
            for kind in StatementWorkbook.kinds { XCTAssertNotNil(template.codes[kind.rawValue], "\(locale): no label for \(kind)") }
            for format in ["money", "date"] { XCTAssertNotNil(template.formats[format], "\(locale): no \(format) format") }
        }
    }
}
