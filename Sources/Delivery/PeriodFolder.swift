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
            public let kind: String
            public let sha256: String
            public let read: Int
            public let accepted: Int
            public let warned: Int
            public let duplicate: Int
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
        output(named: "\(report)-\(manifest.period).xlsx")
    }

    /// The reports whose workbook the folder holds.
    public var reports: [String] {
        manifest.outputs.compactMap { output in
            let suffix = "-\(manifest.period).xlsx"
            let name = output.name(in: manifest.period)
            return name.hasSuffix(suffix) && !name.contains("/") ? String(name.dropLast(suffix.count)) : nil
        }
    }

    /// The output the manifest lists under `name` (a name inside the period folder).
    public func output(named name: String) -> Manifest.Output? {
        manifest.outputs.first { $0.name(in: manifest.period) == name }
    }

    /// The dealers' statements and their recipients (a monthly run with the receivables report); nil
    /// when the folder has none.
    public func statementRecipients() throws -> StatementRecipients? {
        let name = StatementRecipients.fileName(period: manifest.period)
        guard output(named: name) != nil else { return nil }
        let path = self.path + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else { throw DeliveryFailure("cannot read \(path)") }
        do { return try JSONDecoder().decode(StatementRecipients.self, from: data) } catch {
            throw DeliveryFailure("\(path) cannot be read (\(error)); rerun the month")
        }
    }

    /// What the message body shows for `report`: the inputs and the number of data issues from the
    /// manifest; the key figures (labelled as the overview sheet labels them, with previous, change %
    /// and ytd) and the exceptions per sheet from figures.json (SPEC §8.5). Whatever `--csv` was.
    public func keyFigures(_ report: String) -> KeyFigures {
        var figures = KeyFigures()
        figures.inputFiles = manifest.inputs.count
        figures.rowsRead = manifest.inputs.reduce(0) { $0 + $1.read }
        figures.rowsAccepted = manifest.inputs.reduce(0) { $0 + $1.accepted }
        figures.rowsWarned = manifest.inputs.reduce(0) { $0 + $1.warned }
        figures.rowsRejected = manifest.inputs.reduce(0) { $0 + $1.rejected }
        figures.dataIssues = manifest.issues
        guard let data = FileManager.default.contents(atPath: path + "/figures.json") else { return figures }
        guard let file = try? JSONDecoder().decode(PeriodFigures.self, from: data) else { return figures }
        if let overview = file.overviews?[report] {
            figures.comparedWith = overview.comparedWith
            figures.ytdCovers = overview.ytdCovers
            figures.figures = overview.metrics.map {
                KeyFigures.Figure(label: $0.label, current: $0.current, previous: $0.previous, changePct: $0.changePct, ytd: $0.ytd)
            }
            figures.exceptions = overview.sheets.compactMap { sheet in
                sheet.exceptions.map { KeyFigures.Exception(check: sheet.sheet, count: $0) }
            }
        } else if let values = file.reports[report] {
            // An older figures.json: metric ids and values only.
            figures.figures = values.sorted { $0.key < $1.key }.map { KeyFigures.Figure(label: $0.key, current: $0.value) }
        }
        return figures
    }
}

/// What a message says about its workbook (SPEC §8.5): key figures, exception counts, data issues.
public struct KeyFigures: Sendable, Equatable {
    /// A key figure as the overview sheet shows it: label, then exact decimal text (nil: blank).
    public struct Figure: Sendable, Equatable {
        public var label: String
        public var current: String?
        public var previous: String?
        public var changePct: String?
        public var ytd: String?
        public init(label: String, current: String?, previous: String? = nil, changePct: String? = nil, ytd: String? = nil) {
            self.label = label
            self.current = current
            self.previous = previous
            self.changePct = changePct
            self.ytd = ytd
        }
    }
    /// A sheet (table or check) of the workbook and its number of exceptions.
    public struct Exception: Sendable, Equatable {
        public var check: String
        public var count: Int
        public init(check: String, count: Int) {
            self.check = check
            self.count = count
        }
    }
    public var figures: [Figure] = []
    /// The period the previous column compares with.
    public var comparedWith: String?
    /// The months the ytd column sums.
    public var ytdCovers: String?
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
