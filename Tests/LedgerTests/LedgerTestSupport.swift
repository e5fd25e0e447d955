import Config
import Core
@testable import Ingest
import Ledger

/// Readable builders for ledger inputs: decimals as text, dates as "MM-DD" of `october`.

let october = Month(year: 2026, month: 10)!

func money(_ text: String) -> Money { Money(cents: Int64(ExactDecimal(plain: text)!.exactly(places: 2)!)) }
func qty(_ text: String) -> Quantity { Quantity(milli: Int64(ExactDecimal(plain: text)!.exactly(places: 3)!)) }
func price(_ text: String) -> UnitPrice {
    let d = ExactDecimal(plain: text)!
    return UnitPrice(mantissa: d.mantissa, scale: d.scale)
}
func day(_ text: String) -> Day { Day(iso: text.count == 5 ? "2026-\(text)" : text)! }

let mainKey = StockKey(warehouse: "NEW", partNo: "P1")

func opening(_ q: String, _ v: String, key: StockKey = mainKey, asOf: Day? = october.firstDay) -> OpeningBalance {
    OpeningBalance(warehouse: key.warehouse, partNo: key.partNo, qty: qty(q), value: money(v), asOf: asOf)
}

/// A movement on line `line` of file 0; `cost` only for receipt types (OLD_PART_IN defaults to 0).
func move(_ line: Int32, _ date: String, _ type: MoveType, _ q: String, cost: String? = nil,
          key: StockKey = mainKey) -> Movement {
    Movement(docNo: "D\(line)", lineNo: "1", docDate: day(date), warehouse: key.warehouse, partNo: key.partNo,
             type: type, qty: qty(q), unitCost: type.isReceipt ? price(cost ?? "0") : nil, refNo: "",
             ref: RowRef(file: 0, line: line))
}

extension LedgerResult {
    func row(_ key: StockKey = mainKey) -> LedgerRow? { rows.first { $0.key == key } }
    /// The values of lines 1…n of file 0 (nil for a line without one).
    func values(_ lines: ClosedRange<Int32>) -> [Money?] { lines.map { lineValues[RowRef(file: 0, line: $0)] } }
}
