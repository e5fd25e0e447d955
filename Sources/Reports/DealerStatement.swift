import Core

/// One dealer's 对账单 for a month (SPEC §8.4 `statement`): its lines in walk order between the
/// opening and closing balance, and the aging of the closing balance. The receivables report
/// builds it; it is the `statement` table's rows for that dealer and Render's statement workbook.
public struct DealerStatement: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public enum Kind: String, Sendable { case opening, invoice, credit, payment, closing }
        public let date: Day
        public let kind: Kind
        /// Empty on the opening and closing lines.
        public let docNo: String
        public let refNo: String
        /// The document's amount when > 0; nil otherwise and on the opening and closing lines.
        public let debit: Money?
        /// −amount when the amount is < 0; nil otherwise and on the opening and closing lines.
        public let credit: Money?
        /// The running balance after this line.
        public let balance: Money

        public init(date: Day, kind: Kind, docNo: String = "", refNo: String = "", debit: Money? = nil, credit: Money? = nil,
                    balance: Money) {
            (self.date, self.kind, self.docNo, self.refNo) = (date, kind, docNo, refNo)
            (self.debit, self.credit, self.balance) = (debit, credit, balance)
        }
    }

    /// The closing balance split by days past due at the end of the month (`balances`' buckets).
    public struct Aging: Sendable, Equatable {
        public var notDue = Money.zero, d1to30 = Money.zero, d31to60 = Money.zero, d61to90 = Money.zero
        public var d91to120 = Money.zero, over120 = Money.zero
        /// Σ the open credits (≤ 0).
        public var unapplied = Money.zero

        public init() {}

        /// Equals the closing balance, always (SPEC §8.4).
        public var total: Money { notDue + d1to30 + d31to60 + d61to90 + d91to120 + over120 + unapplied }
    }

    public let dealerId: String
    public let dealerName: String
    public let region: String
    public let month: Month
    /// Opening line first, closing line last.
    public let lines: [Line]
    public let aging: Aging
    /// nil: no limit.
    public let creditLimit: Money?
    /// The dealers master's `email`, where the statement is mailed (SPEC §8.5); empty when none.
    public let email: String

    public init(dealerId: String, dealerName: String, region: String, month: Month, lines: [Line], aging: Aging, creditLimit: Money?,
                email: String = "") {
        (self.dealerId, self.dealerName, self.region, self.month) = (dealerId, dealerName, region, month)
        (self.lines, self.aging, self.creditLimit, self.email) = (lines, aging, creditLimit, email)
    }

    public var closing: Money { lines.last?.balance ?? .zero }
    /// The part of the closing balance past due at the end of the month (every bucket but not_due and the credits).
    public var overdue: Money { aging.d1to30 + aging.d31to60 + aging.d61to90 + aging.d91to120 + aging.over120 }
    public var overLimit: Bool { creditLimit.map { closing > $0 } ?? false }
}
