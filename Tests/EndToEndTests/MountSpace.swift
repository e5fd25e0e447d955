import Foundation
import XCTest

/// The mounts a test needs (a read-only bind, a small tmpfs), made where this machine allows it:
///
/// - **direct**: `mount` in the test's own namespace, when the process may mount (root with
///   CAP_SYS_ADMIN, as in CI's container);
/// - **namespace**: otherwise, a user + mount namespace (`unshare --user --map-root-user --mount`)
///   held open by a `cat` waiting on a pipe; the mounts are made in it, and every command that must
///   see them (the binary, `sha256sum`, `dd`) is started in it with `nsenter`. Inside, the test's
///   uid is mapped to root, so the binary reads the same root-owned (or the user's own) files as
///   outside. Closing the pipe ends the namespace and its mounts with it.
///
/// When neither works the test throws `unmet(...)` (a failure in CI). `AFTERSALES_TEST_MOUNT=direct`
/// or `=namespace` forces one route (so the namespace route can be tried on a machine that could
/// mount directly); a forced route that does not work is unmet too.
final class MountSpace {
    enum Route: String { case direct, namespace }

    private(set) var route: Route = .direct
    private var holder: Process?
    private var holderInput: Pipe?
    private var mounted: [String] = []

    init() throws {
        let forced = ProcessInfo.processInfo.environment["AFTERSALES_TEST_MOUNT"].flatMap(Route.init(rawValue:))
        var reasons: [String] = []
        if forced != .namespace {
            if let why = MountSpace.directMountRefused() { reasons.append(why) } else { return }
        }
        if forced != .direct {
            do {
                try startNamespace()
                route = .namespace
                return
            } catch {
                reasons.append("\(error)")
            }
        }
        throw unmet("cannot mount here: " + reasons.joined(separator: "; "))
    }

    deinit { close() }

    /// Prefix for a command that must see the mounts, started with `directory` as working folder.
    /// (Not nsenter's --wd: it opens the folder before entering, i.e. the one under the mount.)
    func launcher(in directory: String) -> [String] {
        guard let holder else { return [] }
        return ["/usr/bin/nsenter", "--target", "\(holder.processIdentifier)", "--user", "--mount",
                "--preserve-credentials", "--", "/bin/sh", "-c", #"cd "$0" && exec "$@""#, directory]
    }

    /// `mount arguments…`; the last argument is the mount point, unmounted again by `close()`.
    func mount(_ arguments: [String]) throws {
        let result = try MountSpace.execute(launcher(in: "/") + ["/bin/mount"] + arguments)
        guard result.status == 0 else {
            // The route was probed: a refusal now is a real failure, not a missing precondition.
            throw MountFailure(description: "mount \(arguments.joined(separator: " ")) (\(route)): \(result.stderr)")
        }
        mounted.append(arguments.last!)
    }

    /// Runs `executable arguments…` where the mounts are seen.
    func run(_ executable: String, _ arguments: [String], in directory: String = "/") throws -> (status: Int32, stdout: String, stderr: String) {
        try MountSpace.execute(launcher(in: directory) + [executable] + arguments, in: directory)
    }

    /// Undoes the mounts: unmounts them (direct), or ends the namespace holding them.
    func close() {
        if route == .direct {
            for point in mounted.reversed() { _ = try? MountSpace.execute(["/bin/umount", point]) }
        }
        mounted = []
        if let holder, let holderInput {
            try? holderInput.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        holder = nil
        holderInput = nil
    }

    struct MountFailure: Error, CustomStringConvertible { let description: String }

    // MARK: Private

    /// nil when a 4 KiB tmpfs can be mounted (and unmounted) here; else why not.
    private static func directMountRefused() -> String? {
        let point = FileManager.default.temporaryDirectory.appendingPathComponent("aftersales-probe-\(UUID().uuidString)").path
        guard (try? FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: false)) != nil else {
            return "cannot create \(point)"
        }
        defer { try? FileManager.default.removeItem(atPath: point) }
        guard let result = try? execute(["/bin/mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", point]) else {
            return "no /bin/mount"
        }
        guard result.status == 0 else {
            return "mount is not permitted (needs CAP_SYS_ADMIN): \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        _ = try? execute(["/bin/umount", point])
        return nil
    }

    private func startNamespace() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--user", "--map-root-user", "--mount", "--propagation", "private",
                             "/bin/sh", "-c", "echo ready; exec cat >/dev/null"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // "ready" comes after the namespace exists and its uid map is written (unshare does both before exec).
        let ready = output.fileHandleForReading.availableData
        guard String(decoding: ready, as: UTF8.self).hasPrefix("ready") else {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            let why = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw MountFailure(description: "unshare --user --map-root-user --mount is not permitted: \(why.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        holder = process
        holderInput = input
        let probe = try MountSpace.execute(launcher(in: "/") + ["/bin/true"])
        guard probe.status == 0 else {
            close()
            throw MountFailure(description: "nsenter into the namespace failed: \(probe.stderr)")
        }
    }

    /// Runs a command to its end; output through files, so nothing blocks on a full pipe.
    static func execute(_ command: [String], in directory: String = "/") throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]) { $1 }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("aftersales-tool-\(UUID().uuidString)")
        let outFile = base.appendingPathExtension("out"), errFile = base.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outFile); try? FileManager.default.removeItem(at: errFile) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus,
                String(decoding: try Data(contentsOf: outFile), as: UTF8.self),
                String(decoding: try Data(contentsOf: errFile), as: UTF8.self))
    }
}
