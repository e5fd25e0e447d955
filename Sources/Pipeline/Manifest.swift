import Foundation
import Ingest

/// `manifest.json` (SPEC §5.2): what was read, what became of every row, what was written.
public struct Manifest: Codable, Sendable {
    public struct Input: Codable, Sendable {
        public let file: String
        public let kind: String
        public let sha256: String
        public let bytes: Int
        public let encoding: String
        public let read: Int
        public let accepted: Int
        public let warned: Int
        public let duplicate: Int
        public let rejected: Int
        /// Movements files only (omitted for the other kinds): accepted rows dated before the month (SPEC §8.1).
        public let beforePeriod: Int?
        public let sameContentAs: String?
    }
    public struct Output: Codable, Sendable {
        public let file: String
        public let sha256: String
        public let bytes: Int
    }
    public struct Stage: Codable, Sendable {
        public let stage: String
        public let seconds: Double
        /// Rows the stage handled (rows read for ingest, table rows for reports and render).
        public let rows: Int
    }
    public struct Skipped: Codable, Sendable {
        public let report: String
        public let reason: String
    }

    public var tool = "aftersales"
    public var version: String
    public var command: String
    public var period: String
    public var startedAt: String
    public var configFile: String?
    public var configSha256: String
    public var inputs: [Input] = []
    public var outputs: [Output] = []
    public var reportsWritten: [String] = []
    public var reportsSkipped: [Skipped] = []
    public var stages: [Stage] = []
    public var issues: Int = 0
    public var exitCode: Int32 = 0

    /// `warnedLater`: the rows the reports warned about (see `RunIssues`).
    static func inputs(of dataset: Dataset, warnedLater: [RowRef]) -> [Input] {
        zip(dataset.files, dataset.rowCounts(warnedLater: warnedLater)).map { file, counts in
            Input(file: file.name, kind: file.kind.rawValue, sha256: file.sha256, bytes: file.bytes,
                  encoding: file.encoding.rawValue, read: counts.read, accepted: counts.accepted, warned: counts.warned,
                  duplicate: counts.duplicate, rejected: counts.rejected,
                  beforePeriod: file.kind == .movements ? file.beforePeriod : nil, sameContentAs: file.sameContentAs)
        }
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}
