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
        // The second night keeps the first in each folder's previous/ and finds nothing changed (SPEC §8.6).
        assertUnchangedRerun(first: before, second: try snapshotFolder(out), periods: ["2026-10", "2026-10-31"])
    }

    func testAnOrdinaryNightWithNoOrdersGivesZerosNotAnError() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["nightly", "--date", "2026-10-02", "--inputs", fixture("monthly"), "--out", out, "--csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try String(contentsOfFile: "\(out)/2026-10-02/csv/daily-orders/summary.csv", encoding: .utf8)
        XCTAssertTrue(summary.hasPrefix("metric,value\norders_received,0\nlines_received,0\nqty_received,0\namount_received,0.00\n"), summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/2026-10"), "not a month end: no monthly run")
    }

    /// The clock is the test's (AFTERSALES_NOW), not the wall clock read after the run: 2026-10-31
    /// 16:30 UTC is 2026-11-01 00:30 in Shanghai, so "yesterday" there is 2026-10-31, a month end
    /// (the monthly run too), where in UTC it would be 2026-10-30.
    func testNightWithoutDateTakesYesterdayInTheConfiguredZone() throws {
        let out = try temporaryFolder()
        let run = try Binary.run(["nightly", "--inputs", fixture("monthly"), "--out", out],
                                 environment: ["AFTERSALES_NOW": "2026-10-31T16:30:00Z"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.sorted(),
                       ["2026-10", "2026-10-31"], run.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/2026-10-31/daily-orders-2026-10-31.xlsx"), run.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/2026-10/parts-movement-2026-10.xlsx"), run.stderr)

        // A config zone of UTC at the same instant: yesterday is 2026-10-30, no month end.
        let utc = try temporaryFolder()
        try "timezone = \"UTC\"\n".write(toFile: utc + "/config.toml", atomically: true, encoding: .utf8)
        let night = try Binary.run(["nightly", "--inputs", fixture("monthly"), "--out", utc + "/out", "--config", utc + "/config.toml"],
                                   environment: ["AFTERSALES_NOW": "2026-10-31T16:30:00Z"])
        XCTAssertEqual(night.status, 0, night.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: utc + "/out").filter { !$0.hasPrefix(".") }.sorted(),
                       ["2026-10-30"], night.stderr)

        let bad = try Binary.run(["nightly", "--inputs", fixture("monthly"), "--out", out], environment: ["AFTERSALES_NOW": "yesterday"])
        XCTAssertEqual(bad.status, 2, "a clock that does not parse is a usage error: \(bad.stderr)")
    }
}
