import Foundation

/// `<out>/<M>/statements/recipients-M.json`: what mailing each dealer its 对账单 needs, written by the
/// monthly run beside the statements and listed in the manifest like them (SPEC §8.4, §8.5). The run
/// records the dealers master's `email` as it was when the statement was made, so `send` needs no
/// input folder and a master edited (or an export folder rotated) between run and send cannot send a
/// statement to an address it was not made for: a corrected address goes out after a rerun.
public struct StatementRecipients: Codable, Equatable, Sendable {
    public struct Dealer: Codable, Equatable, Sendable {
        public var dealerId: String
        public var dealerName: String
        /// dealers.csv's `email`; empty when the master has none (no message, one log line).
        public var email: String
        /// As the manifest lists it, relative to the output folder (`2026-10/statements/statement-2026-10-D01.xlsx`).
        public var file: String
        /// The statement's closing balance (exact decimal text).
        public var closing: String
        /// The part of the closing balance past due at the end of the month: the open debits with
        /// due_date before its last day (the aging's buckets past not_due).
        public var overdue: String

        public init(dealerId: String, dealerName: String, email: String, file: String, closing: String, overdue: String) {
            (self.dealerId, self.dealerName, self.email, self.file, self.closing, self.overdue) = (dealerId, dealerName, email, file, closing, overdue)
        }

        enum CodingKeys: String, CodingKey {
            case dealerId = "dealer_id", dealerName = "dealer_name", email, file, closing, overdue
        }
    }

    /// "2026-10".
    public var period: String
    /// The config's company, as the statements show it.
    public var company: String
    /// In dealer id order, as the statements.
    public var dealers: [Dealer]

    public init(period: String, company: String, dealers: [Dealer]) {
        (self.period, self.company, self.dealers) = (period, company, dealers)
    }

    /// The file's name inside the period folder.
    public static func fileName(period: String) -> String { "statements/recipients-\(period).json" }

    /// The file's bytes: sorted keys, so a rerun writes the same bytes.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}
