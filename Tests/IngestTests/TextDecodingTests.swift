import Glibc
import XCTest
@testable import Ingest

/// Validates `bytes` fed in chunks of `chunkSize` (all at once when nil).
private func isValidUTF8(_ bytes: [UInt8], chunkSize: Int? = nil) -> Bool {
    var validator = UTF8Validator()
    bytes.withUnsafeBufferPointer { all in
        let size = max(chunkSize ?? all.count, 1)
        for start in stride(from: 0, to: all.count, by: size) {
            validator.feed(UnsafeBufferPointer(rebasing: all[start ..< min(start + size, all.count)]))
        }
    }
    return validator.finish()
}

/// Decodes GB18030 `bytes` fed in chunks of `chunkSize` (all at once when nil).
private func decodeGB18030(_ bytes: [UInt8], chunkSize: Int? = nil) throws -> String {
    let decoder = try GB18030Decoder()
    var output: [UInt8] = []
    try bytes.withUnsafeBufferPointer { all in
        let size = max(chunkSize ?? all.count, 1)
        for start in stride(from: 0, to: all.count, by: size) {
            try decoder.decode(UnsafeBufferPointer(rebasing: all[start ..< min(start + size, all.count)])) {
                output.append(contentsOf: $0)
            }
        }
    }
    try decoder.finish()
    return String(decoding: output, as: UTF8.self)
}

/// Encodes `text` as GB18030 with iconv, independently of the decoder under test.
private func encodeGB18030(_ text: String) throws -> [UInt8] {
    let cd = try XCTUnwrap(iconv_open("GB18030", "UTF-8"))
    defer { iconv_close(cd) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 4)
    let written = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count, outLeft = outBuf.count
            precondition(iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1)
            return outBuf.count - outLeft
        }
    }
    return Array(output[..<written])
}

final class UTF8ValidatorTests: XCTestCase {
    func testValidText() {
        XCTAssertTrue(isValidUTF8([]))
        XCTAssertTrue(isValidUTF8(Array("order_no,qty\nSO1,2\n".utf8)))
        XCTAssertTrue(isValidUTF8(Array("配件,售后服务部,三包\n".utf8)))
        XCTAssertTrue(isValidUTF8(Array("ü ¥ € 😀 𠀀".utf8)))
        XCTAssertTrue(isValidUTF8([0xF4, 0x8F, 0xBF, 0xBF]))  // U+10FFFF
        XCTAssertTrue(isValidUTF8([0xEF, 0xBB, 0xBF, 0x61]))  // BOM
    }

    func testInvalidBytes() {
        XCTAssertFalse(isValidUTF8([0x61, 0xFF]))
        XCTAssertFalse(isValidUTF8([0x80]))               // stray continuation byte
        XCTAssertFalse(isValidUTF8([0xC5, 0xE4, 0xBC, 0xFE]))  // "配件" in GBK
        XCTAssertFalse(isValidUTF8([0xE9, 0x85, 0x41]))   // a sequence cut short by ASCII
        XCTAssertFalse(isValidUTF8([0xF5, 0x80, 0x80, 0x80]))
    }

    func testOverlongForms() {
        XCTAssertFalse(isValidUTF8([0xC0, 0x80]))
        XCTAssertFalse(isValidUTF8([0xC1, 0xBF]))
        XCTAssertFalse(isValidUTF8([0xE0, 0x80, 0xAF]))
        XCTAssertFalse(isValidUTF8([0xF0, 0x8F, 0xBF, 0xBF]))
        XCTAssertTrue(isValidUTF8([0xE0, 0xA0, 0x80]))  // U+0800, the smallest 3-byte form
    }

    func testSurrogatesAndBeyondUnicode() {
        XCTAssertFalse(isValidUTF8([0xED, 0xA0, 0x80]))  // U+D800
        XCTAssertFalse(isValidUTF8([0xED, 0xBF, 0xBF]))  // U+DFFF
        XCTAssertTrue(isValidUTF8([0xED, 0x9F, 0xBF]))   // U+D7FF
        XCTAssertFalse(isValidUTF8([0xF4, 0x90, 0x80, 0x80]))  // U+110000
    }

    func testTruncatedAtTheEnd() {
        XCTAssertFalse(isValidUTF8(Array("配件".utf8.dropLast())))
        XCTAssertFalse(isValidUTF8([0x61, 0xF0, 0x9F, 0x98]))
    }

    func testSplitAcrossChunks() {
        let text = Array("ascii run longer than a word, 配件 😀 ¥\nnext line, 售后".utf8)
        for size in 1 ... text.count {
            XCTAssertTrue(isValidUTF8(text, chunkSize: size), "chunk size \(size)")
        }
        let truncated = Array(text.dropLast())
        for size in 1 ... truncated.count {
            XCTAssertFalse(isValidUTF8(truncated, chunkSize: size), "chunk size \(size)")
        }
    }

    func testInvalidByteFoundAtEveryPositionOfTheFastPath() {
        for position in 0 ..< 24 {
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 24)
            bytes[position] = 0xFF
            XCTAssertFalse(isValidUTF8(bytes), "0xFF at \(position)")
            XCTAssertFalse(isValidUTF8(bytes, chunkSize: 5), "0xFF at \(position), chunks of 5")
        }
    }

    func testAgreesWithTheStandardLibraryOnRandomBytes() {
        var seed: UInt64 = 7  // a fixed seed: a failure names its bytes and can be replayed
        // Bytes near the interesting boundaries, so that valid multi-byte sequences occur.
        let pool: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF,
                             0xE0, 0xE9, 0xED, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF]
        func random() -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33)
        }
        for _ in 0 ..< 20_000 {
            let bytes = (0 ..< random() % 7).map { _ in pool[random() % pool.count] }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            XCTAssertEqual(isValidUTF8(bytes), expected, "\(bytes)")
            XCTAssertEqual(isValidUTF8(bytes, chunkSize: 1), expected, "\(bytes) in 1-byte chunks")
        }
    }

    func testThreeByteSequencesAreCheckedWhole() {
        // Chinese text takes the 3-byte fast path: a bad continuation byte in either place, or a
        // sequence cut short by the end of the input, is still found.
        let text = Array("配件三包".utf8)
        XCTAssertTrue(isValidUTF8(text))
        for position in text.indices where text[position] & 0xC0 == 0x80 {
            var bad = text
            bad[position] = 0x41
            XCTAssertFalse(isValidUTF8(bad), "ASCII at \(position)")
            bad[position] = 0xC0
            XCTAssertFalse(isValidUTF8(bad), "a lead byte at \(position)")
        }
        XCTAssertFalse(isValidUTF8([0x61, 0xE9, 0x85]))
        XCTAssertFalse(isValidUTF8([0xEF, 0xBF]))
        XCTAssertTrue(isValidUTF8([0xEF, 0xBF, 0xBD]))   // U+FFFD
        XCTAssertTrue(isValidUTF8([0xEE, 0x80, 0x80]))   // U+E000
        XCTAssertTrue(isValidUTF8([0xEC, 0xBF, 0xBF]))   // U+CFFF, just under the surrogates' lead byte
    }

    func testStaysInvalidAfterAnError() {
        var validator = UTF8Validator()
        [0xFF].withUnsafeBufferPointer { validator.feed($0) }
        XCTAssertFalse(validator.isValid)
        Array("fine".utf8).withUnsafeBufferPointer { validator.feed($0) }
        XCTAssertFalse(validator.finish())
    }
}

final class GB18030DecoderTests: XCTestCase {
    func testKnownGBKBytes() throws {
        XCTAssertEqual(try decodeGB18030([0xC5, 0xE4, 0xBC, 0xFE]), "配件")
        // "售后服务部\n旧件"
        let bytes: [UInt8] = [0xCA, 0xDB, 0xBA, 0xF3, 0xB7, 0xFE, 0xCE, 0xF1, 0xB2, 0xBF, 0x0A, 0xBE, 0xC9, 0xBC, 0xFE]
        XCTAssertEqual(try decodeGB18030(bytes), "售后服务部\n旧件")
        XCTAssertEqual(try decodeGB18030(Array("part_no,qty\n".utf8)), "part_no,qty\n")
    }

    func testFourByteSequences() throws {
        XCTAssertEqual(try decodeGB18030([0x81, 0x30, 0x84, 0x36]), "¥")         // U+00A5
        XCTAssertEqual(try decodeGB18030([0x90, 0x30, 0x81, 0x30]), "\u{10000}")  // first supplementary
        XCTAssertEqual(try decodeGB18030([0x95, 0x32, 0x82, 0x36]), "𠀀")         // U+20000
    }

    func testSequencesSplitAcrossChunks() throws {
        let text = "order_no,备注,金额\nSO1,\"配件, ¥1,234.50 𠀀\",三包\r\nSO2,旧件返厂,€5\n"
        let bytes = try encodeGB18030(text)
        XCTAssertTrue(bytes.starts(with: Array("order_no,".utf8) + [0xB1, 0xB8]))  // 备 = B1 B8
        for size in 1 ... bytes.count {
            XCTAssertEqual(try decodeGB18030(bytes, chunkSize: size), text, "chunk size \(size)")
        }
    }

    func testLargeInputCrossesTheOutputBuffer() throws {
        let text = String(repeating: "配件售后,¥12.50\n", count: 20_000)
        let bytes = try encodeGB18030(text)
        XCTAssertEqual(try decodeGB18030(bytes, chunkSize: 65_536), text)
    }

    func testInvalidSequenceNamesOffsetAndLine() throws {
        // "ok\n配件\nbad" then 0xFF: offset 11, line 3.
        let bytes: [UInt8] = Array("ok\n".utf8) + [0xC5, 0xE4, 0xBC, 0xFE, 0x0A] + Array("bad".utf8) + [0xFF, 0x0A]
        for size in [nil, 1, 2, 3, 4, 7] {
            XCTAssertThrowsError(try decodeGB18030(bytes, chunkSize: size)) { error in
                XCTAssertEqual(error as? TextDecodingError, .invalidSequence(offset: 11, line: 3), "chunk size \(String(describing: size))")
            }
        }
    }

    func testInvalidTrailByteAfterALeadByte() throws {
        // 0x81 0x7F is not a sequence; with 0x81 at the end of a chunk it must still be found.
        let bytes: [UInt8] = [0x61, 0x0A, 0x0A, 0x62, 0x81, 0x7F]
        for size in [nil, 1, 5] {
            XCTAssertThrowsError(try decodeGB18030(bytes, chunkSize: size)) { error in
                XCTAssertEqual(error as? TextDecodingError, .invalidSequence(offset: 4, line: 3))
            }
        }
    }

    func testTruncatedSequenceAtTheEnd() throws {
        let bytes: [UInt8] = [0xC5, 0xE4, 0x0A, 0x81, 0x30, 0x84]  // 配, LF, 3 bytes of a 4-byte sequence
        for size in [nil, 1, 4] {
            XCTAssertThrowsError(try decodeGB18030(bytes, chunkSize: size)) { error in
                XCTAssertEqual(error as? TextDecodingError, .truncatedSequence(offset: 3, line: 2))
            }
        }
    }

    func testErrorMessageNamesLineAndOffset() {
        XCTAssertEqual(TextDecodingError.invalidSequence(offset: 11, line: 3).description,
                       "invalid GB18030 byte sequence at byte offset 11 (line 3)")
    }

    func testDecoderStartsOverAfterFinish() throws {
        let decoder = try GB18030Decoder()
        for _ in 0 ..< 2 {
            try Array("a\n".utf8).withUnsafeBufferPointer { try decoder.decode($0) { _ in } }
            try decoder.finish()
        }
        XCTAssertThrowsError(try [UInt8]([0xFF]).withUnsafeBufferPointer { try decoder.decode($0) { _ in } }) {
            XCTAssertEqual($0 as? TextDecodingError, .invalidSequence(offset: 0, line: 1))
        }
    }

    func testEncodingNames() {
        XCTAssertEqual(TextEncoding(rawValue: "utf-8"), .utf8)
        XCTAssertEqual(TextEncoding(rawValue: "gb18030"), .gb18030)
    }
}
