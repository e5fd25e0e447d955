import Config
import Foundation
import Logging

/// Temporary failures are retried after these delays (SPEC §8.5: 1 s, 4 s, 16 s); tests pass a
/// `sleep` that records instead of waiting.
public struct RetryPolicy: Sendable {
    public var delays: [Double]
    public var sleep: @Sendable (Double) -> Void

    public init(delays: [Double] = RetryPolicy.standardDelays, sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.delays = delays
        self.sleep = sleep
    }

    public static let standardDelays: [Double] = [1, 4, 16]
}

/// What one `send` did.
public struct DeliveryResult: Sendable, Equatable {
    public struct Failure: Sendable, Equatable {
        /// The report id, or `statement-<dealer_id>`.
        public var report: String
        public var recipient: String
        public var state: DeliveryLog.State
        public var reply: String
    }
    /// Messages the server accepted in this send.
    public var sent: [String] = []
    /// Recipients skipped because this workbook version was already sent to them.
    public var alreadySent = 0
    /// Everything not delivered (failed, uncertain, interrupted, a dealer's unusable address): exit 6.
    public var failures: [Failure] = []
    /// Dealers whose statement was not mailed because the dealers master has no email for them (not a failure).
    public var withoutEmail: [String] = []
    /// `--dry-run`: the .eml files written.
    public var written: [String] = []

    public var allDelivered: Bool { failures.isEmpty }
}

/// One workbook to mail and to whom: a report to the readers `[delivery.reports]` names, or a dealer's
/// statement to the dealer's email. Both go through the same send loop and the same record.
struct MailJob {
    /// Its key in deliveries.json and in the Message-ID: the report id, or `statement-<dealer_id>`.
    let key: String
    let workbook: PeriodFolder.Manifest.Output
    let recipients: Recipients
    /// The subject without the correction mark; with `.xlsx`, the attachment's display name.
    let subject: String
    let body: (_ correction: Bool, _ attachmentNote: String) -> MailBody
}

/// The jobs of one send, and the dealers whose statement cannot be addressed.
struct MailPlan {
    var jobs: [MailJob] = []
    /// The dealers master has no email: one log line each, not a failure.
    var withoutEmail: [StatementRecipients.Dealer] = []
    /// An email that is not one plain ASCII address: a failure (exit 6) until the master is fixed and the month rerun.
    var badEmail: [StatementRecipients.Dealer] = []
}

/// Mails the workbooks of a complete period folder to their recipients, exactly once per workbook
/// version and recipient, with `deliveries.json` as the record (SPEC §8.5).
public struct Deliverer: Sendable {
    public var config: DeliveryConfig
    public var transport: MailTransport
    public var retry: RetryPolicy
    public var locale: String
    public var templates: String
    public var log: Logger
    public var now: @Sendable () -> Date

    public init(config: DeliveryConfig, transport: MailTransport, retry: RetryPolicy = RetryPolicy(), locale: String,
                templates: String, log: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        self.transport = transport
        self.retry = retry
        self.locale = locale
        self.templates = templates
        self.log = log
        self.now = now
    }

    /// What `--reports` calls the dealers' statements.
    public static let statements = "statements"

    /// The mail of `folder`: the reports asked for (`--reports`), else every one the folder holds that
    /// has recipients in the config; and the dealers' statements when asked for, else when enabled.
    func plan(_ folder: PeriodFolder, _ requested: [String]?) throws -> MailPlan {
        let statements = try folder.statementRecipients()
        let reports: [String], withStatements: Bool
        if let requested {
            let present = Set(folder.reports)
            reports = requested.filter { $0 != Self.statements }
            for report in reports {
                guard config.reports[report] != nil else { throw DeliveryFailure("no recipients for \(report): add [delivery.reports.\(report)] to the config") }
                guard present.contains(report) else { throw DeliveryFailure("\(folder.path) holds no \(report) workbook") }
            }
            withStatements = requested.contains(Self.statements)
            if withStatements && !config.statementsEnabled {
                throw DeliveryFailure("dealer statements are not mailed: set [delivery.statements] enabled = true in the config")
            }
            if withStatements && statements == nil {
                throw DeliveryFailure("\(folder.path) holds no dealer statements (the month's receivables report writes them)")
            }
        } else {
            reports = folder.reports.filter { config.reports[$0] != nil }.sorted()
            withStatements = config.statementsEnabled
        }
        var plan = MailPlan()
        let period = folder.manifest.period
        for report in reports {
            let title = reportTitle(report, locale: locale, templates: templates)
            plan.jobs.append(MailJob(key: report, workbook: folder.workbook(report)!, recipients: config.reports[report]!,
                                     subject: "\(title) \(period)") { [locale] correction, note in
                MailBody.build(title: title, period: period, figures: folder.keyFigures(report), locale: locale,
                               correction: correction, attachmentNote: note)
            })
        }
        guard withStatements, let statements else {
            if withStatements && folder.manifest.outputs.contains(where: { $0.file.hasPrefix("\(period)/statements/") }) {
                log.warning("delivery.statements", metadata: ["folder": "\(folder.path)",
                                                              "reason": "the statements were written before the run recorded their recipients: rerun the month to mail them"])
            }
            return plan
        }
        let title = reportTitle("statement", locale: locale, templates: templates)
        for dealer in statements.dealers {
            guard !dealer.email.isEmpty else { plan.withoutEmail.append(dealer); continue }
            guard isPlainAddress(dealer.email) else { plan.badEmail.append(dealer); continue }
            guard let workbook = folder.manifest.outputs.first(where: { $0.file == dealer.file }) else {
                throw DeliveryFailure("\(folder.path): \(dealer.file), named in \(StatementRecipients.fileName(period: period)), is not in manifest.json")
            }
            plan.jobs.append(MailJob(key: "statement-\(dealer.dealerId)", workbook: workbook, recipients: Recipients(to: [dealer.email]),
                                     subject: "\(title) \(dealer.dealerName) \(period)") { [locale] correction, note in
                MailBody.statement(title: title, company: statements.company, dealer: dealer, period: period, locale: locale,
                                   correction: correction, attachmentNote: note)
            })
        }
        return plan
    }

    /// One log line per dealer whose statement has no usable address; a bad one is a failure.
    func reportUnaddressed(_ plan: MailPlan, into result: inout DeliveryResult) {
        for dealer in plan.withoutEmail {
            result.withoutEmail.append(dealer.dealerId)
            log.warning("delivery.no_email", metadata: ["dealer": "\(dealer.dealerId)", "name": "\(dealer.dealerName)",
                                                        "reason": "the dealers master has no email for it: its statement is not mailed"])
        }
        for dealer in plan.badEmail {
            let reply = "the dealers master's email is not one plain ASCII address; fix dealers.csv and rerun the month"
            result.failures.append(.init(report: "statement-\(dealer.dealerId)", recipient: dealer.email, state: .failed, reply: reply))
            log.error("delivery.failed", metadata: ["report": "statement-\(dealer.dealerId)", "recipient": "\(dealer.email)",
                                                    "state": "failed", "reply": "\(reply)"])
        }
    }

    /// `send`: delivers what is not yet delivered (everything with `resend`), recording each step.
    public func deliver(folder path: String, reports requested: [String]? = nil, resend: Bool = false) throws -> DeliveryResult {
        let folder = try PeriodFolder(path: path)
        var record = try DeliveryLog.load(folder: path)
        var result = DeliveryResult()
        let plan = try plan(folder, requested)
        if plan.jobs.isEmpty { log.info("delivery.nothing", metadata: ["folder": "\(path)", "reason": "no workbook of the folder has recipients in the config"]) }
        reportUnaddressed(plan, into: &result)
        for job in plan.jobs {
            let report = job.key, workbook = job.workbook
            for recipient in Self.envelopeRecipients(job.recipients) {
                let previous = record.record(report: report, recipient: recipient)
                if !resend, let previous, previous.sha256 == workbook.sha256 {
                    switch previous.state {
                    case .sent:
                        result.alreadySent += 1
                        continue
                    case .uncertain, .pending:
                        // pending here = a send killed inside its transaction: it may have arrived.
                        var updated = previous
                        if previous.state == .pending {
                            updated.state = .uncertain
                            updated.reply = "the previous send was interrupted during this message; it may have been delivered (--resend sends it again)"
                            updated.updatedAt = timestamp()
                            record.set(updated)
                            try record.save(folder: path)
                        }
                        log.error("delivery.failed", metadata: ["report": "\(report)", "recipient": "\(recipient)", "state": "uncertain",
                                                                "reply": "\(updated.reply)", "hint": "not re-sent without --resend"])
                        result.failures.append(.init(report: report, recipient: recipient, state: .uncertain, reply: updated.reply))
                        continue
                    case .failed: break
                    }
                }
                let correction = Self.isCorrection(previous: previous, sha256: workbook.sha256)
                let message = try buildMessage(folder: folder, job: job, messageRecipient: recipient, correction: correction)
                var entry = DeliveryLog.Record(report: report, recipient: recipient, file: workbook.name(in: folder.manifest.period),
                                               sha256: workbook.sha256, messageId: message.messageID, state: .pending, reply: "",
                                               correction: correction, attempts: 0, updatedAt: timestamp())
                record.set(entry)
                try record.save(folder: path)   // pending before the transaction (before DATA)
                var outcome: SendOutcome
                while true {
                    outcome = transport.send(message, to: recipient)
                    entry.attempts += 1
                    guard case .failed(transient: true) = outcome.kind, entry.attempts <= retry.delays.count else { break }
                    let delay = retry.delays[entry.attempts - 1]
                    log.warning("delivery.retry", metadata: ["report": "\(report)", "recipient": "\(recipient)", "attempt": "\(entry.attempts)",
                                                             "in_seconds": "\(delay)", "reply": "\(outcome.reply)"])
                    retry.sleep(delay)
                }
                entry.reply = outcome.reply
                entry.updatedAt = timestamp()
                switch outcome.kind {
                case .accepted:
                    entry.state = .sent
                    result.sent.append("\(report) \(recipient)")
                    log.info("delivery.sent", metadata: ["report": "\(report)", "recipient": "\(recipient)", "message_id": "\(message.messageID)",
                                                         "correction": "\(correction)", "reply": "\(outcome.reply)"])
                case .uncertain, .failed:
                    entry.state = outcome.kind == .uncertain ? .uncertain : .failed
                    result.failures.append(.init(report: report, recipient: recipient, state: entry.state, reply: outcome.reply))
                    log.error("delivery.failed", metadata: ["report": "\(report)", "recipient": "\(recipient)", "state": "\(entry.state.rawValue)",
                                                            "attempts": "\(entry.attempts)", "reply": "\(outcome.reply)"])
                }
                record.set(entry)
                try record.save(folder: path)
            }
        }
        log.info("delivery.done", metadata: ["folder": "\(path)", "sent": "\(result.sent.count)", "already_sent": "\(result.alreadySent)",
                                             "not_delivered": "\(result.failures.count)", "no_email": "\(result.withoutEmail.count)"])
        return result
    }

    /// `--dry-run DIR`: writes each workbook's message as `DIR/<its file name>.eml` (`profit-2026-10.eml`,
    /// `statement-2026-10-D01.eml`; To and Cc as they would be; the Message-ID of the first recipient);
    /// sends nothing, records nothing.
    public func dryRun(folder path: String, reports requested: [String]? = nil, into directory: String) throws -> DeliveryResult {
        let folder = try PeriodFolder(path: path)
        let record = try DeliveryLog.load(folder: path)
        var result = DeliveryResult()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let plan = try plan(folder, requested)
        reportUnaddressed(plan, into: &result)
        for job in plan.jobs {
            guard let first = Self.envelopeRecipients(job.recipients).first else { continue }
            let correction = Self.isCorrection(previous: record.record(report: job.key, recipient: first), sha256: job.workbook.sha256)
            let message = try buildMessage(folder: folder, job: job, messageRecipient: first, correction: correction)
            let name = URL(fileURLWithPath: job.workbook.file).deletingPathExtension().lastPathComponent
            let file = "\(directory)/\(name).eml"
            let bytes = message.emlBytes(boundarySeed: String(job.workbook.sha256.prefix(16)))
            guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else { throw DeliveryFailure("cannot write \(file)") }
            result.written.append(file)
            log.info("delivery.dry_run", metadata: ["report": "\(job.key)", "file": "\(file)"])
        }
        return result
    }

    /// A changed workbook goes as a correction when an earlier version may have reached the reader.
    static func isCorrection(previous: DeliveryLog.Record?, sha256: String) -> Bool {
        guard let previous else { return false }
        if previous.sha256 == sha256 { return previous.correction }
        return previous.correction || previous.state != .failed
    }

    /// To, then Cc, each address once (a transaction each).
    static func envelopeRecipients(_ recipients: Recipients) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for address in recipients.to + recipients.cc where seen.insert(address.lowercased()).inserted { out.append(address) }
        return out
    }

    func buildMessage(folder: PeriodFolder, job: MailJob, messageRecipient: String, correction: Bool) throws -> MailMessage {
        let period = folder.manifest.period
        let labels = MailLabels.of(locale)
        let workbookName = job.workbook.name(in: period)
        let fileName = URL(fileURLWithPath: workbookName).lastPathComponent
        let filePath = folder.path + "/" + workbookName
        var attachment: MailMessage.Attachment?
        let attachmentNote: String
        // Checked before connecting: base64 makes the attachment 4/3 of the file.
        if job.workbook.bytes * 4 / 3 > config.maxAttachmentMB * 1024 * 1024 {
            let absolute = URL(fileURLWithPath: filePath).standardizedFileURL.path
            attachmentNote = labels.notAttached(String(format: "%.1f", Double(job.workbook.bytes) / 1_048_576), config.maxAttachmentMB, absolute)
        } else {
            guard let bytes = FileManager.default.contents(atPath: filePath), sha256Hex(bytes) == job.workbook.sha256 else {
                throw DeliveryFailure("\(filePath) changed since its manifest was written; rerun the report")
            }
            attachment = MailMessage.Attachment(fileName: fileName, displayName: "\(job.subject).xlsx", bytes: Array(bytes))
            attachmentNote = "\(labels.attached): \(fileName)"
        }
        let body = job.body(correction, attachmentNote)
        let fromAddress = mailboxAddress(config.from) ?? config.from
        return MailMessage(from: config.from, to: job.recipients.to, cc: job.recipients.cc,
                           subject: (correction ? labels.correctionPrefix : "") + job.subject,
                           messageID: MailMessage.messageID(report: job.key, period: period, sha256: job.workbook.sha256,
                                                            recipient: messageRecipient, fromAddress: fromAddress),
                           date: MailMessage.rfc5322Date(now()), text: body.text, html: body.html, attachment: attachment)
    }

    func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: now())
    }
}

extension SMTPSettings {
    /// The settings of `[delivery]`, with the password from `password_file` (which only its owner
    /// may read) or `AFTERSALES_SMTP_PASSWORD`. A problem is a config error (exit 2).
    public init(config: DeliveryConfig, environment: [String: String]) throws(ConfigError) {
        var password: String?
        if !config.passwordFile.isEmpty {
            var info = stat()
            guard stat(config.passwordFile, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                throw ConfigError("delivery.password_file = \"\(config.passwordFile)\" is not a readable file")
            }
            guard info.st_mode & 0o077 == 0 else {
                throw ConfigError("delivery.password_file \(config.passwordFile) can be read by its group or others (mode \(String(info.st_mode & 0o777, radix: 8))): chmod 600 it")
            }
            guard let data = FileManager.default.contents(atPath: config.passwordFile) else {
                throw ConfigError("delivery.password_file \(config.passwordFile) cannot be read")
            }
            var text = String(decoding: data, as: UTF8.self)
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            password = text
        } else if let fromEnvironment = environment["AFTERSALES_SMTP_PASSWORD"] {
            password = fromEnvironment
        }
        if !config.username.isEmpty && password == nil {
            throw ConfigError("delivery.username is set but there is no password: set delivery.password_file (mode 600) or AFTERSALES_SMTP_PASSWORD")
        }
        self.init(url: config.smtpURL, fromAddress: mailboxAddress(config.from) ?? config.from,
                  username: config.username.isEmpty ? nil : config.username, password: config.username.isEmpty ? nil : password,
                  caFile: config.caFile.isEmpty ? nil : config.caFile)
    }
}
