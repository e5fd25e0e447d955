import Crypto
import Foundation
import TOMLKit

/// A period folder (`<out>/<period>/`) as delivery reads it: its manifest, checked against the
/// files (a folder is complete when manifest.json exists and every file it lists is there with its
/// sha256), and the key figures of a report.
public struct PeriodFolder: Sendable {
    /// The parts of manifest.json delivery needs (the Pipeline writes it; SPEC §5.2).
    public struct Manifest: Decodable, Sendable {
        public struct Output: Decodable, Sendable {
            /// As the manifest has it: relative to the output folder (`2026-10/profit-2026-10.xlsx`).
            public let file: String
            public let sha256: String
            public let bytes: Int
            /// The name inside the period folder (`profit-2026-10.xlsx`).
            public func name(in period: String) -> String {
                file.hasPrefix(period + "/") ? String(file.dropFirst(period.count + 1)) : file
            }
        }
        public struct Input: Decodable, Sendable {
            public let file: String
            public let read: Int
            public let accepted: Int
            public let warned: Int
            public let rejected: Int
        }
        public let period: String
        public let outputs: [Output]
        public let inputs: [Input]
        public let issues: Int
    }

    public let path: String
    public let manifest: Manifest

    /// Reads the manifest and checks every file it lists; throws naming what is missing or changed.
    public init(path: String) throws {
        self.path = path
        let manifestPath = path + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw DeliveryFailure("\(path) is not a complete period folder: no manifest.json (the run did not finish; rerun it)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { manifest = try decoder.decode(Manifest.self, from: data) } catch {
            throw DeliveryFailure("\(manifestPath) cannot be read: \(error)")
        }
        for output in manifest.outputs {
            guard let bytes = FileManager.default.contents(atPath: path + "/" + output.name(in: manifest.period)) else {
                throw DeliveryFailure("\(path) is not complete: \(output.file), listed in manifest.json, is missing")
            }
            guard sha256Hex(bytes) == output.sha256 else {
                throw DeliveryFailure("\(path) is not complete: \(output.file) differs from the sha256 in manifest.json")
            }
        }
    }

    /// The workbook of `report` as the manifest lists it (`<report>-<period>.xlsx`).
    public func workbook(_ report: String) -> Manifest.Output? {
        manifest.outputs.first { $0.name(in: manifest.period) == "\(report)-\(manifest.period).xlsx" }
    }

    /// The reports whose workbook the folder holds.
    public var reports: [String] {
        manifest.outputs.compactMap { output in
            let suffix = "-\(manifest.period).xlsx"
            let name = output.name(in: manifest.period)
            return name.hasSuffix(suffix) && !name.contains("/") ? String(name.dropLast(suffix.count)) : nil
        }
    }

    /// What the message body shows for `report`: the inputs and issue count from the manifest; the
    /// key figures from `csv/<report>/overview.csv` (metric, current, previous, change_pct, ytd —
    /// SPEC §8.2's twin of the overview sheet) and the exception counts from
    /// `csv/<report>/exceptions.csv` (check, exceptions) when the run wrote them.
    public func keyFigures(_ report: String) -> KeyFigures {
        var figures = KeyFigures()
        figures.inputFiles = manifest.inputs.count
        figures.rowsRead = manifest.inputs.reduce(0) { $0 + $1.read }
        figures.rowsAccepted = manifest.inputs.reduce(0) { $0 + $1.accepted }
        figures.rowsWarned = manifest.inputs.reduce(0) { $0 + $1.warned }
        figures.rowsRejected = manifest.inputs.reduce(0) { $0 + $1.rejected }
        figures.dataIssues = manifest.issues
        if let rows = readCSV(path + "/csv/\(report)/overview.csv"), let header = rows.first {
            let column = { (name: String) in header.firstIndex(of: name) }
            if let metric = column("metric"), let current = column("current") {
                for row in rows.dropFirst() where row.count == header.count {
                    var value = row[current]
                    if let previous = column("previous"), !row[previous].isEmpty {
                        value += " (\(row[previous])"
                        if let change = column("change_pct"), !row[change].isEmpty { value += ", \(row[change]) %" }
                        value += ")"
                    }
                    figures.figures.append(KeyFigures.Figure(label: row[metric], value: value))
                }
            }
        }
        if let rows = readCSV(path + "/csv/\(report)/exceptions.csv"), let header = rows.first,
           let check = header.firstIndex(of: "check"), let count = header.firstIndex(of: "exceptions") {
            for row in rows.dropFirst() where row.count == header.count {
                if let n = Int(row[count]) { figures.exceptions.append(KeyFigures.Exception(check: row[check], count: n)) }
            }
        }
        return figures
    }
}

/// What a message says about its workbook (SPEC §8.5): key figures, exception counts, data issues.
public struct KeyFigures: Sendable, Equatable {
    public struct Figure: Sendable, Equatable {
        public var label: String
        public var value: String
        public init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }
    public struct Exception: Sendable, Equatable {
        public var check: String
        public var count: Int
        public init(check: String, count: Int) {
            self.check = check
            self.count = count
        }
    }
    public var figures: [Figure] = []
    public var exceptions: [Exception] = []
    public var dataIssues = 0
    public var inputFiles = 0
    public var rowsRead = 0
    public var rowsAccepted = 0
    public var rowsWarned = 0
    public var rowsRejected = 0
    public init() {}
}

/// The report's title in `locale` (templates/<locale>/<report>.toml `title`), the report id when absent.
public func reportTitle(_ report: String, locale: String, templates: String) -> String {
    guard let data = FileManager.default.contents(atPath: "\(templates)/\(locale)/\(report).toml"),
          let table = try? TOMLTable(string: String(decoding: data, as: UTF8.self)),
          let title = table["title"]?.string else { return report }
    return title
}

func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

/// A small RFC 4180 reader for the CSV twins (UTF-8, quoted fields).
func readCSV(_ path: String) -> [[String]]? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, afterQuote = false
    var text = String(decoding: data, as: UTF8.self)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    for c in text.unicodeScalars {
        if quoted {
            if c == "\"" { quoted = false; afterQuote = true } else { field.unicodeScalars.append(c) }
            continue
        }
        switch c {
        case "\"": if afterQuote { field.append("\"") }; quoted = true; afterQuote = false
        case ",": row.append(field); field = ""; afterQuote = false
        case "\n": row.append(field); rows.append(row); row = []; field = ""; afterQuote = false
        case "\r": afterQuote = false
        default: field.unicodeScalars.append(c); afterQuote = false
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
