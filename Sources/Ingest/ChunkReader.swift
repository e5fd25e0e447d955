import Glibc

/// Reads a file in 1 MiB chunks.
/// Public for the pipeline, which hashes the files it wrote the same way.
public enum ChunkReader {
    public static let chunkSize = 1 << 20

    /// Calls `body` with each chunk of `chunkSize` bytes (the last one shorter); returns the file's size
    /// in bytes. Read errors are thrown as `IngestError.unreadable` naming `name`; errors of `body` pass through.
    @discardableResult
    public static func forEachChunk(path: String, name: String, chunkSize: Int = chunkSize,
                                    _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IngestError.unreadable(file: name, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = read(fd, buffer.baseAddress, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError.unreadable(file: name, reason: String(cString: strerror(errno)))
            }
            if n == 0 { return total }
            total += n
            try body(UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
    }
}
