import Config
import Core
import Crypto
import CSV
import Foundation
import Synchronization

/// Reads the input folder into a `Dataset` (SPEC §2): files by kind, each kind's files in
/// code-point order of their names and concatenated, masters first so that unknown codes can
/// be warned about. Whole-file problems throw; row problems become issues.
public struct Loader: Sendable {
    public let directory: String
    public let config: Config
    /// The monthly run's month: movements dated before it are warned about.
    public let period: Month?

    public init(directory: String, config: Config, period: Month? = nil) {
        self.directory = directory
        self.config = config
        self.period = period
    }

    /// The files of each kind in the folder, names in code-point order. Files matching no kind are ignored.
    public func discover() throws(IngestError) -> [InputKind: [String]] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw .unreadable(file: directory, reason: "the input folder cannot be listed (\(error.localizedDescription))")
        }
        var byKind: [InputKind: [String]] = [:]
        for name in names where name.hasSuffix(".csv") {
            // Longest prefix first is not needed: no kind's name is a prefix of another's.
            if let kind = InputKind.allCases.first(where: { name.hasPrefix($0.rawValue) }) {
                byKind[kind, default: []].append(name)
            }
        }
        for kind in byKind.keys { byKind[kind]!.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        return byKind
    }

    /// Reads the files of `kinds` plus every master kind present.
    public func load(_ kinds: Set<InputKind>) throws(IngestError) -> Dataset {
        let available = try discover()
        let wanted = InputKind.allCases.filter { $0.isMaster || kinds.contains($0) }
        let masters = wanted.filter(\.isMaster), others = wanted.filter { !$0.isMaster }
        var state = LoadState(config: config, period: period)
        // Pass 1: each file's sha256 and encoding, the files examined side by side (~2.5 s of hashing
        // at ten times a month), then registered in reading order, which decides which files repeat
        // an earlier one (and which failure is reported first).
        let named = (masters + others).flatMap { kind in (available[kind] ?? []).map { (kind: kind, name: $0) } }
        let examined = Mutex<[Int: Result<FileFingerprint, IngestError>]>([:])
        sideBySide(named.count) { [directory, config] n in
            let (kind, name) = named[n]
            let result = Result { () throws(IngestError) -> FileFingerprint in
                try naming(name) { try FileFingerprint(path: directory + "/" + name, name: name, options: config.options(for: kind)) }
            }
            examined.withLock { $0[n] = result }
        }
        var files: [InputKind: [PlannedFile]] = [:]
        for (n, (kind, name)) in named.enumerated() {
            let fingerprint = try examined.withLock { $0[n]! }.get()
            files[kind, default: []].append(state.register(fingerprint, path: directory + "/" + name, name: name, kind: kind))
        }
        // Masters first, so rows of the other kinds can be checked against them.
        for kind in masters {
            try parseKind(files[kind] ?? [], into: &state)
            state.finishKind(kind)
        }
        // The other kinds depend only on the masters: each is parsed by its own copy of the state, side
        // by side on the machine's cores, and added in kind order, so the dataset is the same as when
        // read one after the other.
        let base = state.forAnotherKind(), plans = files
        let results = Mutex<[InputKind: Result<LoadState, IngestError>]>([:])
        // The largest kinds first, so that the small ones fill in around them.
        let bytes = { (kind: InputKind) in (files[kind] ?? []).reduce(0) { $0 + base.dataset.files[Int($1.index)].bytes } }
        let largestFirst = others.sorted { bytes($0) > bytes($1) }
        sideBySide(largestFirst.count) { n in
            let kind = largestFirst[n]
            let result = Result { () throws(IngestError) -> LoadState in
                var sub = base
                try parseKind(plans[kind] ?? [], into: &sub)
                sub.finishKind(kind)
                return sub
            }
            results.withLock { $0[kind] = result }
        }
        for kind in others { state.absorb(try results.withLock { $0[kind]! }.get(), files: files[kind] ?? []) }
        return state.dataset
    }

    /// Parses the files of one kind in order, telling each how many bytes of the kind are still to come
    /// (so that the row array is sized once for the kind, not regrown and copied at every file).
    private func parseKind(_ files: [PlannedFile], into state: inout LoadState) throws(IngestError) {
        var bytesAfter = files.reduce(0) { $0 + state.dataset.files[Int($1.index)].bytes }
        for file in files {
            bytesAfter -= state.dataset.files[Int(file.index)].bytes
            try naming(file.name) { try state.parse(file, bytesAfter: bytesAfter) }
        }
    }

    /// Runs `body`, reporting any error that is not already an IngestError as one about `file`.
    private func naming<T>(_ file: String, _ body: () throws -> T) throws(IngestError) -> T {
        do { return try body() }
        catch let error as IngestError { throw error }
        catch { throw .unreadable(file: file, reason: "\(error)") }
    }
}

/// Pass 1 over one file: its sha256, size and encoding (`auto`: UTF-8 when every byte is, else GB18030).
/// Public for `aftersales-bench byte-floor`, which times the loader's byte work without the rows.
public struct FileFingerprint: Sendable {
    public let digest: [UInt8]
    public let size: Int
    public let encoding: TextEncoding

    public init(path: String, name: String, options: InputOptions) throws {
        var hasher = SHA256()
        var validator = UTF8Validator()
        size = try ChunkReader.forEachChunk(path: path, name: name) { chunk in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(chunk))
            if options.encoding == .auto { validator.feed(chunk) }
        }
        digest = Array(hasher.finalize())
        switch options.encoding {
        case .auto: encoding = validator.finish() ? .utf8 : .gb18030
        case .utf8: encoding = .utf8
        case .gb18030: encoding = .gb18030
        }
    }
}

/// An input file after the first pass; what it found (kind, encoding, a same-content file) is in
/// `dataset.files[index]`.
struct PlannedFile: Sendable {
    let path: String
    let name: String
    let index: Int32
    /// sha256 of the first pass's bytes, which the second pass must see again.
    let digest: [UInt8]
}

/// The state of one load: the dataset being filled and the keys seen so far.
struct LoadState {
    let config: Config
    let period: Month?
    var dataset = Dataset()
    private var contentHashes: [String: String] = [:]     // sha256 → first file name
    /// The first stored row of each key of the kind being read, by position in its list (reset after
    /// each kind); with the reference and the hash of the parsed values of each row stored so far.
    private var keyIndex = KeyIndex()
    private var storedRefs: [RowRef] = [], storedContents: [UInt64] = []
    /// The list position of `storedRefs[0]`.
    private var firstPosition = 0
    /// Set by a test: every key hashes alike, so only comparing the keys tells rows apart.
    var everyKeyCollides = false
    /// The masters as read, made dictionaries by `finishKind`.
    fileprivate var parts: [Part] = [], dealers: [Dealer] = [], faults: [Fault] = [], fleet: [FleetEntry] = []

    init(config: Config, period: Month?) {
        self.config = config
        self.period = period
    }

    /// A copy to read another kind with: the files and masters so far, no rows or issues yet.
    func forAnotherKind() -> LoadState {
        var copy = self
        if copy.context == nil { copy.context = makeContext() }
        copy.dataset.issues = []
        copy.dataset.duplicates = []
        copy.dataset.warnedRows = []
        return copy
    }

    /// Adds what `other` (made by `forAnotherKind`) read from `files`.
    mutating func absorb(_ other: LoadState, files: [PlannedFile]) {
        for file in files { dataset.files[Int(file.index)] = other.dataset.files[Int(file.index)] }
        // Each kind's rows come from one state: taking its arrays whole shares them instead of copying.
        // Nothing is appended when there is nothing to add: appending even no rows to an array that
        // `other` shares copies it whole (at 10× a month, ~0.8 GB of order and movement lines).
        func add<T>(_ rows: [T], to list: inout [T]) {
            if rows.isEmpty { return }
            if list.isEmpty { list = rows } else { list += rows }
        }
        add(other.dataset.orders, to: &dataset.orders)
        add(other.dataset.movements, to: &dataset.movements)
        add(other.dataset.openings, to: &dataset.openings)
        add(other.dataset.counts, to: &dataset.counts)
        add(other.dataset.repairs, to: &dataset.repairs)
        add(other.dataset.issues, to: &dataset.issues)
        add(other.dataset.duplicates, to: &dataset.duplicates)
        dataset.warnedRows.formUnion(other.dataset.warnedRows)
    }

    mutating func finishKind(_ kind: InputKind) {
        if kind.isMaster { context = nil }
        keyIndex = KeyIndex()
        storedRefs = []
        storedContents = []
        switch kind {
        case .parts: dataset.parts = Dictionary(uniqueKeysWithValues: parts.map { ($0.partNo, $0) })
        case .dealers: dataset.dealers = Dictionary(uniqueKeysWithValues: dealers.map { ($0.dealerId, $0) })
        case .faults: dataset.faults = Dictionary(uniqueKeysWithValues: faults.map { ($0.code, $0) })
        case .fleet:
            dataset.fleet = Dictionary(uniqueKeysWithValues: fleet.map { (Dataset.FleetKey(productModel: $0.productModel, month: $0.month), $0.units) })
        default: break
        }
    }

    /// The context the rows of a file are built in, made once the masters it checks against are read
    /// (the parts check's set is built from 20k codes: once per file was ~1 % of ingest).
    private var context: BuildContext?

    private func makeContext() -> BuildContext {
        let present = dataset.kindsPresent
        return BuildContext(partNos: present.contains(.parts) ? CodeSet(dataset.parts.keys) : nil,
                            dealerIds: present.contains(.dealers) ? CodeSet(dataset.dealers.keys) : nil,
                            oldPartsWarehouse: config.oldPartsWarehouse, period: period)
    }

    /// Reads a file on its own (no plan): both passes.
    mutating func read(path: String, name: String, kind: InputKind) throws {
        let fingerprint = try FileFingerprint(path: path, name: name, options: config.options(for: kind))
        try parse(register(fingerprint, path: path, name: name, kind: kind))
    }

    /// Pass 1, in reading order: registers the file in `dataset.files`, noting an earlier file of the same content.
    mutating func register(_ fingerprint: FileFingerprint, path: String, name: String, kind: InputKind) -> PlannedFile {
        let sha256 = fingerprint.digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let fileIndex = Int32(dataset.files.count)
        var file = InputFile(name: name, kind: kind, sha256: sha256, bytes: fingerprint.size, encoding: fingerprint.encoding)
        file.sameContentAs = contentHashes[sha256]
        dataset.files.append(file)
        if file.sameContentAs == nil { contentHashes[sha256] = name }
        return PlannedFile(path: path, name: name, index: fileIndex, digest: fingerprint.digest)
    }

    /// Pass 2: decodes, scans and turns the records into rows; the bytes are hashed again, so that the
    /// rows are those of the bytes the manifest names (an export rewritten meanwhile is a fatal input error).
    /// `bytesAfter`: the bytes of this kind's files still to be read after this one.
    mutating func parse(_ planned: PlannedFile, bytesAfter: Int = 0) throws {
        let (path, name, fileIndex) = (planned.path, planned.name, planned.index)
        let input = dataset.files[Int(fileIndex)]
        let (kind, size, encoding) = (input.kind, input.bytes, input.encoding)
        let options = config.options(for: kind)
        if let first = input.sameContentAs {
            dataset.issues.append(DataIssue(file: name, line: 0, column: "", severity: .warning, code: .duplicateFile,
                                            message: "same content as \(first) (sha256 \(input.sha256.prefix(12))…); skipped", rawRow: ""))
            return
        }

        if context == nil { context = makeContext() }
        var file = FileRows(kind: kind, name: name, fileIndex: fileIndex, options: options, context: context!)
        // Rows are rarely under 64 bytes: reserving for size / 64 keys saves most regrowth of the key index.
        keyIndex.reserve((size + bytesAfter) / 64)
        var scanner = CSVScanner(delimiter: options.delimiter)
        var rehasher = SHA256()
        var firstChunk = true
        do {
            let decoder = encoding == .gb18030 ? try GB18030Decoder() : nil
            _ = try ChunkReader.forEachChunk(path: path, name: name) { chunk in
                rehasher.update(bufferPointer: UnsafeRawBufferPointer(chunk))
                if let decoder {
                    try decoder.decode(chunk) { utf8 in try scanner.feed(utf8) { try file.take($0, into: &self) } }
                } else {
                    try scanner.feed(chunk) { try file.take($0, into: &self) }
                }
                if firstChunk && chunk.count < size + bytesAfter {
                    // After the first chunk: room for the rows the rest of the kind's files will likely hold
                    // (+6 %), so that the row array does not grow by doubling (up to half of it unused) nor
                    // by a copy at each file (at 10x a month, ~0.5 GB copied while both copies are alive).
                    let rows = dataset.files[Int(fileIndex)].read
                    reserveRows(kind, more: rows * (size - chunk.count + bytesAfter) / chunk.count * 106 / 100)
                }
                firstChunk = false
            }
            guard Array(rehasher.finalize()) == planned.digest else {
                throw IngestError.unreadable(file: name, reason: "it changed while being read; run again once the export is complete")
            }
            try decoder?.finish()
            try scanner.finish { try file.take($0, into: &self) }
        } catch let error as IngestError {
            throw error
        } catch let error as TextDecodingError {
            switch error {
            case let .invalidSequence(offset, line), let .truncatedSequence(offset, line):
                throw IngestError.invalidEncoding(file: name, line: line, byteOffset: offset)
            case let .converterUnavailable(reason):
                throw IngestError.unreadable(file: name, reason: reason)
            }
        } catch {
            throw IngestError.unreadable(file: name, reason: "\(error)")
        }
        if file.map == nil { throw IngestError.noHeader(file: name) }
    }

    // MARK: Admitting rows

    mutating func reject(_ ref: RowRef, column: String, code: IssueCode, raw: String, message: String) {
        let fileIndex = Int(ref.file)
        dataset.files[fileIndex].rejected += 1
        dataset.issues.append(DataIssue(file: dataset.files[fileIndex].name, line: Int(ref.line), column: column,
                                        severity: .error, code: code, message: message, rawRow: raw))
    }

    /// Stores a typed row that passed every check, unless its key was seen before (SPEC §2.3):
    /// the same content is an exact duplicate, dropped and counted; other content is a conflict,
    /// rejected. Warnings are kept only for rows that are stored. `content` is the hash of the
    /// row's parsed canonical values, which duplicates compare (SPEC §6): a typed row can hide a
    /// difference (an order's given amount, a unit cost on an issue type), the parsed values cannot.
    /// `raw` is asked for only when an issue needs the row's text. `keyHash`: the key's hash from the
    /// row's bytes (`keyHash(parent:line:)`), for kinds keyed by a document and line; nil for the others.
    mutating func store<Row: StoredRow>(_ row: consuming Row, ref: RowRef, keyHash: UInt64?, content: UInt64, warnings: [RowWarning],
                                        raw: () -> String) {
        let position = Row.list(in: self).count
        if storedRefs.isEmpty { firstPosition = position }
        let hash = everyKeyCollides ? 42 : keyHash ?? row.key.hash(seed: keyIndex.seed)
        let (found, slot) = keyIndex.find(hash: hash) { Row.list(in: self)[$0].key == row.key }
        if let firstAt = found {
            let first = storedRefs[firstAt - firstPosition]
            let firstFile = dataset.file(first).name
            if storedContents[firstAt - firstPosition] == content && row.isSame(as: Row.list(in: self)[firstAt]) {
                dataset.files[Int(ref.file)].duplicates += 1
                dataset.duplicates.append(DuplicateRow(file: dataset.file(ref).name, line: Int(ref.line),
                                                       firstFile: firstFile, firstLine: Int(first.line)))
            } else {
                reject(ref, column: Row.keyColumn, code: .duplicateConflict, raw: raw(),
                       message: "same key as \(firstFile):\(first.line) with different content; the first is kept")
            }
            return
        }
        keyIndex.insert(hash: hash, position: position, slot: slot)
        Row.append(row, to: &self)
        storedRefs.append(ref)
        storedContents.append(content)
        guard !warnings.isEmpty else { return }
        let text = raw()
        for w in warnings {
            dataset.issues.append(DataIssue(file: dataset.file(ref).name, line: Int(ref.line), column: w.column,
                                            severity: .warning, code: w.code, message: w.message, rawRow: text))
        }
        dataset.warnedRows.insert(ref)
    }

    /// The duplicate index's hash of the key (`parent`, `line`), as `RowKey.hash` makes it from the
    /// row's Strings; the CPU is asked to fetch its slot, which `store` will probe.
    func keyHash(parent: UnsafeBufferPointer<UInt8>, line: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let hash = byteHash(UnsafeRawBufferPointer(line), seed: byteHash(UnsafeRawBufferPointer(parent), seed: keyIndex.seed))
        keyIndex.prefetch(hash: hash)
        return hash
    }

    private mutating func reserveRows(_ kind: InputKind, more: Int) {
        switch kind {
        case .orders: dataset.orders.reserveCapacity(dataset.orders.count + more)
        case .movements: dataset.movements.reserveCapacity(dataset.movements.count + more)
        case .repairs: dataset.repairs.reserveCapacity(dataset.repairs.count + more)
        case .opening: dataset.openings.reserveCapacity(dataset.openings.count + more)
        case .counts: dataset.counts.reserveCapacity(dataset.counts.count + more)
        case .parts: parts.reserveCapacity(parts.count + more)
        case .dealers: dealers.reserveCapacity(dealers.count + more)
        case .faults: faults.reserveCapacity(faults.count + more)
        case .fleet: fleet.reserveCapacity(fleet.count + more)
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

/// A row type the loader stores: its key (SPEC §2.2, §6) and its list in the load.
protocol StoredRow: Equatable {
    var key: RowKey { get }
    /// The column named when a row conflicts with an earlier one of the same key.
    static var keyColumn: String { get }
    static func list(in state: LoadState) -> [Self]
    static func append(_ row: consuming Self, to state: inout LoadState)
    /// Whether the row has the content of `first`, stored earlier under its key (its reference aside).
    func isSame(as first: Self) -> Bool
}

extension StoredRow {
    func isSame(as first: Self) -> Bool { self == first }
}

extension Part: StoredRow {
    var key: RowKey { .one(partNo) }
    static let keyColumn = "part_no"
    static func list(in state: LoadState) -> [Part] { state.parts }
    static func append(_ row: consuming Part, to state: inout LoadState) { state.parts.append(row) }
}
extension Dealer: StoredRow {
    var key: RowKey { .one(dealerId) }
    static let keyColumn = "dealer_id"
    static func list(in state: LoadState) -> [Dealer] { state.dealers }
    static func append(_ row: consuming Dealer, to state: inout LoadState) { state.dealers.append(row) }
}
extension Fault: StoredRow {
    var key: RowKey { .one(code) }
    static let keyColumn = "fault_code"
    static func list(in state: LoadState) -> [Fault] { state.faults }
    static func append(_ row: consuming Fault, to state: inout LoadState) { state.faults.append(row) }
}
extension FleetEntry: StoredRow {
    var key: RowKey { .two(productModel, month.description) }
    static let keyColumn = "product_model"
    static func list(in state: LoadState) -> [FleetEntry] { state.fleet }
    static func append(_ row: consuming FleetEntry, to state: inout LoadState) { state.fleet.append(row) }
}
extension OrderLine: StoredRow {
    var key: RowKey { .two(orderNo, lineNo) }
    static let keyColumn = "order_no"
    static func list(in state: LoadState) -> [OrderLine] { state.dataset.orders }
    static func append(_ row: consuming OrderLine, to state: inout LoadState) { state.dataset.orders.append(row) }
    func isSame(as first: OrderLine) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
extension Movement: StoredRow {
    var key: RowKey { .two(docNo, lineNo) }
    static let keyColumn = "doc_no"
    static func list(in state: LoadState) -> [Movement] { state.dataset.movements }
    static func append(_ row: consuming Movement, to state: inout LoadState) { state.dataset.movements.append(row) }
    func isSame(as first: Movement) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
extension RepairLine: StoredRow {
    var key: RowKey { .two(repairNo, lineNo) }
    static let keyColumn = "repair_no"
    static func list(in state: LoadState) -> [RepairLine] { state.dataset.repairs }
    static func append(_ row: consuming RepairLine, to state: inout LoadState) { state.dataset.repairs.append(row) }
    func isSame(as first: RepairLine) -> Bool { var row = self; row.ref = first.ref; return row == first }
}
extension OpeningBalance: StoredRow {
    var key: RowKey { .three(asOf?.description ?? "", warehouse, partNo) }
    static let keyColumn = "part_no"
    static func list(in state: LoadState) -> [OpeningBalance] { state.dataset.openings }
    static func append(_ row: consuming OpeningBalance, to state: inout LoadState) { state.dataset.openings.append(row) }
}
extension CountLine: StoredRow {
    var key: RowKey { .four(countDate.description, warehouse, location, partNo) }
    static let keyColumn = "part_no"
    static func list(in state: LoadState) -> [CountLine] { state.dataset.counts }
    static func append(_ row: consuming CountLine, to state: inout LoadState) { state.dataset.counts.append(row) }
}

/// The records of one file: the header first, then data rows.
struct FileRows {
    let kind: InputKind
    let name: String
    let fileIndex: Int32
    let options: InputOptions
    let context: BuildContext
    let schema: KindSchema
    var map: HeaderMap?
    var parser: RowParser?
    let lineNoColumn: Int?, partColumn: Int?, dealerColumn: Int?
    /// Rows read per order_no / doc_no / repair_no, for numbering rows whose line_no is absent or empty.
    var rowsPerParent = ParentCounter()

    init(kind: InputKind, name: String, fileIndex: Int32, options: InputOptions, context: BuildContext) {
        self.kind = kind
        self.name = name
        self.fileIndex = fileIndex
        self.options = options
        self.context = context
        self.schema = KindSchema.of(kind)
        lineNoColumn = schema.index(of: "line_no")
        partColumn = schema.index(of: "part_no")
        dealerColumn = schema.index(of: "dealer_id")
    }

    mutating func take(_ record: borrowing CSVRecord, into state: inout LoadState) throws {
        guard let map else {
            if isAllEmpty(record) { return }   // blank lines before the header
            let header = try HeaderMap(header: record, schema: schema, options: options, file: name)
            self.map = header
            parser = RowParser(schema: schema, map: header, options: options)
            return
        }
        if isAllEmpty(record) { return }
        state.dataset.files[Int(fileIndex)].read += 1
        // Row references keep line numbers in 32 bits (8 bytes per reference over millions of rows).
        guard let line = Int32(exactly: record.line) else {
            throw IngestError.unreadable(file: name, reason: "it has more than 2,147,483,647 lines; split the export")
        }
        let ref = RowRef(file: fileIndex, line: line)
        guard let parser else { return }
        let lineNumber = nextLineNumber(record, map: map, parser: parser)

        if record.unterminatedQuote {
            state.reject(ref, column: "", code: .unterminatedQuote, raw: record.rawLine,
                         message: "a quoted field is not closed before the end of the file")
            return
        }
        if record.count != map.headerNames.count {
            let column = record.count < map.headerNames.count ? map.headerNames[record.count] : "(extra field \(map.headerNames.count + 1))"
            state.reject(ref, column: column, code: .fieldCount, raw: record.rawLine,
                         message: "the row has \(record.count) fields, the header has \(map.headerNames.count)")
            return
        }
        if record.hasOverlongField, let i = (0..<record.count).first(where: { record.fieldLength($0) > CSVScanner.maxRawBytes }) {
            state.reject(ref, column: map.headerNames[i], code: .fieldTooLong, raw: record.rawLine,
                         message: "the field is \(record.fieldLength(i)) bytes long; at most 65536 are allowed")
            return
        }
        let keyHash = prefetchLookups(record, parser: parser, lineNumber: lineNumber, state: state)
        do {
            try parser.parse(record, lineNumber: lineNumber)
            var warnings: [RowWarning] = []
            func store<Row: StoredRow>(_ row: consuming Row) {
                state.store(row, ref: ref, keyHash: keyHash, content: parser.contentFingerprint, warnings: warnings, raw: { record.rawLine })
            }
            switch kind {
            case .parts: store(RowBuilders.part(parser))
            case .dealers: store(RowBuilders.dealer(parser))
            case .faults: store(RowBuilders.fault(parser))
            case .fleet: store(RowBuilders.fleet(parser))
            case .orders: store(try RowBuilders.order(parser, ref: ref, context: context, warnings: &warnings))
            case .movements: store(try RowBuilders.movement(parser, ref: ref, context: context, warnings: &warnings))
            case .repairs: store(RowBuilders.repair(parser, ref: ref, context: context, warnings: &warnings))
            case .opening: store(RowBuilders.opening(parser, context: context, warnings: &warnings))
            case .counts: store(RowBuilders.count(parser, context: context, warnings: &warnings))
            }
        } catch let failure as RowFailure {
            state.reject(ref, column: failure.column, code: failure.code, raw: record.rawLine, message: failure.message)
        }
    }

    /// Prefetches the hash-table slots the row's lookups will probe once it is parsed: its key in the
    /// duplicate index and its part and dealer in the masters. Those tables outgrow the CPU caches, and
    /// the probes waited on memory (~20 % of ingest); parsing the row now hides the wait. A hint only:
    /// it reads the raw fields, which may still be rejected. Returns the key's hash for `store` (nil
    /// for kinds not keyed by a document and line).
    private func prefetchLookups(_ record: borrowing CSVRecord, parser: RowParser, lineNumber: Int?, state: LoadState) -> UInt64? {
        guard !kind.isMaster else { return nil }
        var keyHash: UInt64?
        if let lineNoColumn {
            keyHash = state.keyHash(parent: parser.bytes(ofColumn: 0, in: record, lineNumber: nil),
                                    line: parser.bytes(ofColumn: lineNoColumn, in: record, lineNumber: lineNumber))
        }
        if let partColumn, let partNos = context.partNos {
            partNos.prefetch(parser.bytes(ofColumn: partColumn, in: record, lineNumber: nil))
        }
        if let dealerColumn, let dealerIds = context.dealerIds {
            dealerIds.prefetch(parser.bytes(ofColumn: dealerColumn, in: record, lineNumber: nil))
        }
        return keyHash
    }

    /// Counts the row under its parent id and returns its number there when its line_no is absent or
    /// empty (SPEC §2.3, §6); nil for kinds without line numbers.
    private mutating func nextLineNumber(_ record: borrowing CSVRecord, map: HeaderMap, parser: RowParser) -> Int? {
        guard let lineNoColumn, case .field(let parentField) = map.sources[0], parentField < record.count else { return nil }
        let parent = trimmed(record.unsafeField(parentField))
        guard !parent.isEmpty else { return nil }
        return rowsPerParent.count(parent, numbered: parser.isEmpty(column: lineNoColumn, in: record))
    }

    private func isAllEmpty(_ record: borrowing CSVRecord) -> Bool {
        for i in 0..<record.count where record.withField(i, { trimmed($0).count }) > 0 { return false }
        return true
    }
}

/// Reads a file in 1 MiB chunks.
/// Public for the pipeline, which hashes the files it wrote the same way.
public enum ChunkReader {
    public static let chunkSize = 1 << 20

    /// Calls `body` with each chunk of `chunkSize` bytes (the last one shorter); returns the file's size
    /// in bytes. Read errors are thrown as `IngestError.unreadable` naming `name`; errors of `body` pass through.
    @discardableResult
    public static func forEachChunk(path: String, name: String, chunkSize: Int = chunkSize,
                                    _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IngestError.unreadable(file: name, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = read(fd, buffer.baseAddress, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError.unreadable(file: name, reason: String(cString: strerror(errno)))
            }
            if n == 0 { return total }
            total += n
            try body(UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
