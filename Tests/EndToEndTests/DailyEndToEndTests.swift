import Foundation
import TestSupport
import XCTest

/// Runs the built `aftersales` binary on Fixtures/daily and checks the workbook cells, the CSV
/// twin and the manifest against figures worked out by hand from the fixture (see the comments).
final class DailyEndToEndTests: XCTestCase {
    // Received on 2026-10-31 (not cancelled): SO1002/1 1 × 1250.00 = 1250.00,
    // SO1002/2 2.375 × 85.50 = 203.0625 → 203.06, SO1003/1 10 × 12.345 = 123.45.
    // Rejected: SO1007 (qty −1, wrong_sign, line 10), SO1008 (shipped without ship_date, line 11).
    // Exact duplicate: line 12 repeats line 4 ("1,250.00" = "1250", 未发货 = open).
    // Warned: SO1006 (dealer D09 and part P009 not in the masters) — one row, two warnings.
    let amountReceived = "1576.51"      // 1250.00 + 203.06 + 123.45
    let mtdAmountReceived = "5575.76"   // + SO1001/1 2500.00 + SO1001/2 299.25 + SO1005/1 1200.00
    let amountShipped = "2703.06"       // shipped on the day: SO1001/1 2500.00 + SO1002/2 203.06
    let openAmount = "2972.70"          // SO1001/2 299.25 + SO1002/1 1250 + SO1003/1 123.45 + SO1005/1 1200 (ships 11-02) + SO1006/1 100.00

    func testDailyWorkbookCSVAndManifest() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["daily", "--date", "2026-10-31", "--inputs", fixture("daily"), "--out", out, "--csv"])
        XCTAssertEqual(run.status, 1, "rows were rejected, so the exit code is 1; stderr: \(run.stderr)")

        let book = try XLSXReadBack(path: "\(out)/2026-10-31/daily-orders-2026-10-31.xlsx")
        XCTAssertEqual(book.sheetNames, ["概览", "汇总", "按网点", "按配件", "未发货订单", "当日订单明细", "数据问题"])
        // Summary: header on row 3, metrics from row 4 in the order of SPEC §5.1.
        XCTAssertEqual(book.cell(sheet: "汇总", "A3"), "指标")
        let summary = Dictionary(uniqueKeysWithValues: (4...15).map { (book.cell(sheet: "汇总", "A\($0)")!, book.number(sheet: "汇总", "B\($0)")!) })
        XCTAssertEqual(summary["当日接收订单数"], 2)
        XCTAssertEqual(summary["当日接收订单行数"], 3)
        XCTAssertEqual(summary["当日订货数量"], 13.375)
        XCTAssertEqual(summary["当日订货金额"], Double(amountReceived))
        XCTAssertEqual(summary["当日发货行数"], 2)
        XCTAssertEqual(summary["当日发货金额"], Double(amountShipped))
        XCTAssertEqual(summary["本月累计订单数"], 4)
        XCTAssertEqual(summary["本月累计订货金额"], Double(mtdAmountReceived))
        XCTAssertEqual(summary["本月累计发货金额"], Double(amountShipped))
        XCTAssertEqual(summary["未发货订单行数"], 5)
        XCTAssertEqual(summary["未发货金额"], Double(openAmount))

        // By dealer: D01 1 order, 2 lines, 3.375, 1453.06, MTD 4252.31; D02 1, 1, 10, 123.45, MTD 1323.45; totals row.
        let byDealer = book.rows(sheet: "按网点")
        XCTAssertEqual(Array(byDealer[3].prefix(3)), ["D01", "上海浦东特约维修站", "华东"])
        XCTAssertEqual(book.number(sheet: "按网点", "G4"), 1453.06)
        XCTAssertEqual(book.number(sheet: "按网点", "H4"), 4252.31)
        XCTAssertEqual(book.number(sheet: "按网点", "H5"), 1323.45)
        XCTAssertEqual(book.cell(sheet: "按网点", "A6"), "合计")
        XCTAssertEqual(book.number(sheet: "按网点", "G6"), Double(amountReceived))
        XCTAssertEqual(book.number(sheet: "按网点", "H6"), Double(mtdAmountReceived))
        XCTAssertTrue(try book.xml(ofSheet: "按网点").contains("SUBTOTAL(9,G4:G5)"))
        XCTAssertTrue(try book.xml(ofSheet: "按网点").contains("ySplit=\"3\""), "header row frozen")
        XCTAssertTrue(try book.xml(ofSheet: "按网点").contains("<autoFilter ref=\"A3:H5\""))

        // Backlog: five open lines by order number, aged from the order date.
        let backlog = book.rows(sheet: "未发货订单").dropFirst(3).prefix(5).map { $0[0] + "/" + $0[1] }
        XCTAssertEqual(backlog, ["SO1001/2", "SO1002/1", "SO1003/1", "SO1005/1", "SO1006/1"])
        XCTAssertEqual(book.number(sheet: "未发货订单", "H7"), 30, "SO1005 ordered 2026-10-01")
        XCTAssertEqual(book.number(sheet: "未发货订单", "H8"), 33, "SO1006 ordered 2026-09-28")

        // Data issues: two rejects and two warnings, naming file, line and column, under the summary.
        let sheet = book.rows(sheet: "数据问题")
        let detailsHeader = try XCTUnwrap(sheet.firstIndex { $0.prefix(2) == ["文件", "行号"] })
        XCTAssertEqual(detailsHeader, 10, "after title, subtitle, summary heading and header, 4 codes, a blank row, the heading")
        let issues = sheet.dropFirst(detailsHeader + 1).map { "\($0[1]) \($0[2]) \($0[4])" }
        XCTAssertEqual(Set(issues), ["9 dealer_id 网点编码不在档案中", "9 part_no 配件编码不在档案中",
                                     "10 qty 数值符号不符", "11 ship_date 已发货缺发货日期"])

        // The CSV twin holds the same figures as plain decimals with canonical ids and codes.
        let summaryCSV = try String(contentsOfFile: "\(out)/2026-10-31/csv/daily-orders/summary.csv", encoding: .utf8)
        XCTAssertTrue(summaryCSV.hasPrefix("metric,value\norders_received,2\nlines_received,3\nqty_received,13.375\namount_received,1576.51\n"))
        XCTAssertTrue(summaryCSV.contains("open_amount,2972.70\n"))
        let lines = try String(contentsOfFile: "\(out)/2026-10-31/csv/daily-orders/lines.csv", encoding: .utf8)
        XCTAssertTrue(lines.contains("SO1002,2,2026-10-31,D01,上海浦东特约维修站,P002,制冷剂R32,2.375,85.5000,203.06,qq,shipped,2026-10-31\n"))
        XCTAssertTrue(lines.contains("SO1003,1,2026-10-31,D02,广州天河特约维修站,P003,遥控器,10,12.3450,123.45,online,open,\n"))

        // Manifest: read = accepted + warned + duplicate + rejected for the orders file.
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/2026-10-31/manifest.json"))) as! [String: Any]
        let orders = (manifest["inputs"] as! [[String: Any]]).first { $0["file"] as? String == "orders-2026-10.csv" }!
        XCTAssertEqual(orders["read"] as? Int, 11)
        XCTAssertEqual(orders["accepted"] as? Int, 7)
        XCTAssertEqual(orders["warned"] as? Int, 1)
        XCTAssertEqual(orders["duplicate"] as? Int, 1)
        XCTAssertEqual(orders["rejected"] as? Int, 2)
        let duplicates = try Data(contentsOf: URL(fileURLWithPath: "\(out)/2026-10-31/duplicates.csv"))
        XCTAssertEqual(duplicates, Data([0xEF, 0xBB, 0xBF] + "file,line,first_file,first_line\norders-2026-10.csv,12,orders-2026-10.csv,4\n".utf8),
                       "with a UTF-8 BOM for Excel")
        let rejects = try String(contentsOfFile: "\(out)/2026-10-31/rejects.csv", encoding: .utf8)
        XCTAssertTrue(rejects.contains("orders-2026-10.csv,10,qty,error,wrong_sign,"))
        XCTAssertTrue(rejects.contains(",\"SO1007,1,2026-10-31,D01,P001,-1,1250,,phone,open,\"\n"), "raw row kept")
    }

    func testEnglishLocale() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["daily", "--date", "2026-10-31", "--inputs", fixture("daily"), "--out", out, "--locale", "en"])
        XCTAssertEqual(run.status, 1)
        let book = try XLSXReadBack(path: "\(out)/2026-10-31/daily-orders-2026-10-31.xlsx")
        XCTAssertEqual(book.sheetNames, ["Overview", "Summary", "By dealer", "By part", "Backlog", "Lines", "Data issues"])
        XCTAssertEqual(book.cell(sheet: "Summary", "A7"), "Amount received")
        XCTAssertEqual(book.number(sheet: "Summary", "B7"), Double(amountReceived))
    }

    func testRerunIsByteIdentical() throws {
        let out = try temporaryFolder()
        let args = ["daily", "--date", "2026-10-31", "--inputs", fixture("daily"), "--out", out, "--csv"]
        XCTAssertEqual(try Binary.run(args).status, 1)
        let first = try snapshot(out)
        Thread.sleep(forTimeInterval: 1.1)   // a wall clock inside any file would now differ
        XCTAssertEqual(try Binary.run(args).status, 1)
        assertUnchangedRerun(first: first, second: try snapshot(out), periods: ["2026-10-31"])
        XCTAssertFalse(first.keys.contains { $0.contains(".tmp-") }, "no temporary file left")
    }

    func testSecondRunWhileLockedExits4() throws {
        let out = try temporaryFolder()
        let fd = open(out + "/.aftersales.lock", O_RDWR | O_CREAT, 0o644)
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        _ = "pid 999 since now: aftersales daily --date 2026-10-31\n".withCString { write(fd, $0, strlen($0)) }
        let started = Date()
        let run = try Binary.run(["daily", "--date", "2026-10-31", "--inputs", fixture("daily"), "--out", out])
        XCTAssertEqual(run.status, 4)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertTrue(run.stderr.contains("pid 999"), "names the holder: \(run.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/2026-10-31"), "nothing written")
        close(fd)
        XCTAssertEqual(try Binary.run(["daily", "--date", "2026-10-31", "--inputs", fixture("daily"), "--out", out]).status, 1,
                       "the lock is free once its holder is gone")
    }

    func testMissingOrdersIsFatalAndWritesNothing() throws {
        let inputs = try temporaryFolder()
        try FileManager.default.copyItem(atPath: fixture("daily") + "/parts.csv", toPath: inputs + "/parts.csv")
        let out = try temporaryFolder()
        let run = try Binary.run(["daily", "--date", "2026-10-31", "--inputs", inputs, "--out", out])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.contains("no orders*.csv file"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }, [])
    }

    func testConfigErrorsExit2() throws {
        let folder = try temporaryFolder()
        try "costing = \"fifo\"\ncompnay = \"typo\"\n".write(toFile: folder + "/bad.toml", atomically: true, encoding: .utf8)
        let run = try Binary.run(["daily", "--date", "2026-10-31", "--inputs", fixture("daily"), "--out", folder, "--config", folder + "/bad.toml"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("unknown key compnay"), run.stderr)
        XCTAssertEqual(try Binary.run(["daily", "--date", "2026-13-01", "--inputs", fixture("daily"), "--out", folder]).status, 2)
    }

    func testValidatePrintsCountsAndWritesNothing() throws {
        let run = try Binary.run(["validate", "--inputs", fixture("daily")])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("orders-2026-10.csv\torders\tutf-8\t11\t7\t1\t1\t2\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("orders-2026-10.csv:11: error missing_ship_date [ship_date]"), run.stdout)
    }

    // MARK: Helpers

    private func snapshot(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: folder)!
        for case let path as String in walker {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDir), !isDir.boolValue, !path.hasPrefix(".") {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path))
            }
        }
        return files
    }
}
