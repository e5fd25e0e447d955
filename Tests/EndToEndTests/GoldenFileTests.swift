import Foundation
import XCTest

/// The demo month's CSV outputs (the daily run of its last day and the monthly run, with `--csv`)
/// compared byte for byte with the reference copies in `Golden/`. A change that moves any figure,
/// row or column of any table shows here as a failing file. When the change is intended, regenerate
/// the references and review their diff:
///
///     make golden        # = GOLDEN_UPDATE=1 swift test --filter GoldenFileTests
final class GoldenFileTests: XCTestCase {
    static let golden = Binary.packageRoot.appendingPathComponent("Tests/EndToEndTests/Golden").path
    static let demoInputs = Binary.packageRoot.appendingPathComponent("inputs").path

    func testDemoMonthCSVOutputsMatchTheReferences() throws {
        let out = try temporaryFolder()
        for command in [["daily", "--date", "2026-10-31"], ["monthly", "--month", "2026-10"]] {
            let run = try Binary.run(command + ["--inputs", Self.demoInputs, "--out", out, "--csv"])
            // The demo month has deliberate bad rows: exit 1 ("written, some rows rejected").
            XCTAssertEqual(run.status, 1, "\(command[0]): \(run.stderr)")
        }
        let written = try csvFiles(under: out)
        if ProcessInfo.processInfo.environment["GOLDEN_UPDATE"] == "1" {
            // Regenerating compares nothing: never in CI, where it would pass any change.
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("GOLDEN_UPDATE=1 under CI=true: nothing was compared") }
            try? FileManager.default.removeItem(atPath: Self.golden)
            for file in written {
                let target = Self.golden + "/" + file
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: out + "/" + file, toPath: target)
            }
            return
        }
        let references = try csvFiles(under: Self.golden)
        XCTAssertFalse(references.isEmpty, "no references under \(Self.golden): nothing would be compared")
        XCTAssertEqual(written, references, "the runs wrote other CSV files than the references (make golden regenerates them)")
        for file in written where references.contains(file) {
            let actual = try Data(contentsOf: URL(fileURLWithPath: out + "/" + file))
            let expected = try Data(contentsOf: URL(fileURLWithPath: Self.golden + "/" + file))
            if actual != expected {
                XCTFail("\(file) differs from Golden/\(file) (\(firstDifference(actual, expected))); make golden regenerates it")
            }
        }
    }

    /// Every `.csv` below `root`, as sorted relative paths.
    private func csvFiles(under root: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".csv") }.sorted()
    }

    /// "line N: <actual> ≠ <expected>" for the first line that differs.
    private func firstDifference(_ actual: Data, _ expected: Data) -> String {
        let a = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let e = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, e.count) where i >= a.count || i >= e.count || a[i] != e[i] {
            return "line \(i + 1): \(i < a.count ? String(a[i]) : "(none)") ≠ \(i < e.count ? String(e[i]) : "(none)")"
        }
        return "same lines, other bytes"
    }
}
