import Config
import Core
import Foundation
import Synchronization

/// Reads the input folder into a `Dataset` (SPEC §2): files by kind, each kind's files in
/// code-point order of their names and concatenated, masters first so that unknown codes can
/// be warned about. Whole-file problems throw; row problems become issues.
public struct Loader: Sendable {
    public let directory: String
    public let config: Config
    /// The monthly run's month: movements dated before it are counted per file (`InputFile.beforePeriod`).
    public let period: Month?

    public init(directory: String, config: Config, period: Month? = nil) {
        self.directory = directory
        self.config = config
        self.period = period
    }

    /// The files of each kind in the folder, names in code-point order. Files matching no kind are ignored.
    public func discover() throws(IngestError) -> [InputKind: [String]] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw .unreadable(file: directory, reason: "the input folder cannot be listed (\(error.localizedDescription))")
        }
        var byKind: [InputKind: [String]] = [:]
        for name in names where name.hasSuffix(".csv") {
            if let kind = InputKind.of(fileName: name) { byKind[kind, default: []].append(name) }
        }
        for kind in byKind.keys { byKind[kind]!.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        return byKind
    }

    /// Reads the files of `kinds` plus every master kind present.
    public func load(_ kinds: Set<InputKind>) throws(IngestError) -> Dataset {
        let available = try discover()
        let wanted = InputKind.allCases.filter { $0.isMaster || kinds.contains($0) }
        let masters = wanted.filter(\.isMaster), others = wanted.filter { !$0.isMaster }
        var state = LoadState(config: config)
        // Pass 1: each file's sha256 and encoding, the files examined side by side (~2.5 s of hashing
        // at ten times a month), then registered in reading order, which decides which files repeat
        // an earlier one (and which failure is reported first). The masters' files are examined first:
        // they are parsed (on one core) while the other files are examined.
        func examine(_ named: [(kind: InputKind, name: String)], alongside parse: (@Sendable () -> Void)? = nil)
            -> [Result<FileFingerprint, IngestError>] {
            let examined = named.map { _ in Slot<Result<FileFingerprint, IngestError>>() }
            let first = parse == nil ? 0 : 1
            sideBySide(first + named.count) { [directory, config] n in
                if n < first { parse!(); return }
                let (kind, name) = named[n - first]
                examined[n - first].value = Result { () throws(IngestError) -> FileFingerprint in
                    try naming(name) { try FileFingerprint(path: directory + "/" + name, name: name, options: config.options(for: kind)) }
                }
            }
            return examined.map(\.value)
        }
        func register(_ named: [(kind: InputKind, name: String)], _ examined: [Result<FileFingerprint, IngestError>],
                      into files: inout [InputKind: [PlannedFile]]) throws(IngestError) {
            for ((kind, name), fingerprint) in zip(named, examined) {
                files[kind, default: []].append(state.register(try fingerprint.get(), path: directory + "/" + name, name: name, kind: kind))
            }
        }
        let named = { (kinds: [InputKind]) in kinds.flatMap { kind in (available[kind] ?? []).map { (kind: kind, name: $0) } } }
        let namedMasters = named(masters), namedOthers = named(others)
        var files: [InputKind: [PlannedFile]] = [:]
        try register(namedMasters, examine(namedMasters), into: &files)
        // Masters first, so rows of the other kinds can be checked against them.
        let mastersRead = Slot<Result<LoadState, IngestError>>(), mastersState = state, masterFiles = files
        let examinedOthers = examine(namedOthers) {
            mastersRead.value = Result { () throws(IngestError) -> LoadState in
                var read = mastersState
                for kind in masters {
                    try parseKind(masterFiles[kind] ?? [], into: &read)
                    read.finishKind(kind)
                }
                return read
            }
        }
        // A failure of pass 1 is reported before any of pass 2, as when the passes ran one after the other.
        for case .failure(let error) in examinedOthers { throw error }
        state = try mastersRead.take().get()
        try register(namedOthers, examinedOthers, into: &files)
        // The other kinds depend only on the masters: each is parsed by its own copy of the state, side
        // by side on the machine's cores, and added in kind order, so the dataset is the same as when
        // read one after the other.
        let base = state.forAnotherKind(), plans = files
        let results = Mutex<[InputKind: Result<LoadState, IngestError>]>([:])
        // The largest kinds first, so that the small ones fill in around them.
        let bytes = { (kind: InputKind) in (files[kind] ?? []).reduce(0) { $0 + base.dataset.files[Int($1.index)].bytes } }
        let largestFirst = others.sorted { bytes($0) > bytes($1) }
        sideBySide(largestFirst.count) { n in
            let kind = largestFirst[n]
            let result = Result { () throws(IngestError) -> LoadState in
                var sub = base
                try parseKind(plans[kind] ?? [], into: &sub)
                sub.finishKind(kind)
                return sub
            }
            results.withLock { $0[kind] = result }
        }
        for kind in others { state.absorb(try results.withLock { $0[kind]! }.get(), files: files[kind] ?? []) }
        if let period { state.dataset.countMovements(before: period) }
        return state.dataset
    }

    /// Parses the files of one kind in order, telling each how many bytes of the kind are still to come
    /// (so that the row array is sized once for the kind, not regrown and copied at every file).
    private func parseKind(_ files: [PlannedFile], into state: inout LoadState) throws(IngestError) {
        var bytesAfter = files.reduce(0) { $0 + state.dataset.files[Int($1.index)].bytes }
        for file in files {
            bytesAfter -= state.dataset.files[Int(file.index)].bytes
            try naming(file.name) { try state.parse(file, bytesAfter: bytesAfter) }
        }
    }

    /// Runs `body`, reporting any error that is not already an IngestError as one about `file`.
    private func naming<T>(_ file: String, _ body: () throws -> T) throws(IngestError) -> T {
        do { return try body() }
        catch let error as IngestError { throw error }
        catch { throw .unreadable(file: file, reason: "\(error)") }
    }
}
