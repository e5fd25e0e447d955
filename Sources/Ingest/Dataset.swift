import Core

/// One input file and what became of its rows.
public struct InputFile: Sendable, Equatable {
    /// The file name inside the input folder.
    public let name: String
    public let kind: InputKind
    public let sha256: String
    public let bytes: Int
    public let encoding: TextEncoding
    /// Data rows read (all-empty rows are not read).
    public internal(set) var read = 0
    public internal(set) var rejected = 0
    public internal(set) var duplicates = 0
    /// Movements dated before the monthly run's month (SPEC §8.1): accepted history, not issues.
    public internal(set) var beforePeriod = 0
    /// Set when the same content was already read from an earlier file: this one is skipped whole.
    public internal(set) var sameContentAs: String?
}

/// Per-file row accounting for the manifest: read = accepted + warned + duplicate + rejected.
public struct RowCounts: Sendable, Equatable {
    public let read: Int
    public let accepted: Int
    public let warned: Int
    public let duplicate: Int
    public let rejected: Int
}

/// Everything read from the input folder: typed rows in file order, masters by key, and
/// every issue raised on the way.
public struct Dataset: Sendable {
    public internal(set) var files: [InputFile] = []
    public internal(set) var parts: [String: Part] = [:]
    public internal(set) var dealers: [String: Dealer] = [:]
    public internal(set) var faults: [String: Fault] = [:]
    public internal(set) var fleet: [FleetKey: Int64] = [:]
    public internal(set) var orders: [OrderLine] = []
    public internal(set) var movements: [Movement] = []
    public internal(set) var openings: [OpeningBalance] = []
    public internal(set) var counts: [CountLine] = []
    public internal(set) var repairs: [RepairLine] = []
    public internal(set) var payments: [PaymentLine] = []
    public internal(set) var receivables: [ReceivableItem] = []
    /// The masters as read, until the loader finishes their kind into the lookups above.
    var partRows: [Part] = [], dealerRows: [Dealer] = [], faultRows: [Fault] = [], fleetRows: [FleetEntry] = []
    /// Rejected rows and warnings, in the order they were found.
    public internal(set) var issues: [DataIssue] = []
    public internal(set) var duplicates: [DuplicateRow] = []
    /// Rows (not rejected) that carry at least one warning.
    var warnedRows: Set<RowRef> = []

    public init() {}

    /// The kinds that had at least one file in the folder.
    public var kindsPresent: Set<InputKind> { Set(files.map(\.kind)) }

    public func file(_ ref: RowRef) -> InputFile { files[Int(ref.file)] }

    public struct FleetKey: Hashable, Sendable {
        public let productModel: String
        public let month: Month
        public init(productModel: String, month: Month) { self.productModel = productModel; self.month = month }
    }

    /// Row accounting per file, in file order; `warnedLater` are rows a later stage warned about
    /// (profit's unmatched returns), counted as warned like the rows ingest warned about.
    public func rowCounts(warnedLater: [RowRef] = []) -> [RowCounts] {
        var warned = Array(repeating: 0, count: files.count)
        for ref in warnedRows.union(warnedLater) { warned[Int(ref.file)] += 1 }
        return files.indices.map { i in
            let f = files[i]
            return RowCounts(read: f.read, accepted: f.read - warned[i] - f.duplicates - f.rejected,
                             warned: warned[i], duplicate: f.duplicates, rejected: f.rejected)
        }
    }

    /// Counts the stored movements dated before `period` per file (one pass over the rows, after ingest).
    mutating func countMovements(before period: Month) {
        let first = period.firstDay
        for movement in movements where movement.docDate < first { files[Int(movement.ref.file)].beforePeriod += 1 }
    }

    public var rejectedRows: Int { files.reduce(0) { $0 + $1.rejected } }

    /// The repair lines, taken out (the dataset is left with none), to be filtered while other work reads
    /// the rest of the dataset; `putBack(repairs:)` returns the lines kept.
    public mutating func takeRepairs() -> [RepairLine] {
        defer { repairs = [] }   // after the return value is made: the array taken is the only reference
        return repairs
    }

    /// Puts back the repair lines `takeRepairs` took, or those of them kept (in file order).
    public mutating func putBack(repairs kept: [RepairLine]) { repairs = kept }

    /// Empties the typed transaction rows (orders, movements, openings, counts, repairs, payments,
    /// receivables) once the report tables are built from them: at month10 they are ~1.5 GB the
    /// render stage need not hold.
    /// Everything else stays — files, masters, issues, duplicates and the warned rows — so
    /// `rowCounts()`, `rejectedRows`, the issues sheet, rejects.csv and duplicates.csv come out the
    /// same. The arrays are copy-on-write: their memory is freed only if no other copy of this
    /// dataset (or of the arrays) is still alive.
    public mutating func releaseRows() {
        // Freed on both cores, the order lines on one and the rest on the other: dropping the rows'
        // Strings was ~0.4 s of one core at month10.
        let orderLines = Slot<[OrderLine]>(), others = Slot<([Movement], [RepairLine], [OpeningBalance], [CountLine], [PaymentLine], [ReceivableItem])>()
        orderLines.value = orders
        others.value = (movements, repairs, openings, counts, payments, receivables)
        (orders, movements, openings, counts, repairs, payments, receivables) = ([], [], [], [], [], [], [])
        sideBySide({ _ = orderLines.take() }, { _ = others.take() })
    }
}
