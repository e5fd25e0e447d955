import Config
import Core
import CSV

/// The records of one file of `Row`'s kind: the header first, then data rows.
struct FileRows<Row: KindRow> {
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

    init(name: String, fileIndex: Int32, options: InputOptions, context: BuildContext) {
        self.name = name
        self.fileIndex = fileIndex
        self.options = options
        self.context = context
        self.schema = KindSchema.of(Row.kind)
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
            let row = try Row.build(parser, ref: ref, context: context, warnings: &warnings)
            state.store(row, ref: ref, keyHash: keyHash, content: parser.contentFingerprint, warnings: warnings, raw: { record.rawLine })
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
        guard !Row.kind.isMaster else { return nil }
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
