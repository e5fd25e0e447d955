import Core

/// The typed row of one input kind, and all that Ingest does per kind: build the row from a parsed
/// record, key it, keep it. One conforming type per kind, in Kinds/<Kind>.swift, registered in
/// `InputKind.rowType` below; the kind's columns are `InputKind.columns` (in Core, for the config).
///
/// The loader is generic over the row type: a file's rows go through code specialized for its kind,
/// with no dynamic call and no closure per row (`LoadState.parse`).
protocol KindRow: Equatable {
    static var kind: InputKind { get }
    /// The row's key (SPEC §2.2, §6): a later row with the same key is a duplicate.
    var key: RowKey { get }
    /// The column named when a row conflicts with an earlier one of the same key.
    static var keyColumn: String { get }
    /// The row of a record whose columns passed their checks, after the rules between fields (SPEC
    /// §2.2, §6); a broken rule throws a `RowFailure`. `warnings` gets what the row is warned about.
    static func build(_ p: RowParser, ref: RowRef, context: BuildContext, warnings: inout [RowWarning]) throws -> Self
    /// The rows kept so far, in the order of the files (file name, then line), which the ledger's tie
    /// rules depend on; a master's as read, until `finish`.
    static func rows(in dataset: Dataset) -> [Self]
    static func append(_ row: consuming Self, to dataset: inout Dataset)
    /// Gives `body` the kept rows to change in place (room reserved, another load's rows added).
    static func withRows(in dataset: inout Dataset, _ body: (inout [Self]) -> Void)
    /// After the kind's last file: a master becomes the dataset's lookup by key; the rows of the other
    /// kinds stay as read.
    static func finish(_ dataset: inout Dataset)
    /// Whether the row has the content of `first`, kept earlier under its key (its reference aside).
    func isSame(as first: Self) -> Bool
    /// Reads a file of this kind into `state` (implemented once, in LoadState.swift). A requirement, not
    /// only an extension method, so that each kind's witness runs the loader specialized for its row
    /// type: called through `rowType`, an extension method would run it unspecialized, every row's
    /// calls going through the witness table.
    static func parse(_ planned: PlannedFile, bytesAfter: Int, into state: inout LoadState) throws
}

extension KindRow {
    func isSame(as first: Self) -> Bool { self == first }
}

extension InputKind {
    /// The row type of each kind: the registration of Kinds/*.swift. Exhaustive, so that a kind
    /// without a row type does not compile.
    var rowType: any KindRow.Type {
        switch self {
        case .parts: return Part.self
        case .dealers: return Dealer.self
        case .orders: return OrderLine.self
        case .movements: return Movement.self
        case .opening: return OpeningBalance.self
        case .counts: return CountLine.self
        case .repairs: return RepairLine.self
        case .faults: return Fault.self
        case .fleet: return FleetEntry.self
        case .payments: return PaymentLine.self
        case .receivables: return ReceivableItem.self
        }
    }
}

/// A row's key: one to four of its canonical values (SPEC §2.2, §6).
enum RowKey: Equatable {
    case one(String)
    case two(String, String)
    case three(String, String, String)
    case four(String, String, String, String)

    func hash(seed: UInt64) -> UInt64 {
        switch self {
        case .one(let a): return byteHash(a, seed: seed)
        case .two(let a, let b): return byteHash(b, seed: byteHash(a, seed: seed))
        case .three(let a, let b, let c): return byteHash(c, seed: byteHash(b, seed: byteHash(a, seed: seed)))
        case .four(let a, let b, let c, let d):
            return byteHash(d, seed: byteHash(c, seed: byteHash(b, seed: byteHash(a, seed: seed))))
        }
    }
}

// The stored properties of the row types are ordered by size, the narrow ones last and together, so
// that no padding follows a 4- or 1-byte field: 8 bytes less per order, movement and repair line
// (~70 MB at ten times a month).
