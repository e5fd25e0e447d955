import CCellPrinting
import Foundation
import Testing
import TestSupport
import XLSX

/// A scratch directory per test, removed afterwards.
private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try body(dir)
}

private let periodEnd = Date(timeIntervalSince1970: 1_714_435_200) // 2024-04-30T00:00:00Z
private let money = CellFormat(numberFormat: "#,##0.00")
private let header = CellFormat(bold: true, fillColor: 0xDDEBF7, border: .thin, align: .center)
private let negative = CellFormat(fontColor: 0x9C0006, fillColor: 0xFFC7CE)

/// Title on row 1, header on row 3, three data rows, a totals row, two charts.
private func writeReport(to path: String) throws {
    let workbook = try Workbook(path: path)
    workbook.properties = DocumentProperties(title: "配件收发存 2024-04", subject: "parts movement",
                                             company: "售后服务部", created: periodEnd)
    let sheet = try workbook.addWorksheet("汇总 Summary")
    try sheet.mergeRange(CellRange(firstRow: 0, firstCol: 0, lastRow: 0, lastCol: 4),
                         string: "配件收发存汇总 2024-04", format: CellFormat(bold: true, fontSize: 16))
    for (col, title) in ["零件号", "金额", "数量", "差异", "累计%"].enumerated() {
        try sheet.write(row: 2, col: col, string: title, format: header)
    }
    let rows: [(String, Int64, Int64, Int64, Int64)] = [
        ("P-001 刹车片", 123_456_789, 42, -1_250, 5_000),
        ("P-002", 5, 7, 0, 8_000),
        ("P-003 \"特\"", -99, 1, 300, 10_000),
    ]
    for (i, (part, amount, qty, variance, cumulative)) in rows.enumerated() {
        let row = 3 + i
        try sheet.write(row: row, col: 0, string: part)
        try sheet.write(row: row, col: 1, decimal: amount, scale: 2, format: money)
        try sheet.write(row: row, col: 2, integer: qty)
        try sheet.write(row: row, col: 3, decimal: variance, scale: 3, format: CellFormat(numberFormat: "#,##0.###"))
        try sheet.write(row: row, col: 4, decimal: cumulative, scale: 2, format: CellFormat(numberFormat: "0.00\"%\""))
    }
    try sheet.write(row: 6, col: 0, string: "合计", format: CellFormat(bold: true))
    try sheet.write(row: 6, col: 1, formula: "SUM(B4:B6)", cachedValue: (123_456_695, 2),
                    format: CellFormat(bold: true, numberFormat: "#,##0.00"))
    try sheet.write(row: 6, col: 2, formula: "=SUM(C4:C6)")
    try sheet.write(row: 7, col: 0, boolean: true)
    try sheet.write(row: 7, col: 1, date: (2024, 4, 30), format: CellFormat(numberFormat: "yyyy-mm-dd"))
    try sheet.writeBlank(row: 7, col: 2, format: header)
    try sheet.setColumn(first: 0, last: 0, width: 18)
    try sheet.setColumn(first: 1, last: 4, width: 12, format: money)
    try sheet.setRow(0, height: 24)
    sheet.freezePanes(row: 3, col: 0)
    try sheet.autofilter(CellRange(firstRow: 2, firstCol: 0, lastRow: 5, lastCol: 4))
    try sheet.conditionalFormat(CellRange(firstRow: 3, firstCol: 3, lastRow: 5, lastCol: 3),
                                rule: .cellValue(.lessThan, 0), format: negative)
    try sheet.conditionalFormat(CellRange(firstRow: 3, firstCol: 0, lastRow: 5, lastCol: 0),
                                rule: .textEquals("P-003 \"特\""), format: negative)
    sheet.hideGridlines()
    sheet.setLandscape()
    sheet.fitToWidth()
    try sheet.repeatRows(first: 0, last: 2)
    try sheet.setHeader("&L配件收发存&R第 &P 页")
    try sheet.setFooter("&C2024-04")
    sheet.setTabColor(0x1F4E78)
    sheet.activate()

    let counts = try workbook.addChart(.column)
    try counts.addSeries(values: CellRange(firstRow: 3, firstCol: 2, lastRow: 5, lastCol: 2),
                         categories: CellRange(firstRow: 3, firstCol: 0, lastRow: 5, lastCol: 0),
                         in: sheet, name: "数量", labels: .texts(["50%", "80%", "100%"]))
    counts.setTitle("故障帕累托")
    counts.setXAxis(title: "零件")
    counts.setYAxis(title: "次数", numberFormat: "#,##0")
    counts.setLegend(.none)
    try sheet.insertChart(counts, row: 9, col: 0, width: 640, height: 320)

    let cumulative = try workbook.addChart(.line)
    try cumulative.addSeries(values: CellRange(firstRow: 3, firstCol: 4, lastRow: 5, lastCol: 4),
                             categories: CellRange(firstRow: 3, firstCol: 0, lastRow: 5, lastCol: 0),
                             in: sheet, name: "累计%", labels: .values(numberFormat: "0.0"))
    cumulative.setYAxis(numberFormat: "0\"%\"", min: 0, max: 100)
    cumulative.setLegend(.bottom)
    try sheet.insertChart(cumulative, row: 9, col: 6)

    let share = try workbook.addChart(.pie)
    try share.addSeries(values: CellRange(firstRow: 3, firstCol: 2, lastRow: 5, lastCol: 2),
                        categories: CellRange(firstRow: 3, firstCol: 0, lastRow: 5, lastCol: 0),
                        in: sheet, labels: .percentages)
    let detail = try workbook.addWorksheet("明细")
    try detail.write(row: 0, col: 0, string: "空")
    try detail.insertChart(share, row: 2, col: 0)
    try workbook.close()
}

@Test func cellsAndSharedStringsReadBack() throws {
    try withTemporaryDirectory { dir in
        let path = dir.appendingPathComponent("report.xlsx").path
        try writeReport(to: path)
        let book = try XLSXReadBack(path: path)
        #expect(book.sheetNames == ["汇总 Summary", "明细"])
        let sheet = "汇总 Summary"
        #expect(book.cell(sheet: sheet, "A1") == "配件收发存汇总 2024-04")
        #expect(book.cell(sheet: sheet, "A4") == "P-001 刹车片")
        #expect(book.cell(sheet: sheet, "A6") == "P-003 \"特\"")
        #expect(book.cell(sheet: sheet, "B4") == "1234567.89")
        #expect(book.cell(sheet: sheet, "B5") == "0.05")
        #expect(book.cell(sheet: sheet, "B6") == "-0.99")
        #expect(book.cell(sheet: sheet, "C4") == "42")
        #expect(book.cell(sheet: sheet, "D4") == "-1.25")
        #expect(book.cell(sheet: sheet, "B7") == "1234566.95")
        #expect(book.cell(sheet: sheet, "C7") == "0")
        #expect(book.cell(sheet: sheet, "A8") == "1")
        #expect(book.cell(sheet: sheet, "B8") == "45412")
        #expect(book.cell(sheet: sheet, "C8") == nil)
        #expect(book.cell(sheet: "明细", "A1") == "空")
        #expect(book.rows(sheet: sheet)[2] == ["零件号", "金额", "数量", "差异", "累计%"])
        #expect(book.rows(sheet: sheet)[1] == [])
        #expect(book.rows(sheet: sheet)[4] == ["P-002", "0.05", "7", "0", "80"])

        let xml = try book.xml(ofSheet: sheet)
        #expect(xml.contains("<f>SUM(B4:B6)</f><v>1234566.95</v>"))
        #expect(xml.contains(#"<pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"/>"#))
        #expect(xml.contains(#"<autoFilter ref="A3:E6"/>"#))
        #expect(xml.contains(#"<mergeCell ref="A1:E1"/>"#))
        #expect(xml.contains(#"<conditionalFormatting sqref="D4:D6"><cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan"><formula>0</formula>"#))
        #expect(xml.contains(#"<conditionalFormatting sqref="A4:A6"><cfRule type="cellIs" dxfId="0" priority="2" operator="equal"><formula>"P-003 ""特"""</formula>"#))
        #expect(xml.contains(#"<col min="1" max="1" width="18.7109375" customWidth="1"/>"#))
        #expect(xml.contains(#"<row r="1" spans="1:5" ht="24" customHeight="1">"#))
        #expect(xml.contains(#"showGridLines="0""#))
        #expect(xml.contains(#"<tabColor rgb="FF1F4E78"/>"#))
        #expect(xml.contains(#"orientation="landscape""#) && xml.contains(#"<pageSetUpPr fitToPage="1"/>"#) && xml.contains(#"fitToHeight="0""#))
        #expect(xml.contains("<oddHeader>&amp;L配件收发存&amp;R第 &amp;P 页</oddHeader>"))
        #expect(xml.contains("<drawing r:id=\"rId1\"/>"))
        #expect(try book.xml(of: "xl/workbook.xml").contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'汇总 Summary'!$1:$3</definedName>"#))
    }
}

@Test func formatsReachTheStylesPart() throws {
    try withTemporaryDirectory { dir in
        let path = dir.appendingPathComponent("formats.xlsx").path
        try writeReport(to: path)
        let styles = try XLSXReadBack(path: path).xml(of: "xl/styles.xml")
        #expect(styles.contains(##"formatCode="#,##0.00""##))
        #expect(styles.contains(#"formatCode="0.00&quot;%&quot;""#))
        #expect(styles.contains(#"formatCode="yyyy-mm-dd""#))
        // The default plus the 8 distinct CellFormats given to cells, rows and columns.
        #expect(styles.contains(#"<cellXfs count="9">"#))
        // `negative` backs both conditional formats: one dxf, red font on light red fill.
        #expect(styles.contains(#"<dxfs count="1"><dxf><font><color rgb="FF9C0006"/></font><fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill></dxf></dxfs>"#))
    }
}

@Test func chartsReferenceTheirSheetAndCarryLabels() throws {
    try withTemporaryDirectory { dir in
        let path = dir.appendingPathComponent("charts.xlsx").path
        try writeReport(to: path)
        let book = try XLSXReadBack(path: path)
        let column = try book.xml(of: "xl/charts/chart1.xml")
        #expect(column.contains(#"<c:barDir val="col"/>"#))
        #expect(column.contains("<c:f>'汇总 Summary'!$C$4:$C$6</c:f>"))
        #expect(column.contains("<c:f>'汇总 Summary'!$A$4:$A$6</c:f>"))
        #expect(column.contains("<c:v>数量</c:v>"))
        #expect(column.contains("<c:idx val=\"1\"/><c:layout/><c:tx><c:rich>"))
        #expect(column.contains("<a:t>80%</a:t>"))
        #expect(column.contains("<a:t>故障帕累托</a:t>"))
        #expect(column.contains(##"<c:numFmt formatCode="#,##0" sourceLinked="0"/>"##))
        #expect(!column.contains("<c:legend>"))
        let line = try book.xml(of: "xl/charts/chart2.xml")
        #expect(line.contains("<c:lineChart>"))
        #expect(line.contains(#"<c:max val="100"/>"#))
        #expect(line.contains(#"<c:legendPos val="b"/>"#))
        #expect(line.contains(#"<c:numFmt formatCode="0.0" sourceLinked="0"/>"#))
        let pie = try book.xml(of: "xl/charts/chart3.xml")
        #expect(pie.contains("<c:pieChart>") && pie.contains(#"<c:showPercent val="1"/>"#))
        #expect(try book.xml(of: "xl/drawings/drawing1.xml").contains("<xdr:col>6</xdr:col>"))
        #expect(try book.xml(of: "xl/worksheets/_rels/sheet2.xml.rels").contains("../drawings/drawing2.xml"))
    }
}

@Test func documentPropertiesAndTimestampsAreFixed() throws {
    try withTemporaryDirectory { dir in
        let path = dir.appendingPathComponent("props.xlsx").path
        try writeReport(to: path)
        let book = try XLSXReadBack(path: path)
        let core = try book.xml(of: "docProps/core.xml")
        #expect(core.contains("<dc:title>配件收发存 2024-04</dc:title>"))
        #expect(core.contains(#"<dcterms:created xsi:type="dcterms:W3CDTF">2024-04-30T00:00:00Z</dcterms:created>"#))
        #expect(core.contains(#"<dcterms:modified xsi:type="dcterms:W3CDTF">2024-04-30T00:00:00Z</dcterms:modified>"#))
        #expect(try book.xml(of: "docProps/app.xml").contains("<Company>售后服务部</Company>"))
        // The first local file header's DOS time and date: 00:00:00, 1980-01-01.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes[0..<4]) == [0x50, 0x4B, 0x03, 0x04])
        #expect(Array(bytes[10..<14]) == [0x00, 0x00, 0x21, 0x00])
    }
}

@Test func withoutPropertiesTheDocumentDateIs1980() throws {
    try withTemporaryDirectory { dir in
        let path = dir.appendingPathComponent("bare.xlsx").path
        let workbook = try Workbook(path: path)
        try workbook.addWorksheet("Sheet1").write(row: 0, col: 0, integer: 1)
        try workbook.close()
        let core = try XLSXReadBack(path: path).xml(of: "docProps/core.xml")
        #expect(core.contains(#"<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>"#))
    }
}

@Test func identicalWorkbooksAreByteIdentical() throws {
    try withTemporaryDirectory { dir in
        let first = dir.appendingPathComponent("a.xlsx")
        let second = dir.appendingPathComponent("b.xlsx")
        try writeReport(to: first.path)
        Thread.sleep(forTimeInterval: 1.1) // a different wall-clock second must not matter
        try writeReport(to: second.path)
        let a = try Data(contentsOf: first)
        #expect(a.count > 1000)
        #expect(a == (try Data(contentsOf: second)))
    }
}

@Test func decimalsBecomeTheNearestDouble() throws {
    try withTemporaryDirectory { dir in
        let path = dir.appendingPathComponent("numbers.xlsx").path
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet("n")
        let cases: [(Int64, Int, String)] = [
            (123_456_789, 2, "1234567.89"),
            (-5, 3, "-0.005"),
            (1, 0, "1"),
            (7, -3, "7000"),
            (999_999_999_999_999, 2, "9999999999999.99"),
            (9_007_199_254_740_993, 0, "9007199254740992"), // 2^53 + 1: ties to even
            (666, 1, "66.6"), // the shortest decimal that reads back as the Double (libxlsxwriter's "%.16G": 66.59999999999999)
        ]
        for (row, (mantissa, scale, _)) in cases.enumerated() {
            try sheet.write(row: row, col: 0, decimal: mantissa, scale: scale)
        }
        try sheet.write(row: 0, col: 1, integer: -1_234_567_890_123)
        try workbook.close()
        let book = try XLSXReadBack(path: path)
        for (row, (_, _, expected)) in cases.enumerated() {
            #expect(book.cell(sheet: "n", "A\(row + 1)") == expected)
        }
        #expect(book.number(sheet: "n", "A7") == 66.6)
        #expect(book.cell(sheet: "n", "B1") == "-1234567890123")
    }
}

@Test func badSheetNamesThrow() throws {
    let workbook = try Workbook(path: "/nonexistent/never-written.xlsx")
    _ = try workbook.addWorksheet("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一") // 31 characters
    _ = try workbook.addWorksheet("Parts")
    for name in ["", "a/b", "x[1]", "q?", "c:d", "s*", "back\\slash", "'quoted'",
                 String(repeating: "长", count: 32), "PARTS"] {
        #expect(throws: XLSXError.self, "\(name)") { try workbook.addWorksheet(name) }
    }
    do {
        _ = try workbook.addWorksheet("a/b")
        Issue.record("a/b accepted")
    } catch let error as XLSXError {
        #expect(error.context == "add worksheet \"a/b\"")
        #expect(error.message.contains("cannot contain invalid characters"))
    }
}

@Test func formulaLikeChartLabelsThrow() throws {
    let workbook = try Workbook(path: "/nonexistent/never-written.xlsx")
    let sheet = try workbook.addWorksheet("s")
    let chart = try workbook.addChart(.column)
    #expect(throws: XLSXError.self) {
        try chart.addSeries(values: CellRange(firstRow: 0, firstCol: 0, lastRow: 1, lastCol: 0), in: sheet,
                            labels: .texts(["ok", "=A1"]))
    }
}

@Test func badCellIndexesThrow() throws {
    let workbook = try Workbook(path: "/nonexistent/never-written.xlsx")
    let sheet = try workbook.addWorksheet("s")
    #expect(throws: XLSXError.self) { try sheet.write(row: -1, col: 0, integer: 1) }
    #expect(throws: XLSXError.self) { try sheet.write(row: 1_048_576, col: 0, string: "x") }
    #expect(throws: XLSXError.self) { try sheet.write(row: 0, col: 16_384, decimal: 1, scale: 0) }
    #expect(throws: XLSXError.self) { try sheet.write(row: 0, col: 0, string: String(repeating: "x", count: 32_768)) }
}

@Test func unwritableDestinationThrowsAtClose() throws {
    try withTemporaryDirectory { dir in
        // A missing folder, and a file standing where the folder must be: both fail for root too.
        let file = dir.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        var destinations = [dir.appendingPathComponent("missing/report.xlsx"), file.appendingPathComponent("report.xlsx")]
        // An existing folder that refuses a new file. Root writes into a mode-555 folder anyway, so
        // as root the folder is /sys (sysfs creates no file for anyone: EACCES); a missing /sys is a
        // failure, not a skip.
        if geteuid() != 0 {
            let readOnly = dir.appendingPathComponent("readonly")
            try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o555])
            destinations.append(readOnly.appendingPathComponent("report.xlsx"))
        } else {
            var isFolder: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: "/sys", isDirectory: &isFolder) && isFolder.boolValue,
                    "no /sys: the read-only-folder case cannot run as root here")
            destinations.append(URL(fileURLWithPath: "/sys/aftersales-\(getpid())-report.xlsx"))
        }
        for destination in destinations {
            let workbook = try Workbook(path: destination.path)
            try workbook.addWorksheet("s").write(row: 0, col: 0, string: "x")
            do {
                try workbook.close()
                Issue.record("close() succeeded writing \(destination.path)")
            } catch let error as XLSXError {
                #expect(error.context == "close \(destination.path)")
                #expect(error.message.contains("Error creating output xlsx file"))
            }
            #expect(!FileManager.default.fileExists(atPath: destination.path))
        }
    }
}

@Test func constantMemoryWritesInlineStrings() throws {
    try withTemporaryDirectory { dir in
        let path = dir.appendingPathComponent("streamed.xlsx").path
        let workbook = try Workbook(path: path, constantMemory: true)
        let sheet = try workbook.addWorksheet("流")
        for row in 0..<3 {
            try sheet.write(row: row, col: 0, string: "行\(row)")
            try sheet.write(row: row, col: 1, decimal: Int64(row) * 150, scale: 2, format: money)
        }
        try workbook.close()
        let book = try XLSXReadBack(path: path)
        #expect(book.rows(sheet: "流") == [["行0", "0"], ["行1", "1.5"], ["行2", "3"]])
        #expect(try book.xml(ofSheet: "流").contains(#"t="inlineStr""#))
    }
}

/// libxlsxwriter's zip parts are deflated at level 2 by the executable's deflateInit2_ (CDeflateLevel),
/// not at its fixed level 6, and the workbook still reads back.
@Test func workbookPartsAreDeflatedAtTheFastLevel() throws {
    let dir = try temporaryDirectory("xlsx-deflate")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let before = Workbook.partsDeflatedFast
    let workbook = try Workbook(path: "\(dir)/fast.xlsx")
    let sheet = try workbook.addWorksheet("s")
    for row in 0..<2_000 { try sheet.write(row: row, col: 0, string: "P-\(row % 97)") }
    try workbook.close()
    // A workbook has about ten parts ([Content_Types].xml, the rels, docProps, the sheet, styles, strings…).
    #expect(Workbook.partsDeflatedFast - before >= 8)
    #expect(try XLSXReadBack(path: "\(dir)/fast.xlsx").cell(sheet: "s", "A2000") == "P-59")
}

/// libxlsxwriter's number cells and cell references are printed by the executable's __fprintf_chk and
/// snprintf (CCellPrinting), not glibc's printf: the cells are counted, and read back at their references.
@Test func numberCellsArePrintedDirectly() throws {
    let dir = try temporaryDirectory("xlsx-print")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let before = Workbook.numberCellsPrintedDirectly
    let workbook = try Workbook(path: "\(dir)/numbers.xlsx")
    let sheet = try workbook.addWorksheet("s")
    for row in 0..<1_500 {
        try sheet.write(row: row, col: 0, decimal: Int64(row) * 7 - 5_000, scale: 2)                     // no style
        try sheet.write(row: row, col: 1, decimal: Int64(row), scale: 3, format: CellFormat(numberFormat: "0.000"))  // styled
    }
    try sheet.write(row: 1_500, col: 0, decimal: 1, scale: 0)
    try sheet.write(row: 1_501, col: 0, integer: 1)
    try workbook.close()
    #expect(Workbook.numberCellsPrintedDirectly - before == 3_002)
    let book = try XLSXReadBack(path: "\(dir)/numbers.xlsx")
    #expect(book.cell(sheet: "s", "A1") == "-50")
    #expect(book.cell(sheet: "s", "A1234") == "36.31")
    #expect(book.cell(sheet: "s", "B1500") == "1.499")
    #expect(book.cell(sheet: "s", "B11") == "0.01")
    #expect(book.cell(sheet: "s", "A1502") == "1")
}

/// A decimal of at most 15 digits made a Double is written as that decimal, which reads back as the same
/// Double; a Double that is no such decimal is left to "%.16G".
@Test func numberTextIsTheShortestDecimalThatReadsBack() {
    func text(_ value: Double) -> String? {
        var buffer = [CChar](repeating: 0, count: 40)
        return aftersales_short_decimal(&buffer, value) > 0 ? String(cString: buffer) : nil
    }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<100_000 {
        let scale = Int.random(in: 0...6, using: &generator)
        let mantissa = Int64.random(in: -999_999_999_999_999...999_999_999_999_999, using: &generator)
        let value = Double(mantissa) / [1, 10, 100, 1e3, 1e4, 1e5, 1e6][scale]
        guard let written = text(value) else { Issue.record("\(mantissa)e-\(scale) not written"); continue }
        #expect(Double(written) == value, "\(mantissa)e-\(scale) → \(written)")
        #expect(!written.contains(".") || !written.hasSuffix("0"), "\(written) has trailing zeros")
    }
    #expect(text(0.07) == "0.07")
    #expect(text(-1234567.5) == "-1234567.5")
    #expect(text(0) == "0")
    #expect(text(100) == "100")
    #expect(text(0.000001) == "0.000001")
    for other in [1.0 / 3, 0.0000001, 1e15, 1e300, -0.0, .infinity, .nan] { #expect(text(other) == nil, "\(other)") }
}
