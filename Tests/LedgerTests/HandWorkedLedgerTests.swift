import Config
import Core
@testable import Ingest
import Ledger
import XCTest

/// Ledgers worked out by hand, one arithmetic step per comment line (SPEC §4.2, §6 "Ledger").
final class HandWorkedLedgerTests: XCTestCase {
    /// One month of part P1 in NEW, October 2026. Opening 10 units worth 100.01 (cost 10.001).
    /// Listed in file order; the walk order is doc_date, receipts before issues, file order, so on
    /// 10-05 lines 4 and 5 are walked before line 3.
    ///
    ///     line date  type          qty   unit_cost   running qty (walk order)
    ///      1   10-02 PURCHASE       20   12.50       30
    ///      2   10-03 SALE           15               15
    ///      3   10-05 SCRAP           1               22 (after 4 and 5)
    ///      4   10-05 PURCHASE       10   13.00       25
    ///      5   10-05 PURCHASE       -2   13.00       23   receipt reversal (红冲)
    ///      6   10-06 WARRANTY        8               14
    ///      7   10-07 SALE           -3               17   issue reversal
    ///      8   10-10 SALE           25               -8   over-issue: first negative date 10-10
    ///      9   10-20 PURCHASE       12   14.05        2
    ///     10   10-25 TRANSFER_IN     5   20.00        7
    ///     11   10-28 TRANSFER_OUT    4                3
    ///     12   10-12 WARRANTY        2              -10   walked after line 8: the minimum
    ///     13   09-30 PURCHASE      100    1.00            before October: ignored
    ///     14   11-01 SALE          100                    after October: ignored
    ///
    /// Receipt values, every method: 20 × 12.50 = 250.00; 10 × 13.00 = 130.00; −2 × 13.00 = −26.00;
    /// 12 × 14.05 = 168.60; 5 × 20.00 = 100.00. Receipts: qty 45, value 622.60.
    /// Issues: 15 + 1 + 8 − 3 + 25 + 2 + 4 = 52. Closing qty 10 + 45 − 52 = 3.
    let month: [Movement] = [
        move(1, "10-02", .purchase, "20", cost: "12.50"),
        move(2, "10-03", .sale, "15"),
        move(3, "10-05", .scrap, "1"),
        move(4, "10-05", .purchase, "10", cost: "13.00"),
        move(5, "10-05", .purchase, "-2", cost: "13.00"),
        move(6, "10-06", .warranty, "8"),
        move(7, "10-07", .sale, "-3"),
        move(8, "10-10", .sale, "25"),
        move(9, "10-20", .purchase, "12", cost: "14.05"),
        move(10, "10-25", .transferIn, "5", cost: "20.00"),
        move(11, "10-28", .transferOut, "4"),
        move(12, "10-12", .warranty, "2"),
        move(13, "09-30", .purchase, "100", cost: "1.00"),
        move(14, "11-01", .sale, "100"),
    ]

    func ledger(_ method: CostingMethod) -> LedgerResult {
        StockLedger.compute(month: october, openings: [opening("10", "100.01")], movements: month, method: method)
    }

    /// What does not depend on the method.
    func assertCommonFigures(_ result: LedgerResult, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(result.rows.count, 1, file: file, line: line)
        let row = try XCTUnwrap(result.row())
        XCTAssertEqual(row.openingQty, qty("10"), file: file, line: line)
        XCTAssertEqual(row.openingValue, money("100.01"), file: file, line: line)
        XCTAssertEqual(row.receiptQty, qty("45"), file: file, line: line)
        XCTAssertEqual(row.receiptValue, money("622.60"), file: file, line: line)
        XCTAssertEqual(row.issueQty, qty("52"), file: file, line: line)
        XCTAssertEqual(row.closingQty, qty("3"), file: file, line: line)
        XCTAssertEqual(row.closingValue, row.openingValue + row.receiptValue - row.issueValue, file: file, line: line)
        XCTAssertEqual(row.qtyByType, [.purchase: qty("40"), .transferIn: qty("5"), .sale: qty("37"),
                                       .scrap: qty("1"), .warranty: qty("10"), .transferOut: qty("4")],
                       file: file, line: line)
        XCTAssertEqual(row.firstNegativeDate, day("10-10"), file: file, line: line)
        XCTAssertEqual(row.minQty, qty("-10"), file: file, line: line)
        XCTAssertEqual(result.lineValues.count, 12, "lines 13 and 14 lie outside October", file: file, line: line)
        for (n, receipt) in [(1, "250.00"), (4, "130.00"), (5, "-26.00"), (9, "168.60"), (10, "100.00")] {
            XCTAssertEqual(result.lineValues[RowRef(file: 0, line: Int32(n))], money(receipt), file: file, line: line)
        }
    }

    func testMonthlyAverage() throws {
        let result = ledger(.monthlyAverage)
        try assertCommonFigures(result)
        let row = try XCTUnwrap(result.row())
        // c = (100.01 + 622.60) / (10 + 45) = 722.61 / 55 = 13.138363…
        // closing value = round2(3 × 13.138363…) = round2(39.415090…) = 39.42
        // issue value = 722.61 − 39.42 = 683.19
        // lines: 15c = 197.075454… → 197.08      1c = 13.138363… → 13.14
        //         8c = 105.106909… → 105.11     −3c = −39.415090… → −39.42
        //        25c = 328.459090… → 328.46      2c = 26.276727… → 26.28     4c = 52.553454… → 52.55
        // Σ = 683.20; residue 683.19 − 683.20 = −0.01 → line 8 (largest qty, 25): 328.45
        XCTAssertEqual(row.closingValue, money("39.42"))
        XCTAssertEqual(row.issueValue, money("683.19"))
        XCTAssertEqual(result.values(2...3), [money("197.08"), money("13.14")])
        XCTAssertEqual(result.values(6...8), [money("105.11"), money("-39.42"), money("328.45")])
        XCTAssertEqual(result.values(11...12), [money("52.55"), money("26.28")])
        // unit cost = 39.42 / 3 = 13.14
        XCTAssertEqual(row.unitCost, price("13.14"))
    }

    func testMovingAverage() throws {
        let result = ledger(.movingAverage)
        try assertCommonFigures(result)
        let row = try XCTUnwrap(result.row())
        // Q 10, V 100.01
        // 1  +20 × 12.50 = 250.00                      Q 30, V 350.01
        // 2  15 × 350.01/30 = 175.005 → 175.01          Q 15, V 175.00
        // 4  +130.00                                    Q 25, V 305.00
        // 5  −26.00                                     Q 23, V 279.00
        // 3  1 × 279.00/23 = 12.130434… → 12.13         Q 22, V 266.87
        // 6  8 × 266.87/22 = 97.043636… → 97.04         Q 14, V 169.83
        // 7  −3 × 169.83/14 = −36.392142… → −36.39      Q 17, V 206.22   (last V/Q with Q > 0)
        // 8  25 × 206.22/17 = 303.264705… → 303.26      Q −8, V −97.04
        // 12 Q ≤ 0: last known 206.22/17; 2 × 12.130588… = 24.261176… → 24.26   Q −10, V −121.30
        // 9  +168.60                                    Q 2,  V 47.30
        // 10 +100.00                                    Q 7,  V 147.30
        // 11 4 × 147.30/7 = 84.171428… → 84.17          Q 3,  V 63.13
        XCTAssertEqual(result.values(2...3), [money("175.01"), money("12.13")])
        XCTAssertEqual(result.values(6...8), [money("97.04"), money("-36.39"), money("303.26")])
        XCTAssertEqual(result.values(11...12), [money("84.17"), money("24.26")])
        // issues 175.01 + 12.13 + 97.04 − 36.39 + 303.26 + 24.26 + 84.17 = 659.48
        // closing 100.01 + 622.60 − 659.48 = 63.13 = V
        XCTAssertEqual(row.issueValue, money("659.48"))
        XCTAssertEqual(row.closingValue, money("63.13"))
        XCTAssertEqual(row.unitCost, UnitPrice(numerator: 6313, denominator: 300))   // 63.13 / 3 as a fraction
    }

    func testFIFO() throws {
        let result = ledger(.fifo)
        try assertCommonFigures(result)
        let row = try XCTUnwrap(result.row())
        // layers [10 @ 10.001]
        // 1  [10 @ 10.001, 20 @ 12.50]
        // 2  10 × 10.001 + 5 × 12.50 = 100.01 + 62.50 = 162.51          [15 @ 12.50]
        // 4  [15 @ 12.50, 10 @ 13.00]
        // 5  reversal takes 2 from the newest layer                     [15 @ 12.50, 8 @ 13.00]
        // 3  1 × 12.50 = 12.50                                          [14 @ 12.50, 8 @ 13.00]
        // 6  8 × 12.50 = 100.00                                         [6 @ 12.50, 8 @ 13.00]
        // 7  issue reversal back in front at the oldest cost: −3 × 12.50 = −37.50   [9 @ 12.50, 8 @ 13.00]
        // 8  9 × 12.50 + 8 × 13.00 + shortfall 8 × 13.00 (newest layer, used up) = 112.50 + 104.00 + 104.00
        //    = 320.50                                                   [−8 @ 13.00]
        // 12 shortfall 2 × 13.00 = 26.00                                [−8 @ 13.00, −2 @ 13.00]
        // 9  12 received: 10 fill the negative layers                   [2 @ 14.05]
        // 10 [2 @ 14.05, 5 @ 20.00]
        // 11 2 × 14.05 + 2 × 20.00 = 68.10 (without the fill: 4 × 14.05 = 56.20)   [3 @ 20.00]
        XCTAssertEqual(result.values(2...3), [money("162.51"), money("12.50")])
        XCTAssertEqual(result.values(6...8), [money("100.00"), money("-37.50"), money("320.50")])
        XCTAssertEqual(result.values(11...12), [money("68.10"), money("26.00")])
        // issues 162.51 + 12.50 + 100.00 − 37.50 + 320.50 + 26.00 + 68.10 = 652.11
        // closing 100.01 + 622.60 − 652.11 = 70.50 (the layers hold 3 × 20.00 = 60.00: not used)
        XCTAssertEqual(row.issueValue, money("652.11"))
        XCTAssertEqual(row.closingValue, money("70.50"))
        // unit cost = 70.50 / 3 = 23.50
        XCTAssertEqual(row.unitCost, price("23.50"))
    }

    // MARK: Monthly average: the residue

    /// Opening 3 worth 10.00, c = 10/3; three issues of 1 → 3 × 3.33 = 9.99; closing 0 → value 0;
    /// issue total 10.00; residue 0.01 to one of the tied lines.
    func residueLine(_ issues: [Movement]) -> [Money?] {
        let result = StockLedger.compute(month: october, openings: [opening("3", "10.00")], movements: issues,
                                         method: .monthlyAverage)
        XCTAssertEqual(result.row()?.issueValue, money("10.00"))
        return result.values(1...3)
    }

    func testMonthlyResidueTieGoesToTheLatestDocDate() {
        // Line 2 has the latest date although line 3 comes later in the file.
        let values = residueLine([move(1, "10-02", .sale, "1"), move(2, "10-04", .sale, "1"), move(3, "10-03", .sale, "1")])
        XCTAssertEqual(values, [money("3.33"), money("3.34"), money("3.33")])
    }

    func testMonthlyResidueTieOnOneDateGoesToTheLastInFileOrder() {
        let values = residueLine([move(1, "10-05", .sale, "1"), move(2, "10-05", .warranty, "1"), move(3, "10-02", .sale, "1")])
        XCTAssertEqual(values, [money("3.33"), money("3.34"), money("3.33")])
    }

    func testMonthlyResidueGoesToTheLargestQtyBeforeLaterLines() throws {
        // Opening 7 worth 10.00: c = 10/7 = 1.428571…
        // lines: 2c = 2.857142… → 2.86; 1c → 1.43; 1c → 1.43; Σ 5.72
        // closing 3 → round2(4.285714…) = 4.29; issue total 10.00 − 4.29 = 5.71; residue −0.01 → line 1
        let result = StockLedger.compute(
            month: october, openings: [opening("7", "10.00")],
            movements: [move(1, "10-02", .sale, "2"), move(2, "10-09", .sale, "1"), move(3, "10-09", .sale, "1")],
            method: .monthlyAverage)
        XCTAssertEqual(result.values(1...3), [money("2.85"), money("1.43"), money("1.43")])
        XCTAssertEqual(result.row()?.closingValue, money("4.29"))
    }

    func testMonthlyResidueWithoutIssueLinesStaysInIssueValue() throws {
        // Opening −5 worth −50.00; receipt 3 × 12.00 = 36.00. Available qty −2 ≤ 0 → c = last receipt cost 12.00.
        // closing −2 → round2(−2 × 12.00) = −24.00; issue value = −50.00 + 36.00 + 24.00 = 10.00 with no issue line.
        let result = StockLedger.compute(month: october, openings: [opening("-5", "-50.00")],
                                         movements: [move(1, "10-03", .purchase, "3", cost: "12.00")],
                                         method: .monthlyAverage)
        let row = try XCTUnwrap(result.row())
        XCTAssertEqual(row.closingValue, money("-24.00"))
        XCTAssertEqual(row.issueQty, .zero)
        XCTAssertEqual(row.issueValue, money("10.00"))
        XCTAssertEqual(row.unitCost, price("12.00"), "closing qty ≤ 0: the unit cost is c")
        XCTAssertEqual(row.firstNegativeDate, october.firstDay, "a negative opening is negative on the 1st")
        XCTAssertEqual(row.minQty, qty("-5"))
    }

    // MARK: Moving average: Q to exactly 0, last known cost

    func testMovingAverageIssueToZeroTakesAllOfV() throws {
        let result = StockLedger.compute(month: october, openings: [], movements: [
            move(1, "10-01", .purchase, "3", cost: "10.00"),  // Q 3, V 30.00
            move(2, "10-02", .sale, "1"),                      // 10.00; Q 2, V 20.00 (last V/Q with Q > 0: 10.00)
            move(3, "10-03", .purchase, "-2", cost: "12.00"),  // −24.00 at its own cost; Q 0, V −4.00
            move(4, "10-04", .sale, "1"),                      // Q ≤ 0: last known 10.00; Q −1, V −14.00
            move(5, "10-05", .sale, "-1"),                     // reversal to Q = 0 takes all of V: −14.00; Q 0, V 0
            move(6, "10-06", .purchase, "3", cost: "3.333"),   // round2(9.999) = 10.00; Q 3, V 10.00
            move(7, "10-07", .sale, "1"),                      // 10.00/3 → 3.33; Q 2, V 6.67
            move(8, "10-08", .sale, "2"),                      // to 0: all of V = 6.67 (= round2(2 × 6.67/2) anyway)
        ], method: .movingAverage)
        XCTAssertEqual(result.values(1...8), ["30.00", "10.00", "-24.00", "10.00", "-14.00", "10.00", "3.33", "6.67"].map(money))
        let row = try XCTUnwrap(result.row())
        XCTAssertEqual(row.closingQty, .zero)
        XCTAssertEqual(row.closingValue, .zero)
        // closing qty 0: unit cost = last V/Q seen with Q > 0 = 6.67 / 2
        XCTAssertEqual(row.unitCost, UnitPrice(numerator: 667, denominator: 200))    // 6.67 / 2 = 3.335
    }

    func testMovingAverageLastKnownCostFallsBackToTheLastReceiptThenZero() throws {
        let result = StockLedger.compute(month: october, openings: [], movements: [
            move(1, "10-01", .sale, "1"),                       // nothing known yet (no look-ahead): 0.00
            move(2, "10-02", .purchase, "-2", cost: "7.00"),   // −14.00; Q −3, V −14.00, never Q > 0
            move(3, "10-03", .sale, "1"),                       // last receipt unit cost 7.00 → 7.00; Q −4, V −21.00
        ], method: .movingAverage)
        XCTAssertEqual(result.values(1...3), [money("0.00"), money("-14.00"), money("7.00")])
        let row = try XCTUnwrap(result.row())
        XCTAssertEqual(row.closingValue, money("-21.00"))
        XCTAssertEqual(row.unitCost, price("7.00"))
        XCTAssertEqual(row.firstNegativeDate, day("10-01"))
    }

    // MARK: FIFO: rounding once, reversals, negative layers

    func testFIFOReversalsAndNegativeLayers() throws {
        let result = StockLedger.compute(month: october, openings: [], movements: [
            move(1, "10-01", .purchase, "1", cost: "0.005"),  // round2(0.005) = 0.01   [1 @ 0.005]
            move(2, "10-01", .otherIn, "1", cost: "0.005"),   // 0.01                   [1 @ 0.005, 1 @ 0.005]
            move(3, "10-02", .sale, "2"),                     // round2(0.005 + 0.005) = 0.01, not 0.01 + 0.01   []
            move(4, "10-03", .purchase, "5", cost: "1.00"),   // 5.00                   [5 @ 1]
            move(5, "10-03", .purchase, "3", cost: "2.00"),   // 6.00                   [5 @ 1, 3 @ 2]
            move(6, "10-04", .purchase, "-4", cost: "2.00"),  // −8.00; 3 from the newest layer, 1 from the next   [4 @ 1]
            move(7, "10-05", .sale, "4"),                     // 4 × 1 = 4.00           []
            move(8, "10-06", .sale, "-1"),                    // no layer left: the newest layer's cost (2, used up): −2.00   [1 @ 2]
            move(9, "10-07", .purchase, "-3", cost: "1.00"),  // −3.00; takes 1, 2 short at the newest cost   [−2 @ 2]
            move(10, "10-08", .sale, "-1"),                   // refills the negative layer: −1 × 2 = −2.00   [−1 @ 2]
            move(11, "10-09", .purchase, "2", cost: "5.00"),  // 10.00; fills 1            [1 @ 5]
            move(12, "10-10", .sale, "1"),                    // 5.00                    []
        ], method: .fifo)
        XCTAssertEqual(result.values(1...12), ["0.01", "0.01", "0.01", "5.00", "6.00", "-8.00", "4.00", "-2.00",
                                               "-3.00", "-2.00", "10.00", "5.00"].map(money))
        let row = try XCTUnwrap(result.row())
        // receipts 0.01 + 0.01 + 5.00 + 6.00 − 8.00 − 3.00 + 10.00 = 10.02; issues 0.01 + 4.00 − 2.00 − 2.00 + 5.00 = 5.01
        XCTAssertEqual(row.closingQty, .zero)
        XCTAssertEqual(row.closingValue, money("5.01"))
        XCTAssertEqual(row.unitCost, price("5.00"), "closing qty 0: the newest layer's cost")
        XCTAssertEqual(row.firstNegativeDate, day("10-07"))
        XCTAssertEqual(row.minQty, qty("-2"))
    }

    func testFIFONegativeOpeningIsANegativeLayer() throws {
        // opening −2 worth −6.00: one layer [−2 @ 3]; receipt 5 × 4.00 = 20.00 fills it: [3 @ 4]; issue 3 × 4 = 12.00
        let result = StockLedger.compute(month: october, openings: [opening("-2", "-6.00")], movements: [
            move(1, "10-03", .purchase, "5", cost: "4.00"), move(2, "10-04", .sale, "3"),
        ], method: .fifo)
        XCTAssertEqual(result.values(1...2), [money("20.00"), money("12.00")])
        XCTAssertEqual(result.row()?.closingValue, money("2.00"))  // −6.00 + 20.00 − 12.00
    }

    // MARK: Rows

    func testOpeningsAndRowsOfTheMonth() throws {
        let other = StockKey(warehouse: "OLD", partNo: "P1")
        let counted = StockKey(warehouse: "NEW", partNo: "P0")
        let result = StockLedger.compute(month: october, openings: [
            opening("2", "20.00", asOf: nil),                     // undated: October's
            opening("1", "10.50"),                                // dated the 1st: adds up with the undated row
            opening("5", "5.00", asOf: day("09-01")),             // September's: ignored
            opening("0", "0.00", key: other),                     // 0/0 still makes a row
        ], movements: [
            move(1, "10-03", .oldPartIn, "1", key: StockKey(warehouse: "OLD", partNo: "P2")),   // unit cost 0
            move(2, "09-30", .sale, "1", key: StockKey(warehouse: "NEW", partNo: "P9")),        // outside: no row
        ], method: .monthlyAverage, extraKeys: [counted, mainKey])
        XCTAssertEqual(result.rows.map(\.key), [counted, mainKey, other, StockKey(warehouse: "OLD", partNo: "P2")])
        let main = try XCTUnwrap(result.row())
        XCTAssertEqual(main.openingQty, qty("3"))
        XCTAssertEqual(main.closingValue, money("30.50"))
        XCTAssertEqual(main.unitCost, UnitPrice(numerator: 3050, denominator: 300))  // 30.50 / 3
        XCTAssertEqual(result.row(counted), LedgerRow(key: counted))
        XCTAssertEqual(result.row(StockKey(warehouse: "OLD", partNo: "P2"))?.closingValue, .zero)
        XCTAssertEqual(result.lineValues, [RowRef(file: 0, line: 1): .zero])
    }
}
