import Core

/// An input kind's columns (`InputKind.columns`, SPEC §2.2) with their positions by id.
public struct KindSchema: Sendable {
    public let kind: InputKind
    public let columns: [ColumnSpec]
    /// Column id → position (the row builders look columns up by id on every row).
    private let positions: [String: Int]

    private init(kind: InputKind) {
        self.kind = kind
        columns = kind.columns
        positions = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.id, $0) })
    }

    public func index(of id: String) -> Int? { positions[id] }

    public static func of(_ kind: InputKind) -> KindSchema { all[kind]! }

    private static let all = Dictionary(uniqueKeysWithValues: InputKind.allCases.map { ($0, KindSchema(kind: $0)) })
}
