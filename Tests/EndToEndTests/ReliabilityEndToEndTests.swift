import Foundation
import XCTest

/// SPEC §5.2 under stress, on the built binary: a second run on a busy output folder, runs on two
/// folders at once, and an output folder that cannot be written or fills up, an input removed or
/// rewritten while a run reads it. Each failure must be one clear `run.failed` line with exit 3 (or 4
/// for the lock) and must leave the previous run's files exactly as they were.
///
/// A run is held at a known point with a FIFO as its orders file: the loader opens every input twice
/// (fingerprint, then parse), and each open of a FIFO waits for the test to open the other end. So the
/// test decides when each read starts and what it sees; nothing depends on timing.
final class ReliabilityEndToEndTests: XCTestCase {
    let day = "2026-10-31"

    // MARK: Concurrency

    func testASecondRunOnABusyFolderExits4WithinASecondNamingTheHolder() throws {
        let (inputs, fifo) = try fifoInputs()
        let out = try temporaryFolder()
        let first = try Started(["daily", "--date", day, "--inputs", inputs, "--out", out])
        let pass1 = try fifo.awaitReader(first)          // the first run holds the lock and waits in ingest

        let started = Date()
        let second = try Binary.run(["daily", "--date", day, "--inputs", fixture("daily"), "--out", out])
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(second.status, 4, second.stderr)
        XCTAssertLessThan(seconds, 1.0, "a busy folder is reported at once, not waited for")
        XCTAssertEqual(failureLines(second.stderr).count, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("pid \(first.pid) since"), "names the holder: \(second.stderr)")
        XCTAssertTrue(second.stderr.contains("aftersales daily --date \(day)"), "and what it runs: \(second.stderr)")

        try fifo.serveBothPasses(to: first, firstOpen: pass1, content: ordersFixture())
        let result = try first.wait()
        XCTAssertEqual(result.status, 1, "the holder finishes normally: \(result.stderr)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(day)/manifest.json"))
    }

    func testRunsOnDifferentFoldersProceedInParallel() throws {
        let (inputs, fifo) = try fifoInputs()
        let outA = try temporaryFolder(), outB = try temporaryFolder()
        let first = try Started(["daily", "--date", day, "--inputs", inputs, "--out", outA])
        let pass1 = try fifo.awaitReader(first)          // holds outA's lock until the test feeds it

        // A whole run on another folder completes while the first is still holding its own.
        let other = try Binary.run(["daily", "--date", day, "--inputs", fixture("daily"), "--out", outB])
        XCTAssertEqual(other.status, 1, other.stderr)
        XCTAssertTrue(first.isRunning, "the first run is still in its ingest")

        try fifo.serveBothPasses(to: first, firstOpen: pass1, content: ordersFixture())
        XCTAssertEqual(try first.wait().status, 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(outA)/\(day)/daily-orders-\(day).xlsx")),
                       try Data(contentsOf: URL(fileURLWithPath: "\(outB)/\(day)/daily-orders-\(day).xlsx")),
                       "same inputs, same bytes, whichever folder")
    }

    // MARK: Inputs changing under a run

    /// The orders file is unlinked after the fingerprinting pass opened it and before it has read a
    /// byte, so the parsing pass finds it gone: deterministic, no sleeps.
    func testAnInputRemovedMidRunIsFatalAndKeepsThePreviousFiles() throws {
        let out = try previousRun()
        let before = try sha256s(out)
        let (inputs, fifo) = try fifoInputs()
        let run = try Started(["daily", "--date", day, "--inputs", inputs, "--out", out, "--csv"])
        let pass1 = try fifo.awaitReader(run)
        XCTAssertEqual(unlink(fifo.path), 0)
        try fifo.serve(pass1, content: ordersFixture())
        let result = try run.wait()
        XCTAssertEqual(result.status, 3, result.stderr)
        try assertOneFailure(result.stderr, mentions: ["orders-2026-10.csv", "No such file or directory"])
        XCTAssertEqual(try sha256s(out), before, "the previous files are untouched")
    }

    /// Pass 1 sees the export, pass 2 sees it rewritten (one amount changed): the rows read would
    /// not be the bytes the manifest names, so the run stops.
    func testAnInputRewrittenBetweenItsTwoReadsIsFatal() throws {
        let out = try previousRun()
        let before = try sha256s(out)
        let (inputs, fifo) = try fifoInputs()
        let run = try Started(["daily", "--date", day, "--inputs", inputs, "--out", out])
        let original = try ordersFixture()
        let changed = Data(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "12.345", with: "12.346").utf8)
        XCTAssertNotEqual(original, changed)
        try fifo.serve(try fifo.awaitReader(run), content: original)
        try fifo.awaitClosed(by: run)
        try fifo.serve(try fifo.awaitReader(run), content: changed)
        let result = try run.wait()
        XCTAssertEqual(result.status, 3, result.stderr)
        try assertOneFailure(result.stderr, mentions: ["orders-2026-10.csv", "changed while being read"])
        XCTAssertEqual(try sha256s(out), before)
    }

    // MARK: Output folder faults (exit 3: the operator's to fix, nothing replaced)

    /// A file where the day's folder should be: works for any user (root ignores chmod).
    func testAFileWhereTheOutputFolderShouldBeExits3() throws {
        let out = try temporaryFolder()
        try Data("not a folder\n".utf8).write(to: URL(fileURLWithPath: "\(out)/\(day)"))
        let run = try Binary.run(["daily", "--date", day, "--inputs", fixture("daily"), "--out", out])
        XCTAssertEqual(run.status, 3, run.stderr)
        try assertOneFailure(run.stderr, mentions: ["\(out)/\(day)", "it is a file, not a folder"])
        XCTAssertEqual(try String(contentsOfFile: "\(out)/\(day)", encoding: .utf8), "not a folder\n")

        let file = try temporaryFolder() + "/out"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let whole = try Binary.run(["daily", "--date", day, "--inputs", fixture("daily"), "--out", file])
        XCTAssertEqual(whole.status, 3, whole.stderr)
        try assertOneFailure(whole.stderr, mentions: [file, "it is a file, not a folder"])
    }

    /// The day's folder, holding the previous run's files, bind-mounted read-only over itself: root
    /// cannot write there either (chmod would not stop root). Without --csv the workbook is the first
    /// file written (libxlsxwriter's path), with --csv a CSV twin (OutputSet's); the lock file, one
    /// level up, stays writable, so the run gets that far. The mount is direct where permitted, else
    /// in a user + mount namespace (`MountSpace`).
    func testAReadOnlyOutputFolderExits3AndKeepsThePreviousFiles() throws {
        let out = try previousRun()
        let before = try sha256s(out)
        let folder = "\(out)/\(day)"
        let space = try MountSpace()
        defer { space.close() }
        try space.mount(["--bind", folder, folder])
        try space.mount(["-o", "remount,ro,bind", folder])
        let inside = space.launcher(in: Binary.packageRoot.path)
        let write = try space.run("/bin/sh", ["-c", "echo x > \(folder)/probe"])
        XCTAssertTrue(write.stderr.contains("Read-only file system"), "the mount holds (\(space.route)): \(write.stderr)")

        let workbook = try Binary.run(["daily", "--date", day, "--inputs", fixture("daily"), "--out", out], launcher: inside)
        XCTAssertEqual(workbook.status, 3, workbook.stderr)
        try assertOneFailure(workbook.stderr, mentions: ["\(folder)/daily-orders-\(day).xlsx", "Read-only file system"])
        let twin = try Binary.run(["daily", "--date", day, "--inputs", fixture("daily"), "--out", out, "--csv"], launcher: inside)
        XCTAssertEqual(twin.status, 3, twin.stderr)
        try assertOneFailure(twin.stderr, mentions: ["\(folder)/csv/daily-orders/", "Read-only file system"])
        XCTAssertEqual(try sha256s(out, in: space), before)
    }

    /// A 1 MiB tmpfs as the output folder: the previous run fits, then a filler takes the rest. The
    /// tmpfs is mounted directly where permitted, else in a user + mount namespace (`MountSpace`), where
    /// only commands started in it see it: the runs, the checksums and the filler all go through it.
    func testAFullDiskExits3KeepsThePreviousFilesAndLeavesNoTemporaryFile() throws {
        let out = try temporaryFolder()
        let space = try MountSpace()
        defer { space.close() }
        try space.mount(["-t", "tmpfs", "-o", "size=1m", "tmpfs", out])
        let inside = space.launcher(in: Binary.packageRoot.path)
        let args = ["daily", "--date", day, "--inputs", fixture("daily"), "--out", out]
        XCTAssertEqual(try Binary.run(args + ["--csv"], launcher: inside).status, 1)
        let before = try sha256s(out, in: space)
        let filler = "\(out)/filler"
        let fill = try space.run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=4096"])
        XCTAssertTrue(fill.stderr.contains("No space left on device"), "the filler fills the tmpfs (\(space.route)): \(fill.stderr)")

        for extra in [["--csv"], []] {      // a CSV twin first, then (without --csv) the workbook first
            let run = try Binary.run(args + extra, launcher: inside)
            XCTAssertEqual(run.status, 3, run.stderr)
            try assertOneFailure(run.stderr, mentions: ["cannot write \(out)/\(day)/", "No space left on device"])
            XCTAssertEqual(try sha256s(out, in: space), before, "previous files intact, temporary files removed")
        }
        XCTAssertEqual(try space.run("/bin/rm", [filler]).status, 0)
        XCTAssertEqual(try Binary.run(args + ["--csv"], launcher: inside).status, 1, "room again: the run completes")
        // The run it replaced is kept as previous/ (hard links: no room needed) and nothing changed since.
        let after = try sha256s(out, in: space)
        XCTAssertEqual(after.filter { !$0.key.hasSuffix("manifest.json") && !$0.key.contains("/previous/") && !$0.key.hasSuffix("/changes.csv") },
                       before.filter { !$0.key.hasSuffix("manifest.json") }, "and writes the same bytes")
        XCTAssertEqual(after.filter { $0.key.contains("/previous/") }.count, before.count)
    }

    // MARK: Figures beyond the exact range (found by fuzzing: both runs trapped, exit 132)

    /// 92,234 order lines of 10^12 yuan each (every one within the per-number limit) on one day: the
    /// day's total leaves Int64 cents. The run fails in the reports stage with exit 3.
    func testDailyTotalsBeyondTheExactRangeExit3AndKeepThePreviousFiles() throws {
        let out = try previousRun()
        let before = try sha256s(out)
        let inputs = try temporaryFolder()
        for name in ["parts.csv", "dealers.csv"] {
            try FileManager.default.copyItem(atPath: fixture("daily") + "/" + name, toPath: inputs + "/" + name)
        }
        var orders = "order_no,line_no,order_date,dealer_id,part_no,qty,unit_price,status\n"
        for n in 1...92_234 { orders += "SO\(n),1,\(day),D01,P001,1,1000000000000,open\n" }
        try Data(orders.utf8).write(to: URL(fileURLWithPath: inputs + "/orders-2026-10.csv"))

        let run = try Binary.run(["daily", "--date", day, "--inputs", inputs, "--out", out])
        XCTAssertEqual(run.status, 3, run.stderr)
        try assertOneFailure(run.stderr, mentions: ["reports: the amount 92233000000000000.00 + 1000000000000.00",
                                                    "beyond the exact range"])
        XCTAssertEqual(try sha256s(out), before)
    }

    /// One PURCHASE of 10^12 units at 10^12 yuan: each number is accepted, their product is not a
    /// Money. The ledger stage fails with exit 3; 9e12 × 9e12 is rejected on read (exit 1).
    func testALedgerValueBeyondTheExactRangeExits3() throws {
        let inputs = try temporaryFolder()
        for name in ["parts.csv", "dealers.csv", "opening-2026-10.csv"] {
            try FileManager.default.copyItem(atPath: fixture("monthly") + "/" + name, toPath: inputs + "/" + name)
        }
        let header = "doc_no,line_no,doc_date,warehouse,part_no,move_type,qty,unit_cost,ref_no\n"
        let movements = inputs + "/movements-2026-10.csv"
        try Data((header + "PO1,1,2026-10-03,NEW,P001,PURCHASE,1000000000000,1000000000000,\n").utf8)
            .write(to: URL(fileURLWithPath: movements))
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2026-10", "--reports", "parts-movement", "--inputs", inputs, "--out", out])
        XCTAssertEqual(run.status, 3, run.stderr)
        try assertOneFailure(run.stderr, mentions: ["ledger: the amount 1000000000000 × 1000000000000.0000"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/2026-10"), "nothing written")

        try Data((header + "PO1,1,2026-10-03,NEW,P001,PURCHASE,9000000000000,9000000000000,\n").utf8)
            .write(to: URL(fileURLWithPath: movements))
        let rejected = try Binary.run(["monthly", "--month", "2026-10", "--reports", "parts-movement", "--inputs", inputs, "--out", out])
        XCTAssertEqual(rejected.status, 1, rejected.stderr)
        let rejects = try String(contentsOfFile: "\(out)/2026-10/rejects.csv", encoding: .utf8)
        XCTAssertTrue(rejects.contains(#"movements-2026-10.csv,2,qty,error,bad_number,"qty ""9000000000000"" is beyond the largest number accepted, 1,000,000,000,000""#),
                      rejects)
    }

    // MARK: Helpers

    /// A folder with the daily fixture's masters and a FIFO in place of its orders file.
    private func fifoInputs() throws -> (String, FIFO) {
        let inputs = try temporaryFolder()
        for name in ["parts.csv", "dealers.csv"] {
            try FileManager.default.copyItem(atPath: fixture("daily") + "/" + name, toPath: inputs + "/" + name)
        }
        return (inputs, try FIFO(path: inputs + "/orders-2026-10.csv"))
    }

    private func ordersFixture() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: fixture("daily") + "/orders-2026-10.csv"))
    }

    /// An output folder holding a complete run (with the CSV twin).
    private func previousRun() throws -> String {
        let out = try temporaryFolder()
        let run = try Binary.run(["daily", "--date", day, "--inputs", fixture("daily"), "--out", out, "--csv"])
        XCTAssertEqual(run.status, 1, run.stderr)
        return out
    }

    private func failureLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.contains(" run.failed ") }
    }

    /// Exactly one `run.failed` line, and it says what and why. (libxlsxwriter prints its own
    /// `[ERROR] workbook_close()` line before it when the workbook is what failed.)
    private func assertOneFailure(_ stderr: String, mentions: [String], line: UInt = #line) throws {
        let failures = failureLines(stderr)
        XCTAssertEqual(failures.count, 1, stderr, line: line)
        for text in mentions {
            XCTAssertTrue(failures.first?.contains(text) == true, "\(text) not in: \(stderr)", line: line)
        }
        XCTAssertTrue(failures.first?.contains("exit=3") == true, stderr, line: line)
    }
}

/// The binary started in the background (stdout and stderr to files), for tests that act while it runs.
final class Started {
    let process = Process()
    private let errFile: URL
    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    init(_ arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Binary.path) else {
            throw unmet("no aftersales binary at \(Binary.path): run `swift build` first (make test does)")
        }
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["LANG": "C.UTF-8"]) { $1 }
        process.currentDirectoryURL = Binary.packageRoot
        errFile = FileManager.default.temporaryDirectory.appendingPathComponent("aftersales-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: errFile)
    }

    func wait(timeout: TimeInterval = 60) throws -> Binary.Result {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return Binary.Result(status: process.terminationStatus, stdout: "",
                             stderr: String(decoding: try Data(contentsOf: errFile), as: UTF8.self))
    }
}

/// A named pipe standing in for an input file: every open by the binary waits for the test.
struct FIFO {
    struct Timeout: Error, CustomStringConvertible { let description: String }
    let path: String

    init(path: String) throws {
        guard mkfifo(path, 0o644) == 0 else { throw Timeout(description: "mkfifo \(path): \(String(cString: strerror(errno)))") }
        self.path = path
    }

    /// Waits until `run` has opened the FIFO for reading; returns the write end (blocking mode). The
    /// reader's open returns once this end is open, and its descriptor shows in /proc soon after: wait
    /// for that too, so that `awaitClosed` cannot mistake a read not yet begun for one that has ended.
    func awaitReader(_ run: Started, timeout: TimeInterval = 30) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && run.isRunning {
            let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
                while !isOpen(by: run) && Date() < deadline && run.isRunning { Thread.sleep(forTimeInterval: 0.001) }
                return fd
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        throw Timeout(description: "pid \(run.pid) never opened \(path) (running: \(run.isRunning))")
    }

    /// Whether a descriptor of `run` refers to the FIFO (the link reads `path`, or `path (deleted)`).
    func isOpen(by run: Started) -> Bool {
        let fds = "/proc/\(run.pid)/fd"
        return ((try? FileManager.default.contentsOfDirectory(atPath: fds)) ?? []).contains {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: fds + "/" + $0))?.hasPrefix(path) == true
        }
    }

    /// Writes `content` and closes: the reader sees it, then end of file.
    func serve(_ fd: Int32, content: Data) throws {
        defer { close(fd) }
        var offset = 0
        while offset < content.count {
            let n = content.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            guard n > 0 else { throw Timeout(description: "write to \(path): \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// Waits until no descriptor of `run` refers to the FIFO any more (its read has ended).
    func awaitClosed(by run: Started, timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && run.isRunning {
            if !isOpen(by: run) { return }
            Thread.sleep(forTimeInterval: 0.002)
        }
        if run.isRunning { throw Timeout(description: "pid \(run.pid) kept \(path) open") }
    }

    /// The same content to the loader's fingerprinting read (already opened as `firstOpen`) and to its parsing read.
    func serveBothPasses(to run: Started, firstOpen: Int32, content: Data) throws {
        try serve(firstOpen, content: content)
        try awaitClosed(by: run)
        try serve(try awaitReader(run), content: content)
    }
}
