import Config
import Core
import Crypto
import CSV

/// The state of one load: the dataset being filled and the keys seen so far.
struct LoadState {
    let config: Config
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

    init(config: Config) {
        self.config = config
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
        func addRows<Row: KindRow>(_: Row.Type) {
            Row.withRows(in: &dataset) { add(Row.rows(in: other.dataset), to: &$0) }
        }
        for kind in InputKind.allCases { addRows(kind.rowType) }
        add(other.dataset.issues, to: &dataset.issues)
        add(other.dataset.duplicates, to: &dataset.duplicates)
        dataset.warnedRows.formUnion(other.dataset.warnedRows)
    }

    mutating func finishKind(_ kind: InputKind) {
        if kind.isMaster { context = nil }
        keyIndex = KeyIndex()
        storedRefs = []
        storedContents = []
        kind.rowType.finish(&dataset)
    }

    /// The context the rows of a file are built in, made once the masters it checks against are read
    /// (the parts check's set is built from 20k codes: once per file was ~1 % of ingest).
    private var context: BuildContext?

    private func makeContext() -> BuildContext {
        let present = dataset.kindsPresent
        return BuildContext(partNos: present.contains(.parts) ? CodeSet(dataset.parts.keys) : nil,
                            dealerIds: present.contains(.dealers) ? CodeSet(dataset.dealers.keys) : nil,
                            oldPartsWarehouse: config.oldPartsWarehouse)
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
        try dataset.files[Int(planned.index)].kind.rowType.parse(planned, bytesAfter: bytesAfter, into: &self)
    }

    /// `parse` for the file's kind: specialized per row type, so that no row pays for a dynamic call.
    mutating func parseRows<Row: KindRow>(_ planned: PlannedFile, bytesAfter: Int, of _: Row.Type) throws {
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
        var file = FileRows<Row>(name: name, fileIndex: fileIndex, options: options, context: context!)
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
                    let more = rows * (size - chunk.count + bytesAfter) / chunk.count * 106 / 100
                    Row.withRows(in: &dataset) { $0.reserveCapacity($0.count + more) }
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
    mutating func store<Row: KindRow>(_ row: consuming Row, ref: RowRef, keyHash: UInt64?, content: UInt64, warnings: [RowWarning],
                                        raw: () -> String) {
        let position = Row.rows(in: dataset).count
        if storedRefs.isEmpty { firstPosition = position }
        let hash = everyKeyCollides ? 42 : keyHash ?? row.key.hash(seed: keyIndex.seed)
        let (found, slot) = keyIndex.find(hash: hash) { Row.rows(in: dataset)[$0].key == row.key }
        if let firstAt = found {
            let first = storedRefs[firstAt - firstPosition]
            let firstFile = dataset.file(first).name
            if storedContents[firstAt - firstPosition] == content && row.isSame(as: Row.rows(in: dataset)[firstAt]) {
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
        Row.append(row, to: &dataset)
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
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension KindRow {
    static func parse(_ planned: PlannedFile, bytesAfter: Int, into state: inout LoadState) throws {
        try state.parseRows(planned, bytesAfter: bytesAfter, of: Self.self)
    }
}
