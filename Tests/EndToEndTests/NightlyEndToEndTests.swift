import Foundation
import XCTest

/// `aftersales nightly` as cron runs it (SPEC §5, issue: the nightly command).
final class NightlyEndToEndTests: XCTestCase {
    func testMonthEndNightWritesTheDailyAndTheMonthlySetAndRerunsIdentically() throws {
        let out = try temporaryFolder()
        let args = ["nightly", "--date", "2026-10-31", "--inputs", fixture("monthly"), "--out", out, "--csv"]
        let first = try Binary.run(args)
        XCTAssertEqual(first.status, 0, first.stderr)
        for file in ["2026-10-31/daily-orders-2026-10-31.xlsx", "2026-10/parts-movement-2026-10.xlsx",
                     "2026-10/reconciliation-2026-10.xlsx", "2026-10/profit-2026-10.xlsx",
                     "2026-10/closing-balances-2026-10.csv", "2026-10/manifest.json", "2026-10-31/manifest.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(file)"), file)
        }
        let before = try snapshotFolder(out)
        Thread.sleep(forTimeInterval: 1.1)
        XCTAssertEqual(try Binary.run(args).status, 0)
        let after = try snapshotFolder(out)
        XCTAssertEqual(Set(before.keys), Set(after.keys))
        for (path, bytes) in before where !path.hasSuffix("manifest.json") && !path.hasSuffix(".lock") {
            XCTAssertEqual(bytes, after[path], "\(path) differs on the second night")
        }
    }

    func testAnOrdinaryNightWithNoOrdersGivesZerosNotAnError() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["nightly", "--date", "2026-10-02", "--inputs", fixture("monthly"), "--out", out, "--csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try String(contentsOfFile: "\(out)/2026-10-02/csv/daily-orders/summary.csv", encoding: .utf8)
        XCTAssertTrue(summary.hasPrefix("metric,value\norders_received,0\nlines_received,0\nqty_received,0\namount_received,0.00\n"), summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/2026-10"), "not a month end: no monthly run")
    }

    func testNightWithoutDateTakesYesterdayInTheConfiguredZone() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["nightly", "--inputs", fixture("monthly"), "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let yesterday = calendar.date(byAdding: .day, value: -1, to: Date())!
        let c = calendar.dateComponents([.year, .month, .day], from: yesterday)
        let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(day)/daily-orders-\(day).xlsx"), run.stderr)
    }
}
