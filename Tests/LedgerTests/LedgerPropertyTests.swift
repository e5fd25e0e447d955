import Config
import Core
@testable import Ingest
import Ledger
import PropertyBased
import Testing

/// The inputs of one random ledger (see `randomLedger`).
struct RandomLedger: Sendable, CustomStringConvertible {
    var openings: [OpeningBalance]
    var movements: [Movement]
    /// Set when every unit cost and every opening value / qty is this one price.
    var uniformCost: UnitPrice?

    /// October's opening qty of `key`.
    func openingQty(_ key: StockKey) -> Quantity {
        openings.filter { ($0.asOf ?? october.firstDay) == october.firstDay && StockKey(warehouse: $0.warehouse, partNo: $0.partNo) == key }
            .reduce(.zero) { $0 + $1.qty }
    }
    var description: String {
        (openings.map { "open \($0.warehouse)/\($0.partNo) \($0.qty) \($0.value) \($0.asOf.map(String.init(describing:)) ?? "-")" }
            + movements.map { "L\($0.ref.line) \($0.docDate) \($0.warehouse)/\($0.partNo) \($0.type.rawValue) \($0.qty) @ \($0.unitCost.map(String.init(describing:)) ?? "-")" })
            .joined(separator: "\n")
    }
}

let keys = ["NEW", "OLD"].flatMap { w in ["A", "B", "C"].map { StockKey(warehouse: w, partNo: $0) } }

/// Random months: a few (warehouse, part) keys, openings of October, undated and of September, and
/// up to 40 movements from late September to early November, reversals included. With `uniformCost`
/// every unit cost and opening value / qty is one price in whole cents and every qty whole units,
/// so that no line value rounds.
func randomLedger(uniformCost: Bool = false) -> Generator<RandomLedger, Shrink.None<RandomLedger>> {
    Generator { rng in
        func int(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &rng) }
        let uniform = uniformCost ? UnitPrice(mantissa: Int128(int(0...99_999)), scale: 2) : nil
        func quantity() -> Quantity {
            uniform == nil && int(0...2) == 0 ? Quantity(milli: int(1...30_000)) : Quantity(units: int(1...30))
        }
        func cost() -> UnitPrice {
            uniform ?? UnitPrice(mantissa: Int128(int(0...5_000_000)), scale: Int(int(1...3)) * 2)   // 2, 4 or 6 decimals
        }
        var openings: [OpeningBalance] = []
        for key in keys where int(0...3) > 0 {
            let q = int(0...4) == 0 ? -quantity() : int(0...5) == 0 ? .zero : quantity()
            let noise = uniform == nil && int(0...3) == 0 ? Money(cents: int(-500...500)) : .zero
            openings.append(OpeningBalance(warehouse: key.warehouse, partNo: key.partNo, qty: q,
                                           value: cost().amount(for: q) + noise,
                                           asOf: [october.firstDay, nil, october.previous.firstDay][Int(int(0...2))]))
        }
        var movements: [Movement] = []
        for line in 0..<int(0...40) {
            let key = keys[Int(int(0...Int64(keys.count - 1)))]
            let type = MoveType.allCases[Int(int(0...Int64(MoveType.allCases.count - 1)))]
            let q = int(0...5) == 0 ? -quantity() : quantity()
            movements.append(Movement(docNo: "D\(line)", lineNo: "1", docDate: october.firstDay.advanced(by: Int(int(-2...32))),
                                      warehouse: key.warehouse, partNo: key.partNo, type: type, qty: q,
                                      unitCost: type.isReceipt ? cost() : nil, refNo: "",
                                      ref: RowRef(file: Int32(line % 2), line: Int32(line))))
        }
        return RandomLedger(openings: openings, movements: movements, uniformCost: uniform)
    }
}

/// A row's October lines in walk order, found independently of the ledger's packed sort.
func walkedLines(_ ledger: RandomLedger, _ key: StockKey) -> [Movement] {
    ledger.movements.enumerated()
        .filter { october.contains($0.element.docDate) && StockKey(warehouse: $0.element.warehouse, partNo: $0.element.partNo) == key }
        .sorted { ($0.element.docDate, $0.element.type.isReceipt ? 0 : 1, $0.offset) < ($1.element.docDate, $1.element.type.isReceipt ? 0 : 1, $1.offset) }
        .map(\.element)
}

@Suite struct LedgerPropertyTests {
    @Test func closingIsOpeningPlusReceiptsMinusIssuesForEveryRowAndMethod() async {
        await propertyCheck(count: 200, input: randomLedger()) { ledger in
            for method in CostingMethod.allCases {
                let result = StockLedger.compute(month: october, openings: ledger.openings, movements: ledger.movements, method: method)
                #expect(result.rows.map(\.key) == Set(result.rows.map(\.key)).sorted())
                #expect(result.lineValues.count == ledger.movements.filter { october.contains($0.docDate) }.count)
                for row in result.rows {
                    #expect(row.closingQty == row.openingQty + row.receiptQty - row.issueQty)
                    #expect(row.closingValue == row.openingValue + row.receiptValue - row.issueValue)
                    let lines = walkedLines(ledger, row.key)
                    let receipts = lines.filter(\.type.isReceipt), issues = lines.filter { !$0.type.isReceipt }
                    #expect(row.receiptQty == receipts.reduce(.zero) { $0 + $1.qty })
                    #expect(row.issueQty == issues.reduce(.zero) { $0 + $1.qty })
                    for m in receipts {   // round2(qty × unit_cost) by the reference's own arithmetic, not UnitPrice.amount(for:)
                        let cost = Fraction(m.unitCost!.numerator, m.unitCost!.denominator)
                        #expect(result.lineValues[m.ref].map(Fraction.money) == ReferenceLedger.round2(.qty(m.qty) * cost))
                    }
                    #expect(row.receiptValue == receipts.reduce(.zero) { $0 + result.lineValues[$1.ref]! })
                    if !issues.isEmpty || method != .monthlyAverage {
                        #expect(row.issueValue == issues.reduce(.zero) { $0 + result.lineValues[$1.ref]! })
                    }
                    #expect(row.qtyByType.values.reduce(.zero, +) == lines.reduce(.zero) { $0 + $1.qty })
                }
            }
        }
    }

    /// Precondition: every unit cost and every opening value / qty is one price c with whole cents
    /// and whole quantities (so no line rounds), and c is known before the first issue needs it:
    /// the opening qty is > 0, or the first line walked is a receipt (not a reversal).
    @Test func allMethodsAgreeWhenEveryCostIsEqual() async {
        await propertyCheck(count: 200, input: randomLedger(uniformCost: true)) { template in
            var ledger = template
            let c = ledger.uniformCost!
            // Where no opening qty > 0 makes c known, a receipt on the 1st, first in file order, does.
            for key in keys where ledger.openingQty(key) <= .zero {
                ledger.movements.insert(Movement(docNo: "R", lineNo: "1", docDate: october.firstDay, warehouse: key.warehouse,
                                                 partNo: key.partNo, type: .purchase, qty: Quantity(units: 1), unitCost: c,
                                                 refNo: "", ref: RowRef(file: -1, line: Int32(ledger.movements.count))), at: 0)
            }
            let results = CostingMethod.allCases.map {
                StockLedger.compute(month: october, openings: ledger.openings, movements: ledger.movements, method: $0)
            }
            for result in results.dropFirst() {
                #expect(result.rows == results[0].rows)
                #expect(result.lineValues == results[0].lineValues)
            }
        }
    }

    /// The layers hold exactly opening value + Σ qty × cost of receipts − Σ qty × cost of issues, and
    /// never less than 0 when no layer is negative and every cost is ≥ 0. So Σ issue values ≤ opening
    /// value + receipt values, up to each line's rounding (half a cent per issue or receipt line), when:
    /// the running qty never goes below 0 (a shortfall is valued at the newest cost, which a cheaper
    /// receipt then fills), no receipt is reversed (a reversal is valued at its own cost but takes the
    /// newest layers at theirs), and the opening has qty > 0 or value 0 and value ≥ 0.
    @Test func fifoIssuesNeverExceedWhatCameIn() async {
        await propertyCheck(count: 200, input: randomLedger()) { ledger in
            let result = StockLedger.compute(month: october, openings: ledger.openings, movements: ledger.movements, method: .fifo)
            for row in result.rows {
                let lines = walkedLines(ledger, row.key)
                guard row.firstNegativeDate == nil, !lines.contains(where: { $0.type.isReceipt && $0.qty < .zero }),
                      row.openingValue >= .zero, row.openingQty > .zero || row.openingValue.isZero else { continue }
                let slack = Int64(lines.count)   // half a cent per line, doubled below
                #expect(2 * (row.issueValue - row.openingValue - row.receiptValue).cents <= slack)
            }
        }
    }

    @Test func negativeStockDateMatchesABruteForceWalk() async {
        await propertyCheck(count: 200, input: randomLedger()) { ledger in
            for method in CostingMethod.allCases {
                let result = StockLedger.compute(month: october, openings: ledger.openings, movements: ledger.movements, method: method)
                for row in result.rows {
                    var running = ledger.openingQty(row.key)
                    var first: Day? = running < .zero ? october.firstDay : nil
                    var lowest = running
                    for m in walkedLines(ledger, row.key) {
                        running += m.type.isReceipt ? m.qty : -m.qty
                        lowest = min(lowest, running)
                        if running < .zero, first == nil { first = m.docDate }
                    }
                    #expect(row.firstNegativeDate == first)
                    #expect(row.minQty == lowest)
                    #expect(row.closingQty == running)
                }
            }
        }
    }
}
