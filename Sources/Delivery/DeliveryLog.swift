import Foundation

/// `<out>/<period>/deliveries.json` (SPEC §8.5): per report and recipient, the workbook version
/// (sha256) last mailed and what became of it. Written atomically at every state change.
public struct DeliveryLog: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Written before the transaction starts: a process killed during it leaves this.
        case pending
        /// The server replied 250 to the message data.
        case sent
        /// The connection dropped after DATA and before the reply: not re-sent without --resend.
        case uncertain
        case failed
    }

    public struct Record: Codable, Sendable, Equatable {
        public var report: String
        public var recipient: String
        public var file: String
        public var sha256: String
        public var messageId: String
        public var state: State
        public var reply: String
        /// Sent as a correction of an earlier version (subject marked 更正 / Corrected).
        public var correction: Bool
        public var attempts: Int
        public var updatedAt: String
    }

    public var period: String
    public var deliveries: [Record] = []

    public init(period: String) { self.period = period }

    public static let fileName = "deliveries.json"

    public func record(report: String, recipient: String) -> Record? {
        deliveries.first { $0.report == report && $0.recipient.lowercased() == recipient.lowercased() }
    }

    public mutating func set(_ record: Record) {
        if let index = deliveries.firstIndex(where: { $0.report == record.report && $0.recipient.lowercased() == record.recipient.lowercased() }) {
            deliveries[index] = record
        } else {
            deliveries.append(record)
        }
        deliveries.sort { ($0.report, $0.recipient) < ($1.report, $1.recipient) }
    }

    /// The folder's log, or an empty one when there is none yet.
    public static func load(folder: String) throws -> DeliveryLog {
        let path = folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return DeliveryLog(period: URL(fileURLWithPath: folder).lastPathComponent) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(DeliveryLog.self, from: data) } catch {
            throw DeliveryFailure("\(path) cannot be read (\(error)); move it aside to start the period's delivery record afresh")
        }
    }

    /// Writes beside as `deliveries.json.tmp-<pid>`, fsyncs it, renames it into place and fsyncs the folder.
    public func save(folder: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let bytes = Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
        let path = folder + "/" + Self.fileName, temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DeliveryFailure("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw DeliveryFailure("cannot write \(temporary): \(reason)")
            }
            written += n
        }
        guard fsync(fd) == 0, close(fd) == 0 else {
            unlink(temporary)
            throw DeliveryFailure("cannot flush \(temporary): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw DeliveryFailure("cannot rename \(temporary) to \(path): \(reason)")
        }
        let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }
}

/// A delivery that cannot start or go on (incomplete folder, unreadable record, bad setting).
public struct DeliveryFailure: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
