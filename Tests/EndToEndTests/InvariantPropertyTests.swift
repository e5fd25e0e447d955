import Foundation
import TestSupport
import XCTest

/// Invariants that must hold for any input set, checked end to end on small random ones: the built
/// binary runs `monthly --csv` and `daily --csv` (twice each) on a folder written by a seeded
/// generator, and the outputs are checked against each other and against what was generated:
///
/// - every row read is accounted for once: per input file the manifest's read equals the data rows
///   written and accepted + warned + duplicate + rejected; rejects.csv and duplicates.csv name the
///   same rows;
/// - every workbook table foots: each totals cell (SUBTOTAL) carries the sum of the rows above it;
/// - every parts-movement row closes: closing = opening + receipts − issues (qty and value), the
///   receipts and issues are the sums of their movement types, and closing-balances holds the same;
/// - the CSV twin and the workbook hold the same rows of numbers (dates as serial days, codes and
///   labels aside; the reconciliation's issue sheets leave the matched pairs out);
/// - a rerun writes the same bytes.
///
/// The seeds are fixed (a failure names its seed); `AFTERSALES_PROPERTY_CASES=N` runs N seeds.
final class InvariantPropertyTests: XCTestCase {
    /// What was checked, so that a check that silently matched nothing shows.
    var totalsChecked = 0, rowsCompared = 0, movementRows = 0, rejectedRows = 0, duplicateRows = 0

    func testInvariantsHoldOnRandomInputSets() throws {
        let cases = ProcessInfo.processInfo.environment["AFTERSALES_PROPERTY_CASES"].flatMap(Int.init) ?? 5
        for seed in 1...UInt64(cases) {
            try check(seed: seed)
        }
        print("invariants: \(cases) input sets, \(totalsChecked) totals footed, \(rowsCompared) rows CSV = workbook, "
              + "\(movementRows) movement rows closed, \(rejectedRows) rejected and \(duplicateRows) duplicate rows accounted for")
        XCTAssertGreaterThan(totalsChecked, 0)
        XCTAssertGreaterThan(rowsCompared, 0)
        XCTAssertGreaterThan(movementRows, 0)
        XCTAssertGreaterThan(rejectedRows, 0, "the seeds include bad rows")
        XCTAssertGreaterThan(duplicateRows, 0, "and exact duplicates")
    }

    func check(seed: UInt64) throws {
        let inputs = try temporaryFolder(), out = try temporaryFolder()
        let set = RandomInputSet(seed: seed)
        for (name, text) in set.files { try Data(text.utf8).write(to: URL(fileURLWithPath: "\(inputs)/\(name)")) }
        let context = "seed \(seed)"

        for (command, period) in [(["monthly", "--month", "2026-10"], "2026-10"), (["daily", "--date", "2026-10-31"], "2026-10-31")] {
            let args = command + ["--inputs", inputs, "--out", out, "--csv"]
            let first = try Binary.run(args)
            XCTAssertTrue([0, 1].contains(first.status), "\(context) \(command[0]): \(first.stderr)")
            guard [0, 1].contains(first.status) else { continue }
            let folder = "\(out)/\(period)"
            let written = try files(folder)

            try checkAccounting(folder, set: set, status: first.status, context: "\(context) \(command[0])",
                                everyFile: command[0] == "monthly")
            for name in written.keys where name.hasSuffix(".xlsx") {
                let book = try XLSXReadBack(path: "\(folder)/\(name)")
                try checkFooting(book, context: "\(context) \(name)")
                // A dealer's 对账单 has no twin of its own: its rows are in receivables/statement.csv.
                guard !name.hasPrefix("statements/") else { continue }
                let report = String(name.dropLast(".xlsx".count + period.count + 1))
                try checkTwin(book, csvFolder: "\(folder)/csv/\(report)", context: "\(context) \(name)")
            }
            if command[0] == "monthly" {
                try checkMovement(folder, context: context)
                try checkStatements(folder, written: written, context: context)
            }

            let again = try Binary.run(args)
            XCTAssertEqual(again.status, first.status, context)
            // ... and keeps the first run as previous/, with nothing changed since (SPEC §8.6).
            assertUnchangedRerun(first: written, second: try files(folder))
        }
    }

    // MARK: Row accounting

    func checkAccounting(_ folder: String, set: RandomInputSet, status: Int32, context: String, everyFile: Bool) throws {
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/manifest.json"))) as! [String: Any]
        let inputs = manifest["inputs"] as! [[String: Any]]
        if everyFile { XCTAssertEqual(Set(inputs.map { $0["file"] as! String }), Set(set.files.keys), "\(context): every file read") }
        let rejects = try CSVText.rows(String(contentsOfFile: "\(folder)/rejects.csv", encoding: .utf8)).dropFirst()
        let duplicates = try CSVText.rows(String(contentsOfFile: "\(folder)/duplicates.csv", encoding: .utf8)).dropFirst()
        XCTAssertEqual(manifest["issues"] as? Int, rejects.count, context)
        var rejectedTotal = 0
        for input in inputs {
            let file = input["file"] as! String
            let count = { (key: String) in input[key] as! Int }
            XCTAssertEqual(count("read"), count("accepted") + count("warned") + count("duplicate") + count("rejected"), "\(context) \(file)")
            XCTAssertGreaterThanOrEqual(count("accepted"), 0, "\(context) \(file)")
            XCTAssertEqual(count("read"), set.dataRows[file], "\(context) \(file): rows read = data rows written")
            let rejectedLines = Set(rejects.filter { $0[0] == file && $0[3] == "error" }.map { $0[1] })
            let warnedLines = Set(rejects.filter { $0[0] == file && $0[3] == "warning" && $0[1] != "0" }.map { $0[1] })
            XCTAssertEqual(count("rejected"), rejectedLines.count, "\(context) \(file): rejected rows in rejects.csv")
            XCTAssertEqual(count("warned"), warnedLines.subtracting(rejectedLines).count, "\(context) \(file): warned rows in rejects.csv")
            XCTAssertEqual(count("duplicate"), duplicates.filter { $0[0] == file }.count, "\(context) \(file): duplicates.csv")
            rejectedTotal += count("rejected")
            rejectedRows += count("rejected")
            duplicateRows += count("duplicate")
        }
        XCTAssertEqual(status, rejectedTotal > 0 ? 1 : 0, "\(context): exit 1 exactly when rows were rejected")
    }

    // MARK: Footing

    static let subtotal = try! NSRegularExpression(
        pattern: #"<c r="([A-Z]+)([0-9]+)"[^>]*><f>SUBTOTAL\(9,([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)\)</f><v>([^<]*)</v></c>"#)

    func checkFooting(_ book: XLSXReadBack, context: String) throws {
        for sheet in book.sheetNames {
            let xml = try book.xml(ofSheet: sheet)
            let rows = book.rows(sheet: sheet)
            for match in Self.subtotal.matches(in: xml, range: NSRange(xml.startIndex..., in: xml)) {
                let group = { (i: Int) in String(xml[Range(match.range(at: i), in: xml)!]) }
                let (column, totalsRow, first, last) = (group(1), Int(group(2))!, Int(group(4))!, Int(group(6))!)
                let place = "\(context) \(sheet)!\(column)\(totalsRow)"
                XCTAssertEqual([group(3), group(5)], [column, column], place)
                XCTAssertEqual(first, 4, "\(place): the total starts at the first data row")
                XCTAssertEqual(last, totalsRow - 1, "\(place): and ends right above the totals row")
                XCTAssertEqual(rows.count, totalsRow, "\(place): nothing below the totals row")
                XCTAssertEqual(book.cell(sheet: sheet, "A\(totalsRow)"), "合计", place)
                let sum = (first...last).reduce(0.0) { $0 + (book.number(sheet: sheet, "\(column)\($1)") ?? 0) }
                XCTAssertEqual(Double(group(7))!, sum, accuracy: 0.0005, "\(place): total = sum of the rows")
                totalsChecked += 1
            }
        }
    }

    // MARK: CSV twin ↔ workbook

    /// Each report's CSV tables against its sheets, as multisets of rows reduced to their numbers
    /// (text is a placeholder: codes are canonical in the CSV and labels in the workbook).
    func checkTwin(_ book: XLSXReadBack, csvFolder: String, context: String) throws {
        // The overview sheet and overview.csv lay the key figures out differently (checks, inputs): left out.
        // The receivables' statements are the dealers' own workbooks, not a sheet (SPEC §8.4).
        let statements = csvFolder.hasSuffix("/receivables") ? "statement.csv" : ""
        let tables = try FileManager.default.contentsOfDirectory(atPath: csvFolder)
            .filter { $0.hasSuffix(".csv") && $0 != "overview.csv" && $0 != statements }
        var csvRows: [String: Int] = [:]
        for table in tables {
            // The reconciliation's issue sheets list only the pairs not matched (SPEC §8.3).
            let unmatchedOnly = ["order_issue.csv", "repair_issue.csv"].contains(table) && csvFolder.hasSuffix("/reconciliation")
            for row in try CSVText.rows(String(contentsOfFile: "\(csvFolder)/\(table)", encoding: .utf8)).dropFirst()
            where !(unmatchedOnly && row.last == "matched") {
                csvRows[Self.numbers(row), default: 0] += 1
            }
        }
        // The overview opens every workbook (left out, see above) and the Data issues sheet ends it; only the
        // reconciliation report has the issues as a table, whose rows are the sheet's details below the
        // summary (every issue: these sets have under 200 per code).
        var sheets = Array(book.sheetNames.dropFirst())
        let issuesSheet = sheets.removeLast()
        var bookRows: [String: Int] = [:]
        func add(_ rows: ArraySlice<[String]>) {
            for row in rows where row.first != "合计" && row != ["无数据"] && !(row.count == 1 && row[0].hasPrefix("无未匹配项")) {
                bookRows[Self.numbers(row, fromWorkbook: true), default: 0] += 1
            }
        }
        for sheet in sheets { add(book.rows(sheet: sheet).dropFirst(3)) }
        if tables.contains("data_issues.csv") {
            let rows = book.rows(sheet: issuesSheet)
            let header = try XCTUnwrap(rows.firstIndex { $0.prefix(2) == ["文件", "行号"] }, "\(context): the details' header")
            add(rows.dropFirst(header + 1))
        }
        XCTAssertEqual(bookRows, csvRows, "\(context): workbook rows ≠ CSV twin rows")
        rowsCompared += csvRows.values.reduce(0, +)
    }

    /// A row as its numbers at 4 decimals, "T" for text, "" for empty; ISO dates as Excel serial days.
    static func numbers(_ row: [String], fromWorkbook: Bool = false) -> String {
        var cells = row.map { cell -> String in
            if cell.isEmpty { return "" }
            if let day = serialDay(cell) { return String(day) + ".0000" }
            if let number = Double(cell) { return String(format: "%.4f", number) }
            return "T"
        }
        while cells.last == "" { cells.removeLast() }
        return cells.joined(separator: "|")
    }

    static func serialDay(_ text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: DateComponents(year: y, month: m, day: d))!
        let epoch = calendar.date(from: DateComponents(year: 1899, month: 12, day: 30))!
        return Int((date.timeIntervalSince(epoch) / 86_400).rounded())
    }

    // MARK: Statements and the movement table

    /// A 对账单 per dealer of balances.csv, whose last running balance is the dealer's closing there.
    func checkStatements(_ folder: String, written: [String: Data], context: String) throws {
        let balances = try CSVText.rows(String(contentsOfFile: "\(folder)/csv/receivables/balances.csv", encoding: .utf8))
        let closing = balances[0].firstIndex(of: "closing")!
        let statements = written.keys.filter { $0.hasPrefix("statements/") && $0.hasSuffix(".xlsx") }
        XCTAssertEqual(statements.count, balances.count - 1, "\(context): a statement per dealer")
        for row in balances.dropFirst() {
            let name = "statements/statement-2026-10-\(row[0]).xlsx"
            guard statements.contains(name) else { XCTFail("\(context): no \(name)"); continue }
            let book = try XLSXReadBack(path: "\(folder)/\(name)")
            // Compared as Doubles: libxlsxwriter writes 16 digits (8448.70 reads 8448.700000000001, the same Double).
            let cells = book.rows(sheet: book.sheetNames[0]).flatMap { $0 }.compactMap(Double.init)
            XCTAssertTrue(cells.contains(Double(row[closing])!), "\(context) \(name): closing \(row[closing])")
        }
    }

    func checkMovement(_ folder: String, context: String) throws {
        let rows = try CSVText.rows(String(contentsOfFile: "\(folder)/csv/parts-movement/movement.csv", encoding: .utf8))
        let header = rows[0]
        func value(_ row: [String], _ column: String) -> Decimal { Decimal(string: row[header.firstIndex(of: column)!]) ?? 0 }
        let receiptTypes = ["purchase", "transfer_in", "dealer_return", "old_part_in", "other_in"].map { $0 + "_qty" }
        let issueTypes = ["sale", "warranty", "transfer_out", "supplier_return", "scrap", "other_out"].map { $0 + "_qty" }
        var closing: [String: String] = [:]
        for row in rows.dropFirst() {
            let key = "\(context) \(row[0])/\(row[1])"
            XCTAssertEqual(value(row, "closing_qty"), value(row, "opening_qty") + value(row, "receipt_qty") - value(row, "issue_qty"), key)
            XCTAssertEqual(value(row, "closing_value"), value(row, "opening_value") + value(row, "receipt_value") - value(row, "issue_value"), key)
            XCTAssertEqual(value(row, "receipt_qty"), receiptTypes.reduce(0) { $0 + value(row, $1) }, "\(key): receipts by type")
            XCTAssertEqual(value(row, "issue_qty"), issueTypes.reduce(0) { $0 + value(row, $1) }, "\(key): issues by type")
            closing["\(row[0]),\(row[1])"] = "\(value(row, "closing_qty")),\(value(row, "closing_value"))"
            movementRows += 1
        }
        var balances: [String: String] = [:]
        for row in try CSVText.rows(String(contentsOfFile: "\(folder)/closing-balances-2026-10.csv", encoding: .utf8)).dropFirst() {
            balances["\(row[0]),\(row[1])"] = "\(Decimal(string: row[2])!),\(Decimal(string: row[3])!)"
        }
        XCTAssertEqual(balances, closing, "\(context): closing-balances = the movement table's closing")
    }

    private func files(_ folder: String) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder)! {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDir), !isDir.boolValue {
                found[path] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path))
            }
        }
        return found
    }
}

/// RFC 4180 rows (quoted fields with commas, quotes and line breaks).
enum CSVText {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text).makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" || c == "\r\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
