import Foundation
@testable import Pipeline
import XCTest

final class OutputSetTests: XCTestCase {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("outputs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func testNothingAppearsUnderFinalNamesBeforeCommit() throws {
        let root = try folder()
        try "old".write(toFile: root + "/a.csv", atomically: true, encoding: .utf8)
        let outputs = OutputSet(root: root)
        try outputs.write("a.csv", bytes: Array("new".utf8))
        try outputs.write("sub/b.csv", bytes: Array("b".utf8))
        XCTAssertEqual(try String(contentsOfFile: root + "/a.csv", encoding: .utf8), "old", "previous file intact until commit")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/sub/b.csv"))
        let written = try outputs.commit()
        XCTAssertEqual(try String(contentsOfFile: root + "/a.csv", encoding: .utf8), "new")
        XCTAssertEqual(written.map(\.path), ["a.csv", "sub/b.csv"])
        // sha256("new")
        XCTAssertEqual(written[0].sha256, "11507a0e2f5e69d5dfa40a62a1bd7b6ee57e6bcd85c67c9b8431b36fff21c437")
        XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.contains(".tmp-") }, [])
    }

    /// flush() hashes each file read back in 1 MiB chunks: over several chunks and a partial last
    /// one, the digest and size are those of the bytes written, whole.
    func testFlushHashesAFileOfManyChunksAsItsWholeBytes() throws {
        let root = try folder()
        let sizes = [0, 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 12_345]
        // Bytes that differ from chunk to chunk (a chunk dropped, repeated or misplaced changes the digest).
        let contents = sizes.enumerated().map { n, size in (0..<size).map { UInt8(truncatingIfNeeded: ($0 &+ n) &* 2_654_435_761 >> 11) } }
        let outputs = OutputSet(root: root)
        for (i, bytes) in contents.enumerated() { try outputs.write("f\(i).bin", bytes: bytes) }
        let written = try outputs.flush()
        XCTAssertEqual(written.map(\.bytes), sizes)
        // Expected digests from coreutils' sha256sum, not from sha256Hex (the code's own hashing and hex).
        XCTAssertEqual(written.map(\.sha256), try contents.map { try coreutilsSHA256($0) })
        XCTAssertEqual(written[0].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256 of nothing")
        // Smaller chunks than the file, the last one partial: the same digest.
        let path = root + "/f4.bin.tmp-\(getpid())"
        for chunk in [7, 4096, 1 << 16] {
            let (digest, bytes) = try OutputSet.sha256(ofFile: path, chunkSize: chunk)
            XCTAssertEqual(digest, written[4].sha256, "chunk \(chunk)")
            XCTAssertEqual(bytes, sizes[4])
        }
        outputs.discard()
    }

    func testAFileThatCannotBeReadBackFailsTheFlushNamingIt() throws {
        let root = try folder()
        let outputs = OutputSet(root: root)
        try outputs.write("a.csv", bytes: [1, 2, 3])
        let temp = root + "/a.csv.tmp-\(getpid())"
        XCTAssertEqual(unlink(temp), 0)
        XCTAssertThrowsError(try outputs.flush()) { error in
            let failure = error as! RunFailure
            XCTAssertEqual(failure.status, .fatalInput)
            XCTAssertEqual(failure.description, "cannot read back \(temp): No such file or directory")
        }
        outputs.discard()
    }

    func testDiscardAndStaleSweepLeaveNoTemporaryFiles() throws {
        let root = try folder()
        let outputs = OutputSet(root: root)
        try outputs.write("a.csv", bytes: [1])
        outputs.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root), [])
        try "x".write(toFile: root + "/b.xlsx.tmp-12345", atomically: false, encoding: .utf8)
        try "keep".write(toFile: root + "/b.xlsx", atomically: false, encoding: .utf8)
        OutputSet.sweepStale(in: root)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root), ["b.xlsx"])
    }

    /// A temporary folder a run killed while keeping `previous/` left goes whole; `previous/` stays.
    func testTheSweepRemovesTemporaryFoldersWhole() throws {
        let root = try folder()
        for path in ["previous.tmp-4242/csv/profit", "previous.old.tmp-4242", "previous"] {
            try FileManager.default.createDirectory(atPath: root + "/" + path, withIntermediateDirectories: true)
        }
        try "x".write(toFile: root + "/previous.tmp-4242/csv/profit/summary.csv", atomically: false, encoding: .utf8)
        try "y".write(toFile: root + "/previous.old.tmp-4242/profit-2026-10.xlsx", atomically: false, encoding: .utf8)
        try "z".write(toFile: root + "/previous/manifest.json", atomically: false, encoding: .utf8)
        OutputSet.sweepStale(in: root)
        XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: root).sorted(), ["previous", "previous/manifest.json"])
    }

    /// publish replacing a run: that run's files (by the list given) become previous/ (the older
    /// previous/ goes), the new files and manifest take their places, an old file the new run does not
    /// write is removed (its emptied folder too), and a file the old manifest did not list stays.
    func testPublishKeepsTheReplacedRunAsPreviousAndRemovesWhatTheNewRunDoesNotWrite() throws {
        let root = try folder(), period = root + "/2026-10"
        let files = [("manifest.json", "m1"), ("a.csv", "a1"), ("csv/profit/summary.csv", "s1"), ("previous/manifest.json", "m0"),
                     ("previous/a.csv", "a0"), ("deliveries.json", "d")]
        for (name, text) in files {
            try FileManager.default.createDirectory(atPath: ((period + "/" + name) as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: period + "/" + name, atomically: false, encoding: .utf8)
        }
        let outputs = OutputSet(root: root)
        try outputs.write("2026-10/a.csv", bytes: Array("a2".utf8))
        try outputs.write("2026-10/b.csv", bytes: Array("b2".utf8))
        _ = try outputs.flush()
        try outputs.publish(record: "2026-10/manifest.json", bytes: Array("m2".utf8),
                            replacing: OutputSet.Replaced(folder: period, files: ["a.csv", "csv/profit/summary.csv", "manifest.json"], keep: true))
        var found: [String: String] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: period) {
            var folder: ObjCBool = false
            if FileManager.default.fileExists(atPath: period + "/" + path, isDirectory: &folder), !folder.boolValue {
                found[path] = try String(contentsOfFile: period + "/" + path, encoding: .utf8)
            }
        }
        XCTAssertEqual(found, ["manifest.json": "m2", "a.csv": "a2", "b.csv": "b2", "deliveries.json": "d",
                               "previous/manifest.json": "m1", "previous/a.csv": "a1", "previous/csv/profit/summary.csv": "s1"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: period + "/csv"), "the emptied csv/ folders go")
    }

    /// Replacing a run that a killed commit left in previous/ (keep false): previous/ stays as it is.
    func testPublishOverAKilledCommitLeavesPreviousAsItIs() throws {
        let root = try folder(), period = root + "/2026-10"
        try FileManager.default.createDirectory(atPath: period + "/previous", withIntermediateDirectories: true)
        for (name, text) in [("previous/manifest.json", "m1"), ("previous/a.csv", "a1"), ("previous/c.csv", "c1"),
                             ("a.csv", "a-half"), ("c.csv", "c1")] {
            try text.write(toFile: period + "/" + name, atomically: false, encoding: .utf8)
        }
        let outputs = OutputSet(root: root)
        try outputs.write("2026-10/a.csv", bytes: Array("a2".utf8))
        _ = try outputs.flush()
        try outputs.publish(record: "2026-10/manifest.json", bytes: Array("m2".utf8),
                            replacing: OutputSet.Replaced(folder: period, files: ["a.csv", "c.csv", "manifest.json"], keep: false))
        XCTAssertEqual(try FileManager.default.subpathsOfDirectory(atPath: period).sorted(),
                       ["a.csv", "manifest.json", "previous", "previous/a.csv", "previous/c.csv", "previous/manifest.json"])
        XCTAssertEqual(try String(contentsOfFile: period + "/previous/a.csv", encoding: .utf8), "a1")
    }

    func testASecondLockOnTheSameFolderFailsWithTheHolder() throws {
        let root = try folder()
        let first = try OutputLock(folder: root, holder: "pid 1: daily\n")
        XCTAssertThrowsError(try OutputLock(folder: root, holder: "pid 2: daily\n")) { error in
            let failure = error as! RunFailure
            XCTAssertEqual(failure.status, .locked)
            XCTAssertTrue(failure.description.contains("pid 1: daily"), failure.description)
        }
        withExtendedLifetime(first) {}
        _ = try OutputLock(folder: try folder(), holder: "another folder is independent")
    }
}

final class ManifestTests: XCTestCase {
    func testSnakeCaseSortedKeys() throws {
        var manifest = Manifest(version: "1", command: "daily --date 2026-10-31", period: "2026-10-31", startedAt: "t",
                                configFile: nil, configSha256: "abc")
        manifest.exitCode = 1
        let text = String(decoding: try manifest.encoded(), as: UTF8.self)
        XCTAssertTrue(text.contains("\"config_sha256\" : \"abc\""))
        XCTAssertTrue(text.contains("\"exit_code\" : 1"))
        XCTAssertLessThan(text.range(of: "\"command\"")!.lowerBound, text.range(of: "\"version\"")!.lowerBound)
    }
}

/// The digest of `bytes` by coreutils' `sha256sum` (fed on stdin): an oracle independent of the code's
/// swift-crypto call and hex formatting.
private func coreutilsSHA256(_ bytes: [UInt8]) throws -> String {
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("sha-in-\(UUID().uuidString)")
    try Data(bytes).write(to: input)
    defer { try? FileManager.default.removeItem(at: input) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.standardInput = try FileHandle(forReadingFrom: input)
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0)
    return String(text.prefix { $0 != " " })
}
