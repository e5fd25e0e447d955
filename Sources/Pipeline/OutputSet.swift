import Core
import Crypto
import Foundation
import Ingest
#if canImport(Glibc)
import Glibc
#endif

/// The files of one run, written beside their final names and renamed into place only when
/// all of them are complete (SPEC §5.2): a failed or killed run leaves the previous files intact.
///
/// A run ends with `flush()` (every file on disk and hashed) and `publish(record:bytes:replacing:)`:
/// the run it replaces is kept as `previous/`, the previous manifest is removed, the files are renamed
/// into place, and the new manifest is renamed in last. So a manifest under its final name always lists
/// exactly the files beside it (by sha256); a run killed during the few renames leaves no manifest, never
/// an old one beside new files, and the old run whole in `previous/`. Each step's directory is flushed
/// before the next, so this holds after a power cut too.
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
    /// How many of `staged` `flush()` has put on disk.
    private var flushed = 0

    public init(root: String) {
        self.root = root
        suffix = ".tmp-\(getpid())"
    }

    /// A temporary path for `relative` (creating its folder); the file is renamed into place by
    /// `publish(record:bytes:)` (or `commit()`).
    public func stage(_ relative: String) throws -> String {
        let final = root + "/" + relative
        try Self.makeFolder((final as NSString).deletingLastPathComponent)
        let temp = final + suffix
        staged.append((temp, final, relative))
        return temp
    }

    /// Writes `bytes` to a staged temporary file for `relative`.
    public func write(_ relative: String, bytes: [UInt8]) throws {
        let temp = try stage(relative)
        try writeFile(temp, bytes, final: root + "/" + relative)
    }

    /// Flushes every staged file to disk and hashes it; nothing is under its final name yet. Side by side:
    /// a month's 500 dealer statements each wait ~0.25 ms for their fsync.
    public func flush() throws -> [Written] {
        let files = staged
        let results = files.map { _ in Slot<Result<Written, RunFailure>>() }
        sideBySide(files.count) { n in
            let file = files[n]
            results[n].value = Result { () throws(RunFailure) -> Written in
                let (digest, bytes) = try Self.sha256(ofFile: file.temp)
                if let reason = Self.sync(file.temp) { throw RunFailure(.fatalInput, "cannot write \(file.final): \(reason); no file was replaced") }
                return Written(path: file.relative, sha256: digest, bytes: bytes)
            }
        }
        let written = try results.map { try $0.value.get() }
        flushed = staged.count
        return written
    }

    /// The size of a file and the sha256 of its bytes, read back in chunks of `chunkSize`: a month10
    /// workbook or rejects.csv is ~100 MB, and the run's peak memory is at its end.
    static func sha256(ofFile path: String, chunkSize: Int = ChunkReader.chunkSize) throws(RunFailure) -> (sha256: String, bytes: Int) {
        var hasher = SHA256()
        do {
            let bytes = try ChunkReader.forEachChunk(path: path, name: path, chunkSize: chunkSize) {
                hasher.update(bufferPointer: UnsafeRawBufferPointer($0))
            }
            return (hex(hasher.finalize()), bytes)
        } catch let IngestError.unreadable(_, reason) {
            throw RunFailure(.fatalInput, "cannot read back \(path): \(reason)")
        } catch {
            throw RunFailure(.fatalInput, "cannot read back \(path): \(error)")
        }
    }

    /// The run a publish replaces (SPEC §8.6): the files its manifest lists, as names inside `folder`
    /// (the period's folder, absolute), manifest.json included.
    public struct Replaced: Sendable {
        public let folder: String
        public let files: [String]
        /// Whether they stand in `folder` itself and are first kept as `previous/`; false when `previous/`
        /// already holds them (a run killed in its commit left the folder without a manifest).
        public let keep: Bool

        public init(folder: String, files: [String], keep: Bool) {
            (self.folder, self.files, self.keep) = (folder, files, keep)
        }
    }

    /// Moves the flushed files into place with `record` (the manifest, `bytes`) last; see the type's note.
    /// `replacing`: the complete run these files replace, kept as `previous/` first.
    ///
    /// Why a kill at any point leaves a complete run (the torture test kills at each step):
    /// 1. The replaced run's files are hard-linked into `previous.tmp-<pid>/` and its folders flushed:
    ///    the old run is untouched; a kill leaves a temporary folder for the next run to sweep.
    /// 2. An older `previous/` is renamed to `previous.old.tmp-<pid>`, then `previous.tmp-<pid>` to
    ///    `previous`, the folder flushed after each: between the two renames the old run stands complete
    ///    without a `previous/`; after them it stands complete with `previous/` a copy of itself.
    /// 3. Only now is the old manifest removed and the files renamed over the old ones: a rename
    ///    replaces a name, and the old inode lives on under `previous/` (a hard link, not a copy), so
    ///    from here on `previous/` holds the old run, complete, whatever happens at the top.
    /// 4. Files of the old run the new one does not write are removed (they are in `previous/`), so the
    ///    new manifest, renamed in last, lists exactly the files beside it.
    /// 5. The older generation is deleted; a kill leaves it as a temporary folder for the sweep.
    public func publish(record relative: String, bytes: [UInt8], replacing old: Replaced? = nil) throws {
        precondition(flushed == staged.count, "flush() every staged file before publish()")
        try write(relative, bytes: bytes)
        let record = staged[staged.count - 1], files = Array(staged.dropLast())
        if let reason = Self.sync(record.temp) { throw RunFailure(.fatalInput, "cannot write \(record.final): \(reason); no file was replaced") }
        let older = try old.flatMap { $0.keep ? try keepAsPrevious($0) : nil }
        if unlink(record.final) != 0 && errno != ENOENT {
            throw RunFailure(.fatalInput, "cannot replace \(record.final): \(String(cString: strerror(errno))); no file was replaced")
        }
        try syncFolders([record])
        try moveIntoPlace(files, note: "; the folder has no manifest.json until a run completes")
        try syncFolders(files)
        if let old { try removeUnwritten(old, written: Set(staged.map(\.final))) }
        try moveIntoPlace([record])
        try syncFolders([record])
        if let older { try? FileManager.default.removeItem(atPath: older) }
        staged.removeAll()
        flushed = 0
    }

    /// Steps 1 and 2 of `publish`: `old`'s files become `previous/`. Returns the older generation's
    /// temporary name when there was one.
    private func keepAsPrevious(_ old: Replaced) throws -> String? {
        let kept = old.folder + "/previous" + suffix, previous = old.folder + "/previous"
        var folders: Set<String> = [kept]
        for name in old.files {
            let from = old.folder + "/" + name, to = kept + "/" + name
            let folder = (to as NSString).deletingLastPathComponent
            try Self.makeFolder(folder)
            folders.insert(folder)
            if link(from, to) != 0 {
                throw RunFailure(.fatalInput, "cannot keep \(from) as \(to): \(String(cString: strerror(errno))); no file was replaced")
            }
        }
        for folder in folders.sorted().reversed() {
            if let reason = Self.sync(folder) { throw RunFailure(.fatalInput, "cannot flush the folder \(folder) to disk: \(reason)") }
        }
        var older: String?
        if FileManager.default.fileExists(atPath: previous) {
            older = old.folder + "/previous.old" + suffix
            try renameAndFlush(previous, to: older!)
        }
        try renameAndFlush(kept, to: previous)
        return older
    }

    /// Step 4 of `publish`: the files of `old` (kept in `previous/`) that this run did not write.
    private func removeUnwritten(_ old: Replaced, written: Set<String>) throws {
        var folders = Set<String>()
        for name in old.files where name != "manifest.json" && !written.contains(old.folder + "/" + name) {
            let path = old.folder + "/" + name
            if unlink(path) != 0 && errno != ENOENT {
                throw RunFailure(.fatalInput, "cannot remove \(path), which the new run does not write: \(String(cString: strerror(errno)))")
            }
            var folder = path
            repeat {
                folder = (folder as NSString).deletingLastPathComponent
                folders.insert(folder)
            } while folder.count > old.folder.count
        }
        // A folder left empty (csv/<report>/ of a run with --csv replaced by one without) goes too, deepest first.
        for folder in folders.sorted(by: { $0.count > $1.count }) where folder != old.folder { rmdir(folder) }
        for folder in folders.sorted() where FileManager.default.fileExists(atPath: folder) {
            if let reason = Self.sync(folder) { throw RunFailure(.fatalInput, "cannot flush the folder \(folder) to disk: \(reason)") }
        }
    }

    /// Flushes every staged file, then renames each into place. Returns what was written.
    public func commit() throws -> [Written] {
        let written = try flush()
        try moveIntoPlace(staged)
        try syncFolders(staged)
        staged.removeAll()
        flushed = 0
        return written
    }

    /// Removes the temporary files of a run that did not finish.
    public func discard() {
        for file in staged { unlink(file.temp) }
        staged.removeAll()
        flushed = 0
    }

    /// Deletes temporary files that a killed earlier run left under `folder` (we hold the lock,
    /// so no other run is writing them).
    /// A temporary folder (`previous.tmp-<pid>`, `previous.old.tmp-<pid>`: see `publish`) goes whole.
    public static func sweepStale(in folder: String) {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return }
        for case let relative as String in walker where relative.range(of: #"\.tmp-[0-9]+$"#, options: .regularExpression) != nil {
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeDirectory {
                walker.skipDescendants()
                try? FileManager.default.removeItem(atPath: folder + "/" + relative)
            } else {
                unlink(folder + "/" + relative)
            }
        }
    }

    /// Why files cannot be written beside `path`, when its folder or file system says so: read-only,
    /// not writable, or full (less than 1 MiB left after a write failed). Nil when the folder looks
    /// writable, so that a failure with another cause stays an internal one.
    public static func unwritableReason(beside path: String) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        var fs = statvfs()
        if statvfs(folder, &fs) == 0 {
            if fs.f_flag & UInt(ST_RDONLY) != 0 { return String(cString: strerror(EROFS)) }
            if UInt64(fs.f_bavail) * UInt64(fs.f_frsize) < 1 << 20 { return String(cString: strerror(ENOSPC)) }
        }
        return access(folder, W_OK) == 0 ? nil : String(cString: strerror(errno))
    }

    // MARK: System calls, each failure a one-line `RunFailure` naming the path and the system's reason

    private func moveIntoPlace(_ files: [(temp: String, final: String, relative: String)], note: String = "") throws {
        for file in files where rename(file.temp, file.final) != 0 {
            throw RunFailure(.fatalInput, "cannot move \(file.temp) into place: \(String(cString: strerror(errno)))\(note)")
        }
    }

    /// rename(2), then an fsync of the folder it happened in.
    private func renameAndFlush(_ from: String, to: String) throws {
        guard rename(from, to) == 0 else {
            throw RunFailure(.fatalInput, "cannot rename \(from) to \(to): \(String(cString: strerror(errno))); no file was replaced")
        }
        let folder = (to as NSString).deletingLastPathComponent
        if let reason = Self.sync(folder) { throw RunFailure(.fatalInput, "cannot flush the folder \(folder) to disk: \(reason)") }
    }

    /// fsync of every folder holding one of `files`, and of the folders between it and the root
    /// (a folder this run created is an entry in its parent).
    private func syncFolders(_ files: [(temp: String, final: String, relative: String)]) throws {
        var folders = Set<String>()
        for file in files {
            var folder = (file.final as NSString).deletingLastPathComponent
            while folders.insert(folder).inserted, folder.count > root.count, folder.hasPrefix(root) {
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        for folder in folders.sorted() {
            if let reason = Self.sync(folder) { throw RunFailure(.fatalInput, "cannot flush the folder \(folder) to disk: \(reason)") }
        }
    }

    private func writeFile(_ temp: String, _ bytes: [UInt8], final: String) throws {
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.cannotWrite(final) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.cannotWrite(final)
            }
            offset += n
        }
    }

    /// fsync of a file or folder; nil when done, else the system's reason.
    private static func sync(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        return fsync(fd) != 0 && errno != EINVAL ? String(cString: strerror(errno)) : nil
    }

    static func cannotWrite(_ final: String) -> RunFailure {
        RunFailure(.fatalInput, "cannot write \(final): \(String(cString: strerror(errno))); no file was replaced")
    }

    /// `mkdir -p` with the system's reason on failure (a file standing where a folder should be, a
    /// read-only or full file system).
    static func makeFolder(_ path: String) throws(RunFailure) {
        guard !path.isEmpty else { return }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw RunFailure(.fatalInput, "cannot write into \(path): it is a file, not a folder; no file was replaced")
            }
            return
        }
        try makeFolder((path as NSString).deletingLastPathComponent)
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw RunFailure(.fatalInput, "cannot create the folder \(path): \(String(cString: strerror(errno))); no file was replaced")
        }
    }
}

private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

func sha256Hex(_ data: Data) -> String {
    hex(SHA256.hash(data: data))
}

private func hex(_ digest: SHA256.Digest) -> String {
    digest.map { String(format: "%02x", $0) }.joined()
}
