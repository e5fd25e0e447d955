/// A streaming RFC 4180 scanner over bytes.
///
/// Feed the input in chunks of any size with `feed`, then call `finish` once. Records may
/// straddle chunk boundaries anywhere; the scanner keeps what it needs between calls.
///
/// ```swift
/// var scanner = CSVScanner()
/// try scanner.feed(chunk) { record in print(record.line, record.string(0)) }
/// try scanner.finish { record in ... }
/// ```
///
/// Rules:
/// - `"` quotes a field; a quoted field may hold the delimiter, `""` (one quote), LF and CRLF.
/// - A record ends at LF or CRLF. A CR not followed by LF is data (also at the very end).
/// - A UTF-8 BOM (EF BB BF) at the very start of the input is skipped.
/// - The final line end is optional. An empty line is a record with one empty field.
/// - Malformed quoting is read leniently, never rejected: a quote inside an unquoted field
///   is a literal byte (`ab"c` → `ab"c`), and bytes after a closing quote up to the next
///   delimiter or line end are appended literally (`"ab"cd` → `abcd`, `"a"b"` → `ab"`).
///   Input that ends inside a quoted field gives a last record with `unterminatedQuote`.
/// - A field longer than `maxFieldBytes` keeps only its first `maxFieldBytes` bytes and flags
///   the record with `hasOverlongField`, so a runaway field cannot grow memory without bound.
///
/// The scanner owns its buffers and is non-copyable. If `onRecord` throws, scanning stops at
/// that record and the error propagates; the rest of that chunk is not scanned.
public struct CSVScanner: ~Copyable {
    /// The most bytes of a record's raw text kept for `CSVRecord.rawLine`.
    public static let maxRawBytes = 65_536

    public let delimiter: UInt8
    public let maxFieldBytes: Int

    private enum State {
        case fieldStart     // before the first byte of a field
        case unquoted       // inside an unquoted field (or after a closing quote)
        case quoted         // inside a quoted field
        case quoteInQuoted  // just read a `"` inside a quoted field: a closing or a doubled quote
        case pendingCR      // just read a CR outside quotes: a line end if LF follows, else data
    }

    private var state = State.fieldStart
    /// Until the first 3 bytes are seen: the BOM bytes matched so far (nil once decided).
    private var bomHead: [UInt8]? = []
    /// The current record's fields, stored back to back (each capped at `maxFieldBytes`).
    /// Raw buffers rather than arrays: array appends cost more than the scan itself.
    private var bytes: Buffer<UInt8>
    private var fields: Buffer<CSVRecord.Field>
    /// Where the current field's bytes start in `bytes`, and its true length.
    private var fieldStart = 0
    private var fieldLength = 0
    private var overlong = false
    /// Physical line (1-based) at the scan position, and where the current record started.
    private var line = 1
    private var recordLine = 1
    /// The current record's raw bytes from earlier chunks (capped), and their uncapped count.
    private var rawCarry: [UInt8] = []
    private var rawCarried = 0

    /// - Parameters:
    ///   - delimiter: the field separator, e.g. `,` `;` or tab.
    ///   - maxFieldBytes: the longest field kept whole; longer fields are truncated and flagged.
    public init(delimiter: UInt8 = UInt8(ascii: ","), maxFieldBytes: Int = 65_536) {
        precondition(delimiter != UInt8(ascii: "\"") && delimiter != 0x0A && delimiter != 0x0D,
                     "the delimiter cannot be a quote or a line end")
        precondition(maxFieldBytes >= 0)
        self.delimiter = delimiter
        self.maxFieldBytes = maxFieldBytes
        bytes = Buffer(capacity: 4096)
        fields = Buffer(capacity: 64)
    }

    deinit {
        bytes.deallocate()
        fields.deallocate()
    }

    /// Scans the next chunk of input; calls `onRecord` once per complete record, in order.
    /// The record is valid only inside the call. The chunk is not kept after the call returns.
    public mutating func feed(
        _ chunk: UnsafeBufferPointer<UInt8>, _ onRecord: (borrowing CSVRecord) throws -> Void
    ) rethrows {
        var rest = chunk[...]
        if var head = bomHead {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            while head.count < 3, let b = rest.first, b == bom[head.count] {
                head.append(b)
                rest = rest.dropFirst()
            }
            if head.count < 3 && rest.isEmpty {  // a BOM prefix so far: undecided
                bomHead = head
                return
            }
            bomHead = nil
            if head.count < 3 {  // not a BOM after all: the held bytes are data
                try head.withUnsafeBufferPointer { try scan($0, onRecord) }
            }
        }
        try scan(UnsafeBufferPointer(rebasing: rest), onRecord)
    }

    /// Ends the input: emits the last record when the input had no final line end.
    /// The scanner is then ready for a new input.
    public mutating func finish(_ onRecord: (borrowing CSVRecord) throws -> Void) rethrows {
        if let head = bomHead, !head.isEmpty {  // input shorter than a BOM: it was data
            bomHead = nil
            try head.withUnsafeBufferPointer { try scan($0, onRecord) }
        }
        defer { (state, bomHead, line, recordLine) = (.fieldStart, [], 1, 1) }
        switch state {
        case .fieldStart where fields.count == 0:
            return  // nothing after the last line end
        case .pendingCR:
            appendRun([0x0D], 1)
        default:
            break
        }
        try emit(rawLength: rawCarried, rest: UnsafeBufferPointer(start: nil, count: 0),
                 unterminatedQuote: state == .quoted, onRecord)
    }

    // MARK: - Scanning

    private mutating func scan(
        _ input: UnsafeBufferPointer<UInt8>, _ onRecord: (borrowing CSVRecord) throws -> Void
    ) rethrows {
        guard let p = input.baseAddress else { return }
        let n = input.count
        let quote = UInt8(ascii: "\""), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, delimiter = self.delimiter
        var i = 0
        var recordStart = 0  // where the current record's raw bytes begin in `input`

        // Ends the record whose line end starts at `rawEnd` (the LF, or the CR of a CRLF).
        func endRecord(rawEnd: Int) throws {
            try emit(rawLength: rawCarried + rawEnd - recordStart,
                     rest: UnsafeBufferPointer(rebasing: input[recordStart...]), unterminatedQuote: false, onRecord)
            line += 1
            recordLine = line
            recordStart = i
        }

        while i < n {
            switch state {
            case .fieldStart:
                if p[i] == quote {
                    state = .quoted
                    i += 1
                } else {
                    state = .unquoted
                }

            case .unquoted:
                while true {
                    let start = i
                    i = unquotedRunEnd(p, from: i, to: n)
                    appendRun(p + start, i - start)
                    if i == n { break }
                    let b = p[i]
                    i += 1
                    if b == delimiter {
                        endField()
                        // The common case: the next field is unquoted too; stay in this loop.
                        if i < n && p[i] != quote { continue }
                        state = .fieldStart
                    } else if b == lf {
                        state = .fieldStart
                        try endRecord(rawEnd: i - 1)
                    } else {
                        state = .pendingCR
                    }
                    break
                }

            case .quoted:
                let start = i
                while i < n, p[i] != quote {
                    if p[i] == lf { line += 1 }
                    i += 1
                }
                appendRun(p + start, i - start)
                if i < n {
                    state = .quoteInQuoted
                    i += 1
                }

            case .quoteInQuoted:
                let b = p[i]
                i += 1
                if b == quote {
                    appendRun(p + i - 1, 1)
                    state = .quoted
                } else if b == delimiter {
                    endField()
                    state = .fieldStart
                } else if b == lf {
                    state = .fieldStart
                    try endRecord(rawEnd: i - 1)
                } else if b == cr {
                    state = .pendingCR
                } else {  // lenient: text after the closing quote is kept
                    appendRun(p + i - 1, 1)
                    state = .unquoted
                }

            case .pendingCR:
                if p[i] == lf {
                    i += 1
                    state = .fieldStart
                    try endRecord(rawEnd: i - 2)  // -1 when the CR ended the previous chunk
                } else {  // a lone CR is data; rescan this byte as part of the field
                    appendRun([cr], 1)
                    state = .unquoted
                }
            }
        }

        // Keep the unfinished record's raw bytes for when it completes in a later chunk.
        if !(state == .fieldStart && fields.count == 0) {
            let keep = min(n - recordStart, max(0, Self.maxRawBytes - rawCarry.count))
            rawCarry.append(contentsOf: UnsafeBufferPointer(start: p + recordStart, count: keep))
            rawCarried += n - recordStart
        }
    }

    /// The index of the first delimiter, LF or CR in `p[start..<n]`, or `n`. Tests 8 bytes at a
    /// time: a byte of `w ^ broadcast(x)` is zero where `w` holds `x`.
    @inline(__always)
    private func unquotedRunEnd(_ p: UnsafePointer<UInt8>, from start: Int, to n: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & (ones &* 0x80) }  // exact for the lowest one
        let d = ones &* UInt64(delimiter), lf = ones &* 0x0A, cr = ones &* 0x0D
        var i = start
        while i &+ 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            let hits = zeroBytes(w ^ d) | zeroBytes(w ^ lf) | zeroBytes(w ^ cr)
            if hits != 0 { return i &+ hits.littleEndian.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        while i < n, p[i] != delimiter, p[i] != 0x0A, p[i] != 0x0D { i += 1 }
        return i
    }

    /// Adds `count` bytes to the current field, storing at most `maxFieldBytes` of it.
    @inline(__always)
    private mutating func appendRun(_ start: UnsafePointer<UInt8>, _ count: Int) {
        let keep = min(count, maxFieldBytes - (bytes.count - fieldStart))
        if keep > 0 { bytes.appendBytes(start, keep) }
        fieldLength += count
    }

    @inline(__always)
    private mutating func endField() {
        if fieldLength > maxFieldBytes { overlong = true }
        fields.append(CSVRecord.Field(end: bytes.count, length: fieldLength))
        fieldStart = bytes.count
        fieldLength = 0
    }

    /// Ends the current record and hands it to `onRecord`. Its raw text is `rawLength` bytes:
    /// those carried from earlier chunks, then the start of `rest` (this chunk from the record on).
    private mutating func emit(
        rawLength: Int, rest: UnsafeBufferPointer<UInt8>, unterminatedQuote: Bool,
        _ onRecord: (borrowing CSVRecord) throws -> Void
    ) rethrows {
        endField()
        defer {  // also when `onRecord` throws, so that no stale field leaks into a later record
            bytes.count = 0
            fields.count = 0
            fieldStart = 0
            overlong = false
            if rawCarried > 0 {
                rawCarry.removeAll(keepingCapacity: true)
                rawCarried = 0
            }
        }
        let length = min(rawLength, Self.maxRawBytes)
        if rawCarried == 0 {  // the whole record is in this chunk: no copy
            try deliver(raw: UnsafeBufferPointer(rebasing: rest[..<length]), unterminatedQuote: unterminatedQuote, onRecord)
        } else {
            if rawCarry.count < length { rawCarry.append(contentsOf: rest[..<(length - rawCarry.count)]) }
            try rawCarry.withUnsafeBufferPointer {
                try deliver(raw: UnsafeBufferPointer(rebasing: $0[..<length]), unterminatedQuote: unterminatedQuote, onRecord)
            }
        }
    }

    private func deliver(
        raw: UnsafeBufferPointer<UInt8>, unterminatedQuote: Bool, _ onRecord: (borrowing CSVRecord) throws -> Void
    ) rethrows {
        try onRecord(CSVRecord(
            line: recordLine, unterminatedQuote: unterminatedQuote, hasOverlongField: overlong,
            bytes: UnsafeBufferPointer(start: bytes.base, count: bytes.count),
            fields: UnsafeBufferPointer(start: fields.base, count: fields.count), raw: raw))
    }
}

extension Buffer<UInt8> {
    /// `append`, copying runs of up to 16 bytes inline (4–16 as two overlapping loads and stores):
    /// most fields are that short, and a call to memmove cost more than the copy.
    @inline(__always)
    mutating func appendBytes(_ start: UnsafePointer<UInt8>, _ n: Int) {
        guard n <= 16 else { return append(start, n) }
        if count + n > capacity { grow(to: count + n) }
        let from = UnsafeRawPointer(start), to = UnsafeMutableRawPointer(base + count)
        if n < 4 {
            for i in 0..<n { base[count + i] = start[i] }
        } else if n >= 8 {
            let head = from.loadUnaligned(as: UInt64.self), tail = from.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
        } else {
            let head = from.loadUnaligned(as: UInt32.self), tail = from.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
        }
        count += n
    }
}

/// A growable buffer owned (and deallocated) by `CSVScanner`.
private struct Buffer<Element: BitwiseCopyable> {
    var base: UnsafeMutablePointer<Element>
    var count = 0
    var capacity: Int

    init(capacity: Int) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    @inline(__always)
    mutating func append(_ start: UnsafePointer<Element>, _ n: Int) {
        if count + n > capacity { grow(to: count + n) }
        (base + count).update(from: start, count: n)
        count += n
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: count + 1) }
        base[count] = element
        count += 1
    }

    fileprivate mutating func grow(to needed: Int) {
        capacity = max(needed, capacity * 2)
        let new = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        new.update(from: base, count: count)
        base.deallocate()
        base = new
    }

    func deallocate() { base.deallocate() }
}

/// One record handed to a `CSVScanner` callback. It points into the scanner's buffers and the
/// current chunk, so it is valid only inside the callback (it is non-copyable, so it cannot
/// escape it).
public struct CSVRecord: ~Copyable {
    @usableFromInline struct Field: BitwiseCopyable {
        @usableFromInline var end: Int     // end offset of the stored bytes
        var length: Int  // true unescaped length
    }

    /// 1-based physical line where the record starts (header = line 1; blank lines and
    /// newlines inside quoted fields count).
    public let line: Int
    /// The input ended inside a quoted field of this record.
    public let unterminatedQuote: Bool
    /// Some field is longer than the scanner's `maxFieldBytes`; its stored bytes are truncated.
    public let hasOverlongField: Bool
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let fields: UnsafeBufferPointer<Field>
    private let raw: UnsafeBufferPointer<UInt8>

    init(line: Int, unterminatedQuote: Bool, hasOverlongField: Bool,
         bytes: UnsafeBufferPointer<UInt8>, fields: UnsafeBufferPointer<Field>, raw: UnsafeBufferPointer<UInt8>) {
        self.line = line
        self.unterminatedQuote = unterminatedQuote
        self.hasOverlongField = hasOverlongField
        self.bytes = bytes
        self.fields = fields
        self.raw = raw
    }

    /// Number of fields (at least 1).
    public var count: Int { fields.count }

    /// Calls `body` with the unescaped bytes of field `i` (truncated if the field is overlong).
    public func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(i >= 0 && i < fields.count, "field index out of range")
        let start = i == 0 ? 0 : fields[i - 1].end
        return try body(UnsafeBufferPointer(rebasing: bytes[start ..< fields[i].end]))
    }

    /// The unescaped bytes of field `i`, like `withField` without a closure (the row path reads
    /// every field of millions of records). Valid only inside the scanner's callback.
    @inlinable public func unsafeField(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < fields.count, "field index out of range")
        let start = i == 0 ? 0 : fields[i - 1].end
        return UnsafeBufferPointer(rebasing: bytes[start ..< fields[i].end])
    }

    /// Field `i` as a string (invalid UTF-8 is repaired with U+FFFD).
    public func string(_ i: Int) -> String {
        withField(i) { String(decoding: $0, as: UTF8.self) }
    }

    /// The true unescaped length of field `i`, even when it is over `maxFieldBytes`.
    public func fieldLength(_ i: Int) -> Int {
        precondition(i >= 0 && i < fields.count, "field index out of range")
        return fields[i].length
    }

    /// Calls `body` with the record as it stood in the input, without its line end, cut to
    /// the first `CSVScanner.maxRawBytes` bytes.
    public func withRawBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(raw)
    }

    /// The record as it stood in the input (see `withRawBytes`), e.g. for a rejects file.
    public var rawLine: String { String(decoding: raw, as: UTF8.self) }
}
