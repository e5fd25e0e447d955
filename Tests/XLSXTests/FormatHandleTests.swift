import Foundation
import Testing
@testable import XLSX

/// The fast conversion of a decimal to a Double agrees with strtod's correctly rounded one.
@Test func nearestDoubleAgreesWithStrtod() {
    var mantissas: [Int64] = [0, 1, -1, 5, 66, 666, 123_456_789, 999_999_999_999_999, 1 << 53, -(1 << 53), (1 << 53) + 1,
                              -(1 << 53) - 1, .max, .min + 1]
    var state: UInt64 = 7
    for _ in 0..<20_000 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        mantissas.append(Int64(bitPattern: state) >> Int64(state % 63))
    }
    for mantissa in mantissas {
        for scale in [-3, 0, 1, 2, 3, 4, 6, 15, 22, 23] {
            #expect(nearestDouble(mantissa, scale) == Double("\(mantissa)e\(-scale)")!, "\(mantissa)e\(-scale)")
        }
    }
}

/// Writing through a `Format` made once gives the same file as passing the `CellFormat` to every write.
@Test func formatsMadeOnceWriteTheSameBytes() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-format-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let money = CellFormat(border: .hair, borderColor: 0xBFBFBF, numberFormat: "#,##0.00")
    let date = CellFormat(numberFormat: "yyyy-mm-dd")
    func write(_ name: String, once: Bool) throws -> Data {
        let path = dir.appendingPathComponent(name).path
        let workbook = try Workbook(path: path)
        let sheet = try workbook.addWorksheet("s")
        let madeMoney = workbook.format(money), madeDate = workbook.format(date), plain = workbook.format(nil)
        for row in 0..<50 {
            if once {
                try sheet.write(row: row, col: 0, string: "P-\(row)", format: plain)
                try sheet.write(row: row, col: 1, decimal: Int64(row * 1_234 - 500), scale: 2, format: madeMoney)
                try sheet.write(row: row, col: 2, integer: Int64(row), format: madeMoney)
                try sheet.write(row: row, col: 3, date: (2026, 10, 1 + row % 28), format: madeDate)
            } else {
                try sheet.write(row: row, col: 0, string: "P-\(row)")
                try sheet.write(row: row, col: 1, decimal: Int64(row * 1_234 - 500), scale: 2, format: money)
                try sheet.write(row: row, col: 2, integer: Int64(row), format: money)
                try sheet.write(row: row, col: 3, date: (2026, 10, 1 + row % 28), format: date)
            }
        }
        try workbook.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }
    #expect(try write("once.xlsx", once: true) == (try write("each.xlsx", once: false)))
}
