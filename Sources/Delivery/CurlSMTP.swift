import CCurl
import Foundation

/// Where and how to reach the mail server; built from `[delivery]` by `SMTPSettings.init(config:…)`.
public struct SMTPSettings: Sendable, Equatable {
    public var url: String
    /// The envelope sender (MAIL FROM).
    public var fromAddress: String
    public var username: String?
    /// Never logged, never written anywhere.
    public var password: String?
    public var caFile: String?
    /// STARTTLS required (`CURLUSESSL_ALL`: no silent fall-back to plain text). False only for a
    /// server on the loopback, where STARTTLS is used when offered (`CURLUSESSL_TRY`).
    public var requireTLS: Bool
    public var connectTimeout = 30
    public var timeout = 300

    public init(url: String, fromAddress: String, username: String? = nil, password: String? = nil, caFile: String? = nil,
                requireTLS: Bool? = nil) {
        self.url = url
        self.fromAddress = fromAddress
        self.username = username
        self.password = password
        self.caFile = caFile
        self.requireTLS = requireTLS ?? !Self.isLoopback(url: url)
    }

    /// Whether the URL's host is the loopback (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(url: String) -> Bool {
        guard let start = url.range(of: "://")?.upperBound else { return false }
        var rest = url[start...]
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let host: Substring
        if rest.hasPrefix("[") {
            host = rest.dropFirst().prefix { $0 != "]" }
        } else {
            host = rest.prefix { $0 != ":" && $0 != "/" }
        }
        return host.lowercased() == "localhost" || host.hasPrefix("127.") || host == "::1"
    }
}

/// What became of one SMTP transaction.
public struct SendOutcome: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The server replied 250 to the end of the data: delivered.
        case accepted
        /// Not delivered; `transient` (4xx, connection errors) may be retried, permanent (5xx,
        /// TLS or authentication refused) may not.
        case failed(transient: Bool)
        /// The connection dropped after the server took DATA and before its reply: it may or may not
        /// have the message. Never retried automatically (that could send it twice).
        case uncertain
    }
    public var kind: Kind
    /// The server's reply code (0 when there is none).
    public var code: Int
    /// The server's reply line, or what went wrong when there is none.
    public var reply: String

    public init(_ kind: Kind, code: Int, reply: String) {
        self.kind = kind
        self.code = code
        self.reply = reply
    }
}

/// Sends one message to one envelope recipient. `CurlSMTP` is the real one; tests may pass others.
public protocol MailTransport: Sendable {
    func send(_ message: MailMessage, to recipient: String) -> SendOutcome
}

/// SMTP through libcurl: the only code that touches libcurl's C API.
///
/// libcurl does not say "before DATA" or "after DATA" itself, so the transaction is traced through
/// CURLOPT_DEBUGFUNCTION (commands sent, replies received; AUTH lines are never kept) and the
/// outcome of `curl_easy_perform` is mapped to a delivery state:
///
/// | what happened | state |
/// |---|---|
/// | CURLE_OK (the server replied 250 to the message data) | `sent`, with that reply |
/// | the server accepted DATA (354), then the connection dropped or timed out before its reply | `uncertain` (not retried) |
/// | a 4xx reply, at any step (also after the data) | `failed`, transient: retried |
/// | a 5xx reply, at any step (550 on RCPT, 552 after the data, 535 on AUTH) | `failed`, permanent |
/// | connection refused, unresolvable host, timeout or drop before DATA was accepted | `failed`, transient |
/// | STARTTLS required but not offered (CURLE_USE_SSL_FAILED), certificate not verified, login denied | `failed`, permanent |
///
/// `deliveries.json` says `pending` before `curl_easy_perform` starts, so a process killed inside
/// it leaves `pending` — never `sent` — and the next send reports it as `uncertain`.
public final class CurlSMTP: MailTransport {
    public let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        self.settings = settings
        _ = curlGlobal
    }

    public func send(_ message: MailMessage, to recipient: String) -> SendOutcome {
        guard let handle = curl_easy_init() else { return SendOutcome(.failed(transient: true), code: 0, reply: "curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        let trace = Trace()
        var lists: [UnsafeMutablePointer<curl_slist>?] = []
        defer { lists.forEach { curl_slist_free_all($0) } }
        func list(_ items: [String]) -> UnsafeMutablePointer<curl_slist>? {
            var list: UnsafeMutablePointer<curl_slist>?
            for item in items { list = curl_slist_append(list, item) }
            lists.append(list)
            return list
        }

        var setup: [CURLcode] = [
            aftersales_setopt_string(handle, CURLOPT_URL, settings.url),
            aftersales_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(settings.fromAddress)>"),
            aftersales_setopt_slist(handle, CURLOPT_MAIL_RCPT, list(["<\(recipient)>"])),
            aftersales_setopt_long(handle, CURLOPT_USE_SSL, Int(settings.requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue)),
            aftersales_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1),
            aftersales_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2),
            aftersales_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            aftersales_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, settings.connectTimeout),
            aftersales_setopt_long(handle, CURLOPT_TIMEOUT, settings.timeout),
            aftersales_setopt_string(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            aftersales_setopt_slist(handle, CURLOPT_HTTPHEADER, list(message.headerLines)),
            aftersales_setopt_long(handle, CURLOPT_VERBOSE, 1),
            aftersales_setopt_debug(handle, traceCallback, Unmanaged.passUnretained(trace).toOpaque()),
        ]
        if let caFile = settings.caFile { setup.append(aftersales_setopt_string(handle, CURLOPT_CAINFO, caFile)) }
        if let username = settings.username {
            setup.append(aftersales_setopt_string(handle, CURLOPT_USERNAME, username))
            setup.append(aftersales_setopt_string(handle, CURLOPT_PASSWORD, settings.password ?? ""))
        }

        // The MIME tree: multipart/mixed of [multipart/alternative of [text, html], workbook].
        // Every part gets curl_mime_encoder "base64": without it libcurl sends a part's bytes as
        // they are, which corrupts a binary attachment.
        let mime = curl_mime_init(handle)
        defer { curl_mime_free(mime) }
        let alternative = curl_mime_init(handle)
        for (type, body) in [("text/plain; charset=utf-8", message.text), ("text/html; charset=utf-8", message.html)] {
            let part = curl_mime_addpart(alternative)
            let bytes = Array(body.utf8)
            setup.append(bytes.withUnsafeBufferPointer { curl_mime_data(part, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count) })
            setup.append(curl_mime_type(part, type))
            setup.append(curl_mime_encoder(part, "base64"))
        }
        let alternativePart = curl_mime_addpart(mime)
        setup.append(curl_mime_subparts(alternativePart, alternative))   // the part owns `alternative` now
        setup.append(curl_mime_type(alternativePart, "multipart/alternative"))
        if let attachment = message.attachment {
            let part = curl_mime_addpart(mime)
            setup.append(attachment.bytes.withUnsafeBufferPointer {
                curl_mime_data(part, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count)   // copied
            })
            setup.append(curl_mime_type(part, attachment.contentType))
            setup.append(curl_mime_encoder(part, "base64"))
            // libcurl does not encode non-ASCII file names: the header is written by MailMessage.
            var headers: UnsafeMutablePointer<curl_slist>?
            headers = curl_slist_append(headers, MailMessage.contentDisposition(attachment))
            setup.append(curl_mime_headers(part, headers, 1))   // the part owns and frees `headers`
        }
        setup.append(aftersales_setopt_mime(handle, mime))
        if let bad = setup.first(where: { $0 != CURLE_OK }) {
            return SendOutcome(.failed(transient: false), code: 0, reply: "libcurl refused a setting: \(String(cString: curl_easy_strerror(bad)))")
        }

        let result = withExtendedLifetime(trace) { curl_easy_perform(handle) }
        var responseCode = 0
        _ = aftersales_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
        let detail = String(cString: errorBuffer)
        return Self.outcome(result: result, responseCode: responseCode, trace: trace.snapshot, detail: detail)
    }

    /// The mapping of the table above, on what the trace saw.
    static func outcome(result: CURLcode, responseCode: Int, trace: Trace.Snapshot, detail: String) -> SendOutcome {
        let reply = trace.lastReply ?? ""
        let code = trace.lastReplyCode ?? responseCode
        if result == CURLE_OK { return SendOutcome(.accepted, code: code, reply: reply) }
        if trace.dataAccepted && trace.replyAfterData == nil {
            return SendOutcome(.uncertain, code: 0,
                               reply: "connection lost after the message data was handed over, before the server's reply (\(describe(result, detail)))")
        }
        if let last = trace.replyAfterData, let lastCode = replyCode(last), lastCode < 300 {
            return SendOutcome(.accepted, code: lastCode, reply: last)   // 250 to the data: delivered, whatever came after
        }
        if let last = trace.replyAfterData ?? trace.lastErrorReply, let lastCode = replyCode(last), lastCode >= 400 {
            return SendOutcome(.failed(transient: lastCode < 500), code: lastCode, reply: last)
        }
        switch result {
        case CURLE_USE_SSL_FAILED:
            return SendOutcome(.failed(transient: false), code: 0, reply: "STARTTLS required but the server does not offer it (\(describe(result, detail)))")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_LOGIN_DENIED,
             CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return SendOutcome(.failed(transient: false), code: 0, reply: describe(result, detail))
        default:
            // Connection refused, host not found, timeouts, a drop before DATA: nothing was delivered.
            return SendOutcome(.failed(transient: true), code: 0, reply: describe(result, detail))
        }
    }

    static func describe(_ result: CURLcode, _ detail: String) -> String {
        let text = String(cString: curl_easy_strerror(result))
        return detail.isEmpty || detail == text ? "curl: \(text)" : "curl: \(text): \(detail)"
    }
}

func replyCode(_ line: String) -> Int? {
    guard line.count >= 3, let code = Int(line.prefix(3)), (200..<600).contains(code) else { return nil }
    return code
}

private let curlGlobal: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

/// The SMTP conversation as libcurl reports it: which command went out last, the server's replies.
final class Trace: @unchecked Sendable {   // used by one curl_easy_perform on one thread
    struct Snapshot {
        var lastReply: String?
        var lastReplyCode: Int? { lastReply.flatMap(replyCode) }
        /// The last 4xx/5xx reply (libcurl sends QUIT after a refusal, so the last reply is often 221).
        var lastErrorReply: String?
        /// The server answered DATA with 354: from here on the message is on its way.
        var dataAccepted = false
        /// The server's reply to the end of the data.
        var replyAfterData: String?
    }
    private(set) var snapshot = Snapshot()
    private var dataSent = false

    func sent(_ command: String) {
        // Only the verb is looked at; AUTH lines (which carry the password) are not kept.
        dataSent = command.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() == "DATA"
    }

    func received(_ text: String) {
        for line in text.split(whereSeparator: \.isNewline) where !line.isEmpty {   // "\r\n" is one Character
            let line = String(line)
            snapshot.lastReply = line
            if let code = replyCode(line), code >= 400 { snapshot.lastErrorReply = line }
            if snapshot.dataAccepted {
                if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { snapshot.replyAfterData = line }
            } else if dataSent, line.hasPrefix("354") {
                snapshot.dataAccepted = true
            }
        }
    }
}

private let traceCallback: aftersales_debug_fn = { _, type, data, size, user in
    guard let user, let data else { return 0 }
    let trace = Unmanaged<Trace>.fromOpaque(user).takeUnretainedValue()
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    switch type {
    case CURLINFO_HEADER_IN: trace.received(text)
    case CURLINFO_HEADER_OUT: trace.sent(text)
    default: break
    }
    return 0
}
