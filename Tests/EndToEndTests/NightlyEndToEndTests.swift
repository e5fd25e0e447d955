import Foundation
import TestSupport
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

    /// The month-end night on Fixtures/receivables with `[delivery]` pointing at a real SMTP server on
    /// the loopback: what it wrote goes out (the day's set, then the month's reports and the dealers'
    /// statements), each attachment the file its manifest lists; the next night sends nothing new.
    func testMonthEndNightMailsWhatItWroteOnceAndTheNextNightNothingNew() throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        let (out, config) = try nightlyDelivery(server)
        let args = ["nightly", "--date", "2026-10-31", "--inputs", fixture("receivables"), "--out", out, "--config", config]
        let night = try Binary.run(args)
        XCTAssertEqual(night.status, 0, night.stderr)
        let received = try server.received()
        XCTAssertEqual(received.map(\.rcptTos), [["manager@example.com"], ["finance@example.com"], ["finance@example.com"],
                                                 ["audit@example.com"], ["d01@example.com"], ["d02@example.com"]])
        XCTAssertEqual(received.map(\.message.subject), ["售后配件订单日统计表 2026-10-31", "售后配件月利润表 2026-10", "网点应收账款月报 2026-10",
                                                         "网点应收账款月报 2026-10", "对账单 上海浦东特约维修站 2026-10", "对账单 广州天河特约维修站 2026-10"])
        let files = ["2026-10-31/daily-orders-2026-10-31.xlsx", "2026-10/profit-2026-10.xlsx", "2026-10/receivables-2026-10.xlsx",
                     "2026-10/receivables-2026-10.xlsx", "2026-10/statements/statement-2026-10-D01.xlsx", "2026-10/statements/statement-2026-10-D02.xlsx"]
        for (message, file) in zip(received, files) {
            XCTAssertEqual(message.message.attachments.map(\.sha256), [try XCTUnwrap(try manifestSha256(out, file))], file)
        }
        XCTAssertEqual(try deliveries(out, period: "2026-10-31").map(\.line),
                       ["daily-orders manager@example.com sent"])
        XCTAssertEqual(try deliveries(out).map(\.line),
                       ["profit finance@example.com sent", "receivables audit@example.com sent", "receivables finance@example.com sent",
                        "statement-D01 d01@example.com sent", "statement-D02 d02@example.com sent"])

        // The night run again (the same inputs write the same files): nothing new goes out.
        let again = try Binary.run(args)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try server.received().count, 6, again.stderr)
    }

    /// A recipient the server refuses (550): everything else is delivered, the night exits 6 and its
    /// log names the report, the recipient and the server's reply.
    func testARejectedRecipientMakesTheNightExit6NamingIt() throws {
        let server = try SMTPTestServer(["--reject-rcpt", "audit@example.com"])
        defer { server.stop() }
        let (out, config) = try nightlyDelivery(server)
        let night = try Binary.run(["nightly", "--date", "2026-10-31", "--inputs", fixture("receivables"), "--out", out, "--config", config])
        XCTAssertEqual(night.status, 6, night.stderr)
        let failed = night.stderr.split(separator: "\n").filter { $0.contains("delivery.failed") }
        XCTAssertEqual(failed.count, 1, night.stderr)
        XCTAssertTrue(failed[0].contains("recipient=audit@example.com") && failed[0].contains("report=receivables")
                      && failed[0].contains("reply=\"550 5.1.1 <audit@example.com>"), String(failed[0]))
        XCTAssertEqual(try server.received().count, 5, "the others are delivered")
        XCTAssertEqual(try deliveries(out).first { $0.recipient == "audit@example.com" }?.state, "failed")
    }

    /// An output folder and a config: the fixture's, plus `[delivery]` to `server` for the daily
    /// orders, the profit and receivables reports and the dealers' statements.
    func nightlyDelivery(_ server: SMTPTestServer) throws -> (out: String, config: String) {
        let root = try temporaryFolder()
        try (try text(fixture("receivables") + "/aftersales.toml") + """

            [delivery]
            smtp_url = "\(server.url)"
            from = "售后服务部 <aftersales@example.com>"
            [delivery.reports.daily-orders]
            to = ["manager@example.com"]
            [delivery.reports.profit]
            to = ["finance@example.com"]
            [delivery.reports.receivables]
            to = ["finance@example.com"]
            cc = ["audit@example.com"]
            [delivery.statements]
            enabled = true

            """).write(toFile: root + "/aftersales.toml", atomically: true, encoding: .utf8)
        return (root + "/out", root + "/aftersales.toml")
    }
}
