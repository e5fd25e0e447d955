import CSV

// Fuzz target `csv`: CSVScanner.feed/finish and the CSVRecord accessors.
//
// Every input is scanned with `,`, `;`, tab and a delimiter taken from the data, fed whole,
// byte by byte and in data-derived chunks, with the default and a tiny `maxFieldBytes`.
// Invariants:
// - every scan gives exactly the records of `referenceRecords`, a plain byte-at-a-time
//   reading of the rules documented on CSVScanner (so also: the same records whatever the
//   chunking, and truncated fields are prefixes of the whole field with their true length);
// - the records' raw text and line ends rejoin to the input, and each record's line is the
//   previous one's plus the newlines inside it plus one;
// - for input without quotes, each record's fields joined by the delimiter are its raw text.
// One input in 64 is also scanned behind a record longer than CSVScanner.maxRawBytes.

func fuzzTarget(_ data: UnsafeBufferPointer<UInt8>) {
    let input = Array(data)
    let seed = fingerprint(data)
    let extra = input.first { $0 != quote && $0 != lf && $0 != cr } ?? UInt8(ascii: "|")
    // Byte-by-byte feeding is the slowest splitting: only for inputs of up to 1 KiB.
    let cuts = splittings(data, byteByByteLimit: 1024)
    for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, extra] {
        let reference = referenceRecords(input, delimiter: delimiter)
        checkShape(reference, input: input, delimiter: delimiter)
        let small = Int(seed % 7)  // 0…6: the overlong path on almost every field
        for (index, sizes) in cuts.enumerated() {
            compare(scan(data, delimiter: delimiter, maxFieldBytes: 65_536, sizes: sizes),
                    with: reference, maxFieldBytes: 65_536, input: input, delimiter: delimiter, sizes: sizes)
            if index == 0 || index == cuts.count - 2 {  // whole, and the data-derived chunks
                compare(scan(data, delimiter: delimiter, maxFieldBytes: small, sizes: sizes),
                        with: reference, maxFieldBytes: small, input: input, delimiter: delimiter, sizes: sizes)
            }
        }
    }
    // Now and then a record longer than CSVScanner.maxRawBytes, over many chunks: its raw text is cut.
    if seed % 64 == 0 && !input.isEmpty {
        let oneLine = input.filter { $0 != lf }
        var long: [UInt8] = []
        while long.count <= CSVScanner.maxRawBytes + 100 { long += oneLine.isEmpty ? [UInt8(ascii: "x")] : oneLine }
        long += [lf] + input
        let reference = referenceRecords(long, delimiter: UInt8(ascii: ","))
        long.withUnsafeBufferPointer { big in
            for sizes in splittings(big, byteByByteLimit: 0) {
                compare(scan(big, delimiter: UInt8(ascii: ","), maxFieldBytes: 65_536, sizes: sizes),
                        with: reference, maxFieldBytes: 65_536, input: long, delimiter: UInt8(ascii: ","), sizes: sizes)
            }
        }
    }
    // One scanner reused for two inputs (finish resets it), and an empty chunk without a base address.
    var scanner = CSVScanner(delimiter: UInt8(ascii: ","), maxFieldBytes: 8)
    var first: [ScannedRecord] = [], second: [ScannedRecord] = []
    scanner.feed(data) { first.append(copy($0)) }
    scanner.feed(UnsafeBufferPointer(start: nil, count: 0)) { first.append(copy($0)) }
    scanner.finish { first.append(copy($0)) }
    scanner.feed(data) { second.append(copy($0)) }
    scanner.finish { second.append(copy($0)) }
    check(first == second, "a reused scanner gives other records for \(show(input))")
}

/// Copies a record out of the callback, exercising every accessor.
func copy(_ r: borrowing CSVRecord) -> ScannedRecord {
    check(r.count >= 1, "a record has no fields")
    var fields: [[UInt8]] = [], lengths: [Int] = []
    for i in 0 ..< r.count {
        let bytes = r.withField(i) { Array($0) }
        let text = r.string(i)
        check(text == String(decoding: bytes, as: UTF8.self), "string(\(i)) differs from withField(\(i))")
        fields.append(bytes)
        lengths.append(r.fieldLength(i))
    }
    let raw = r.withRawBytes { Array($0) }
    check(r.rawLine == String(decoding: raw, as: UTF8.self), "rawLine differs from withRawBytes")
    return ScannedRecord(line: r.line, fields: fields, lengths: lengths, overlong: r.hasOverlongField,
                         unterminated: r.unterminatedQuote, raw: raw)
}

func scan(_ data: UnsafeBufferPointer<UInt8>, delimiter: UInt8, maxFieldBytes: Int, sizes: [Int]) -> [ScannedRecord] {
    var scanner = CSVScanner(delimiter: delimiter, maxFieldBytes: maxFieldBytes)
    var records: [ScannedRecord] = []
    forEachChunk(data, sizes: sizes) { chunk in scanner.feed(chunk) { records.append(copy($0)) } }
    scanner.finish { records.append(copy($0)) }
    return records
}

/// What `scan` must give with `maxFieldBytes`: the reference with every field cut to that length.
func compare(_ got: [ScannedRecord], with reference: [ScannedRecord], maxFieldBytes: Int,
             input: [UInt8], delimiter: UInt8, sizes: [Int]) {
    var expected = reference
    for i in expected.indices {
        expected[i].overlong = expected[i].lengths.contains { $0 > maxFieldBytes }
        expected[i].fields = expected[i].fields.map { Array($0.prefix(maxFieldBytes)) }
        if expected[i].raw.count > CSVScanner.maxRawBytes { expected[i].raw = Array(expected[i].raw.prefix(CSVScanner.maxRawBytes)) }
    }
    guard got != expected else { return }
    let at = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, expected.count)
    fail("""
        delimiter \(show([delimiter])) maxFieldBytes \(maxFieldBytes) chunks \(sizes.prefix(40)): \
        \(got.count) records, expected \(expected.count); first difference at record \(at):
          got      \(at < got.count ? describe(got[at]) : "nothing")
          expected \(at < expected.count ? describe(expected[at]) : "nothing")
          input    \(show(input))
        """)
}

func describe(_ r: ScannedRecord) -> String {
    "line \(r.line) fields \(r.fields.map { show($0) }) lengths \(r.lengths) overlong \(r.overlong) unterminated \(r.unterminated) raw \(show(r.raw))"
}

/// Invariants of the records themselves (which also check the reference).
func checkShape(_ records: [ScannedRecord], input: [UInt8], delimiter: UInt8) {
    // The raw texts and line ends rejoin to the input.
    var p = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var line = 1
    for (k, r) in records.enumerated() {
        check(input.count - p >= r.raw.count && input[p ..< p + r.raw.count].elementsEqual(r.raw),
              "record \(k)'s raw text is not the input at byte \(p): \(show(input))")
        check(r.line == line, "record \(k) is on line \(r.line), expected \(line): \(show(input))")
        check(!r.unterminated || k == records.count - 1, "an unterminated record that is not the last: \(show(input))")
        p += r.raw.count
        line += r.raw.lazy.filter { $0 == lf }.count + 1
        if p < input.count {
            if input[p] == lf { p += 1 }
            else if input[p] == cr && p + 1 < input.count && input[p + 1] == lf { p += 2 }
            else { fail("record \(k) is followed by no line end at byte \(p): \(show(input))") }
        }
    }
    check(p == input.count, "the records end at byte \(p) of \(input.count): \(show(input))")
    // Without quotes, the fields are the raw text split at the delimiter.
    if !input.contains(quote) {
        for r in records {
            check(Array(r.fields.joined(separator: [delimiter])) == r.raw,
                  "fields \(r.fields.map { show($0) }) do not rejoin to \(show(r.raw))")
        }
    }
}
