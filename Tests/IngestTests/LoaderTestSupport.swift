import Foundation
import Glibc
import XCTest
import Config
import Core
@testable import Ingest

/// A temporary input folder, removed when the test ends.
final class InputFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "ingest-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` as UTF-8 bytes, exactly as given (no line-end conversion).
    func write(_ name: String, _ text: String) {
        write(name, bytes: Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) {
        FileManager.default.createFile(atPath: path + "/" + name, contents: Data(bytes))
    }

    func load(_ kinds: Set<InputKind> = Set(InputKind.allCases), config: Config = Config(),
              period: Month? = nil) throws -> Dataset {
        try Loader(directory: path, config: config, period: period).load(kinds)
    }
}

/// Lines joined with LF and a final LF.
func csv(_ lines: String...) -> String { lines.joined(separator: "\n") + "\n" }

/// UTF-8 text converted to GB18030 bytes with glibc's iconv.
func gb18030(_ text: String) -> [UInt8] {
    let cd = iconv_open("GB18030", "UTF-8")!
    precondition(cd != iconv_t(bitPattern: -1), "iconv has no GB18030")
    defer { iconv_close(cd) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
    let produced = input.withUnsafeMutableBytes { inRaw -> Int in
        output.withUnsafeMutableBytes { outRaw -> Int in
            var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var inLeft = inRaw.count
            var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outLeft = outRaw.count
            precondition(iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != size_t.max, "iconv failed")
            return outRaw.count - outLeft
        }
    }
    return Array(output[..<produced])
}

extension Dataset {
    func issues(_ code: IssueCode) -> [DataIssue] { issues.filter { $0.code == code } }
    func counts(_ name: String) -> RowCounts? {
        guard let i = files.firstIndex(where: { $0.name == name }) else { return nil }
        return rowCounts()[i]
    }
}

/// Asserts the dataset has exactly one issue at `line` and checks its code, column and file.
func assertIssue(_ data: Dataset, file name: String, line: Int, code: IssueCode, column: String,
                 _ message: String = "", file: StaticString = #filePath, at testLine: UInt = #line) {
    let found = data.issues.filter { $0.file == name && $0.line == line }
    guard found.count == 1 else {
        XCTFail("expected one issue at \(name):\(line), found \(found.map { "\($0.code.rawValue) \($0.column)" }) \(message)",
                file: file, line: testLine)
        return
    }
    XCTAssertEqual(found[0].code, code, "\(name):\(line) \(found[0].message)", file: file, line: testLine)
    XCTAssertEqual(found[0].column, column, "\(name):\(line) \(found[0].message)", file: file, line: testLine)
    XCTAssertEqual(found[0].severity, code.severity, file: file, line: testLine)
}
