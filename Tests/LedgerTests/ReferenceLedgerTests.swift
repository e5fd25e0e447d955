import Config
import Core
import Foundation
@testable import Ingest
import Ledger
import Testing

/// The real ledger against `ReferenceLedger` on random months: every row figure (opening, receipts,
/// issues, closing, unit cost, qty per type, negative stock) and every line value, for each method.
/// Seeded (SplitMix64, seed below or LEDGER_REFERENCE_SEED=n) so a failure names its seed and case
/// and reproduces; 600 cases per method.
@Suite struct ReferenceLedgerTests {
    static let cases = 600
    static let seed: UInt64 = ProcessInfo.processInfo.environment["LEDGER_REFERENCE_SEED"].flatMap(UInt64.init) ?? 0x5EED_2026_1019

    @Test(arguments: [(CostingMethod.monthlyAverage, ReferenceLedger.Method.monthly),
                      (.movingAverage, .moving), (.fifo, .fifo)])
    func everyFigureMatchesTheReference(_ method: CostingMethod, _ reference: ReferenceLedger.Method) {
        var rng = SplitMix64(seed: Self.seed)
        var branches: [String: Int] = [:]
        var failures = 0
        for n in 0..<Self.cases {
            let input = randomMonth(&rng)
            let real = StockLedger.compute(month: october, openings: input.openings, movements: input.movements, method: method)
            let expected = ReferenceLedger.compute(month: october, openings: input.openings, movements: input.movements, method: reference)
            branches.merge(expected.branches, uniquingKeysWith: +)
            let differences = compare(real, expected, input.movements)
            if !differences.isEmpty {
                failures += 1
                Issue.record("\(method) seed \(Self.seed) case \(n):\n\(differences.joined(separator: "\n"))\ninput:\n\(input)")
                if failures >= 3 { return }
            }
        }
        // The generator reaches the rules that matter for this method (else the comparison proves little).
        let needed: [String] = switch reference {
        case .monthly: ["monthly: residue", "monthly: residue tie", "monthly: no qty, last receipt cost"]
        case .moving: ["moving: to zero takes V", "moving: Q<=0 last average", "moving: Q<=0 receipt cost"]
        case .fifo: ["fifo: shortfall", "fifo: receipt fills negative", "fifo: receipt reversal", "fifo: receipt reversal beyond layers",
                     "fifo: issue reversal refills", "fifo: issue reversal front layer", "fifo: issue reversal, no layer left"]
        }
        for branch in needed { #expect(branches[branch, default: 0] >= 5, "\(branch): \(branches[branch, default: 0]) times in \(Self.cases) cases") }
    }

    /// The reference itself on two hand-worked cases, so that a bug shared by both cannot hide.
    @Test func referenceOnHandWorkedFifo() {
        // Opening 10 @ 2.00 = 20.00. Buy 5 @ 3.00 = 15.00. Issue 12: 10 × 2 + 2 × 3 = 26.00.
        // Issue 5: 3 × 3 = 9 + shortfall 2 × 3 (newest, used up) = 15.00 → layer −2 @ 3.
        // Issue reversal −1: refills the −2 layer at 3 → −3.00. Buy 4 @ 1.50 fills the remaining −1,
        // leaves 3 @ 1.50 = 6.00. Closing qty 10 + 5 − 12 − 5 + 1 + 4 = 3.
        let movements = [move(1, "10-02", .purchase, "5", cost: "3"), move(2, "10-03", .sale, "12"),
                         move(3, "10-04", .sale, "5"), move(4, "10-05", .sale, "-1"), move(5, "10-06", .purchase, "4", cost: "1.5")]
        let result = ReferenceLedger.compute(month: october, openings: [opening("10", "20")], movements: movements, method: .fifo)
        #expect(result.lineValues == [0: Fraction(1500, 100), 1: Fraction(2600, 100), 2: Fraction(1500, 100),
                                      3: Fraction(-300, 100), 4: Fraction(600, 100)])
        // closing value = 20 + (15 + 6) − (26 + 15 − 3) = 3.00 for 3 units: unit cost 1.
        #expect(result.rows.first?.closingQty == Fraction(3, 1))
        #expect(result.rows.first?.closingValue == Fraction(3, 1))
        #expect(result.rows.first?.unitCost == Fraction(1, 1))
    }

    @Test func referenceOnHandWorkedMonthlyAverage() {
        // Opening 3 / 10.00, buy 4 @ 2.50 = 10.00: c = 20 / 7. Issues 2, 2, 1 (all 10-05), closing 2.
        // Lines: round2(2 × 20/7 = 5.714…) = 5.71, 5.71, round2(2.857…) = 2.86 → 14.28.
        // Closing round2(2 × 20/7) = 5.71; total issues 20 − 5.71 = 14.29; residue 0.01 to the last of
        // the two lines of qty 2 (same date, later in file order) → 5.71, 5.72, 2.86.
        let movements = [move(1, "10-01", .purchase, "4", cost: "2.5"), move(2, "10-05", .sale, "2"),
                         move(3, "10-05", .sale, "2"), move(4, "10-05", .scrap, "1")]
        let result = ReferenceLedger.compute(month: october, openings: [opening("3", "10")], movements: movements, method: .monthly)
        #expect(result.lineValues == [0: Fraction(1000, 100), 1: Fraction(571, 100), 2: Fraction(572, 100), 3: Fraction(286, 100)])
        #expect(result.rows.first?.closingValue == Fraction(571, 100))
        #expect(result.rows.first?.issueValue == Fraction(1429, 100))
    }

    private func compare(_ real: LedgerResult, _ expected: ReferenceLedger.Result, _ movements: [Movement]) -> [String] {
        var out: [String] = []
        let realKeys = real.rows.map { "\($0.key.warehouse)/\($0.key.partNo)" }
        let expectedKeys = expected.rows.map { "\($0.warehouse)/\($0.partNo)" }
        if realKeys != expectedKeys { return ["rows \(realKeys) ≠ reference \(expectedKeys)"] }
        for (r, e) in zip(real.rows, expected.rows) {
            var got = ReferenceLedger.Row(warehouse: r.key.warehouse, partNo: r.key.partNo)
            got.openingQty = .qty(r.openingQty); got.openingValue = .money(r.openingValue)
            got.receiptQty = .qty(r.receiptQty); got.receiptValue = .money(r.receiptValue)
            got.issueQty = .qty(r.issueQty); got.issueValue = .money(r.issueValue)
            got.closingQty = .qty(r.closingQty); got.closingValue = .money(r.closingValue)
            got.unitCost = Fraction(r.unitCost.numerator, r.unitCost.denominator)
            got.qtyByType = Dictionary(uniqueKeysWithValues: r.qtyByType.map { ($0.key.rawValue, Fraction.qty($0.value)) })
            got.firstNegativeDate = r.firstNegativeDate
            got.minQty = .qty(r.minQty)
            if got != e { out.append("row  \(got)\nref  \(e)") }
        }
        for (i, m) in movements.enumerated() {
            let value = real.lineValues[m.ref].map(Fraction.money)
            if value != expected.lineValues[i] {
                out.append("line \(i) \(m.docDate) \(m.type.rawValue) \(m.qty): \(value.map { "\($0)" } ?? "none") ≠ reference \(expected.lineValues[i].map { "\($0)" } ?? "none")")
            }
        }
        return out
    }
}

/// SplitMix64: a tiny seeded generator, so every run draws the same cases.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random month over few (warehouse, part) keys so that each key has a long walk: openings
/// positive, zero, negative or absent (dated October, undated, or of another month), up to 50
/// movements of every type from late September to early November, bunched on a few days, with
/// reversals, over-issues, repeated quantities (residue ties) and costs of 0 to 6 decimals.
func randomMonth(_ rng: inout SplitMix64) -> RandomLedger {
    func int(_ range: ClosedRange<Int64>) -> Int64 { Int64.random(in: range, using: &rng) }
    func chance(_ percent: Int64) -> Bool { int(1...100) <= percent }
    let keys = [StockKey(warehouse: "NEW", partNo: "A"), StockKey(warehouse: "NEW", partNo: "B"), StockKey(warehouse: "OLD", partNo: "A")]
    let scale = chance(50)   // whole units, or thousandths too
    func quantity() -> Quantity {
        if chance(30) { return Quantity(units: [1, 2, 5][Int(int(0...2))]) }   // repeats: residue ties, exact zeros
        return scale && chance(50) ? Quantity(milli: int(1...20_000)) : Quantity(units: int(1...20))
    }
    func cost() -> UnitPrice {
        if chance(10) { return .zero }
        let places = [0, 2, 4, 6][Int(int(0...3))]
        return UnitPrice(mantissa: Int128(int(1...500)) * pow10(places) / Int128([1, 1, 7, 3][Int(int(0...3))]), scale: places)
    }
    var openings: [OpeningBalance] = []
    for key in keys {
        for _ in 0..<int(0...2) {
            let q = chance(20) ? -quantity() : chance(15) ? .zero : quantity()
            let value = cost().amount(for: q) + (chance(25) ? Money(cents: int(-300...300)) : .zero)
            let asOf: Day? = [october.firstDay, nil, october.previous.firstDay, october.lastDay.advanced(by: 1)][Int(int(0...3))]
            openings.append(OpeningBalance(warehouse: key.warehouse, partNo: key.partNo, qty: q, value: value, asOf: asOf))
        }
    }
    let days = (0..<Int(int(1...6))).map { _ in october.firstDay.advanced(by: Int(int(-2...32))) }
    let issueHeavy = chance(40)
    var movements: [Movement] = []
    for line in 0..<int(0...50) {
        let key = keys[Int(int(0...Int64(keys.count - 1)))]
        let receipts = MoveType.allCases.filter(\.isReceipt), issues = MoveType.allCases.filter { !$0.isReceipt }
        let type = chance(issueHeavy ? 65 : 45) ? issues[Int(int(0...Int64(issues.count - 1)))] : receipts[Int(int(0...Int64(receipts.count - 1)))]
        let q = chance(18) ? -quantity() : quantity()
        movements.append(Movement(docNo: "D\(line)", lineNo: "1", docDate: days[Int(int(0...Int64(days.count - 1)))],
                                  warehouse: key.warehouse, partNo: key.partNo, type: type, qty: q,
                                  unitCost: type.isReceipt ? cost() : nil, refNo: "",
                                  ref: RowRef(file: Int32(line / 25), line: Int32(line + 2))))
    }
    return RandomLedger(openings: openings, movements: movements, uniformCost: nil)
}
