/// A column of an input kind (SPEC §2.2): canonical id, Chinese label, type, whether required.
/// In Core, not Ingest, because the config checks its `columns` and `defaults` against the ids.
public struct ColumnSpec: Sendable {
    public let id: String
    public let label: String
    public let type: FieldType
    public let required: Bool

    init(_ id: String, _ label: String, _ type: FieldType, required: Bool = false) {
        (self.id, self.label, self.type, self.required) = (id, label, type, required)
    }
}

public enum FieldType: Sendable {
    case text
    case date
    /// Quantity, at most 3 decimals.
    case qty(Sign)
    /// Price or unit cost, at most 6 decimals, kept exact.
    case price(Sign)
    /// Money input, at most 6 decimals, rounded to 0.01 when read.
    case money(Sign)
    case bool
    case orderStatus
    case moveType
    /// A receivables item's type: invoice 发票, credit 贷项, payment 收款 (SPEC §8.4).
    case docType
    /// A whole number (fleet units).
    case integer
    /// `YYYY-MM` (fleet month).
    case month
}

/// The sign rule of a number column; a violation is `wrong_sign`.
public enum Sign: Sendable {
    case any, positive, nonNegative, nonZero

    /// Inlinable: Ingest checks it on every number it reads.
    @inlinable public func admits(_ mantissa: Int128) -> Bool {
        switch self {
        case .any: return true
        case .positive: return mantissa > 0
        case .nonNegative: return mantissa >= 0
        case .nonZero: return mantissa != 0
        }
    }
    public var wording: String {
        switch self {
        case .any: return "any number"
        case .positive: return "a number > 0"
        case .nonNegative: return "a number ≥ 0"
        case .nonZero: return "a number ≠ 0"
        }
    }
}
