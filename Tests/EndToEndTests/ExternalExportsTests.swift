import Foundation
import TestSupport
import XCTest

/// The daily report on real exports written elsewhere (../shared/external), read through the
/// configs in examples/ without editing the files. Expected figures are computed here, from the
/// raw files, by a separate small CSV reader and Foundation's Decimal — not by the tool's code.
final class ExternalExportsTests: XCTestCase {
    func testOnlineRetailDay() throws {
        let folder = try external("online-retail-2010-12")
        let out = try temporaryFolder()
        let run = try Binary.run(["daily", "--date", "2010-12-01", "--inputs", folder, "--out", out, "--csv",
                                  "--config", Binary.packageRoot.path + "/examples/online-retail/aftersales.toml"])
        XCTAssertEqual(run.status, 1, run.stderr)

        // Independent figures: a line is rejected when its CustomerID is empty (empty_required) or its
        // quantity is not positive (cancellations, wrong_sign); the rest are shipped on the invoice date.
        var rejected = 0, read = 0
        var amount = Decimal(0)
        var invoices = Set<String>()
        for file in try csvFiles(in: folder) {
            for row in try SimpleCSV.rows(of: file, delimiter: ",").dropFirst() {
                read += 1
                let qty = Decimal(string: row[3])!, price = Decimal(string: row[5])!
                if row[6].isEmpty || qty <= 0 || price < 0 { rejected += 1; continue }
                if row[4].hasPrefix("2010-12-01") {
                    amount += rounded2(qty * price)
                    invoices.insert(row[0])
                }
            }
        }
        XCTAssertEqual(read, 42_481, "data rows in the 20 files (a check on the independent reader)")
        let manifest = try manifestInputs(out, "2010-12-01")
        XCTAssertEqual(manifest.reduce(0) { $0 + $1.read }, read)
        XCTAssertEqual(manifest.reduce(0) { $0 + $1.rejected }, rejected)
        XCTAssertEqual(manifest.reduce(0) { $0 + $1.accepted + $1.warned + $1.duplicate + $1.rejected }, read)

        let summary = try String(contentsOfFile: "\(out)/2010-12-01/csv/daily-orders/summary.csv", encoding: .utf8)
        XCTAssertTrue(summary.contains("\namount_received,\(plain(amount))\n"), "expected \(plain(amount)) in\n\(summary)")
        XCTAssertTrue(summary.contains("\norders_received,\(invoices.count)\n"), summary)
        let book = try XLSXReadBack(path: "\(out)/2010-12-01/daily-orders-2010-12-01.xlsx")
        XCTAssertEqual(book.number(sheet: "汇总", "B7"), Double(plain(amount)))
    }

    func testSuperstoreDay() throws {
        let folder = try external("superstore-eu")
        let out = try temporaryFolder()
        let run = try Binary.run(["daily", "--date", "2020-09-05", "--inputs", folder, "--out", out, "--csv",
                                  "--config", Binary.packageRoot.path + "/examples/superstore-eu/aftersales.toml"])

        // Sales is the line amount with a decimal comma; order dates are day-first (05/09/2020 = 5 September).
        var rejected = 0, read = 0, lines = 0
        var amount = Decimal(0)
        for file in try csvFiles(in: folder) {
            for row in try SimpleCSV.rows(of: file, delimiter: ";").dropFirst() {
                read += 1
                let sales = Decimal(string: row[17].replacingOccurrences(of: ",", with: "."))!
                let qty = Decimal(string: row[18])!
                if row[5].isEmpty || row[13].isEmpty || qty <= 0 || sales < 0 { rejected += 1; continue }
                if row[2] == "05/09/2020" {
                    amount += rounded2(sales)
                    lines += 1
                }
            }
        }
        XCTAssertEqual(run.status, rejected > 0 ? 1 : 0, run.stderr)
        let manifest = try manifestInputs(out, "2020-09-05")
        XCTAssertEqual(manifest.reduce(0) { $0 + $1.read }, read)
        XCTAssertEqual(manifest.reduce(0) { $0 + $1.rejected }, rejected)
        let summary = try String(contentsOfFile: "\(out)/2020-09-05/csv/daily-orders/summary.csv", encoding: .utf8)
        XCTAssertEqual(lines, 38)
        XCTAssertTrue(summary.contains("\nlines_received,\(lines)\n"), summary)
        XCTAssertTrue(summary.contains("\namount_received,\(plain(amount))\n"), "expected \(plain(amount)) in\n\(summary)")
    }

    /// The quality sheet on a vehicle maker's warranty claims (examples/vehicle-repairs): January 2024's
    /// claims and labour cost, taken here straight from the raw file by the columns' names.
    func testVehicleRepairsQualityMonth() throws {
        let folder = try external("vehicle-repairs")
        let out = try temporaryFolder()
        let run = try Binary.run(["monthly", "--month", "2024-01", "--inputs", folder, "--out", out, "--csv",
                                  "--config", Binary.packageRoot.path + "/examples/vehicle-repairs/aftersales.toml"])
        XCTAssertEqual(run.status, 0, "no row rejected; stderr: \(run.stderr)")

        let rows = try SimpleCSV.rows(of: folder + "/repairs_vehicle.csv", delimiter: ",")
        let date = rows[0].firstIndex(of: "REPAIR_DATE")!, labor = rows[0].firstIndex(of: "LBRCOST")!
        let claim = rows[0].firstIndex(of: "SRC_TXN_ID")!
        var claims = Set<String>(), months = Set<String>()
        var laborCost = Decimal(0)
        for row in rows.dropFirst() {
            months.insert(String(row[date].suffix(4)) + "-" + row[date].prefix(2))     // MM-DD-YYYY
            guard row[date].hasPrefix("01-"), row[date].hasSuffix("-2024") else { continue }
            claims.insert(row[claim])
            laborCost += Decimal(string: row[labor].replacingOccurrences(of: ",", with: ""))!
        }
        XCTAssertEqual(rows.count - 1, 100)
        XCTAssertEqual(claims.count, 74, "a check on the independent reader")
        XCTAssertEqual(months, ["2024-01", "2024-02"])

        let csv = "\(out)/2024-01/csv/quality-feedback"
        XCTAssertEqual(try String(contentsOfFile: "\(csv)/trend.csv", encoding: .utf8),
                       "month,repairs,warranty_repairs\n2024-01,\(claims.count),\(claims.count)\n")
        let book = try XLSXReadBack(path: "\(out)/2024-01/quality-feedback-2024-01.xlsx")
        let totals = try XCTUnwrap(book.rows(sheet: "按机型").first { $0.first == "合计" })
        XCTAssertEqual(Double(totals[1]), Double(claims.count))
        XCTAssertEqual(Double(totals[4]), Double(plain(laborCost)), "labour cost of January's claims")
    }

    // MARK: Helpers

    private func external(_ name: String) throws -> String {
        let path = Binary.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/external/\(name)").path
        guard FileManager.default.fileExists(atPath: path) else { throw unmet("\(path) is not here (CI keeps a read-only copy of shared/ beside the clone)") }
        return path
    }

    private func csvFiles(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.sorted().map { folder + "/" + $0 }
    }

    private struct InputCounts { let read, accepted, warned, duplicate, rejected: Int }

    private func manifestInputs(_ out: String, _ folder: String) throws -> [InputCounts] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(folder)/manifest.json"))
        let manifest = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (manifest["inputs"] as! [[String: Any]]).map {
            InputCounts(read: $0["read"] as! Int, accepted: $0["accepted"] as! Int, warned: $0["warned"] as! Int,
                        duplicate: $0["duplicate"] as! Int, rejected: $0["rejected"] as! Int)
        }
    }

    private func rounded2(_ value: Decimal) -> Decimal {
        var input = value, result = Decimal()
        NSDecimalRound(&result, &input, 2, .plain)   // .plain rounds half away from zero
        return result
    }

    private func plain(_ value: Decimal) -> String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.minimumFractionDigits = 2
        formatter.maximumFractionDigits = 2
        formatter.usesGroupingSeparator = false
        return formatter.string(from: NSDecimalNumber(decimal: value))!
    }
}

/// A deliberately simple RFC 4180 reader for the tests' independent figures (whole file in memory).
enum SimpleCSV {
    static func rows(of path: String, delimiter: Character) throws -> [[String]] {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false
        var chars = Array(text.replacingOccurrences(of: "\r\n", with: "\n"))[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == delimiter { row.append(field); field = "" }
            else if c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows.filter { $0 != [""] }
    }
}
