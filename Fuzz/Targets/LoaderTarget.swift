import Config
import Core
import Foundation
import Ingest

// Fuzz target `loader`: the whole row path. The input is written as one CSV file into a temporary
// input folder and read with `Loader(directory:config:period:).load(_:)` as the kind whose
// distinctive column (id or Chinese label, in UTF-8 or GB18030) comes first in it, orders if
// none does; the transaction kinds next to small valid parts and dealers masters. The first
// line's most frequent separator picks the config: `,` the defaults, `;` a European export
// (decimal comma, `%d.%m.%Y`, a default status), tab a tab-separated export.
// Invariants:
// - `load` either returns or throws an IngestError about the fuzzed file (typed throws make any
//   other error impossible; the masters are valid, so no error may name them);
// - per file, read = accepted + warned + duplicate + rejected with every term ≥ 0, and each term
//   matches what the dataset holds: rejected = error issues, warned = rows with warnings,
//   duplicate = duplicates listed, accepted + warned = rows stored;
// - read = the non-blank records after the header as `referenceRecords` reads the decoded file;
// - at most one error per row and no warnings on a rejected row; issue lines lie in the file;
//   stored rows have unique keys and the signs SPEC §2.2 requires.

// The folders (`InputFolders`, shared with `stages`): the transaction kinds' ones hold small valid
// parts and dealers masters beside the input.
private let folders = InputFolders { kind in
    if kind.isMaster { return [:] }
    let parts = "part_no,part_name,unit,list_price\nP-1001,压缩机,个,1273.50\nP-1002,制冷剂R32,kg,63.00\n100000001,显示板,块,110.00\n"
    let dealers = "网点编码,网点名称,区域\nW10001,上海服务站,华东\nW10002,广州服务站,华南\n"
    return [.parts: parts, .dealers: dealers]
}

func fuzzTarget(_ data: UnsafeBufferPointer<UInt8>) {
    let folders = folders
    folders.write(data)
    let input = Array(data)
    let kind = folders.kind(of: input)

    let (options, delimiter) = readingOptions(input)
    var config = Config()
    config.inputs[kind] = options
    let name = kind.rawValue + ".csv"
    let dataset: Dataset
    do {
        dataset = try Loader(directory: folders.directory(kind), config: config,
                             period: kind == .movements ? Month(year: 2026, month: 10) : nil).load(kind.isMaster ? [] : [kind])
    } catch {
        checkError(error, name: name, input: input)
        return
    }
    checkDataset(dataset, kind: kind, name: name, input: input, expectedRead: dataRecordCount(input, delimiter: delimiter))
}

/// The rows the Loader must count as read: non-blank records after the first non-blank one
/// (the header), in the text the file decodes to (UTF-8 if valid, else GB18030); nil when the
/// file is not valid GB18030 either.
private func dataRecordCount(_ input: [UInt8], delimiter: UInt8) -> Int? {
    var text = input
    if String(validating: input, as: UTF8.self) == nil {
        guard let decoder = try? GB18030Decoder() else { fail("no GB18030 converter") }
        text = []
        do {
            try input.withUnsafeBufferPointer { try decoder.decode($0) { text += $0 } }
            try decoder.finish()
        } catch { return nil }
    }
    let isBlank = { (r: ScannedRecord) in r.fields.allSatisfy { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } } }
    let records = referenceRecords(text, delimiter: delimiter).filter { !isBlank($0) }
    return max(0, records.count - 1)
}

private func checkError(_ error: IngestError, name: String, input: [UInt8]) {
    switch error {
    case .unreadable(let file, let reason):
        fail("\(file) unreadable (\(reason)) for \(show(input))")
    case .missingColumn(let file, _, _), .noHeader(let file):
        check(file == name, "\(error) names \(file), not \(name), for \(show(input))")
    case .invalidEncoding(let file, let line, let offset):
        check(file == name, "\(error) names \(file), not \(name)")
        check(String(validating: input, as: UTF8.self) == nil, "valid UTF-8 reported as \(error): \(show(input))")
        check(offset >= 0 && offset < input.count && line == 1 + input[..<offset].lazy.filter { $0 == lf }.count,
              "\(error): offset or line wrong for \(show(input))")
    case .missingKind:
        fail("load threw \(error)")
    }
}

private func checkDataset(_ d: Dataset, kind: InputKind, name: String, input: [UInt8], expectedRead: Int?) {
    guard let i = d.files.firstIndex(where: { $0.name == name }) else { fail("\(name) is not among the files read") }
    let file = d.files[i]
    let counts = d.rowCounts()
    check(counts.count == d.files.count, "rowCounts has \(counts.count) entries for \(d.files.count) files")
    for (f, c) in zip(d.files, counts) {
        check(c.accepted >= 0 && c.warned >= 0 && c.duplicate >= 0 && c.rejected >= 0
              && c.read == c.accepted + c.warned + c.duplicate + c.rejected,
              "\(f.name): read \(c.read) ≠ accepted \(c.accepted) + warned \(c.warned) + duplicate \(c.duplicate) + rejected \(c.rejected); input \(show(input))")
        if f.name != name { check(c.read == c.accepted, "the valid master \(f.name) has rows not simply accepted: \(c)") }
    }
    let c = counts[i]
    let physicalLines = 1 + input.lazy.filter { $0 == lf }.count

    if let first = file.sameContentAs {
        check(c.read == 0, "\(name) has the content of \(first) but \(c.read) rows were read")
        return
    }
    if let expectedRead {
        check(c.read == expectedRead, "\(name): \(c.read) rows read, the reference reads \(expectedRead) data records; input \(show(input))")
    }

    // Issues.
    let mine = d.issues.filter { $0.file == name }
    var errorLines = Set<Int>(), warningLines = Set<Int>()
    for issue in d.issues {
        check(issue.severity == issue.code.severity, "issue \(issue.code) with severity \(issue.severity)")
        check(d.files.contains { $0.name == issue.file }, "an issue names \(issue.file), which was not read")
    }
    for issue in mine {
        check(issue.line >= 2 && issue.line <= physicalLines, "\(name): an issue on line \(issue.line) of \(physicalLines): \(issue)")
        if issue.severity == .error {
            check(errorLines.insert(issue.line).inserted, "\(name): two errors on line \(issue.line); input \(show(input))")
        } else {
            warningLines.insert(issue.line)
        }
    }
    check(errorLines.isDisjoint(with: warningLines), "\(name): a rejected row has warnings; input \(show(input))")
    check(c.rejected == errorLines.count, "\(name): \(c.rejected) rejected, \(errorLines.count) error issues; input \(show(input))")
    check(c.warned == warningLines.count, "\(name): \(c.warned) warned, \(warningLines.count) rows with warnings; input \(show(input))")

    // Duplicates.
    let duplicates = d.duplicates.filter { $0.file == name }
    check(c.duplicate == duplicates.count, "\(name): \(c.duplicate) duplicates counted, \(duplicates.count) listed")
    for dup in duplicates {
        check(dup.firstFile == name && dup.firstLine < dup.line && dup.line <= physicalLines && !errorLines.contains(dup.line)
              && !errorLines.contains(dup.firstLine), "\(name): duplicate \(dup) is inconsistent; input \(show(input))")
    }

    // Rows stored, keys and signs.
    let stored: Int
    switch kind {
    case .orders:
        let rows = d.orders.filter { $0.ref.file == Int32(i) }
        stored = rows.count
        checkUnique(rows.map { [$0.orderNo, $0.lineNo] }, name, input)
        for r in rows {
            check(r.qty.milli > 0 && r.amount.cents >= 0 && (r.status != .shipped || r.shipDate != nil) && r.unitPrice.numerator >= 0,
                  "\(name): order line \(r) breaks a sign or ship-date rule")
            check(!errorLines.contains(Int(r.ref.line)), "\(name): a rejected line was stored")
        }
    case .movements:
        let rows = d.movements.filter { $0.ref.file == Int32(i) }
        stored = rows.count
        checkUnique(rows.map { [$0.docNo, $0.lineNo] }, name, input)
        for r in rows {
            check(r.qty.milli != 0 && (r.unitCost == nil) == !r.type.isReceipt && (r.unitCost?.numerator ?? 0) >= 0,
                  "\(name): movement \(r) breaks a sign or unit-cost rule")
        }
    case .repairs:
        let rows = d.repairs.filter { $0.ref.file == Int32(i) }
        stored = rows.count
        checkUnique(rows.map { [$0.repairNo, $0.lineNo] }, name, input)
        for r in rows {
            check(r.qty.milli >= 0 && r.laborCost.cents >= 0 && r.partsCost.cents >= 0, "\(name): repair line \(r) breaks a sign rule")
        }
    case .opening:
        stored = d.openings.count
        checkUnique(d.openings.map { [$0.asOf?.description ?? "", $0.warehouse, $0.partNo] }, name, input)
    case .counts:
        stored = d.counts.count
        checkUnique(d.counts.map { [$0.countDate.description, $0.warehouse, $0.location, $0.partNo] }, name, input)
        for r in d.counts { check(r.countedQty.milli >= 0, "\(name): count line \(r) is negative") }
    case .parts: stored = d.parts.count
    case .dealers: stored = d.dealers.count
    case .faults: stored = d.faults.count
    case .fleet:
        stored = d.fleet.count
        for (key, units) in d.fleet { check(units >= 0, "\(name): fleet \(key) has \(units) units") }
    }
    check(c.accepted + c.warned == stored, "\(name): accepted \(c.accepted) + warned \(c.warned) ≠ \(stored) rows stored; input \(show(input))")
}

private func checkUnique(_ keys: [[String]], _ name: String, _ input: [UInt8]) {
    var seen = Set<[String]>()
    for key in keys { check(seen.insert(key).inserted, "\(name): key \(key) stored twice; input \(show(input))") }
}
