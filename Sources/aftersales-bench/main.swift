// aftersales-bench: the baselines `make bench` compares the pipeline with (bench/run.sh).
//
//   aftersales-bench raw-scan PATH...
//       reads every *.csv file under the given folders (or the given files) and splits it into
//       lines, nothing else: the floor for the ingest stage. Prints `bytes lines seconds MB/s`.
//   aftersales-bench byte-floor PATH...
//       the byte work ingest cannot skip, with the pipeline's own code: each file read twice, as the
//       loader does — pass 1 its sha256 and UTF-8 check, pass 2 its sha256 again, GB18030 decoding
//       where pass 1 found other than UTF-8, and the RFC 4180 scan into fields — every record handed
//       to a closure that ignores it. What is left of a time budget after this is what parsing,
//       validating and storing the rows may take. Prints `bytes records seconds MB/s`.
//   aftersales-bench raw-xlsx --cells N [--strings S] [--unique U] --out FILE
//       writes N cells with libxlsxwriter's C API and no logic around it, S of them strings drawn
//       from U distinct texts (shared strings), the rest numbers: the floor for the render stage.
//       Prints `cells seconds`.
//   aftersales-bench raw-xlsx --batch LIST --out FOLDER
//       the same for each line `N S U` of LIST in turn, into FOLDER/raw-k.xlsx, in this one process (the
//       dealers' statements: hundreds of small workbooks the renderer writes in its own process).
//       Prints the total `cells seconds`.
//
// It times only what it is asked to do, so the shell around it adds nothing to the figures.
import Config
import Crypto
import CSV
import CXLSXWriter
import Foundation
import Ingest

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("aftersales-bench: \(message)\n".utf8))
    exit(2)
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = start.duration(to: ContinuousClock.now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// The files a raw scan reads: the `.csv` files of each folder in name order, or the files given.
func csvFiles(_ paths: [String]) -> [String] {
    var files: [String] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { fail("no such file: \(path)") }
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files += names.filter { $0.hasSuffix(".csv") }.sorted().map { "\(path)/\($0)" }
        } else {
            files.append(path)
        }
    }
    return files
}

/// Reads each file in 1 MiB chunks and counts its line feeds.
func rawScan(_ paths: [String]) {
    let files = csvFiles(paths)
    let chunk = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
    defer { buffer.deallocate() }
    var bytes = 0, lines = 0
    let start = ContinuousClock.now
    for file in files {
        let fd = open(file, O_RDONLY)
        guard fd >= 0 else { fail("cannot open \(file)") }
        defer { close(fd) }
        while true {
            let n = read(fd, buffer.baseAddress, chunk)
            guard n > 0 else {
                if n < 0 { fail("cannot read \(file)") }
                break
            }
            bytes += n
            for byte in UnsafeRawBufferPointer(rebasing: buffer[0..<n]) where byte == 0x0A { lines += 1 }
        }
    }
    let elapsed = seconds(since: start)
    print(bytes, lines, String(format: "%.4f", elapsed), String(format: "%.1f", Double(bytes) / 1e6 / elapsed))
}

/// `Loader`'s two passes over each file without the rows: see the header.
func byteFloor(_ paths: [String]) {
    let files = csvFiles(paths)
    var bytes = 0, records = 0
    let start = ContinuousClock.now
    do {
        for file in files {
            let fingerprint = try FileFingerprint(path: file, name: file, options: InputOptions())
            bytes += fingerprint.size
            let decoder = fingerprint.encoding == .gb18030 ? try GB18030Decoder() : nil
            var rehasher = SHA256(), scanner = CSVScanner()
            try ChunkReader.forEachChunk(path: file, name: file) { chunk in
                rehasher.update(bufferPointer: UnsafeRawBufferPointer(chunk))
                if let decoder {
                    try decoder.decode(chunk) { utf8 in scanner.feed(utf8) { _ in records += 1 } }
                } else {
                    scanner.feed(chunk) { _ in records += 1 }
                }
            }
            try decoder?.finish()
            scanner.finish { _ in records += 1 }
            guard Array(rehasher.finalize()) == fingerprint.digest else { fail("\(file) changed while being read") }
        }
    } catch {
        fail("\(error)")
    }
    let elapsed = seconds(since: start)
    print(bytes, records, String(format: "%.4f", elapsed), String(format: "%.1f", Double(bytes) / 1e6 / elapsed))
}

/// What one raw workbook holds: `cells` cells, `strings` of them strings drawn from `unique` distinct texts.
struct RawWorkbook {
    let cells: Int, strings: Int, unique: Int

    init(cells: Int, strings: Int, unique: Int) {
        guard cells >= 0, (0...cells).contains(strings), unique >= 1 else { fail("need 0 ≤ strings ≤ cells and unique ≥ 1") }
        (self.cells, self.strings, self.unique) = (cells, strings, unique)
    }
}

/// Writes the workbooks in turn and prints their cells and seconds; every C string is made before the clock starts.
func rawXLSX(_ books: [(RawWorkbook, out: String)]) {
    let texts = (0..<(books.map(\.0.unique).max() ?? 1)).map { strdup("text \($0)")! }
    defer { texts.forEach { free($0) } }
    let start = ContinuousClock.now
    for (book, out) in books { writeRaw(book, texts: texts, out: out) }
    print(books.reduce(0) { $0 + $1.0.cells }, String(format: "%.4f", seconds(since: start)))
}

/// One workbook: 10 cells to a row, strings spread evenly among the numbers, on as many sheets as the rows
/// need (like the renderer's continued sheets), in constant-memory mode like the renderer.
func writeRaw(_ book: RawWorkbook, texts: [UnsafeMutablePointer<CChar>], out: String) {
    let (cells, strings, unique) = (book.cells, book.strings, book.unique)
    let columns = 10, cellsPerSheet = columns * Int(LXW_ROW_MAX)
    // Rows streamed to disk, strings inline: the mode the renderer writes in.
    var options = lxw_workbook_options()
    options.constant_memory = 1
    guard let workbook = workbook_new_opt(out, &options), var sheet = workbook_add_worksheet(workbook, nil),
          let number = workbook_add_format(workbook), let text = workbook_add_format(workbook) else {
        fail("libxlsxwriter could not create \(out)")
    }
    format_set_num_format(number, "#,##0.00")
    format_set_border(number, UInt8(LXW_BORDER_HAIR.rawValue))
    format_set_border(text, UInt8(LXW_BORDER_HAIR.rawValue))
    var written = 0
    for i in 0..<cells {
        if i > 0, i % cellsPerSheet == 0 {
            guard let next = workbook_add_worksheet(workbook, nil) else { fail("libxlsxwriter could not add a sheet") }
            sheet = next
        }
        let row = lxw_row_t(i % cellsPerSheet / columns), col = lxw_col_t(i % columns)
        // Bresenham: cell i is a string when the running share of strings steps up at it.
        let error: lxw_error
        if (i + 1) * strings / max(cells, 1) > i * strings / max(cells, 1) {
            error = worksheet_write_string(sheet, row, col, texts[written % unique], text)
            written += 1
        } else {
            error = worksheet_write_number(sheet, row, col, Double(i) * 1.25, number)
        }
        guard error == LXW_NO_ERROR else { fail("write failed: \(String(cString: lxw_strerror(error)))") }
    }
    let closed = workbook_close(workbook)
    guard closed == LXW_NO_ERROR else { fail("close failed: \(String(cString: lxw_strerror(closed)))") }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "raw-scan":
    guard arguments.count > 1 else { fail("usage: raw-scan PATH...") }
    rawScan(Array(arguments.dropFirst()))
case "byte-floor":
    guard arguments.count > 1 else { fail("usage: byte-floor PATH...") }
    byteFloor(Array(arguments.dropFirst()))
case "raw-xlsx":
    let usage = "usage: raw-xlsx --cells N [--strings S] [--unique U] --out FILE | raw-xlsx --batch LIST --out FOLDER"
    var options: [String: String] = [:]
    var rest = arguments.dropFirst()
    while let key = rest.popFirst() {
        guard key.hasPrefix("--"), let value = rest.popFirst() else { fail(usage) }
        options[String(key.dropFirst(2))] = value
    }
    guard let out = options["out"] else { fail(usage) }
    if let list = options["batch"] {
        guard let text = try? String(contentsOfFile: list, encoding: .utf8) else { fail("cannot read \(list)") }
        let books = text.split(separator: "\n").enumerated().map { k, line in
            let n = line.split(separator: " ").compactMap { Int($0) }
            guard n.count == 3 else { fail("\(list): a line is `cells strings unique`") }
            return (RawWorkbook(cells: n[0], strings: n[1], unique: n[2]), out: "\(out)/raw-\(k).xlsx")
        }
        try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        rawXLSX(books)
    } else {
        guard let cells = options["cells"].flatMap({ Int($0) }) else { fail(usage) }
        let strings = options["strings"].flatMap { Int($0) } ?? 0
        let unique = options["unique"].flatMap { Int($0) } ?? max(strings, 1)
        rawXLSX([(RawWorkbook(cells: cells, strings: strings, unique: unique), out: out)])
    }
default:
    fail("usage: aftersales-bench raw-scan PATH... | byte-floor PATH... | raw-xlsx --cells N [--strings S] [--unique U] --out FILE"
         + " | raw-xlsx --batch LIST --out FOLDER")
}
