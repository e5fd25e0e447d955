import Crypto
import Foundation

/// One message as the department's readers get it: built once, then either handed to libcurl's MIME
/// API (`CurlSMTP`) or written as an .eml (`--dry-run`, `emlBytes`). Every header value here is
/// already in its wire form (RFC 2047 encoded words where not ASCII).
public struct MailMessage: Sendable, Equatable {
    public struct Attachment: Sendable, Equatable {
        /// The file's own (ASCII) name, the `filename=` fallback.
        public var fileName: String
        /// The name shown to the reader (the report's title and period, maybe not ASCII): `filename*=`.
        public var displayName: String
        public var contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        public var bytes: [UInt8]
        public init(fileName: String, displayName: String, bytes: [UInt8]) {
            self.fileName = fileName
            self.displayName = displayName
            self.bytes = bytes
        }
    }

    /// `Name <address>` as configured.
    public var from: String
    public var to: [String]
    public var cc: [String]
    public var subject: String
    /// With its angle brackets.
    public var messageID: String
    /// RFC 5322 date.
    public var date: String
    public var text: String
    public var html: String
    public var attachment: Attachment?

    /// The header lines libcurl is given (CURLOPT_HTTPHEADER, which SMTP uses for the top-level
    /// headers); libcurl adds MIME-Version and the multipart Content-Type itself.
    public var headerLines: [String] {
        var lines = ["From: \(encodedMailbox(from))"]
        if !to.isEmpty { lines.append("To: \(to.joined(separator: ", "))") }
        if !cc.isEmpty { lines.append("Cc: \(cc.joined(separator: ", "))") }
        lines += ["Subject: \(encodedWords(subject))", "Message-ID: \(messageID)", "Date: \(date)"]
        return lines
    }

    /// The attachment's Content-Disposition, written here because libcurl does not encode non-ASCII
    /// file names: RFC 2231 `filename*=UTF-8''…` for the display name plus an ASCII `filename=`
    /// (the file's own name) for readers that do not know RFC 2231. `filename*` comes first: readers
    /// that take the first name given (Python's email package) then take the display name too.
    public static func contentDisposition(_ attachment: Attachment) -> String {
        "Content-Disposition: attachment; filename*=UTF-8''\(rfc2231Percent(attachment.displayName)); filename=\"\(asciiFileName(attachment.fileName))\""
    }

    /// The whole message as an .eml (CRLF lines), with the structure libcurl's MIME API sends:
    /// multipart/mixed of [multipart/alternative of [text/plain, text/html], the workbook], every
    /// part base64. libcurl cannot serialize a `curl_mime` without sending it, so `--dry-run`
    /// writes this twin of the same `MailMessage`.
    public func emlBytes(boundarySeed: String) -> [UInt8] {
        let mixed = "=_mixed_\(boundarySeed)", alternative = "=_alt_\(boundarySeed)"
        var out: [String] = headerLines + ["MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"\(mixed)\"", ""]
        out += ["--\(mixed)", "Content-Type: multipart/alternative; boundary=\"\(alternative)\"", ""]
        for (type, body) in [("text/plain; charset=utf-8", text), ("text/html; charset=utf-8", html)] {
            out += ["--\(alternative)", "Content-Type: \(type)", "Content-Transfer-Encoding: base64", ""]
            out += base64Lines(Array(body.utf8))
        }
        out += ["--\(alternative)--", ""]
        if let attachment {
            out += ["--\(mixed)", "Content-Type: \(attachment.contentType)", "Content-Transfer-Encoding: base64",
                    Self.contentDisposition(attachment), ""]
            out += base64Lines(attachment.bytes)
        }
        out += ["--\(mixed)--", ""]
        return Array(out.joined(separator: "\r\n").utf8)
    }

    /// The Message-ID of one report version to one recipient: the same for a resend of the same
    /// workbook (so mail systems can drop the duplicate), another for a corrected workbook.
    public static func messageID(report: String, period: String, sha256: String, recipient: String, fromAddress: String) -> String {
        let digest = SHA256.hash(data: Data("\(report)\n\(period)\n\(sha256)\n\(recipient.lowercased())".utf8))
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        let domain = fromAddress.split(separator: "@").last.map(String.init) ?? "aftersales.invalid"
        // A dealer id (`statement-<dealer_id>`) is the ERP's text: only dot-atom characters may stand
        // in a Message-ID; the hash keeps it unique.
        let label = String(report.unicodeScalars.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_".unicodeScalars.contains($0)) ? Character($0) : "_" })
        return "<\(hex.prefix(40)).\(label).\(period)@\(domain)>"
    }

    /// An RFC 5322 date (`Tue, 03 Nov 2026 01:30:04 +0000`).
    public static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

/// `text` as it is when ASCII, else RFC 2047 encoded words (`=?UTF-8?B?…?=`), each at most 75
/// characters and never splitting a character, folded onto continuation lines.
public func encodedWords(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.value > 0x7E || $0.value < 0x20 }) else { return text }
    var words: [[UInt8]] = [], chunk: [UInt8] = []
    for character in text {
        let bytes = Array(String(character).utf8)
        if chunk.count + bytes.count > 45 {   // 45 bytes → 60 base64 chars + 12 of =?UTF-8?B??=
            words.append(chunk)
            chunk = []
        }
        chunk += bytes
    }
    if !chunk.isEmpty { words.append(chunk) }
    return words.map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }.joined(separator: "\r\n ")
}

/// `Name <address>` with the name as encoded words when not ASCII.
func encodedMailbox(_ mailbox: String) -> String {
    let trimmed = mailbox.trimmingCharacters(in: .whitespaces)
    guard let open = trimmed.lastIndex(of: "<") else { return trimmed }
    let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty else { return String(trimmed[open...]) }
    let shown = name.unicodeScalars.allSatisfy { $0.isASCII } ? "\"\(name.replacingOccurrences(of: "\"", with: ""))\"" : encodedWords(name)
    return "\(shown) \(trimmed[open...])"
}

/// RFC 2231/5987 percent-encoding of UTF-8 (attr-char kept as it is).
func rfc2231Percent(_ text: String) -> String {
    let keep = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)
    return text.utf8.map { keep.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
}

/// A name that is safe inside `filename="…"`: ASCII printable, no quote or backslash.
func asciiFileName(_ name: String) -> String {
    String(name.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
}

func base64Lines(_ bytes: [UInt8]) -> [String] {
    let text = Data(bytes).base64EncodedString()
    var lines: [String] = [], index = text.startIndex
    while index < text.endIndex {
        let end = text.index(index, offsetBy: 76, limitedBy: text.endIndex) ?? text.endIndex
        lines.append(String(text[index..<end]))
        index = end
    }
    return lines
}
