/// The nine kinds of input file, known by their file-name prefix (SPEC §2).
public enum InputKind: String, CaseIterable, Sendable, Comparable {
    case parts, dealers, orders, movements, opening, counts, repairs, faults, fleet

    /// Masters are read by every command; the others only when a report needs them.
    public var isMaster: Bool { self == .parts || self == .dealers || self == .faults || self == .fleet }

    public static func < (a: InputKind, b: InputKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
