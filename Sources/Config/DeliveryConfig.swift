import TOMLKit

/// `[delivery]` of SPEC §8.7: where and to whom the reports are mailed. The password is never here:
/// it comes from `password_file` (owner-only) or `AFTERSALES_SMTP_PASSWORD`.
public struct DeliveryConfig: Sendable, Equatable {
    /// `smtp://host:port` (STARTTLS) or `smtps://host:port` (implicit TLS).
    public var smtpURL = ""
    /// `售后服务部 <aftersales@example.com>` or a bare address.
    public var from = ""
    /// AUTH only when set.
    public var username = ""
    /// A private CA's certificate (PEM); empty = the system's CAs.
    public var caFile = ""
    public var passwordFile = ""
    public var maxAttachmentMB = 20
    /// report id → its recipients (`[delivery.reports.<report>]`).
    public var reports: [String: Recipients] = [:]
    /// `[delivery.statements] enabled`: mail each dealer its statement (`statements/recipients-M.json`).
    public var statementsEnabled = false

    public init() {}

    /// The report ids a `[delivery.reports.<report>]` table may name (Reports' `ReportID`; Config
    /// cannot import Reports, a DeliveryTests test keeps the two lists equal).
    public static let reportIds = ["daily-orders", "parts-movement", "reconciliation", "profit", "quality-feedback", "receivables"]
}

/// The addresses of one report: one SMTP transaction each (a bad address fails only itself).
public struct Recipients: Sendable, Equatable {
    public var to: [String] = []
    public var cc: [String] = []
    public init(to: [String] = [], cc: [String] = []) {
        self.to = to
        self.cc = cc
    }
}

extension DeliveryConfig {
    static func parse(_ value: TOMLValueConvertible, source: String) throws(ConfigError) -> DeliveryConfig {
        var delivery = DeliveryConfig()
        let table = try deliveryTable(value, "delivery", source)
        for key in table.keys.sorted() {
            let full = "delivery.\(key)", value = table[key]!
            switch key {
            case "smtp_url":
                let url = try deliveryString(value, full, source)
                guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://"), url.count > 8 else {
                    throw ConfigError("\(source): \(full) = \"\(url)\" must be smtp://host[:port] (STARTTLS) or smtps://host[:port]")
                }
                delivery.smtpURL = url
            case "from":
                let from = try deliveryString(value, full, source)
                guard mailboxAddress(from) != nil else {
                    throw ConfigError("\(source): \(full) = \"\(from)\" must be an address, or a name and <address>")
                }
                delivery.from = from
            case "username": delivery.username = try deliveryString(value, full, source)
            case "ca_file": delivery.caFile = try deliveryString(value, full, source)
            case "password_file": delivery.passwordFile = try deliveryString(value, full, source)
            case "max_attachment_mb":
                guard let mb = value.int, mb > 0 else { throw ConfigError("\(source): \(full) must be a whole number of MB > 0") }
                delivery.maxAttachmentMB = mb
            case "reports":
                let reports = try deliveryTable(value, full, source)
                for report in reports.keys.sorted() {
                    guard reportIds.contains(report) else {
                        throw ConfigError("\(source): unknown key \(full).\(report) (reports: \(reportIds.joined(separator: ", ")))")
                    }
                    delivery.reports[report] = try recipients(reports[report]!, "\(full).\(report)", source)
                }
            case "statements":
                let statements = try deliveryTable(value, full, source)
                for sub in statements.keys.sorted() {
                    guard sub == "enabled", let enabled = statements[sub]!.bool else {
                        throw ConfigError(sub == "enabled" ? "\(source): \(full).enabled must be true or false"
                                                           : "\(source): unknown key \(full).\(sub)")
                    }
                    delivery.statementsEnabled = enabled
                }
            default: throw ConfigError("\(source): unknown key \(full)")
            }
        }
        guard !delivery.smtpURL.isEmpty, !delivery.from.isEmpty else {
            throw ConfigError("\(source): [delivery] needs smtp_url and from")
        }
        return delivery
    }

    private static func recipients(_ value: TOMLValueConvertible, _ prefix: String, _ source: String) throws(ConfigError) -> Recipients {
        var recipients = Recipients()
        let table = try deliveryTable(value, prefix, source)
        for key in table.keys.sorted() {
            let full = "\(prefix).\(key)"
            guard key == "to" || key == "cc" else { throw ConfigError("\(source): unknown key \(full) (to, cc)") }
            guard let array = table[key]!.array else { throw ConfigError("\(source): \(full) must be a list of addresses") }
            var addresses: [String] = []
            for item in array {
                guard let address = item.string, isPlainAddress(address) else {
                    throw ConfigError("\(source): \(full) holds \(item.debugDescription), which is not an address like name@example.com")
                }
                addresses.append(address)
            }
            if key == "to" { recipients.to = addresses } else { recipients.cc = addresses }
        }
        return recipients
    }
}

/// A bare address `local@domain`: printable ASCII without spaces, angle brackets, quotes, commas
/// or line breaks (so it can stand in a header and an SMTP command as it is). Internationalized
/// addresses need SMTPUTF8, which the delivery does not speak: refused here, not at 01:30.
public func isPlainAddress(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
    return !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value >= 0x7F || "<>\"(),;:[]\\".unicodeScalars.contains($0) }
}

/// The address of `Name <address>` or of a bare address; nil when there is none.
public func mailboxAddress(_ text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: " ")
    if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
        let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        return isPlainAddress(address) && !trimmed.contains("\n") && !trimmed.contains("\r") ? address : nil
    }
    return isPlainAddress(trimmed) ? trimmed : nil
}

private extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}

private func deliveryString(_ value: TOMLValueConvertible, _ key: String, _ source: String) throws(ConfigError) -> String {
    guard let s = value.string else { throw ConfigError("\(source): \(key) must be a string, found \(value.type)") }
    return s
}

private func deliveryTable(_ value: TOMLValueConvertible, _ key: String, _ source: String) throws(ConfigError) -> TOMLTable {
    guard let t = value.table else { throw ConfigError("\(source): \(key) must be a table, found \(value.type)") }
    return t
}
