import Foundation
import XCTest

/// The built `aftersales` executable (`swift build` puts it in .build/debug; AFTERSALES_BIN overrides).
enum Binary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var path: String {
        if let custom = ProcessInfo.processInfo.environment["AFTERSALES_BIN"] { return custom }
        return packageRoot.appendingPathComponent(".build/debug/aftersales").path
    }

    /// `launcher` (e.g. `MountSpace.launcher(in:)`, an nsenter prefix) is started with the binary's
    /// path and `arguments` after it.
    static func run(_ arguments: [String], timeout: TimeInterval = 120, environment: [String: String] = [:],
                    launcher: [String] = []) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw unmet("no aftersales binary at \(path): run `swift build` first (make test does)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.first ?? path)
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["LANG": "C.UTF-8"]) { $1 }.merging(environment) { $1 }
        process.currentDirectoryURL = packageRoot
        // Output goes to files, so a chatty run never blocks on a full pipe.
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("aftersales-out-\(UUID().uuidString)")
        let errFile = outFile.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outFile); try? FileManager.default.removeItem(at: errFile) }
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let stdout = try Data(contentsOf: outFile), stderr = try Data(contentsOf: errFile)
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
}

func temporaryFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("aftersales-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// A written file's text.
func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

/// sha256 of every file under `folder` but the lock and the filler, by relative path (coreutils'
/// find and sha256sum, started where `space`'s mounts are seen).
func sha256s(_ folder: String, in space: MountSpace? = nil) throws -> [String: String] {
    let command = ["-c", "find . -type f ! -name .aftersales.lock ! -name filler -print0 | sort -z | xargs -0 -r sha256sum"]
    let result = try space?.run("/bin/sh", command, in: folder) ?? MountSpace.execute(["/bin/sh"] + command, in: folder)
    XCTAssertEqual(result.status, 0, result.stderr)
    var sums: [String: String] = [:]
    for line in result.stdout.split(separator: "\n") {
        let parts = line.split(separator: " ", maxSplits: 1)
        sums[String(parts[1].drop { $0 == " " || $0 == "*" }.dropFirst(2))] = String(parts[0])   // "./"
    }
    XCTAssertFalse(sums.isEmpty, "no files under \(folder)")
    return sums
}

/// A rerun on unchanged inputs (SPEC §5.2, §8.6), from snapshots of the two runs (path → bytes) taken
/// under the output folder or one period folder: every file of the first run has the same bytes again
/// (manifests aside), `previous/` of each period holds the first run, and changes.csv is its header alone.
/// - Parameter periods: the period folders the paths start with ("2026-10-31"); [""] when the paths are
///   relative to the period folder itself.
func assertUnchangedRerun(first: [String: Data], second: [String: Data], periods: [String] = [""], line: UInt = #line) {
    func inPeriod(_ period: String, _ name: String) -> String { period.isEmpty ? name : period + "/" + name }
    func previous(_ path: String) -> String {
        let period = periods.first { !$0.isEmpty && path.hasPrefix($0 + "/") } ?? ""
        return inPeriod(period, "previous/" + path.dropFirst(period.isEmpty ? 0 : period.count + 1))
    }
    let files = first.keys.filter { !$0.hasSuffix(".lock") }
    XCTAssertGreaterThan(files.count, 1, "a snapshot of nothing would compare nothing", line: line)
    XCTAssertEqual(Set(second.keys), Set(first.keys).union(files.map(previous)).union(periods.map { inPeriod($0, "changes.csv") }),
                   line: line)
    for path in files {
        if !path.hasSuffix("manifest.json") { XCTAssertEqual(second[path], first[path], "\(path) differs on a rerun", line: line) }
        XCTAssertEqual(second[previous(path)], first[path], "previous/ of \(path) is not the first run's", line: line)
    }
    for period in periods {
        XCTAssertEqual(second[inPeriod(period, "changes.csv")], Data("report,table,key,column,previous,current\n".utf8), line: line)
    }
}
