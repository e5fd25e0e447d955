import Foundation
import TestSupport
import XCTest

/// `aftersales monthly` on Fixtures/quality: October 2026 with September and August before it for the
/// trend, figures worked out by hand.
///
/// October: R101 (two lines, E1, P001 + 0.5 kg P002) KFR-35GW; R102 KFR-35GW not warranty 80 + 1500;
/// R103 KFR-35GW E2 P003; R104 KFR-72LW E2 no part; R105 KFR-26GW X9 unknown part P009, unknown dealer D03,
/// not warranty; R106 KFR-26GW X9 P003. R110 (November) and R079 (2025-09, M−13) are outside.
/// September: KFR-35GW 2 repairs (R090 has two lines), KFR-26GW 1, KFR-72LW none.
/// Fleet in October: KFR-35GW 12,000, KFR-26GW 3,000; KFR-72LW only has a September row.
/// Old parts in October: P001 1 − 1 (红冲) + 1 = 1, P004 2; OI0 (09-28) is before the month.
final class QualityEndToEndTests: XCTestCase {
    func testQualityFeedbackWorkbookCSVAndCharts() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", fixture("quality"), "--out", out, "--csv"])
        XCTAssertEqual(run.status, 0, "warnings only; stderr: \(run.stderr)")
        let folder = "\(out)/2026-10"
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/manifest.json"))) as! [String: Any]
        XCTAssertEqual(manifest["reports_written"] as? [String], ["parts-movement", "reconciliation", "quality-feedback"],
                       "written without --reports because repairs are present")

        // 3/12000 × 1000 = 0.25, 2/3000 × 1000 = 0.67; (3 − 2)/2 = 50 %, (2 − 1)/1 = 100 %; KFR-72LW: prev 0, change blank.
        XCTAssertEqual(try csv(folder, "by_model"), """
            product_model,repairs,warranty_repairs,parts_cost,labor_cost,total_cost,units,repairs_per_1000,prev_repairs,change_pct
            KFR-26GW,2,1,15.00,45.00,60.00,3000,0.67,1,100.00
            KFR-35GW,3,2,1547.50,230.00,1777.50,12000,0.25,2,50.00
            KFR-72LW,1,1,0.00,60.00,60.00,,,0,

            """)
        // 7 lines: E1 3/7; E2 and X9 2 each, tied, by code; X9 is not catalogued, so its lines' text.
        XCTAssertEqual(try csv(folder, "by_fault"), """
            fault_code,fault_category,description,lines,share_pct,cumulative_pct
            E1,制冷系统,不制冷,3,42.86,42.86
            E2,电气,显示故障,2,28.57,71.43
            X9,,面板松动,2,28.57,100.00

            """)
        // 6 lines with a part: cumulative 4/6 = 66.67 (not 33.33 + 33.33) and 5/6 = 83.33.
        XCTAssertEqual(try csv(folder, "by_part"), """
            part_no,part_name,supplier,qty,lines,share_pct,cumulative_pct
            P001,压缩机,宁波某压缩机有限公司,2,2,33.33,33.33
            P003,遥控器,深圳某电子有限公司,2,2,33.33,66.67
            P002,制冷剂R32,浙江某化工有限公司,0.5,1,16.67,83.33
            P009,(unknown),(unknown),1,1,16.67,100.00

            """)
        XCTAssertEqual(try csv(folder, "by_supplier"), """
            supplier,lines,qty,parts_cost,old_parts_received
            (unknown),1,1,15.00,0
            宁波某压缩机有限公司,2,2,1500.00,1
            宁波某阀门有限公司,0,0,0.00,2
            浙江某化工有限公司,1,0.5,47.50,0
            深圳某电子有限公司,2,2,0.00,0

            """)
        XCTAssertEqual(try csv(folder, "by_dealer"), """
            dealer_id,dealer_name,repairs,warranty_repairs,labor_cost,parts_cost
            D01,上海浦东特约维修站,3,3,175.00,47.50
            D02,广州天河特约维修站,2,1,140.00,1500.00
            D03,(unknown),1,0,20.00,15.00

            """)
        XCTAssertEqual(try csv(folder, "trend"), "month,repairs,warranty_repairs\n2026-08,1,1\n2026-09,3,2\n2026-10,6,4\n")

        let book = try XLSXReadBack(path: "\(folder)/quality-feedback-2026-10.xlsx")
        XCTAssertEqual(book.sheetNames, ["概览", "按机型", "按故障", "按配件", "按供应商", "按网点", "趋势", "数据问题"])
        XCTAssertEqual(book.cell(sheet: "按机型", "A1"), "质量信息反馈表")
        XCTAssertEqual(book.cell(sheet: "按机型", "A2"),
                       "统计期间：2026-10    按机型：本月维修单数、费用、千台维修率及环比    报：营销、生产、品质、采购、技术")
        XCTAssertEqual(book.cell(sheet: "按机型", "H3"), "千台维修率")
        XCTAssertEqual(book.number(sheet: "按机型", "H4"), 0.67)
        XCTAssertEqual(book.number(sheet: "按机型", "J5"), 50)
        XCTAssertNil(book.cell(sheet: "按机型", "J6"), "change blank when last month had 0")
        XCTAssertEqual(book.cell(sheet: "按机型", "A7"), "合计")
        XCTAssertEqual(book.number(sheet: "按机型", "F7"), 1897.5)
        XCTAssertNil(book.cell(sheet: "按机型", "I7"), "prev_repairs is not summed")
        XCTAssertEqual(book.number(sheet: "按配件", "G5"), 66.67)
        XCTAssertEqual(book.number(sheet: "按供应商", "E9"), 3, "old parts total")
        XCTAssertTrue(try book.xml(ofSheet: "按故障").contains("SUBTOTAL(9,D4:D6)"))
        // The summary: R105's two warnings (equal counts: by code); MV of September is history, not an issue.
        XCTAssertEqual(book.rows(sheet: "数据问题")[4...].prefix(3).map { $0.count > 4 ? $0[4] : "" }, ["网点编码不在档案中", "配件编码不在档案中", ""])

        // Charts: the fault and part Paretos (columns labelled with the cumulative %, then a line of it), the trend.
        let faults = try book.xml(of: "xl/charts/chart1.xml")
        XCTAssertTrue(faults.contains(#"<c:barDir val="col"/>"#))
        XCTAssertTrue(faults.contains("<c:f>'按故障'!$D$4:$D$6</c:f>") && faults.contains("<c:f>'按故障'!$A$4:$A$6</c:f>"))
        XCTAssertTrue(faults.contains("<a:t>42.86%</a:t>") && faults.contains("<a:t>71.43%</a:t>"))
        XCTAssertTrue(faults.contains("<a:t>故障排列图（前20项，柱上为累计百分比）</a:t>"))
        let cumulative = try book.xml(of: "xl/charts/chart2.xml")
        XCTAssertTrue(cumulative.contains("<c:lineChart>") && cumulative.contains("<c:f>'按故障'!$F$4:$F$6</c:f>"))
        XCTAssertTrue(cumulative.contains(#"<c:max val="100"/>"#))
        XCTAssertTrue(try book.xml(of: "xl/charts/chart3.xml").contains("<a:t>66.67%</a:t>"))
        let trend = try book.xml(of: "xl/charts/chart5.xml")
        XCTAssertTrue(trend.contains("<c:f>'趋势'!$B$4:$B$6</c:f>") && trend.contains("<c:f>'趋势'!$C$4:$C$6</c:f>"))
        XCTAssertTrue(trend.contains("<c:v>三包单数</c:v>"), "series named by the column label")
        // Beside the tables, after one empty column (by_fault has 6 columns, the trend 3), never over a cell.
        XCTAssertEqual(anchorColumns(try book.xml(of: "xl/drawings/drawing1.xml")), [7, 7])
        XCTAssertEqual(anchorColumns(try book.xml(of: "xl/drawings/drawing3.xml")), [4])
    }

    func testEnglishLabelsAndReportSelection() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", fixture("quality"), "--out", out,
                                  "--locale", "en", "--reports", "quality-feedback"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: "\(out)/2026-10").filter { $0.hasSuffix(".xlsx") },
                       ["quality-feedback-2026-10.xlsx"])
        let book = try XLSXReadBack(path: "\(out)/2026-10/quality-feedback-2026-10.xlsx")
        XCTAssertEqual(book.sheetNames, ["Overview", "By model", "By fault", "By part", "By supplier", "By dealer", "Trend", "Data issues"])
        XCTAssertTrue(book.cell(sheet: "By model", "A2")?.hasSuffix("To: marketing, production, quality, procurement, engineering") == true)
        XCTAssertEqual(book.cell(sheet: "By fault", "F3"), "Cumulative (%)")
    }

    private func csv(_ folder: String, _ table: String) throws -> String {
        try String(contentsOfFile: "\(folder)/csv/quality-feedback/\(table).csv", encoding: .utf8)
    }

    /// The first column of each chart's anchor in a drawing part.
    private func anchorColumns(_ drawing: String) -> [Int] {
        drawing.components(separatedBy: "<xdr:from><xdr:col>").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
    }
}
