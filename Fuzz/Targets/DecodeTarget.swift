import Ingest

// Fuzz target `decode`: encoding detection (UTF8Validator) and GB18030 decoding through iconv
// (GB18030Decoder), each fed whole, byte by byte and in data-derived chunks.
// Invariants:
// - the validator agrees with the standard library's UTF-8 validation, whatever the chunking;
// - the decoder gives the same UTF-8 and the same error whatever the chunking, its output is
//   valid UTF-8, and a reused decoder (after `finish`) gives the same again;
// - an error's line is 1 + the newlines before its byte offset;
// - decoding keeps every byte that GB18030 never uses inside a multi-byte sequence
//   (0x00–0x2F, 0x3A–0x3F: line ends, `,` `;` `"` tab …), so CSV structure survives decoding;
//   pure ASCII decodes to itself.

struct Decoded: Equatable {
    var output: [UInt8]
    var error: TextDecodingError?
}

func fuzzTarget(_ data: UnsafeBufferPointer<UInt8>) {
    let input = Array(data)
    let cuts = splittings(data)

    // Detection.
    let valid = String(validating: input, as: UTF8.self) != nil
    for sizes in cuts {
        var validator = UTF8Validator()
        forEachChunk(data, sizes: sizes) { validator.feed($0) }
        check(validator.finish() == valid, "UTF8Validator says \(!valid) with chunks \(sizes.prefix(40)) for \(show(input))")
    }

    // Decoding.
    let reused: GB18030Decoder
    do { reused = try GB18030Decoder() } catch { fail("no GB18030 converter: \(error)") }
    let whole = decode(data, sizes: [data.count], with: reused)
    for sizes in cuts.dropFirst() {
        let decoder: GB18030Decoder
        do { decoder = try GB18030Decoder() } catch { fail("no GB18030 converter: \(error)") }
        let other = decode(data, sizes: sizes, with: decoder)
        check(other == whole, "chunks \(sizes.prefix(40)) decode to \(show(other.output)) \(String(describing: other.error)), whole to \(show(whole.output)) \(String(describing: whole.error)); input \(show(input))")
    }
    if whole.error == nil {
        check(decode(data, sizes: [data.count], with: reused) == whole, "a reused decoder decodes \(show(input)) differently")
    }

    check(String(validating: whole.output, as: UTF8.self) != nil, "the decoder's output is not UTF-8: \(show(whole.output))")
    var outputValidator = UTF8Validator()
    whole.output.withUnsafeBufferPointer { outputValidator.feed($0) }
    check(outputValidator.finish(), "UTF8Validator rejects the decoder's output \(show(whole.output))")

    switch whole.error {
    case nil:
        var inCounts = [Int](repeating: 0, count: 0x40), outCounts = inCounts
        for b in input where b < 0x40 { inCounts[Int(b)] += 1 }
        for b in whole.output where b < 0x40 { outCounts[Int(b)] += 1 }
        for b in Array(0x00 ... 0x2F) + Array(0x3A ... 0x3F) {
            check(inCounts[b] == outCounts[b], "byte \(show([UInt8(b)])) occurs \(inCounts[b]) times in the input, \(outCounts[b]) in the output; input \(show(input))")
        }
        if input.allSatisfy({ $0 < 0x80 }) { check(whole.output == input, "ASCII \(show(input)) decodes to \(show(whole.output))") }
    case let .invalidSequence(offset, line)?, let .truncatedSequence(offset, line)?:
        check(offset >= 0 && offset < input.count, "error offset \(offset) outside the input of \(input.count) bytes")
        let expected = 1 + input[..<offset].lazy.filter { $0 == 0x0A }.count
        check(line == expected, "error at offset \(offset) on line \(line), expected \(expected); input \(show(input))")
    case .converterUnavailable(let reason)?:
        fail("converter unavailable: \(reason)")
    }
}

func decode(_ data: UnsafeBufferPointer<UInt8>, sizes: [Int], with decoder: GB18030Decoder) -> Decoded {
    var result = Decoded(output: [], error: nil)
    do {
        try forEachChunk(data, sizes: sizes) { chunk in try decoder.decode(chunk) { result.output += $0 } }
        try decoder.finish()
    } catch let error as TextDecodingError {
        result.error = error
    } catch {
        fail("GB18030Decoder threw \(error), not a TextDecodingError")
    }
    return result
}
