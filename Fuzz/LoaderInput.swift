import Config
import Core
import Foundation
import Ingest
#if canImport(Glibc)
import Glibc
#endif

// How the `loader` and `stages` targets turn a fuzz input into an input folder: the input is one
// CSV file, read as the kind whose distinctive column (id or Chinese label, in UTF-8 or GB18030)
// comes first in it, orders if none does; the first line's most frequent separator picks the
// config (`,` the defaults, `;` a European export, tab a tab-separated export).

/// A temporary folder per input kind, each holding `<kind>.csv` (a link to the one input file)
/// and the fixed companion files the target asks for; removed at exit.
struct InputFolders {
    let root: String
    /// The file every folder's `<kind>.csv` links to; `write` puts the fuzz input there.
    let input: String
    /// Each kind's distinctive column names, as UTF-8 and GB18030 bytes.
    let markers: [(InputKind, [[UInt8]])]

    /// `companions(kind)`: the files written beside the input in the folder of `kind`, by kind
    /// (each as `<kind>.csv`).
    init(companions: (InputKind) -> [InputKind: String]) {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array("\(base)/aftersales-fuzz-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fail("mkdtemp failed") }
        root = String(cString: made)
        inputFoldersRoot = root
        atexit { try? FileManager.default.removeItem(atPath: inputFoldersRoot) }
        input = root + "/input.bin"
        for kind in InputKind.allCases {
            let dir = root + "/" + kind.rawValue
            try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try! FileManager.default.createSymbolicLink(atPath: dir + "/" + kind.rawValue + ".csv", withDestinationPath: input)
            for (other, text) in companions(kind) {
                precondition(other != kind, "a companion file would replace the input")
                _ = FileManager.default.createFile(atPath: dir + "/" + other.rawValue + ".csv", contents: Data(text.utf8))
            }
        }
        // A kind's distinctive column: id and Chinese label.
        let distinctive: [(InputKind, [String])] = [
            (.orders, ["order_no", "订单号"]), (.movements, ["doc_no", "单据号", "move_type", "业务类型"]),
            (.opening, ["value", "金额"]), (.counts, ["count_date", "盘点日期"]), (.repairs, ["repair_no", "维修单号"]),
            (.parts, ["part_name", "配件名称"]), (.dealers, ["dealer_name", "网点名称"]), (.faults, ["fault_code", "故障代码"]),
            (.fleet, ["units", "保有量"]),
        ]
        markers = distinctive.map { kind, names in (kind, names.flatMap { [Array($0.utf8), gb18030($0)] }) }
    }

    /// The folder whose `<kind>.csv` is the input.
    func directory(_ kind: InputKind) -> String { root + "/" + kind.rawValue }

    /// Writes the fuzz input to the file the folders link to.
    func write(_ data: UnsafeBufferPointer<UInt8>) {
        let fd = open(input, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0, data.isEmpty || Glibc.write(fd, data.baseAddress, data.count) == data.count else { fail("cannot write the input") }
        close(fd)
    }

    /// The kind whose distinctive column comes first in the file (orders if none does).
    func kind(of input: [UInt8]) -> InputKind {
        var kind = InputKind.orders, first = Int.max
        for (candidate, markers) in markers {
            for marker in markers {
                if let at = firstIndex(of: marker, in: input), at < first { (kind, first) = (candidate, at) }
            }
        }
        return kind
    }
}

nonisolated(unsafe) private var inputFoldersRoot = ""

/// The options of the file's kind, by the first line's most frequent separator.
func readingOptions(_ input: [UInt8]) -> (InputOptions, UInt8) {
    let firstLine = input.prefix { $0 != lf }
    let counts = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09].map { d in (d, firstLine.lazy.filter { $0 == d }.count) }
    let delimiter = counts.max { $0.1 < $1.1 }!.1 > 0 ? counts.max { $0.1 < $1.1 }!.0 : UInt8(ascii: ",")
    var options = InputOptions()
    options.delimiter = delimiter
    if delimiter == UInt8(ascii: ";") {
        options.decimalMark = UInt8(ascii: ",")
        options.dateFormat = "%d.%m.%Y"
        options.defaults = ["status": "shipped", "warehouse": "NEW"]
        options.columns = ["order_no": "Beleg", "qty": "Menge"]
    }
    return (options, delimiter)
}

func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
    let first = needle[0]
    var i = 0
    while i <= haystack.count - needle.count {
        if haystack[i] == first && haystack[i ..< i + needle.count].elementsEqual(needle) { return i }
        i += 1
    }
    return nil
}

/// UTF-8 text as GB18030 bytes, through glibc's iconv.
func gb18030(_ text: String) -> [UInt8] {
    guard let cd = iconv_open("GB18030", "UTF-8"), cd != iconv_t(bitPattern: -1) else { fail("iconv has no GB18030") }
    defer { iconv_close(cd) }
    var source = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: source.count * 4 + 16)
    let produced = source.withUnsafeMutableBytes { inRaw -> Int in
        output.withUnsafeMutableBytes { outRaw -> Int in
            var inPointer: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var inLeft = inRaw.count
            var outPointer: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outLeft = outRaw.count
            guard iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft) != size_t.max else { fail("iconv failed on \(text)") }
            return outRaw.count - outLeft
        }
    }
    return Array(output[..<produced])
}
