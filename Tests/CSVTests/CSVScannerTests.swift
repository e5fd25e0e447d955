import Foundation
import XCTest
@testable import CSV
import TestSupport

/// What the scanner reported for one record, copied out of the callback.
private struct Record: Equatable {
    var line: Int
    var fields: [String]
    var lengths: [Int]
    var overlong = false
    var unterminated = false
    var raw: String
}

/// Scans `input` fed in chunks of `chunkSize` bytes (the whole input at once when nil).
private func scan(_ input: [UInt8], delimiter: Character = ",", maxFieldBytes: Int = 65_536,
                  chunkSize: Int? = nil) -> [Record] {
    var scanner = CSVScanner(delimiter: delimiter.asciiValue!, maxFieldBytes: maxFieldBytes)
    var records: [Record] = []
    let collect = { (r: borrowing CSVRecord) in
        records.append(Record(
            line: r.line, fields: (0 ..< r.count).map { r.string($0) }, lengths: (0 ..< r.count).map { r.fieldLength($0) },
            overlong: r.hasOverlongField, unterminated: r.unterminatedQuote, raw: r.rawLine))
    }
    input.withUnsafeBufferPointer { all in
        let size = max(chunkSize ?? all.count, 1)
        for start in stride(from: 0, to: all.count, by: size) {
            scanner.feed(UnsafeBufferPointer(rebasing: all[start ..< min(start + size, all.count)]), collect)
        }
    }
    scanner.finish(collect)
    return records
}

private func scan(_ text: String, delimiter: Character = ",", maxFieldBytes: Int = 65_536) -> [Record] {
    scan(Array(text.utf8), delimiter: delimiter, maxFieldBytes: maxFieldBytes)
}

private func fields(_ text: String, delimiter: Character = ",") -> [[String]] {
    scan(text, delimiter: delimiter).map(\.fields)
}

private func lines(_ text: String) -> [Int] {
    scan(text).map(\.line)
}

/// This process's resident memory, from /proc/self/statm (in pages).
private func residentBytes() throws -> Int {
    let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
    return Int(statm[1])! * Int(sysconf(Int32(_SC_PAGESIZE)))
}

final class CSVScannerTests: XCTestCase {
    func testPlainFields() {
        let records = scan("order_no,qty,amount\nSO1,2,10.50\nSO2,1,3\n")
        XCTAssertEqual(records.map(\.fields), [["order_no", "qty", "amount"], ["SO1", "2", "10.50"], ["SO2", "1", "3"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3])
        XCTAssertEqual(records[1].lengths, [3, 1, 5])
        XCTAssertFalse(records.contains { $0.overlong || $0.unterminated })
    }

    func testQuotedDelimiter() {
        XCTAssertEqual(fields("\"a,b\",c,\"1,234.00\"\n"), [["a,b", "c", "1,234.00"]])
    }

    func testDoubledQuotes() {
        XCTAssertEqual(fields("\"say \"\"hi\"\"\",x,\"\"\"\"\n"), [["say \"hi\"", "x", "\""]])
        XCTAssertEqual(scan("\"a\"\"b\"\n")[0].lengths, [3])
    }

    func testEmbeddedLFInQuotes() {
        let records = scan("\"line1\nline2\",x\nnext,y\n")
        XCTAssertEqual(records.map(\.fields), [["line1\nline2", "x"], ["next", "y"]])
        XCTAssertEqual(records.map(\.line), [1, 3])
    }

    func testEmbeddedCRLFInQuotesIsKept() {
        let records = scan("\"a\r\nb\",c\r\nd,e\r\n")
        XCTAssertEqual(records.map(\.fields), [["a\r\nb", "c"], ["d", "e"]])
        XCTAssertEqual(records.map(\.line), [1, 3])
    }

    func testCRLFRecordEnds() {
        XCTAssertEqual(fields("a,b\r\nc,d\r\n"), [["a", "b"], ["c", "d"]])
    }

    func testMixedLineEnds() {
        XCTAssertEqual(fields("a,1\r\nb,2\nc,3\r\nd,4"), [["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]])
        XCTAssertEqual(lines("a,1\r\nb,2\nc,3\r\nd,4"), [1, 2, 3, 4])
    }

    func testBOMIsSkippedOnlyAtTheStart() {
        XCTAssertEqual(fields("\u{FEFF}id,name\n1,x\n"), [["id", "name"], ["1", "x"]])
        XCTAssertEqual(fields("a\n\u{FEFF}b\n"), [["a"], ["\u{FEFF}b"]])
        XCTAssertEqual(fields("\u{FEFF}\"q\"\n"), [["q"]])
        XCTAssertEqual(scan("\u{FEFF}a,b\n")[0].raw, "a,b")
    }

    func testBOMPrefixThatIsNotABOMIsData() {
        let records = scan([0xEF, 0xBB, 0x41, 0x2C, 0x42], chunkSize: 1)
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(records[0].lengths, [3, 1])
        XCTAssertEqual(scan([0xEF]).map(\.lengths), [[1]])
    }

    func testNoFinalNewline() {
        let records = scan("a,b\nc,d")
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["c", "d"]])
        XCTAssertEqual(records.map(\.line), [1, 2])
        XCTAssertEqual(records[1].raw, "c,d")
    }

    func testEmptyInputHasNoRecords() {
        XCTAssertEqual(scan(""), [])
        XCTAssertEqual(scan("\u{FEFF}"), [])
    }

    func testEmptyFields() {
        XCTAssertEqual(fields("a,,c\n,,\n"), [["a", "", "c"], ["", "", ""]])
    }

    func testEmptyQuotedField() {
        XCTAssertEqual(fields("\"\",x,\"\"\n"), [["", "x", ""]])
    }

    func testTrailingDelimiter() {
        XCTAssertEqual(fields("a,b,\nc,d,"), [["a", "b", ""], ["c", "d", ""]])
    }

    func testEmptyLinesAreOneEmptyField() {
        let records = scan("a\n\nb\r\n\r\n\n")
        XCTAssertEqual(records.map(\.fields), [["a"], [""], ["b"], [""], [""]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4, 5])
        XCTAssertEqual(fields("\n"), [[""]])
    }

    func testSemicolonDelimiter() {
        XCTAssertEqual(fields("a;\"b;c\";1,5\n;x;\n", delimiter: ";"), [["a", "b;c", "1,5"], ["", "x", ""]])
    }

    func testTabDelimiter() {
        XCTAssertEqual(fields("a\t\"b\tc\"\t,\nd\t\te\n", delimiter: "\t"), [["a", "b\tc", ","], ["d", "", "e"]])
    }

    func testLineNumbersAfterMultiLineFields() {
        let input = "h1,h2\n1,\"three\nline\r\nnote\"\n2,x\n\n\"a\nb\",3\n4,y"
        let records = scan(input)
        XCTAssertEqual(records.map(\.line), [1, 2, 5, 6, 7, 9])
        XCTAssertEqual(records.map(\.fields), [["h1", "h2"], ["1", "three\nline\r\nnote"], ["2", "x"], [""], ["a\nb", "3"], ["4", "y"]])
    }

    func testBareCRIsData() {
        XCTAssertEqual(fields("a\rb,c\n"), [["a\rb", "c"]])
        XCTAssertEqual(fields("a,\rb\n"), [["a", "\rb"]])
        XCTAssertEqual(fields("\"q\"\rx\n"), [["q\rx"]])
        XCTAssertEqual(fields("a\r"), [["a\r"]])
        XCTAssertEqual(lines("a\rb\nc\n"), [1, 2])
    }

    func testMalformedQuotesAreReadLeniently() {
        // A quote inside an unquoted field is literal; text after a closing quote is appended.
        XCTAssertEqual(fields("ab\"c,\"x\"y,\"a\"b\",5\"\n"), [["ab\"c", "xy", "ab\"", "5\""]])
        XCTAssertEqual(fields("\"a\" ,b\n"), [["a ", "b"]])
        XCTAssertFalse(scan("ab\"c\n")[0].unterminated)
    }

    func testUnterminatedQuote() {
        let records = scan("id,note\n1,\"open\nstill open,")
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records[1].fields, ["1", "open\nstill open,"])
        XCTAssertEqual(records[1].line, 2)
        XCTAssertTrue(records[1].unterminated)
        XCTAssertFalse(records[0].unterminated)
        XCTAssertEqual(records[1].raw, "1,\"open\nstill open,")
        XCTAssertFalse(scan("1,\"closed\"")[0].unterminated)
    }

    func testRawLineIsTheRecordAsWritten() {
        let records = scan("x,\"a\"\"b\",c\r\n\"m\nn\",2\nlast")
        XCTAssertEqual(records.map(\.raw), ["x,\"a\"\"b\",c", "\"m\nn\",2", "last"])
        XCTAssertEqual(scan("\n")[0].raw, "")
    }

    func testRawLineIsCapped() {
        let long = String(repeating: "y", count: 100_000)
        let input = Array("a,\(long)\nb\n".utf8)
        for size in [nil, 1000, 65_535] {
            let records = scan(input, chunkSize: size)
            XCTAssertEqual(records[0].raw.utf8.count, CSVScanner.maxRawBytes)
            XCTAssertEqual(records[0].raw, String(("a," + long).prefix(CSVScanner.maxRawBytes)))
            XCTAssertEqual(records[0].lengths, [1, 100_000])
            XCTAssertEqual(records[1].raw, "b")
        }
    }

    func testOverlongFieldIsFlaggedAndTruncated() {
        let records = scan("short,0123456789ABCDEF\nok,0123456789\n\"ab\"\"cdefghij\",x\n", maxFieldBytes: 10)
        XCTAssertEqual(records.map(\.overlong), [true, false, true])
        XCTAssertEqual(records[0].fields, ["short", "0123456789"])
        XCTAssertEqual(records[0].lengths, [5, 16])
        XCTAssertEqual(records[1].lengths, [2, 10])  // exactly the limit is fine
        XCTAssertEqual(records[2].fields, ["ab\"cdefghi", "x"])
        XCTAssertEqual(records[2].lengths, [11, 1])
        XCTAssertEqual(records[0].raw, "short,0123456789ABCDEF")
    }

    func testOverlongFieldDoesNotGrowMemory() throws {
        // 16 MiB inside one unterminated quoted field, fed in 1 MiB chunks.
        let chunk = [UInt8](repeating: UInt8(ascii: "z"), count: 1 << 20)
        var scanner = CSVScanner(maxFieldBytes: 1000)
        let before = try residentBytes()
        [UInt8(ascii: "\"")].withUnsafeBufferPointer { scanner.feed($0, { _ in XCTFail() }) }
        for _ in 0 ..< 16 {
            chunk.withUnsafeBufferPointer { scanner.feed($0, { _ in XCTFail() }) }
        }
        let growth = try residentBytes() - before
        XCTAssertLessThan(growth, 4 << 20, "resident memory grew by \(growth) bytes for one 16 MiB field")
        var seen = 0
        scanner.finish { record in
            seen += 1
            XCTAssertTrue(record.unterminatedQuote)
            XCTAssertTrue(record.hasOverlongField)
            XCTAssertEqual(record.count, 1)
            XCTAssertEqual(record.fieldLength(0), 16 << 20)
            XCTAssertEqual(record.withField(0) { $0.count }, 1000)
            XCTAssertEqual(record.withRawBytes { $0.count }, CSVScanner.maxRawBytes)
        }
        XCTAssertEqual(seen, 1)
    }

    func testEveryChunkSizeGivesTheSameRecords() {
        // BOM, CRLF inside and between records, doubled quotes, a bare CR, multi-byte text,
        // malformed quotes, an empty line and no final line end.
        let input = Array((
            "\u{FEFF}order_no,备注,qty\r\n"
            + "SO1,\"配件, \"\"原装\"\"\r\n第二行\",2\r\n"
            + "\n"
            + "SO2,a\rb,\"x\"\r\n"
            + "SO3,ab\"c,\"q\"tail\n"
            + "\"\",,\"\"\"\"\r\n"
            + "SO4,\"unterminated\r\n..."
        ).utf8)
        let whole = scan(input)
        XCTAssertEqual(whole.map(\.fields), [
            ["order_no", "备注", "qty"],
            ["SO1", "配件, \"原装\"\r\n第二行", "2"],
            [""],
            ["SO2", "a\rb", "x"],
            ["SO3", "ab\"c", "qtail"],
            ["", "", "\""],
            ["SO4", "unterminated\r\n..."],
        ])
        XCTAssertEqual(whole.map(\.line), [1, 2, 4, 5, 6, 7, 8])
        XCTAssertEqual(whole.last?.unterminated, true)
        XCTAssertEqual(whole[1].raw, "SO1,\"配件, \"\"原装\"\"\r\n第二行\",2")
        for size in 1 ... input.count {
            XCTAssertEqual(scan(input, chunkSize: size), whole, "chunk size \(size)")
        }
    }

    func testRandomInputsGiveTheSameRecordsInAnyChunking() {
        var rng = SplitMix64(seed: 42)
        let alphabet = Array("ab,\"\r\n配".utf8) + [0xEF, 0xBB, 0xBF]
        for _ in 0 ..< 500 {
            let input = (0 ..< Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let whole = scan(input)
            for size in [1, 2, 3, 5, 8, 9] {
                XCTAssertEqual(scan(input, chunkSize: size), whole, "input \(input), chunk size \(size)")
            }
        }
    }

    func testFieldsOfEveryLengthAreCopiedWhole() {
        // Runs of up to 16 bytes are copied inline (byte by byte under 4, as overlapping words from 4),
        // longer ones by memmove; each length once unquoted, once quoted, in any chunking.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let texts: [String] = (0 ... 40).map { length in String((0 ..< length).map { letters[($0 * 7 + length) % 26] }) }
        let input = Array(texts.map { "\($0),\"\($0)\"\n" }.joined().utf8)
        let whole = scan(input)
        XCTAssertEqual(whole.map { $0.fields }, texts.map { [$0, $0] })
        for size in [1, 3, 7, 16, 17, 64] {
            XCTAssertEqual(scan(input, chunkSize: size), whole, "chunk size \(size)")
        }
    }

    func testEmptyChunksChangeNothing() {
        var scanner = CSVScanner()
        var got: [String] = []
        for piece in ["", "a,", "", "b\r", "", "\nc", ""] {
            Array(piece.utf8).withUnsafeBufferPointer { scanner.feed($0) { got.append($0.rawLine) } }
        }
        scanner.finish { got.append($0.rawLine) }
        XCTAssertEqual(got, ["a,b", "c"])
    }

    func testScannerStartsOverAfterFinish() {
        var scanner = CSVScanner()
        var lines: [Int] = []
        for _ in 0 ..< 2 {
            Array("\u{FEFF}a\nb".utf8).withUnsafeBufferPointer { scanner.feed($0) { lines.append($0.line) } }
            scanner.finish { record in
                lines.append(record.line)
                XCTAssertEqual(record.string(0), "b")
            }
        }
        XCTAssertEqual(lines, [1, 2, 1, 2])
    }

    func testWithFieldGivesTheBytes() {
        var scanner = CSVScanner()
        Array("\"配\",x\n".utf8).withUnsafeBufferPointer {
            scanner.feed($0) { record in
                XCTAssertEqual(record.count, 2)
                XCTAssertEqual(record.withField(0) { Array($0) }, [0xE9, 0x85, 0x8D])
                XCTAssertEqual(record.fieldLength(0), 3)
                XCTAssertEqual(record.withRawBytes { Array($0) }, Array("\"配\",x".utf8))
            }
        }
    }

    func testCallbackErrorsPropagate() {
        struct Stop: Error {}
        var scanner = CSVScanner()
        var seen = 0
        XCTAssertThrowsError(try Array("a\nb\nc\n".utf8).withUnsafeBufferPointer { chunk in
            try scanner.feed(chunk) { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(seen, 2)
        // finish leaves no trace of the abandoned input.
        scanner.finish { _ in XCTFail("the abandoned input gave a record") }
        Array("x,y\n".utf8).withUnsafeBufferPointer {
            scanner.feed($0) { record in
                XCTAssertEqual(record.line, 1)
                XCTAssertEqual([record.string(0), record.string(1)], ["x", "y"])
            }
        }
    }
}
