import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of one run, written beside their final names and renamed into place only when
/// all of them are complete (SPEC §5.2): a failed or killed run leaves the previous files intact.
public final class OutputSet {
    public struct Written: Sendable, Equatable {
        /// Path relative to the output folder.
        public let path: String
        public let sha256: String
        public let bytes: Int
    }

    public let root: String
    private let suffix: String
    private var staged: [(temp: String, final: String, relative: String)] = []

    public init(root: String) {
        self.root = root
        suffix = ".tmp-\(getpid())"
    }

    /// A temporary path for `relative` (creating its folder); the file is renamed on `commit()`.
    public func stage(_ relative: String) throws -> String {
        let final = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (final as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let temp = final + suffix
        staged.append((temp, final, relative))
        return temp
    }

    /// Writes `bytes` to a staged temporary file for `relative`.
    public func write(_ relative: String, bytes: [UInt8]) throws {
        let temp = try stage(relative)
        guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)) else {
            throw RunFailure(.fatalInput, "cannot write \(temp): \(String(cString: strerror(errno)))")
        }
    }

    /// Flushes every staged file to disk, then renames each into place. Returns what was written.
    public func commit() throws -> [Written] {
        var written: [Written] = []
        for file in staged {
            let contents = try Data(contentsOf: URL(fileURLWithPath: file.temp))
            try sync(file.temp)
            written.append(Written(path: file.relative, sha256: sha256Hex(contents), bytes: contents.count))
        }
        for file in staged where rename(file.temp, file.final) != 0 {
            throw RunFailure(.fatalInput, "cannot move \(file.temp) into place: \(String(cString: strerror(errno)))")
        }
        for folder in Set(staged.map { ($0.final as NSString).deletingLastPathComponent }) { try? sync(folder) }
        staged.removeAll()
        return written
    }

    /// Removes the temporary files of a run that did not finish.
    public func discard() {
        for file in staged { unlink(file.temp) }
        staged.removeAll()
    }

    /// Deletes temporary files that a killed earlier run left under `folder` (we hold the lock,
    /// so no other run is writing them).
    public static func sweepStale(in folder: String) {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return }
        for case let relative as String in walker where relative.range(of: #"\.tmp-[0-9]+$"#, options: .regularExpression) != nil {
            unlink(folder + "/" + relative)
        }
    }

    private func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw RunFailure(.fatalInput, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL {
            throw RunFailure(.fatalInput, "cannot flush \(path) to disk: \(String(cString: strerror(errno)))")
        }
    }
}

func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
