import Foundation
import TestSupport
import XCTest

/// The dealers' statements mailed by the binary (SPEC §8.5 with §8.4) on Fixtures/receivables
/// (D01 d01@example.com, D02 d02@example.com, D03 without email), to a real SMTP server on the loopback.
/// Worked by hand (ReceivablesEndToEndTests has the clearing): D01 closes at 900.00, of which SO2901's
/// 300.00 (due 09-14) is overdue and SO3001's 600.00 (due 11-05) is not; D02 closes at 500.00, of which
/// SO2950's 100.00 (due 10-10) is overdue and SO3002's 400.00 (due 11-01) is not.
final class StatementMailEndToEndTests: XCTestCase {
    typealias Setup = (inputs: String, out: String, config: String, server: SMTPTestServer)

    /// A copy of the fixture (so a test can edit an input) and a config mailing the receivables report
    /// to finance and the statements to the dealers.
    func prepared(statements: Bool = true) throws -> Setup {
        let root = try temporaryFolder(), inputs = root + "/inputs"
        try FileManager.default.copyItem(atPath: fixture("receivables"), toPath: inputs)
        let server = try SMTPTestServer()
        let config = root + "/aftersales.toml"
        try (try text(inputs + "/aftersales.toml") + """

            [delivery]
            smtp_url = "\(server.url)"
            from = "售后服务部 <aftersales@example.com>"
            [delivery.reports.receivables]
            to = ["finance@example.com"]
            [delivery.statements]
            enabled = \(statements)

            """).write(toFile: config, atomically: true, encoding: .utf8)
        return (inputs, root + "/out", config, server)
    }

    func monthly(_ s: Setup) throws {
        let run = try Binary.run(["monthly", "--month", "2026-10", "--inputs", s.inputs, "--out", s.out, "--config", s.config,
                                  "--reports", "receivables"])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    func send(_ s: Setup, _ extra: [String] = []) throws -> Binary.Result {
        try Binary.run(["send", "--month", "2026-10", "--inputs", s.inputs, "--out", s.out, "--config", s.config] + extra)
    }

    func testEachDealerGetsItsStatementOnceWithItsBalancesAndAnEmaillessDealerIsLogged() throws {
        let s = try prepared()
        defer { s.server.stop() }
        try monthly(s)
        let run = try send(s)
        XCTAssertEqual(run.status, 0, "a dealer without email is not a failure: \(run.stderr)")

        let received = try s.server.received()
        XCTAssertEqual(received.map(\.rcptTos), [["finance@example.com"], ["d01@example.com"], ["d02@example.com"]])
        let d01 = received[1].message, d02 = received[2].message
        XCTAssertEqual(d01.subject, "对账单 上海浦东特约维修站 2026-10")
        XCTAssertEqual(d02.subject, "对账单 广州天河特约维修站 2026-10")
        XCTAssertEqual(d01.to, "d01@example.com")
        XCTAssertEqual(d01.defects, [])
        XCTAssertEqual(d01.attachments.first?.sha256, try manifestSha256(s.out, "2026-10/statements/statement-2026-10-D01.xlsx"))
        XCTAssertEqual(d02.attachments.first?.sha256, try manifestSha256(s.out, "2026-10/statements/statement-2026-10-D02.xlsx"))
        XCTAssertEqual(d01.attachments.first?.filename, "对账单 上海浦东特约维修站 2026-10.xlsx")
        let text01 = try XCTUnwrap(d01.text), text02 = try XCTUnwrap(d02.text), html01 = try XCTUnwrap(d01.html)
        for expected in ["上海浦东特约维修站（D01）：", "附件是贵网点 2026-10 的对账单。", "期末余额：900.00 元\n其中已逾期：300.00 元",
                         "签字盖章回传", "附件: statement-2026-10-D01.xlsx", "华东机械有限公司"] {
            XCTAssertTrue(text01.contains(expected), "\(expected) in\n\(text01)")
        }
        XCTAssertTrue(text02.contains("期末余额：500.00 元\n其中已逾期：100.00 元"), text02)
        XCTAssertTrue(html01.contains("期末余额：900.00 元<br>其中已逾期：300.00 元"), html01)
        XCTAssertTrue(run.stderr.contains("delivery.no_email dealer=D03 name=北京朝阳特约维修站"), run.stderr)
        XCTAssertTrue(run.stderr.contains("no_email=1") && run.stderr.contains("sent=3"), run.stderr)

        let record = try deliveries(s.out)
        XCTAssertEqual(record.map(\.line),
                       ["receivables finance@example.com sent", "statement-D01 d01@example.com sent", "statement-D02 d02@example.com sent"])
        XCTAssertEqual(record[1].file, "statements/statement-2026-10-D01.xlsx")

        // Once: a second send sends nothing.
        let again = try send(s)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("already_sent=3") && again.stderr.contains("sent=0"), again.stderr)
        XCTAssertEqual(try s.server.received().count, 3)
    }

    /// PY01 becomes 400.00: D01 closes at 1000.00 (SO3001 1200 − 100 − 400 = 700 open, due 11-05; SO2901
    /// 300 still overdue). D01's statement goes again as a correction; D02's is the same file and does not.
    func testAChangedStatementGoesAgainAsACorrectionOnlyToItsDealer() throws {
        let s = try prepared()
        defer { s.server.stop() }
        try monthly(s)
        XCTAssertEqual(try send(s, ["--reports", "statements"]).status, 0)
        XCTAssertEqual(try s.server.received().map(\.rcptTos), [["d01@example.com"], ["d02@example.com"]],
                       "--reports statements: the dealers only")
        let d02Before = try manifestSha256(s.out, "2026-10/statements/statement-2026-10-D02.xlsx")

        let payments = try text(s.inputs + "/payments-2026-10.csv").replacingOccurrences(of: "D01,500.00", with: "D01,400.00")
        try payments.write(toFile: s.inputs + "/payments-2026-10.csv", atomically: true, encoding: .utf8)
        try monthly(s)
        XCTAssertEqual(try manifestSha256(s.out, "2026-10/statements/statement-2026-10-D02.xlsx"), d02Before)
        let run = try send(s, ["--reports", "statements"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let received = try s.server.received()
        XCTAssertEqual(received.count, 3)
        let correction = received[2].message
        XCTAssertEqual(received[2].rcptTos, ["d01@example.com"])
        XCTAssertEqual(correction.subject, "更正：对账单 上海浦东特约维修站 2026-10")
        XCTAssertTrue(correction.text!.contains("期末余额：1,000.00 元\n其中已逾期：300.00 元"), correction.text!)
        XCTAssertTrue(correction.text!.contains("更正：本邮件的工作簿替换此前发送的版本。"), correction.text!)
        XCTAssertEqual(correction.attachments.first?.sha256, try manifestSha256(s.out, "2026-10/statements/statement-2026-10-D01.xlsx"))
        XCTAssertNotEqual(correction.messageID, received[0].message.messageID)
        XCTAssertEqual(try deliveries(s.out).map(\.correction), [true, false], "D01's correction; D02's unchanged")

        // --resend: both statements again, nothing else.
        XCTAssertEqual(try send(s, ["--reports", "statements", "--resend"]).status, 0)
        XCTAssertEqual(try s.server.received().dropFirst(3).map(\.rcptTos), [["d01@example.com"], ["d02@example.com"]])
    }

    /// The address is the one the statement was made with: an edited master changes nothing until the
    /// month is rerun; then the same statement goes to the new address (its first message: no correction).
    func testAnEmailChangedAfterTheRunTakesEffectWithTheNextRun() throws {
        let s = try prepared()
        defer { s.server.stop() }
        try monthly(s)
        let dealers = try text(s.inputs + "/dealers.csv").replacingOccurrences(of: "d01@example.com", with: "accounts.d01@example.com")
        try dealers.write(toFile: s.inputs + "/dealers.csv", atomically: true, encoding: .utf8)
        XCTAssertEqual(try send(s, ["--reports", "statements"]).status, 0)
        XCTAssertEqual(try s.server.received().map(\.rcptTos), [["d01@example.com"], ["d02@example.com"]])

        try monthly(s)
        let run = try send(s, ["--reports", "statements"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let received = try s.server.received()
        XCTAssertEqual(received.dropFirst(2).map(\.rcptTos), [["accounts.d01@example.com"]], "D02's was sent already")
        XCTAssertEqual(received[2].message.subject, "对账单 上海浦东特约维修站 2026-10")
        XCTAssertEqual(received[2].message.attachments.first?.sha256, received[0].message.attachments.first?.sha256, "the same statement")
    }

    func testDryRunWritesOneEmlPerStatementNamedAfterItsWorkbook() throws {
        let s = try prepared()
        defer { s.server.stop() }
        try monthly(s)
        let mails = s.out + "/mails"
        let run = try send(s, ["--reports", "statements", "--dry-run", mails])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mails).sorted(),
                       ["statement-2026-10-D01.eml", "statement-2026-10-D02.eml"])
        let d02 = try SMTPTestServer.parse(eml: mails + "/statement-2026-10-D02.eml")
        XCTAssertEqual(d02.subject, "对账单 广州天河特约维修站 2026-10")
        XCTAssertEqual(d02.to, "d02@example.com")
        XCTAssertTrue(d02.text!.contains("期末余额：500.00 元"), d02.text!)
        XCTAssertEqual(d02.attachments.first?.sha256, try manifestSha256(s.out, "2026-10/statements/statement-2026-10-D02.xlsx"))
        XCTAssertEqual(try s.server.received().count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.out + "/2026-10/deliveries.json"))
    }

    func testStatementsAreNotMailedUnlessEnabled() throws {
        let s = try prepared(statements: false)
        defer { s.server.stop() }
        try monthly(s)
        XCTAssertEqual(try send(s).status, 0)
        XCTAssertEqual(try s.server.received().map(\.rcptTos), [["finance@example.com"]])
        let asked = try send(s, ["--reports", "statements"])
        XCTAssertEqual(asked.status, 6, asked.stderr)
        XCTAssertTrue(asked.stderr.contains("set [delivery.statements] enabled = true"), asked.stderr)
    }
}

/// The sha256 manifest.json lists for `file` (relative to the output folder).
func manifestSha256(_ out: String, _ file: String) throws -> String? {
    let period = String(file.prefix { $0 != "/" })
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/\(period)/manifest.json"))) as! [String: Any]
    return (manifest["outputs"] as! [[String: Any]]).first { $0["file"] as? String == file }?["sha256"] as? String
}

/// One record of deliveries.json, the fields the tests read.
struct DeliveryRecord: Decodable {
    let report: String
    let recipient: String
    let file: String
    let state: String
    let correction: Bool

    /// "report recipient state".
    var line: String { "\(report) \(recipient) \(state)" }
}

/// `<out>/<period>/deliveries.json`'s records.
func deliveries(_ out: String, period: String = "2026-10") throws -> [DeliveryRecord] {
    struct File: Decodable { let deliveries: [DeliveryRecord] }
    return try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: "\(out)/\(period)/deliveries.json"))).deliveries
}
