import Foundation
import Logging

/// One line per event on stderr (SPEC §5.2): `2026-10-31T23:10:04Z info ingest.file file=orders.csv read=120`.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        var line = "\(Self.timestamp()) \(event.level) \(event.message)"
        for key in merged.keys.sorted() { line += " \(key)=\(Self.quoted("\(merged[key]!)"))" }
        FileHandle.standardError.write(Data(((Self.onTerminal ? ProgressLine.clear : "") + line + "\n").utf8))
    }

    /// On a terminal an event first erases the progress line, so that it stands on a line of its own.
    private static let onTerminal = isatty(STDERR_FILENO) == 1

    static func quoted(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || value.isEmpty
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : value
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
