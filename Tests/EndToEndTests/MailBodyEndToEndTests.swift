import Foundation
import TestSupport
import XCTest

/// The mail body of every report (SPEC §8.5) against the overview sheet of the workbook it carries:
/// the demo month's daily run of its last day and its monthly run, without `--csv`, then
/// `send --dry-run`; each .eml parsed back by Python's email package.
final class MailBodyEndToEndTests: XCTestCase {
    static let demoInputs = Binary.packageRoot.appendingPathComponent("inputs").path
    static let reports = ["daily-orders", "parts-movement", "reconciliation", "quality-feedback", "profit"]

    func testEveryBodyCarriesTheOverviewsLabelledFiguresExceptionsAndDataIssues() throws {
        let out = try temporaryFolder()
        for command in [["daily", "--date", "2026-10-31"], ["monthly", "--month", "2026-10"]] {
            let run = try Binary.run(command + ["--inputs", Self.demoInputs, "--out", out])
            XCTAssertEqual(run.status, 1, "\(command[0]): \(run.stderr)")   // the demo's deliberate bad rows
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/2026-10-31/csv"), "no --csv: the body does not need the twins")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/2026-10-31/figures.json"), "the daily run writes the mail's source")
        let config = out + "/aftersales.toml"
        try ("[delivery]\nsmtp_url = \"smtp://127.0.0.1:1\"\nfrom = \"aftersales@example.com\"\n"
             + Self.reports.map { "[delivery.reports.\($0)]\nto = [\"\($0)@example.com\"]\n" }.joined())
            .write(toFile: config, atomically: true, encoding: .utf8)

        var checked: [String] = []
        for (period, flag) in [("2026-10-31", "--date"), ("2026-10", "--month")] {
            let mails = out + "/mail-" + period
            let send = try Binary.run(["send", flag, period, "--out", out, "--inputs", Self.demoInputs, "--config", config, "--dry-run", mails])
            XCTAssertEqual(send.status, 0, send.stderr)
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/\(period)/manifest.json"))) as! [String: Any]
            let issues = try XCTUnwrap(manifest["issues"] as? Int)
            XCTAssertGreaterThan(issues, 0, "the demo month has data issues")
            for report in Self.reports where FileManager.default.fileExists(atPath: "\(out)/\(period)/\(report)-\(period).xlsx") {
                let (text, html) = try bodies(of: "\(mails)/\(report)-\(period).eml")
                let book = try XLSXReadBack(path: "\(out)/\(period)/\(report)-\(period).xlsx")
                try checkFigures(book: book, text: text, html: html, report: report)
                try checkExceptions(book: book, text: text, html: html, report: report)
                XCTAssertTrue(text.contains("数据问题：\(issues) 条"), "\(report): \(text)")
                XCTAssertTrue(html.contains("数据问题：\(issues) 条"), "\(report): \(html)")
                checked.append("\(report) \(period)")
            }
        }
        XCTAssertEqual(checked, ["daily-orders 2026-10-31"] + Self.reports.dropFirst().map { "\($0) 2026-10" })
    }

    /// Every key figure of the overview sheet (label in A, current in B, previous in C from row 7) is
    /// in the text body as "  label: current (previous, …)" and in the HTML table.
    func checkFigures(book: XLSXReadBack, text: String, html: String, report: String) throws {
        var row = 7, lines = 0
        while let label = book.cell(sheet: "概览", "A\(row)"), !label.isEmpty {
            defer { row += 1 }
            let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("  \(label): ") }, "\(report): \(label) not in \(text)")
            let shown = line.dropFirst(label.count + 4)
            let current = shown.prefix { $0 != " " }
            XCTAssertEqual(Double(current.replacingOccurrences(of: ",", with: "")), book.number(sheet: "概览", "B\(row)"), "\(report) \(label): \(line)")
            if let previous = book.number(sheet: "概览", "C\(row)") {
                // "(15,906.13, -51.01 %)": the previous value ends at ", ", ";" or ")".
                let inParens = String(shown.drop { $0 != "(" }.dropFirst()).components(separatedBy: ", ")[0].prefix { $0 != ";" && $0 != ")" }
                XCTAssertEqual(Double(inParens.replacingOccurrences(of: ",", with: "")), previous, "\(report) \(label) previous: \(line)")
            }
            XCTAssertTrue(html.contains("<tr><td>\(escaped(label))</td><td align=\"right\">\(current)</td>"), "\(report) \(label): \(html)")
            lines += 1
        }
        XCTAssertGreaterThan(lines, 0, "\(report): the overview has key figures")
    }

    /// Every sheet with an exception count on the overview (name in G, count in I from row 7) is in
    /// both bodies with that count.
    func checkExceptions(book: XLSXReadBack, text: String, html: String, report: String) throws {
        var row = 7, lines = 0
        while let sheet = book.cell(sheet: "概览", "G\(row)"), !sheet.isEmpty {
            defer { row += 1 }
            guard let count = book.cell(sheet: "概览", "I\(row)") else { continue }
            XCTAssertTrue(text.contains("\n  \(sheet): \(count)\n"), "\(report) \(sheet): \(text)")
            XCTAssertTrue(html.contains("<tr><td>\(escaped(sheet))</td><td align=\"right\">\(count)</td></tr>"), "\(report) \(sheet): \(html)")
            lines += 1
        }
        XCTAssertGreaterThan(lines, 0, "\(report): the overview lists exception counts (at least the Data issues sheet)")
    }

    func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The text/plain and text/html bodies, decoded by Python's email package.
    func bodies(of eml: String) throws -> (String, String) {
        let script = """
            import email, email.policy, json, sys
            m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
            print(json.dumps([m.get_body(('plain',)).get_content(), m.get_body(('html',)).get_content()]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, eml]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3 could not parse \(eml)")
        let parts = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String])
        return (parts[0], parts[1])
    }
}
