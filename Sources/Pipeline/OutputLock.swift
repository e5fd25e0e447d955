import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on an output folder (SPEC §5.2: two runs on one folder never interleave).
/// It is a `flock` on `<out>/.aftersales.lock`, so the kernel drops it when the holder exits,
/// killed or not: a stale lock never blocks the next run. The file names the holder.
public final class OutputLock {
    public static let fileName = ".aftersales.lock"
    private let fd: Int32

    /// Takes the lock without waiting; a run that holds it already is a `.locked` failure naming it.
    public init(folder: String, holder: String) throws(RunFailure) {
        try OutputSet.makeFolder(folder)
        let path = folder + "/" + OutputLock.fileName
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RunFailure(.fatalInput, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let current = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw RunFailure(.locked, "another run holds the lock on \(folder): \(current?.isEmpty == false ? current! : "unknown holder") (\(path))")
        }
        let note = Array(holder.utf8)
        _ = ftruncate(fd, 0)
        _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
