import Foundation
import XCTest

/// A real SMTP server (aiosmtpd under Debian's /usr/bin/python3) on 127.0.0.1 and a free port,
/// started and stopped by the test; ready when it prints "READY <port>". Shared by DeliveryTests and
/// the binary's end-to-end tests (`smtp_server.py` beside this file).
public final class SMTPTestServer {
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_server.py").path
    public static let python = "/usr/bin/python3"

    public struct Received {
        public let mailFrom: String
        public let rcptTos: [String]
        public let tls: Bool
        public let authenticated: Bool
        public let message: ParsedMessage
    }

    public let port: Int
    public let directory: String
    private let process: Process

    /// `options`: the script's serve options (--cert, --key, --auth, faults).
    public init(_ options: [String] = []) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python),
              Self.run([Self.python, "-c", "import aiosmtpd"]).status == 0 else {
            throw XCTSkip("needs Debian's python3 with python3-aiosmtpd (make deps)")   // never silently: the suite counts skips
        }
        directory = try temporaryDirectory("smtp-received")
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.script, "serve", "--dir", directory] + options
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The readiness line, read byte by byte (no fixed sleep).
        var line = [UInt8]()
        let handle = output.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
            line.append(byte.first!)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
            process.terminate()
            throw NSError(domain: "SMTPTestServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(text)"])
        }
        self.port = port
    }

    public var url: String { "smtp://127.0.0.1:\(port)" }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// The messages accepted so far, in order.
    public func received() throws -> [Received] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { file in
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))) as! [String: Any]
            return Received(mailFrom: object["mail_from"] as! String, rcptTos: object["rcpt_tos"] as! [String],
                            tls: object["tls"] as! Bool, authenticated: object["authenticated"] as! Bool,
                            message: ParsedMessage(object["message"] as! [String: Any]))
        }
    }

    /// An .eml parsed by Python's email package (the `parse` mode of the script).
    public static func parse(eml path: String) throws -> ParsedMessage {
        let result = run([python, script, "parse", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return ParsedMessage(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any])
    }

    public static func run(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return (127, "", "\(error)") }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}

/// The parts of a message the tests check, as Python's email package read them.
public struct ParsedMessage {
    public struct Attachment {
        public let filename: String?
        public let contentType: String
        public let transferEncoding: String?
        public let sha256: String
        public let size: Int
    }
    public let subject: String
    public let from: String
    public let to: String
    public let cc: String
    public let messageID: String
    public let text: String?
    public let html: String?
    public let attachments: [Attachment]
    public let defects: [String]

    init(_ o: [String: Any]) {
        subject = o["subject"] as! String
        from = o["from"] as! String
        to = o["to"] as! String
        cc = o["cc"] as! String
        messageID = o["message_id"] as! String
        text = o["text"] as? String
        html = o["html"] as? String
        defects = o["defects"] as! [String]
        attachments = (o["attachments"] as! [[String: Any]]).map {
            Attachment(filename: $0["filename"] as? String, contentType: $0["content_type"] as! String,
                       transferEncoding: $0["transfer_encoding"] as? String, sha256: $0["sha256"] as! String, size: $0["size"] as! Int)
        }
    }
}

/// A test CA and a server certificate for 127.0.0.1 signed by it (openssl CLI).
public struct TestCertificates {
    public let caFile: String
    public let certFile: String
    public let keyFile: String

    public static func make() throws -> TestCertificates {
        let dir = try temporaryDirectory("smtp-tls")
        func openssl(_ arguments: [String]) throws {
            let result = SMTPTestServer.run(["/usr/bin/openssl"] + arguments)
            guard result.status == 0 else { throw NSError(domain: "openssl", code: Int(result.status), userInfo: [NSLocalizedDescriptionKey: result.stderr]) }
        }
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/ca.key", "-out", "\(dir)/ca.pem",
                     "-days", "2", "-subj", "/CN=aftersales test CA",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/server.key", "-out", "\(dir)/server.csr",
                     "-subj", "/CN=127.0.0.1"])
        try "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".write(toFile: "\(dir)/ext.cnf", atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", "\(dir)/server.csr", "-CA", "\(dir)/ca.pem", "-CAkey", "\(dir)/ca.key",
                     "-CAcreateserial", "-out", "\(dir)/server.pem", "-days", "2", "-extfile", "\(dir)/ext.cnf"])
        return TestCertificates(caFile: "\(dir)/ca.pem", certFile: "\(dir)/server.pem", keyFile: "\(dir)/server.key")
    }
}

public func temporaryDirectory(_ prefix: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("aftersales-\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}
