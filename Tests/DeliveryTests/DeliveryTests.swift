import Config
import Crypto
import Foundation
import Logging
import Reports
import TestSupport
import XCTest
@testable import Delivery

/// Delivery against a real SMTP server on the loopback (SPEC §8.5): what arrives, parsed back with
/// Python's email package, and deliveries.json after each fault and after the rerun.
final class DeliveryTests: XCTestCase {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("templates").path

    // MARK: Fixtures

    /// A complete period folder: two workbooks (binary bytes, every byte value), manifest.json, figures.json.
    func makeFolder(workbookBytes: Int = 70_000, seed: UInt8 = 0) throws -> String {
        let folder = try temporaryDirectory("period") + "/2026-10"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let quality = (0..<workbookBytes).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
        try Data(quality).write(to: URL(fileURLWithPath: folder + "/quality-feedback-2026-10.xlsx"))
        try Data([0x50, 0x4B, 3, 4, 0, 0xFF, 0x0D, 0x0A, 0x2E, 0x0D, 0x0A]).write(to: URL(fileURLWithPath: folder + "/profit-2026-10.xlsx"))
        // figures.json as a monthly run writes it (Pipeline's PeriodFigures), labels in the run's locale.
        try #"""
            {"month": "2026-10", "period": "2026-10", "costing": "monthly-average", "locale": "zh-CN", "inputs": {},
             "reports": {"quality-feedback": {"repairs": "412", "parts_cost": "12345.60"}},
             "overviews": {"quality-feedback": {"compared_with": "2026-09",
               "metrics": [{"id": "repairs", "label": "维修单数", "current": "412", "previous": "380", "change_pct": "8.42"},
                           {"id": "parts_cost", "label": "配件费", "current": "12345.60"}],
               "sheets": [{"table": "by_model", "sheet": "按车型", "rows": 12},
                          {"table": "negative_stock", "sheet": "负库存", "rows": 3, "exceptions": 3},
                          {"table": "data_issues", "sheet": "数据问题", "rows": 9, "exceptions": 0}]}}}
            """#.write(toFile: folder + "/figures.json", atomically: true, encoding: .utf8)
        try writeManifest(folder)
        return folder
    }

    func writeManifest(_ folder: String, also: [String] = []) throws {
        let files = ["quality-feedback-2026-10.xlsx", "profit-2026-10.xlsx", "figures.json"] + also
        let outputs = try files.map { file -> [String: Any] in
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
            return ["file": "2026-10/" + file, "sha256": sha256(data), "bytes": data.count]   // relative to the output folder
        }
        let manifest: [String: Any] = ["tool": "aftersales", "period": "2026-10", "outputs": outputs, "issues": 7,
                                       "inputs": [["file": "repairs.csv", "kind": "repairs", "sha256": String(repeating: "0", count: 64), "read": 100,
                                                   "accepted": 95, "warned": 2, "duplicate": 0, "rejected": 3]]]
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: folder + "/manifest.json"))
    }

    func manifestSha(_ folder: String, _ file: String) throws -> String {
        try PeriodFolder(path: folder).manifest.outputs.first { $0.file == "2026-10/" + file }!.sha256
    }

    func config(to: [String] = ["quality@example.com", "quality2@example.com"], cc: [String] = ["engineering@example.com"],
                maxMB: Int = 20) -> DeliveryConfig {
        var config = DeliveryConfig()
        config.smtpURL = "smtp://127.0.0.1:1"
        config.from = "售后服务部 <aftersales@example.com>"
        config.maxAttachmentMB = maxMB
        config.reports["quality-feedback"] = Recipients(to: to, cc: cc)
        return config
    }

    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var _sleeps: [Double] = []
        private var _lines: [String] = []
        var sleeps: [Double] { lock.withLock { _sleeps } }
        var lines: [String] { lock.withLock { _lines } }
        func sleep(_ s: Double) { lock.withLock { _sleeps.append(s) } }
        func log(_ line: String) { lock.withLock { _lines.append(line) } }
    }

    struct CaptureHandler: LogHandler {
        let recorder: Recorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
            let fields = (metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            recorder.log("\(level) \(message) \(fields)")
        }
    }

    func deliverer(_ config: DeliveryConfig, url: String, caFile: String? = nil, requireTLS: Bool? = nil,
                   username: String? = nil, password: String? = nil, recorder: Recorder, locale: String = "zh-CN") -> Deliverer {
        var settings = SMTPSettings(url: url, fromAddress: "aftersales@example.com", username: username, password: password,
                                    caFile: caFile, requireTLS: requireTLS)
        settings.connectTimeout = 5
        settings.timeout = 20
        return Deliverer(config: config, transport: CurlSMTP(settings: settings),
                         retry: RetryPolicy(sleep: { recorder.sleep($0) }), locale: locale, templates: Self.templates,
                         log: Logger(label: "test") { _ in CaptureHandler(recorder: recorder) })
    }

    func states(_ folder: String) throws -> [String: DeliveryLog.State] {
        Dictionary(uniqueKeysWithValues: try DeliveryLog.load(folder: folder).deliveries.map { ($0.recipient, $0.state) })
    }

    // MARK: The message as it arrives

    func testMessagesArriveOverSTARTTLSWithAuthOnePerRecipient() throws {
        let certs = try TestCertificates.make()
        let server = try SMTPTestServer(["--cert", certs.certFile, "--key", certs.keyFile, "--auth", "mailer:s3cret"])
        defer { server.stop() }
        let folder = try makeFolder()
        let recorder = Recorder()
        let result = try deliverer(config(), url: server.url, caFile: certs.caFile, requireTLS: true,
                                   username: "mailer", password: "s3cret", recorder: recorder).deliver(folder: folder)
        XCTAssertTrue(result.allDelivered, "\(result.failures)")
        XCTAssertEqual(result.sent.count, 3)

        let received = try server.received()
        XCTAssertEqual(received.map(\.rcptTos), [["quality@example.com"], ["quality2@example.com"], ["engineering@example.com"]],
                       "one transaction per recipient, To before Cc")
        let sha = try manifestSha(folder, "quality-feedback-2026-10.xlsx")
        var ids = Set<String>()
        for message in received {
            XCTAssertTrue(message.tls, "STARTTLS was used")
            XCTAssertTrue(message.authenticated)
            XCTAssertEqual(message.mailFrom, "aftersales@example.com")
            let m = message.message
            XCTAssertEqual(m.defects, [])
            XCTAssertEqual(m.subject, "质量信息反馈表 2026-10")
            XCTAssertEqual(m.from, "售后服务部 <aftersales@example.com>")
            XCTAssertEqual(m.to, "quality@example.com, quality2@example.com")
            XCTAssertEqual(m.cc, "engineering@example.com")
            XCTAssertEqual(m.attachments.count, 1)
            XCTAssertEqual(m.attachments.first?.sha256, sha, "the attachment is byte for byte the file the manifest lists")
            XCTAssertEqual(m.attachments.first?.filename, "质量信息反馈表 2026-10.xlsx")
            XCTAssertEqual(m.attachments.first?.transferEncoding, "base64")
            XCTAssertEqual(m.attachments.first?.contentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let text = try XCTUnwrap(m.text), html = try XCTUnwrap(m.html)
            XCTAssertTrue(text.contains("主要指标 (上期：2026-09):\n  维修单数: 412 (380, 8.42 %)\n  配件费: 12,345.60\n"), text)
            XCTAssertTrue(text.contains("异常:\n  负库存: 3\n  数据问题: 0\n\n"), "sheets without a notion of exception are left out: \(text)")
            XCTAssertTrue(text.contains("数据问题：7 条"), text)
            XCTAssertTrue(text.contains("读取 100 行，接受 95，警告 2，拒收 3"), text)
            XCTAssertTrue(html.contains("<tr><td>维修单数</td><td align=\"right\">412</td><td align=\"right\">380</td><td align=\"right\">8.42</td></tr>"), html)
            XCTAssertTrue(html.contains("<tr><td>配件费</td><td align=\"right\">12,345.60</td><td align=\"right\"></td><td align=\"right\"></td></tr>"), html)
            XCTAssertTrue(html.contains("<tr><td>负库存</td><td align=\"right\">3</td></tr>"), html)
            XCTAssertTrue(html.contains("数据问题：7 条"), html)
            ids.insert(m.messageID)
        }
        XCTAssertEqual(ids.count, 3, "one Message-ID per recipient")
        let record = try DeliveryLog.load(folder: folder)
        XCTAssertEqual(record.deliveries.map(\.state), [.sent, .sent, .sent])
        XCTAssertEqual(Set(record.deliveries.map(\.sha256)), [sha])
        XCTAssertTrue(record.deliveries.allSatisfy { $0.reply.hasPrefix("250") }, "\(record.deliveries.map(\.reply))")
        XCTAssertEqual(Set(record.deliveries.map(\.messageId)), ids)
        let json = try String(contentsOfFile: folder + "/deliveries.json", encoding: .utf8)
        XCTAssertFalse(json.contains("s3cret"), "the password is never recorded")
        XCTAssertFalse(recorder.lines.joined().contains("s3cret"), "the password is never logged")

        // A rerun sends nothing new.
        let rerun = try deliverer(config(), url: server.url, caFile: certs.caFile, requireTLS: true,
                                  username: "mailer", password: "s3cret", recorder: recorder).deliver(folder: folder)
        XCTAssertEqual(rerun.sent, [])
        XCTAssertEqual(rerun.alreadySent, 3)
        XCTAssertEqual(try server.received().count, 3)
    }

    func testChangedWorkbookGoesAgainAsCorrectionAndResendSendsAll() throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        let folder = try makeFolder()
        let recorder = Recorder()
        let config = config(to: ["quality@example.com"], cc: [])
        XCTAssertEqual(try deliverer(config, url: server.url, recorder: recorder).deliver(folder: folder).sent.count, 1)
        // The report is rerun with other figures: a new workbook and manifest.
        try Data(repeating: 0xAB, count: 5000).write(to: URL(fileURLWithPath: folder + "/quality-feedback-2026-10.xlsx"))
        try writeManifest(folder)
        XCTAssertEqual(try deliverer(config, url: server.url, recorder: recorder).deliver(folder: folder).sent.count, 1)
        var received = try server.received()
        XCTAssertEqual(received.count, 2)
        XCTAssertEqual(received[1].message.subject, "更正：质量信息反馈表 2026-10")
        XCTAssertTrue(received[1].message.text!.contains("更正"))
        XCTAssertNotEqual(received[0].message.messageID, received[1].message.messageID)
        XCTAssertEqual(received[1].message.attachments.first?.sha256, try manifestSha(folder, "quality-feedback-2026-10.xlsx"))
        XCTAssertEqual(try DeliveryLog.load(folder: folder).deliveries.first?.correction, true)
        // Nothing new: nothing sent; --resend: all again, same Message-ID as the version's first send.
        XCTAssertEqual(try deliverer(config, url: server.url, recorder: recorder).deliver(folder: folder).sent.count, 0)
        XCTAssertEqual(try deliverer(config, url: server.url, recorder: recorder).deliver(folder: folder, resend: true).sent.count, 1)
        received = try server.received()
        XCTAssertEqual(received.count, 3)
        XCTAssertEqual(received[2].message.messageID, received[1].message.messageID)
    }

    func testEnglishSubjectIsPlainASCII() throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        let folder = try makeFolder()
        _ = try deliverer(config(to: ["q@example.com"], cc: []), url: server.url, recorder: Recorder(), locale: "en").deliver(folder: folder)
        let message = try XCTUnwrap(try server.received().first).message
        XCTAssertEqual(message.subject, "Quality Information Feedback Sheet 2026-10")
        XCTAssertEqual(message.attachments.first?.filename, "Quality Information Feedback Sheet 2026-10.xlsx")
        XCTAssertTrue(message.text!.contains("Data issues: 7"))
    }

    // MARK: Faults, each followed by a rerun

    func testConnectionRefusedIsRetried1_4_16ThenDeliveredByTheNextSend() throws {
        // A port nobody listens on: start a server, note its port, stop it.
        let gone = try SMTPTestServer()
        let url = gone.url
        gone.stop()
        let folder = try makeFolder()
        let recorder = Recorder()
        let result = try deliverer(config(to: ["quality@example.com"], cc: []), url: url, recorder: recorder).deliver(folder: folder)
        XCTAssertEqual(recorder.sleeps, [1, 4, 16], "temporary failures are retried after 1, 4 and 16 s")
        XCTAssertEqual(result.failures.map(\.recipient), ["quality@example.com"])
        XCTAssertTrue(result.failures[0].reply.contains("connect"), result.failures[0].reply)
        XCTAssertEqual(try DeliveryLog.load(folder: folder).deliveries.first?.attempts, 4)
        XCTAssertEqual(try states(folder), ["quality@example.com": .failed])
        let failureLines = recorder.lines.filter { $0.contains("delivery.failed") }
        XCTAssertEqual(failureLines.count, 1)
        XCTAssertTrue(failureLines[0].contains("report=quality-feedback") && failureLines[0].contains("recipient=quality@example.com")
                      && failureLines[0].contains("reply="), failureLines[0])

        let server = try SMTPTestServer()
        defer { server.stop() }
        let rerun = try deliverer(config(to: ["quality@example.com"], cc: []), url: server.url, recorder: Recorder()).deliver(folder: folder)
        XCTAssertEqual(rerun.sent, ["quality-feedback quality@example.com"])
        XCTAssertEqual(try states(folder), ["quality@example.com": .sent])
    }

    func testRejectedRecipientFailsOnlyItselfAndIsNotRetried() throws {
        var server = try SMTPTestServer(["--reject-rcpt", "nobody@example.com"])
        let folder = try makeFolder()
        let recorder = Recorder()
        let config = config(to: ["quality@example.com", "nobody@example.com"], cc: ["engineering@example.com"])
        let result = try deliverer(config, url: server.url, recorder: recorder).deliver(folder: folder)
        XCTAssertEqual(recorder.sleeps, [], "a 5xx is permanent: not retried")
        XCTAssertEqual(result.failures.count, 1)
        XCTAssertEqual(result.failures[0].recipient, "nobody@example.com")
        XCTAssertTrue(result.failures[0].reply.hasPrefix("550"), result.failures[0].reply)
        XCTAssertEqual(try server.received().flatMap(\.rcptTos).sorted(), ["engineering@example.com", "quality@example.com"])
        XCTAssertEqual(try states(folder), ["quality@example.com": .sent, "nobody@example.com": .failed, "engineering@example.com": .sent])
        server.stop()

        // The address is fixed on the server: the next send delivers only the missing one.
        server = try SMTPTestServer()
        defer { server.stop() }
        let rerun = try deliverer(config, url: server.url, recorder: Recorder()).deliver(folder: folder)
        XCTAssertEqual(rerun.sent, ["quality-feedback nobody@example.com"])
        XCTAssertEqual(try server.received().flatMap(\.rcptTos), ["nobody@example.com"])
    }

    func testConnectionDroppedAfterDataIsUncertainAndNotResentWithoutResend() throws {
        var server = try SMTPTestServer(["--drop-data", "quality@example.com"])
        let folder = try makeFolder()
        let recorder = Recorder()
        let config = config(to: ["quality@example.com"], cc: [])
        let result = try deliverer(config, url: server.url, recorder: recorder).deliver(folder: folder)
        XCTAssertEqual(result.failures.map(\.state), [.uncertain])
        XCTAssertEqual(recorder.sleeps, [], "an uncertain send is never retried by itself")
        XCTAssertEqual(try states(folder), ["quality@example.com": .uncertain])
        server.stop()

        server = try SMTPTestServer()
        defer { server.stop() }
        let rerun = try deliverer(config, url: server.url, recorder: Recorder()).deliver(folder: folder)
        XCTAssertEqual(rerun.sent, [])
        XCTAssertEqual(rerun.failures.map(\.state), [.uncertain], "still not known delivered: exit 6 again")
        XCTAssertEqual(try server.received().count, 0)
        let resend = try deliverer(config, url: server.url, recorder: Recorder()).deliver(folder: folder, resend: true)
        XCTAssertEqual(resend.sent.count, 1)
        XCTAssertEqual(try states(folder), ["quality@example.com": .sent])
    }

    func testTemporaryFailureIsRetriedThenSent() throws {
        let server = try SMTPTestServer(["--tempfail-data", "quality@example.com:1"])
        defer { server.stop() }
        let folder = try makeFolder()
        let recorder = Recorder()
        let config = config(to: ["quality@example.com"], cc: [])
        let result = try deliverer(config, url: server.url, recorder: recorder).deliver(folder: folder)
        XCTAssertTrue(result.allDelivered)
        XCTAssertEqual(recorder.sleeps, [1])
        XCTAssertTrue(recorder.lines.contains { $0.contains("delivery.retry") && $0.contains("451") })
        XCTAssertEqual(try DeliveryLog.load(folder: folder).deliveries.first?.attempts, 2)
        XCTAssertEqual(try server.received().count, 1)
        XCTAssertEqual(try deliverer(config, url: server.url, recorder: Recorder()).deliver(folder: folder).sent, [])
        XCTAssertEqual(try server.received().count, 1)
    }

    func testMessageTooBigIsNotRetried() throws {
        var server = try SMTPTestServer(["--too-big", "quality@example.com"])
        let folder = try makeFolder()
        let recorder = Recorder()
        let config = config(to: ["quality@example.com"], cc: [])
        let result = try deliverer(config, url: server.url, recorder: recorder).deliver(folder: folder)
        XCTAssertEqual(result.failures.map(\.state), [.failed])
        XCTAssertTrue(result.failures[0].reply.hasPrefix("552"), result.failures[0].reply)
        XCTAssertEqual(recorder.sleeps, [])
        server.stop()
        server = try SMTPTestServer()
        defer { server.stop() }
        XCTAssertEqual(try deliverer(config, url: server.url, recorder: Recorder()).deliver(folder: folder).sent.count, 1)
    }

    func testTLSRequiredButNotOfferedSendsNothing() throws {
        var server = try SMTPTestServer()   // no STARTTLS
        let folder = try makeFolder()
        let recorder = Recorder()
        let config = config(to: ["quality@example.com"], cc: [])
        let result = try deliverer(config, url: server.url, requireTLS: true, recorder: recorder).deliver(folder: folder)
        XCTAssertEqual(result.failures.map(\.state), [.failed])
        XCTAssertTrue(result.failures[0].reply.contains("STARTTLS"), result.failures[0].reply)
        XCTAssertEqual(recorder.sleeps, [], "no fall-back to plain text and no retry")
        XCTAssertEqual(try server.received().count, 0)
        server.stop()

        let certs = try TestCertificates.make()
        server = try SMTPTestServer(["--cert", certs.certFile, "--key", certs.keyFile])
        defer { server.stop() }
        let rerun = try deliverer(config, url: server.url, caFile: certs.caFile, requireTLS: true, recorder: Recorder()).deliver(folder: folder)
        XCTAssertEqual(rerun.sent.count, 1)
        XCTAssertEqual(try server.received().first?.tls, true)
    }

    func testCertificateFromAnotherCAIsRefused() throws {
        let certs = try TestCertificates.make(), other = try TestCertificates.make()
        let server = try SMTPTestServer(["--cert", certs.certFile, "--key", certs.keyFile])
        defer { server.stop() }
        let folder = try makeFolder()
        let recorder = Recorder()
        let result = try deliverer(config(to: ["q@example.com"], cc: []), url: server.url, caFile: other.caFile, requireTLS: true,
                                   recorder: recorder).deliver(folder: folder)
        XCTAssertEqual(result.failures.map(\.state), [.failed])
        XCTAssertEqual(recorder.sleeps, [])
        XCTAssertEqual(try server.received().count, 0)
    }

    func testKilledSendLeavesPendingWhichTheNextSendReportsAsUncertain() throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        let folder = try makeFolder()
        let sha = try manifestSha(folder, "quality-feedback-2026-10.xlsx")
        // What a send killed inside curl_easy_perform leaves: pending, never sent.
        var record = DeliveryLog(period: "2026-10")
        record.set(.init(report: "quality-feedback", recipient: "quality@example.com", file: "quality-feedback-2026-10.xlsx", sha256: sha,
                         messageId: "<x@example.com>", state: .pending, reply: "", correction: false, attempts: 0, updatedAt: ""))
        try record.save(folder: folder)
        let result = try deliverer(config(to: ["quality@example.com"], cc: []), url: server.url, recorder: Recorder()).deliver(folder: folder)
        XCTAssertEqual(result.failures.map(\.state), [.uncertain])
        XCTAssertEqual(try states(folder), ["quality@example.com": .uncertain])
        XCTAssertEqual(try server.received().count, 0)
    }

    // MARK: Folder, size, dry run

    func testIncompleteFolderIsNotSent() throws {
        let folder = try makeFolder()
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/profit-2026-10.xlsx"))
        XCTAssertThrowsError(try deliverer(config(), url: "smtp://127.0.0.1:1", recorder: Recorder()).deliver(folder: folder)) {
            XCTAssertTrue("\($0)".contains("profit-2026-10.xlsx differs"), "\($0)")
        }
        try FileManager.default.removeItem(atPath: folder + "/manifest.json")
        XCTAssertThrowsError(try deliverer(config(), url: "smtp://127.0.0.1:1", recorder: Recorder()).deliver(folder: folder)) {
            XCTAssertTrue("\($0)".contains("no manifest.json"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/deliveries.json"))
    }

    func testOversizeWorkbookIsNotAttachedAndTheMessageSaysWhereItIs() throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        let folder = try makeFolder(workbookBytes: 800_000)   // 800 kB × 4/3 > 1 MB
        _ = try deliverer(config(to: ["q@example.com"], cc: [], maxMB: 1), url: server.url, recorder: Recorder()).deliver(folder: folder)
        let message = try XCTUnwrap(try server.received().first).message
        XCTAssertEqual(message.attachments.count, 0)
        XCTAssertTrue(message.text!.contains("超过附件上限 1 MB") && message.text!.contains(folder + "/quality-feedback-2026-10.xlsx"), message.text!)
    }

    func testDryRunWritesEmlCheckedTheSameWay() throws {
        let folder = try makeFolder()
        let out = try temporaryDirectory("dry-run")
        let result = try deliverer(config(), url: "smtp://127.0.0.1:1", recorder: Recorder()).dryRun(folder: folder, into: out)
        XCTAssertEqual(result.written, [out + "/quality-feedback-2026-10.eml"])
        let m = try SMTPTestServer.parse(eml: result.written[0])
        XCTAssertEqual(m.defects, [])
        XCTAssertEqual(m.subject, "质量信息反馈表 2026-10")
        XCTAssertEqual(m.to, "quality@example.com, quality2@example.com")
        XCTAssertEqual(m.cc, "engineering@example.com")
        XCTAssertEqual(m.attachments.first?.sha256, try manifestSha(folder, "quality-feedback-2026-10.xlsx"))
        XCTAssertEqual(m.attachments.first?.filename, "质量信息反馈表 2026-10.xlsx")
        XCTAssertTrue(m.text!.contains("维修单数: 412"))
        XCTAssertTrue(m.html!.contains("<td>维修单数</td>"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/deliveries.json"), "a dry run records nothing")
    }

    // MARK: Dealer statements

    /// The folder with three statements as a monthly run leaves them: D01 mailable, D02's email two
    /// addresses in one field, D03 without email.
    func makeStatementsFolder() throws -> String {
        let folder = try makeFolder()
        try FileManager.default.createDirectory(atPath: folder + "/statements", withIntermediateDirectories: true)
        var files: [String] = []
        for (n, dealer) in ["D01", "D02", "D03"].enumerated() {
            files.append("statements/statement-2026-10-\(dealer).xlsx")
            try Data(repeating: UInt8(n), count: 300).write(to: URL(fileURLWithPath: folder + "/" + files[n]))
        }
        try #"""
            {"period": "2026-10", "company": "East China Machinery", "dealers": [
              {"dealer_id": "D01", "dealer_name": "Pudong Service", "email": "d01@example.com",
               "file": "2026-10/statements/statement-2026-10-D01.xlsx", "closing": "1234.50", "overdue": "0.00"},
              {"dealer_id": "D02", "dealer_name": "Tianhe Service", "email": "a@example.com, b@example.com",
               "file": "2026-10/statements/statement-2026-10-D02.xlsx", "closing": "10.00", "overdue": "10.00"},
              {"dealer_id": "D03", "dealer_name": "Chaoyang Service", "email": "",
               "file": "2026-10/statements/statement-2026-10-D03.xlsx", "closing": "-10.00", "overdue": "0.00"}]}
            """#.write(toFile: folder + "/statements/recipients-2026-10.json", atomically: true, encoding: .utf8)
        try writeManifest(folder, also: files + ["statements/recipients-2026-10.json"])
        return folder
    }

    func testAStatementGoesToItsDealerInTheLocaleAndAnUnusableAddressFailsOnlyItself() throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        let folder = try makeStatementsFolder()
        var config = config(to: ["q@example.com"], cc: [])
        config.statementsEnabled = true
        let recorder = Recorder()
        let result = try deliverer(config, url: server.url, recorder: recorder, locale: "en").deliver(folder: folder, reports: ["statements"])
        XCTAssertEqual(result.sent, ["statement-D01 d01@example.com"])
        XCTAssertEqual(result.withoutEmail, ["D03"])
        XCTAssertEqual(result.failures.map { "\($0.report) \($0.recipient) \($0.state)" }, ["statement-D02 a@example.com, b@example.com failed"],
                       "two addresses in one field are not guessed apart: exit 6 until the master is fixed")
        XCTAssertEqual(try DeliveryLog.load(folder: folder).deliveries.map(\.report), ["statement-D01"], "nothing recorded for D02 and D03")
        XCTAssertTrue(recorder.lines.contains { $0.contains("delivery.no_email") && $0.contains("dealer=D03") }, "\(recorder.lines)")

        let message = try XCTUnwrap(try server.received().first).message
        XCTAssertEqual(message.subject, "Statement of account Pudong Service 2026-10")
        XCTAssertEqual(message.attachments.first?.filename, "Statement of account Pudong Service 2026-10.xlsx")
        XCTAssertEqual(message.attachments.first?.sha256, try manifestSha(folder, "statements/statement-2026-10-D01.xlsx"))
        let text = try XCTUnwrap(message.text)
        for expected in ["Dear Pudong Service (D01),", "Closing balance: 1,234.50 CNY\nOf which overdue: 0.00 CNY", "sign and stamp",
                         "Attached: statement-2026-10-D01.xlsx", "East China Machinery"] {
            XCTAssertTrue(text.contains(expected), "\(expected) in\n\(text)")
        }
    }

    func testStatementsOfARunThatDidNotRecordTheirRecipientsAreNamedNotGuessed() throws {
        let folder = try makeStatementsFolder()
        try FileManager.default.removeItem(atPath: folder + "/statements/recipients-2026-10.json")
        try writeManifest(folder, also: ["statements/statement-2026-10-D01.xlsx"])
        var config = config(to: ["q@example.com"], cc: [])
        config.statementsEnabled = true
        let recorder = Recorder()
        let result = try deliverer(config, url: "smtp://127.0.0.1:1", recorder: recorder).dryRun(folder: folder, into: try temporaryDirectory("dry"))
        XCTAssertEqual(result.written.map { URL(fileURLWithPath: $0).lastPathComponent }, ["quality-feedback-2026-10.eml"])
        XCTAssertTrue(recorder.lines.contains { $0.contains("delivery.statements") && $0.contains("rerun the month") }, "\(recorder.lines)")
    }

    // MARK: Pieces

    func testKeyFiguresFromAnOlderFiguresJsonOrNone() throws {
        let folder = try makeFolder()
        // A figures.json written before the overviews were added: metric ids and values only.
        try #"{"month": "2026-10", "costing": "fifo", "inputs": {}, "reports": {"quality-feedback": {"repairs": "412"}}}"#
            .write(toFile: folder + "/figures.json", atomically: true, encoding: .utf8)
        try writeManifest(folder)
        let old = try PeriodFolder(path: folder).keyFigures("quality-feedback")
        XCTAssertEqual(old.figures, [KeyFigures.Figure(label: "repairs", current: "412")])
        XCTAssertEqual(old.exceptions, [])
        XCTAssertEqual(old.dataIssues, 7)
        // No figures.json at all: the body points to the overview sheet and still counts the issues.
        let none = try PeriodFolder(path: folder).keyFigures("profit")
        XCTAssertEqual(none.figures, [])
        let body = MailBody.build(title: "T", period: "2026-10", figures: none, locale: "zh-CN", correction: false, attachmentNote: "")
        XCTAssertTrue(body.text.contains("主要指标见工作簿的概览表。") && body.text.contains("数据问题：7 条"), body.text)
    }

    func testFiguresShowThousandsSeparators() {
        XCTAssertEqual(display("-1234567.50"), "-1,234,567.50")
        XCTAssertEqual(display("412"), "412")
        XCTAssertEqual(display("100.000"), "100.000")
        XCTAssertEqual(display(nil), "")
    }

    func testRetryScheduleIs1_4_16Seconds() {
        XCTAssertEqual(RetryPolicy().delays, [1, 4, 16])
    }

    func testSubjectEncodingAndDisposition() {
        let subject = encodedWords("更正：质量信息反馈表 2026-10 " + String(repeating: "很长的标题", count: 6))
        XCTAssertTrue(subject.split(separator: "\r\n ").allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") })
        XCTAssertEqual(encodedWords("Quality 2026-10"), "Quality 2026-10")
        let disposition = MailMessage.contentDisposition(.init(fileName: "quality-feedback-2026-10.xlsx", displayName: "质量 2026-10.xlsx", bytes: []))
        XCTAssertEqual(disposition, "Content-Disposition: attachment; filename*=UTF-8''%E8%B4%A8%E9%87%8F%202026-10.xlsx; filename=\"quality-feedback-2026-10.xlsx\"")
    }

    func testMessageIDIsDerivedFromReportPeriodShaAndRecipient() {
        let a = MailMessage.messageID(report: "profit", period: "2026-10", sha256: "ab", recipient: "x@example.com", fromAddress: "s@example.com")
        XCTAssertEqual(a, MailMessage.messageID(report: "profit", period: "2026-10", sha256: "ab", recipient: "X@example.com", fromAddress: "s@example.com"))
        XCTAssertNotEqual(a, MailMessage.messageID(report: "profit", period: "2026-10", sha256: "ac", recipient: "x@example.com", fromAddress: "s@example.com"))
        XCTAssertNotEqual(a, MailMessage.messageID(report: "profit", period: "2026-10", sha256: "ab", recipient: "y@example.com", fromAddress: "s@example.com"))
        XCTAssertTrue(a.hasPrefix("<") && a.hasSuffix("@example.com>"))
        let dealer = MailMessage.messageID(report: "statement-W 01<>/网点", period: "2026-10", sha256: "ab", recipient: "x@example.com", fromAddress: "s@example.com")
        XCTAssertTrue(dealer.hasSuffix(".statement-W_01_____.2026-10@example.com>"), "only dot-atom characters from a dealer id: \(dealer)")
    }

    func testTLSIsRequiredExceptOnTheLoopback() {
        XCTAssertTrue(SMTPSettings(url: "smtp://mail.example.com:587", fromAddress: "a@b").requireTLS)
        XCTAssertTrue(SMTPSettings(url: "smtp://10.0.0.5:25", fromAddress: "a@b").requireTLS)
        XCTAssertFalse(SMTPSettings(url: "smtp://127.0.0.1:25", fromAddress: "a@b").requireTLS)
        XCTAssertFalse(SMTPSettings(url: "smtp://localhost:25", fromAddress: "a@b").requireTLS)
        XCTAssertFalse(SMTPSettings(url: "smtp://[::1]:25", fromAddress: "a@b").requireTLS)
    }

    func testPasswordComesFromAnOwnerOnlyFileOrTheEnvironment() throws {
        let dir = try temporaryDirectory("password")
        let file = dir + "/smtp.pw"
        try "s3cret\n".write(toFile: file, atomically: true, encoding: .utf8)
        var config = config()
        config.username = "mailer"
        config.passwordFile = file
        chmod(file, 0o640)
        XCTAssertThrowsError(try SMTPSettings(config: config, environment: [:])) {
            XCTAssertTrue("\($0)".contains("chmod 600"), "\($0)")
        }
        chmod(file, 0o600)
        XCTAssertEqual(try SMTPSettings(config: config, environment: [:]).password, "s3cret")
        config.passwordFile = ""
        XCTAssertEqual(try SMTPSettings(config: config, environment: ["AFTERSALES_SMTP_PASSWORD": "env"]).password, "env")
        XCTAssertThrowsError(try SMTPSettings(config: config, environment: [:]))
    }

    func testConfigDeliveryBlock() throws {
        let parsed = try Config.parse("""
            [delivery]
            smtp_url = "smtp://mail.example.com:587"
            from = "售后服务部 <aftersales@example.com>"
            max_attachment_mb = 10
            [delivery.reports.quality-feedback]
            to = ["quality@example.com"]
            cc = ["eng@example.com"]
            [delivery.statements]
            enabled = false
            """, source: "t.toml")
        XCTAssertEqual(parsed.delivery?.reports["quality-feedback"], Recipients(to: ["quality@example.com"], cc: ["eng@example.com"]))
        XCTAssertEqual(parsed.delivery?.maxAttachmentMB, 10)
        for (text, expected) in [
            ("[delivery]\nsmtp_url = \"smtp://m:25\"\nfrom = \"a@b\"\nsmpt_user = \"x\"", "unknown key delivery.smpt_user"),
            ("[delivery]\nsmtp_url = \"smtp://m:25\"\nfrom = \"a@b\"\n[delivery.reports.quality]\nto = [\"a@b\"]", "unknown key delivery.reports.quality"),
            ("[delivery]\nsmtp_url = \"smtp://m:25\"\nfrom = \"a@b\"\n[delivery.reports.profit]\nbcc = [\"a@b\"]", "unknown key delivery.reports.profit.bcc"),
            ("[delivery]\nsmtp_url = \"smtp://m:25\"\nfrom = \"a@b\"\n[delivery.reports.profit]\nto = [\"not an address\"]", "not an address like"),
            ("[delivery]\nsmtp_url = \"smtp://m:25\"\nfrom = \"a@b\"\n[delivery.reports.profit]\nto = [\"质量部@example.com\"]", "not an address like"),
            ("[delivery]\nsmtp_url = \"http://m\"\nfrom = \"a@b\"", "must be smtp://"),
            ("[delivery]\nfrom = \"a@b\"", "needs smtp_url and from"),
        ] {
            XCTAssertThrowsError(try Config.parse(text, source: "t.toml")) { XCTAssertTrue("\($0)".contains(expected), "\($0)") }
        }
        XCTAssertEqual(DeliveryConfig.reportIds.sorted(), ReportID.allCases.map(\.rawValue).sorted())
    }
}

func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
