/// The process exit codes of SPEC §5.2.
public enum ExitStatus: Int32, Sendable {
    /// All reports written, nothing rejected.
    case ok = 0
    /// All reports written, but rows were rejected (see rejects.csv).
    case rowsRejected = 1
    /// Usage or config error.
    case usage = 2
    /// Fatal input error: nothing written.
    case fatalInput = 3
    /// Another run holds the lock on the output folder.
    case locked = 4
    /// An unexpected internal failure.
    case internalFailure = 5
    /// Reports written, not all delivered (SPEC §8.5): failed, uncertain or an incomplete folder.
    case notDelivered = 6
}

/// A failure that ends the run with a given exit status and one clear message.
public struct RunFailure: Error, CustomStringConvertible {
    public let status: ExitStatus
    public let description: String
    public init(_ status: ExitStatus, _ description: String) {
        self.status = status
        self.description = description
    }
}
