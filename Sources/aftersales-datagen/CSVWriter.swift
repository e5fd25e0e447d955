import Glibc

/// A buffered RFC 4180 writer that also knows the physical line on which the next record
/// starts (header = line 1; a newline inside a quoted field counts), so the README can name
/// the exact file:line of every deliberate bad row.
final class CSVWriter {
    let name: String
    private let path: String
    private var fp: UnsafeMutablePointer<FILE>?
    private let crlf: Bool
    private let gb18030: Bool
    private var headerWritten = false
    private var pending: [UInt8] = []      // GB18030 files are converted whole at close

    /// Hot state lives outside the object (a `let` pointer), so appends carry no dynamic
    /// exclusivity checks or retains: month10 writes about a gigabyte.
    private struct State {
        var count = 0
        var firstField = true
        var embeddedNewlines = 0
        var nextLine = 1
        var rows = 0
        var written = 0
    }
    private static let capacity = 1 << 20
    private let base: UnsafeMutablePointer<UInt8>
    private let st: UnsafeMutablePointer<State>

    /// Physical line number where the next record starts.
    var nextLine: Int { st.pointee.nextLine }
    /// Data records written (header excluded).
    var rows: Int { st.pointee.rows }
    var bytesWritten: Int { st.pointee.written }

    enum DateStyle { case iso, slash, compact }

    init(dir: String, name: String, crlf: Bool = false, bom: Bool = false, gb18030: Bool = false) throws {
        self.name = name
        self.path = dir + "/" + name
        self.crlf = crlf
        self.gb18030 = gb18030
        guard let f = fopen(path, "wb") else {
            throw GenError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        fp = f
        base = .allocate(capacity: Self.capacity)
        st = .allocate(capacity: 1)
        st.initialize(to: State())
        if bom { put(0xEF); put(0xBB); put(0xBF) }
    }

    deinit {
        base.deallocate()
        st.deallocate()
        if let fp { fclose(fp) }
    }

    // MARK: fields

    @inline(__always) private func put(_ b: UInt8) {
        if st.pointee.count == Self.capacity { flush() }
        base[st.pointee.count] = b
        st.pointee.count += 1
    }

    @inline(__always) private func reserve(_ n: Int) {
        if st.pointee.count + n > Self.capacity { flush() }
    }

    @inline(__always) private func putBytes(_ p: UnsafeRawBufferPointer) {
        if p.count > Self.capacity {
            for b in p { put(b) }
            return
        }
        reserve(p.count)
        if let src = p.baseAddress, p.count > 0 {
            (base + st.pointee.count).update(from: src.assumingMemoryBound(to: UInt8.self), count: p.count)
        }
        st.pointee.count += p.count
    }

    @inline(__always) private func sep() {
        if st.pointee.firstField { st.pointee.firstField = false } else { put(0x2C) }
    }

    private func putString(_ s: String) {
        var s = s
        s.withUTF8 { putBytes(UnsafeRawBufferPointer($0)) }
    }

    /// A text field, quoted when it holds a comma, quote, CR or LF.
    func text(_ s: String) {
        sep()
        var needsQuotes = false
        for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        if !needsQuotes {
            putString(s)
            return
        }
        put(0x22)
        for b in s.utf8 {
            if b == 0x22 { put(0x22) }
            if b == 0x0A { st.pointee.embeddedNewlines += 1 }
            put(b)
        }
        put(0x22)
    }

    func empty() { sep() }

    func int(_ v: Int) {
        sep()
        appendInt(Int64(v))
    }

    /// `v` / 10^scale with exactly `scale` decimals.
    func fixed(_ v: Int64, _ scale: Int) {
        sep()
        appendFixed(v, scale)
    }

    func money(_ cents: Int64) { fixed(cents, 2) }

    /// A price or unit cost held in ten-thousandths: 2 decimals unless it needs 4.
    func price(_ p4: Int64) {
        if p4 % 100 == 0 { fixed(p4 / 100, 2) } else { fixed(p4, 4) }
    }

    /// A quantity held in thousandths: kg parts always with 3 decimals, counted parts as integers.
    func qty(_ milli: Int64, kg: Bool) {
        if kg || milli % 1000 != 0 { fixed(milli, 3) } else {
            sep()
            appendInt(milli / 1000)
        }
    }

    func date(_ day: Int, _ style: DateStyle = .iso, minute: Int = -1) {
        sep()
        let c = Cal.civil(day)
        switch style {
        case .iso:
            append4(c.y); put(0x2D); append2(c.m); put(0x2D); append2(c.d)
        case .compact:
            append4(c.y); append2(c.m); append2(c.d)
        case .slash:
            append4(c.y); put(0x2F); appendInt(Int64(c.m)); put(0x2F); appendInt(Int64(c.d))
        }
        if minute >= 0 {
            put(0x20); append2(minute / 60); put(0x3A); append2(minute % 60)
        }
    }

    /// Bytes written verbatim as one field (caller guarantees they are already escaped).
    func rawField(_ bytes: [UInt8]) {
        sep()
        bytes.withUnsafeBytes { putBytes($0) }
    }

    /// Entry `i` of a flat string table as one field (already escaped).
    func field(_ table: FlatStrings, _ i: Int) {
        sep()
        putBytes(table.bytes(i))
    }

    /// Start a field; the caller appends identifier pieces.
    func beginField() { sep() }
    /// Text appended verbatim (no field separator, no quoting).
    func appendASCII(_ s: String) { putString(s) }
    func appendDigits(_ v: Int, width: Int) {
        var digits = 1
        var p = 10
        while v >= p && digits < 18 { digits += 1; p *= 10 }
        if width > digits { for _ in 0..<(width - digits) { put(0x30) } }
        appendInt(Int64(v))
    }
    func appendCompactDate(_ day: Int) {
        let c = Cal.civil(day)
        append4(c.y); append2(c.m); append2(c.d)
    }

    func header(_ columns: [String]) {
        precondition(!headerWritten && rows == 0)
        for c in columns { text(c) }
        endRow()
        st.pointee.rows = 0
        headerWritten = true
    }

    func endRow() {
        if crlf { put(0x0D) }
        put(0x0A)
        st.pointee.nextLine += 1 + st.pointee.embeddedNewlines
        st.pointee.embeddedNewlines = 0
        st.pointee.firstField = true
        st.pointee.rows += 1
    }

    // MARK: low level

    @inline(__always) private func appendInt(_ v: Int64) {
        if v < 0 {
            put(0x2D)
            appendUInt(UInt64(-v))
        } else {
            appendUInt(UInt64(v))
        }
    }

    @inline(__always) private func appendUInt(_ v: UInt64) {
        if v < 10 {
            put(0x30 + UInt8(v))
            return
        }
        var n = 0
        var x = v
        while x > 0 { n += 1; x /= 10 }
        reserve(n)
        var i = st.pointee.count + n - 1
        x = v
        while x > 0 {
            base[i] = 0x30 + UInt8(x % 10)
            x /= 10
            i -= 1
        }
        st.pointee.count += n
    }

    @inline(__always) private func appendFixed(_ v: Int64, _ scale: Int) {
        var p: Int64 = 1
        for _ in 0..<scale { p *= 10 }
        let neg = v < 0
        let a = neg ? -v : v
        if neg { put(0x2D) }
        appendUInt(UInt64(a / p))
        if scale > 0 {
            put(0x2E)
            var frac = a % p
            var div = p / 10
            while div > 0 {
                put(0x30 + UInt8(frac / div))
                frac %= div
                div /= 10
            }
        }
    }

    @inline(__always) private func append2(_ v: Int) {
        put(0x30 + UInt8(v / 10 % 10))
        put(0x30 + UInt8(v % 10))
    }

    @inline(__always) private func append4(_ v: Int) {
        append2(v / 100)
        append2(v % 100)
    }

    private func flush() {
        let n = st.pointee.count
        guard n > 0 else { return }
        if gb18030 {
            pending.append(contentsOf: UnsafeBufferPointer(start: base, count: n))
        } else if let fp {
            st.pointee.written += fwrite(base, 1, n, fp)
        }
        st.pointee.count = 0
    }

    func close() throws {
        guard let f = fp else { return }
        flush()
        if gb18030 {
            let converted = try Self.utf8ToGB18030(pending)
            st.pointee.written += converted.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        }
        fp = nil
        if fclose(f) != 0 { throw GenError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// glibc iconv, UTF-8 → GB18030 (what Excel on a Chinese Windows writes).
    static func utf8ToGB18030(_ input: [UInt8]) throws -> [UInt8] {
        guard let cd = iconv_open("GB18030", "UTF-8"), Int(bitPattern: cd) != -1 else {
            throw GenError("iconv_open(GB18030, UTF-8) failed: \(String(cString: strerror(errno)))")
        }
        defer { iconv_close(cd) }
        var src = input
        var out = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let produced: Int = src.withUnsafeMutableBytes { sp in
            out.withUnsafeMutableBytes { op in
                var inPtr: UnsafeMutablePointer<CChar>? = sp.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = sp.count
                var outPtr: UnsafeMutablePointer<CChar>? = op.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = op.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if r == -1 || inLeft != 0 { return -1 }
                return op.count - outLeft
            }
        }
        guard produced >= 0 else { throw GenError("iconv: text not representable in GB18030") }
        return Array(out[0..<produced])
    }
}

/// Many short byte strings in one allocation, so hot loops index them without retains.
final class FlatStrings {
    private let storage: UnsafeMutablePointer<UInt8>
    private let offsets: UnsafeMutablePointer<Int>
    let count: Int

    init(_ items: [[UInt8]]) {
        count = items.count
        let total = items.reduce(0) { $0 + $1.count }
        storage = .allocate(capacity: max(1, total))
        offsets = .allocate(capacity: items.count + 1)
        var o = 0
        for (i, it) in items.enumerated() {
            offsets[i] = o
            it.withUnsafeBufferPointer { (storage + o).update(from: $0.baseAddress!, count: it.count) }
            o += it.count
        }
        offsets[items.count] = o
    }

    deinit {
        storage.deallocate()
        offsets.deallocate()
    }

    @inline(__always) func bytes(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + offsets[i], count: offsets[i + 1] - offsets[i])
    }
}

func makeDirectory(_ path: String) throws {
    var acc = path.hasPrefix("/") ? "" : "."
    for comp in path.split(separator: "/") {
        acc += "/" + comp
        if mkdir(acc, 0o755) != 0 && errno != EEXIST {
            throw GenError("cannot create directory \(acc): \(String(cString: strerror(errno)))")
        }
    }
}
