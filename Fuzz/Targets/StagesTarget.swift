import Config
import Core
import Foundation
import Ingest
import Ledger
import Reconcile
import Reports

// Fuzz target `stages`: what comes after Ingest. The input is taken as the `loader` target takes it
// (`InputFolders`: one CSV file, its kind from the first distinctive column, its config from the
// first line's separator), but its folder also holds a small valid file of every other kind
// (`companions`: masters, openings, movements with reversals and an over-issue, orders, counts,
// repairs, September and October), so that fuzzed rows meet real ones: fuzzed counts a ledger,
// fuzzed movements the openings, orders and repairs they are reconciled with. It is loaded as the
// monthly run loads (period 2026-10, every kind); a whole-file error ends the case (the loader
// target checks those). Then, inside one `ExactRange.watch` as Runner's stages are, for each
// costing method: StockLedger.compute for 2026-10, Reconciliation.compute (tolerance zero, or
// loose; last month's closing balances absent, or those of the 2026-09 ledger),
// PartsMovement.build, closingBalances, Profit.build (its unmatched returns warned about),
// ReconciliationReport.build, countAdjustments, DataIssues.table; once, QualityFeedback.build and
// DailyOrders.build for the latest order date (`--date latest`) and for 2026-10-31.
// An overflow the watch reports is what Runner turns into exit 3: fine. A trap is a crash.
// Invariants (Int128 arithmetic, so the checks themselves cannot overflow):
// - ledger rows sorted by key, one per (warehouse, part) with an opening row for the month or a
//   movement in it; a line value for exactly the month's movement lines;
// - per row, when its quantities cannot leave Int64 (Σ|qty| fits): closing qty = opening +
//   receipts − issues; opening, receipt and issue qty and qty_by_type equal the sums of the rows
//   read; min qty ≤ opening and closing, a first negative date iff min qty < 0;
// - when the watch reported no overflow: closing value = opening + receipt − issue value; opening
//   and receipt value equal the sums read; receipt line values are round2(qty × unit_cost); issue
//   value = Σ issue line values when the row has issue lines (what Profit's COGS adds up); the unit
//   cost is closing value / closing qty when that qty is > 0; the three methods agree on every
//   quantity, the opening and receipt values and the receipt line values;
// - reconciliation: negative_stock lists exactly the rows with a first negative date; variances
//   sorted; each counted variance ≠ 0 has its count adjustment (|qty|, in order); opening
//   continuity empty without last month's balances;
// - reports: every row and totals row as wide as its columns, each cell of its column's declared kind; the movement table and the closing
//   balances have a row per ledger row plus counted keys without one; one count-adjustment row per
//   adjustment; the Data issues table one row per issue, unmatched returns included; daily
//   lines_received = the live order lines of the day.

private let month = Month(year: 2026, month: 10)!

/// A valid file of every kind; each folder holds those of the kinds other than its own.
private let companions: [InputKind: String] = [
    .parts: """
        part_no,part_name,spec,unit,category,list_price,supplier
        P-1001,压缩机,KFR-35,个,压缩机类,1273.50,美芝
        P-1002,制冷剂R32,3kg,kg,冷媒,63.00,巨化
        100000001,显示板,,块,电控,110.00,

        """,
    .dealers: "网点编码,网点名称,区域\nW10001,上海服务站,华东\nW10002,广州服务站,华南\n",
    .faults: "fault_code,fault_category,description\nP0,电控类,模块过热\nE1,传感器类,室内环境温度传感器故障\n",
    .fleet: "product_model,month,units\nKFR-35GW/BpR3,2026-10,37800\nKFR-35GW/BpR3,2026-09,37000\n",
    .opening: """
        warehouse,part_no,qty,value,as_of
        NEW,P-1001,14,2184.30,2026-10-01
        NEW,P-1002,6,378.00,
        OLD,P-1001,1,0,

        """,
    .movements: """
        doc_no,line_no,doc_date,warehouse,part_no,move_type,qty,unit_cost,ref_no
        CG202609050001,1,2026-09-05,NEW,P-1001,PURCHASE,20,150.00,
        XS202609100001,1,2026-09-10,NEW,P-1001,SALE,6,,DD2026090800001
        CG202610020001,1,2026-10-02,NEW,P-1001,PURCHASE,100,160.20,
        CG202610020001,2,2026-10-02,NEW,P-1002,PURCHASE,50,60.00,
        CG202610030001,1,2026-10-03,NEW,P-1002,PURCHASE,-5,60.00,
        XS202610060001,1,2026-10-06,NEW,P-1001,SALE,2,,DD2026100500001
        XS202610060001,2,2026-10-06,NEW,P-1002,SALE,3.5,,DD2026100500001
        XS202610070001,1,2026-10-07,NEW,P-1001,SALE,-1,,DD2026100500001
        TH202610080001,1,2026-10-08,NEW,P-1001,DEALER_RETURN,1,159.00,DD2026100500001
        TH202610080002,1,2026-10-08,NEW,P-1002,DEALER_RETURN,1,60.00,DD2026099900009
        SB202610090001,1,2026-10-09,NEW,P-1002,WARRANTY,1,,WX2026100300001
        JJ202610120001,1,2026-10-12,OLD,P-1002,OLD_PART_IN,1,,WX2026100300001
        BF202610150001,1,2026-10-15,NEW,100000001,SCRAP,3,,
        DB202610160001,1,2026-10-16,NEW,P-1001,TRANSFER_OUT,5,,
        DB202610160001,2,2026-10-16,WH2,P-1001,TRANSFER_IN,5,160.20,

        """,
    .orders: """
        order_no,line_no,order_date,dealer_id,part_no,qty,unit_price,amount,channel,status,ship_date
        DD2026090800001,1,2026-09-08,W10001,P-1001,6,1273.50,,online,shipped,2026-09-10
        DD2026100500001,1,2026-10-05,W10001,P-1001,2,1273.50,,online,shipped,2026-10-06
        DD2026100500001,2,2026-10-05,W10001,P-1002,3.5,63.00,,online,shipped,2026-10-06
        DD2026102000001,1,2026-10-20,W10002,100000001,4,110.00,440.00,phone,open,
        DD2026102100001,1,2026-10-21,W10002,P-1001,1,1273.50,,phone,cancelled,

        """,
    .counts: """
        count_date,warehouse,location,part_no,counted_qty,counter
        2026-10-31,NEW,A-01,P-1001,100,王芳
        2026-10-31,NEW,A-02,P-1001,6,王芳
        2026-10-31,NEW,B-01,P-1002,40,张伟

        """,
    .repairs: """
        repair_no,line_no,repair_date,dealer_id,product_model,serial_no,fault_code,fault_desc,part_no,qty,warranty,old_part_return,labor_cost,parts_cost
        WX2026092000001,1,2026-09-20,W10001,KFR-35GW/BpR3,0352306554216,E1,传感器坏,P-1002,1,是,是,80.00,63.00
        WX2026100300001,1,2026-10-03,W10001,KFR-35GW/BpR3,0352306554217,P0,模块过热,P-1002,1,是,是,170.00,63.00
        WX2026100300001,2,2026-10-03,W10001,KFR-35GW/BpR3,0352306554217,P0,模块过热,,,是,否,50.00,0
        WX2026101000001,1,2026-10-10,W10002,KFR-26GW/BpR3,0352306554218,L2,滴水,,,否,否,110.00,0.00

        """,
]

private let folders = InputFolders { kind in companions.filter { $0.key != kind } }

/// A looser tolerance than the default zero, for one of the methods' reconciliations.
private let looseTolerance: Tolerance = {
    var t = Tolerance()
    t.qtyAbs = Quantity(milli: 1000)
    t.qtyPct = ExactDecimal(mantissa: 5, scale: 1)
    t.valueAbs = Money(cents: 10_000)
    return t
}()

func fuzzTarget(_ data: UnsafeBufferPointer<UInt8>) {
    let folders = folders
    folders.write(data)
    let input = Array(data)
    let kind = folders.kind(of: input)
    var config = Config()
    config.inputs[kind] = readingOptions(input).0

    // Ingest as the monthly run does it (Runner runs it watched too).
    let loaded: Dataset
    do {
        let (dataset, overflow) = try ExactRange.watch {
            try Loader(directory: folders.directory(kind), config: config, period: month)
                .load(Set(InputKind.allCases.filter { !$0.isMaster }))
        }
        if overflow != nil { return }
        loaded = dataset
    } catch {
        return
    }

    let (stages, overflow) = ExactRange.watch { runStages(loaded) }
    checkStages(stages, loaded, overflow: overflow, input: input)
    if verbose {
        let rows = stages.runs.map { "\($0.method) \($0.ledger.rows.count)" }.joined(separator: ", ")
        FileHandle.standardError.write(Data(("stages: \(kind) file; \(loaded.orders.count) orders, \(loaded.movements.count) movements, \(loaded.openings.count) openings, "
              + "\(loaded.counts.count) counts, \(loaded.repairs.count) repairs, \(loaded.issues.count) issues; ledger rows \(rows); "
              + "overflow: \(overflow ?? "none")\n").utf8))
    }
}

/// FUZZ_VERBOSE=1 prints what each input ran into (for replaying a file).
private let verbose = ProcessInfo.processInfo.environment["FUZZ_VERBOSE"] != nil

// MARK: Running the stages

private struct MethodRun {
    let method: CostingMethod
    let ledger: LedgerResult
    let previous: [StockKey: Balance]?
    let reconciliation: Reconciliation
    let movement: Report
    let closingBalances: Table
    let profit: Report
    let unmatchedReturns: Int
    let reconciliationReport: Report
    let countAdjustments: Table
    let issues: [DataIssue]
    let dataIssues: Table
}

private struct Stages {
    var runs: [MethodRun] = []
    var quality: Report?
    var daily: [(day: Day, report: Report)] = []
}

/// MonthlyPipeline's calls (its reports as MonthlyReport.all builds them) for every costing method, and DailyPipeline's.
private func runStages(_ loaded: Dataset) -> Stages {
    var stages = Stages()
    for (n, method) in CostingMethod.allCases.enumerated() {
        let dataset = loaded
        let ledger = StockLedger.compute(month: month, openings: dataset.openings, movements: dataset.movements, method: method)
        // What Runner reads back from last month's closing-balances file: none, or the 2026-09 ledger's closing.
        var previous: [StockKey: Balance]?
        if n > 0 {
            let before = StockLedger.compute(month: month.previous, openings: dataset.openings, movements: dataset.movements, method: method)
            previous = Dictionary(uniqueKeysWithValues: before.rows.map { ($0.key, Balance(qty: $0.closingQty, value: $0.closingValue)) })
        }
        let reconciliation = Reconciliation.compute(month: month, ledger: ledger.rows, movements: dataset.movements, counts: dataset.counts,
                                                    orders: dataset.orders, repairs: dataset.repairs,
                                                    tolerance: n == 2 ? looseTolerance : Tolerance(), previousClosing: previous)
        let movement = PartsMovement.build(month: month, ledger: ledger.rows, variances: reconciliation.stockVariance, parts: dataset.parts)
        let closing = PartsMovement.closingBalances(month: month, ledger: ledger.rows, variances: reconciliation.stockVariance)
        let (profit, unmatched) = Profit.build(month: month, orders: dataset.orders, movements: dataset.movements,
                                               repairs: dataset.repairs, lineValues: ledger.lineValues,
                                               parts: dataset.parts, dealers: dataset.dealers)
        // The pipeline's RowWarning: listed after the issues read.
        let raised = unmatched.map {
            DataIssue(file: dataset.file($0.ref).name, line: Int($0.ref.line), column: "ref_no", severity: .warning,
                      code: .returnUnmatched, message: $0.message, rawRow: "")
        }
        let reconciliationReport = ReconciliationReport.build(month: month, reconciliation: reconciliation, parts: dataset.parts)
        let adjustments = PartsMovement.countAdjustments(reconciliation.adjustments)
        stages.runs.append(MethodRun(method: method, ledger: ledger, previous: previous, reconciliation: reconciliation,
                                     movement: movement, closingBalances: closing, profit: profit, unmatchedReturns: unmatched.count,
                                     reconciliationReport: reconciliationReport, countAdjustments: adjustments,
                                     issues: dataset.issues + raised, dataIssues: DataIssues.table(dataset.issues, raised)))
    }
    stages.quality = QualityFeedback.build(month: month, repairs: loaded.repairs, movements: loaded.movements, parts: loaded.parts,
                                           dealers: loaded.dealers, faults: loaded.faults, fleet: loaded.fleet)
    var days: [Day] = []
    if let latest = loaded.orders.map(\.orderDate).max() { days.append(latest) }
    if !days.contains(month.lastDay) { days.append(month.lastDay) }
    for day in days {
        stages.daily.append((day, DailyOrders.build(orders: loaded.orders, parts: loaded.parts, dealers: loaded.dealers, day: day)))
    }
    return stages
}

// MARK: Checks

private func wide(_ q: Quantity) -> Int128 { Int128(q.milli) }
private func wide(_ m: Money) -> Int128 { Int128(m.cents) }

/// What the rows read say a ledger row must hold, summed in Int128.
private struct Expected {
    var openingQty: Int128 = 0, openingValue: Int128 = 0
    var receiptQty: Int128 = 0, issueQty: Int128 = 0
    var absQty: Int128 = 0
    var byType: [MoveType: Int128] = [:]
    var receiptLines: [Movement] = [], issueLines: [Movement] = []
}

private func checkStages(_ s: Stages, _ d: Dataset, overflow: String?, input: [UInt8]) {
    let exact = overflow == nil
    let about = { "overflow \(overflow ?? "none"); input \(show(input))" }

    // What the ledger must hold, from the rows read.
    var expected: [StockKey: Expected] = [:]
    for o in d.openings where o.asOf == nil || o.asOf == month.firstDay {
        let key = StockKey(warehouse: o.warehouse, partNo: o.partNo)
        expected[key, default: Expected()].openingQty += wide(o.qty)
        expected[key, default: Expected()].openingValue += wide(o.value)
        expected[key, default: Expected()].absQty += Int128(o.qty.milli.magnitude)
    }
    let monthMoves = d.movements.filter { month.contains($0.docDate) }
    for m in monthMoves {
        let key = StockKey(warehouse: m.warehouse, partNo: m.partNo)
        var e = expected[key] ?? Expected()
        if m.type.isReceipt { e.receiptQty += wide(m.qty); e.receiptLines.append(m) }
        else { e.issueQty += wide(m.qty); e.issueLines.append(m) }
        e.byType[m.type, default: 0] += wide(m.qty)
        e.absQty += Int128(m.qty.milli.magnitude)
        expected[key] = e
    }
    let fits = { (x: Int128) in x <= Int128(Int64.max) }

    for run in s.runs {
        let name = "\(run.method)"
        let rows = run.ledger.rows
        // Rows and line values.
        for (a, b) in zip(rows, rows.dropFirst()) { check(a.key < b.key, "\(name): ledger rows \(a.key), \(b.key) out of order; \(about())") }
        check(rows.count == expected.count && rows.allSatisfy { expected[$0.key] != nil },
              "\(name): \(rows.count) ledger rows, \(expected.count) (warehouse, part) with an opening or a movement in \(month); \(about())")
        check(run.ledger.lineValues.count == monthMoves.count && monthMoves.allSatisfy { run.ledger.lineValues[$0.ref] != nil },
              "\(name): \(run.ledger.lineValues.count) line values for \(monthMoves.count) movement lines of \(month); \(about())")

        for row in rows {
            guard let e = expected[row.key] else { continue }
            let what = "\(name) \(row.key.warehouse)/\(row.key.partNo)"
            // Quantities: exact whenever no partial sum of this row can leave Int64.
            if fits(e.absQty) {
                check(wide(row.closingQty) == wide(row.openingQty) + wide(row.receiptQty) - wide(row.issueQty),
                      "\(what): closing qty \(row.closingQty) ≠ opening \(row.openingQty) + receipts \(row.receiptQty) − issues \(row.issueQty); \(about())")
                check(wide(row.openingQty) == e.openingQty && wide(row.receiptQty) == e.receiptQty && wide(row.issueQty) == e.issueQty,
                      "\(what): qty opening/receipts/issues \(row.openingQty)/\(row.receiptQty)/\(row.issueQty), the rows read sum to \(e.openingQty)/\(e.receiptQty)/\(e.issueQty); \(about())")
                check(row.qtyByType.count == e.byType.count && e.byType.allSatisfy { row.qtyByType[$0.key].map(wide) == $0.value },
                      "\(what): qty by type \(row.qtyByType), the rows read give \(e.byType); \(about())")
                check(row.minQty <= row.openingQty && row.minQty <= row.closingQty && (row.firstNegativeDate != nil) == (row.minQty.milli < 0),
                      "\(what): min qty \(row.minQty), first negative \(String(describing: row.firstNegativeDate)), opening \(row.openingQty), closing \(row.closingQty); \(about())")
            }
            guard exact else { continue }
            check(wide(row.closingValue) == wide(row.openingValue) + wide(row.receiptValue) - wide(row.issueValue),
                  "\(what): closing value \(row.closingValue) ≠ opening \(row.openingValue) + receipts \(row.receiptValue) − issues \(row.issueValue); \(about())")
            check(wide(row.openingValue) == e.openingValue, "\(what): opening value \(row.openingValue), the rows read sum to \(e.openingValue); \(about())")
            var receiptValue: Int128 = 0
            for m in e.receiptLines {
                let value = run.ledger.lineValues[m.ref] ?? .zero
                let cost = m.unitCost ?? .zero
                check(cost.checkedAmount(for: m.qty) == value, "\(what): receipt line \(m.ref) valued \(value), not \(m.qty) × \(cost); \(about())")
                receiptValue += wide(value)
            }
            check(wide(row.receiptValue) == receiptValue, "\(what): receipt value \(row.receiptValue), its lines sum to \(receiptValue); \(about())")
            if !e.issueLines.isEmpty {
                let issueValue = e.issueLines.reduce(Int128(0)) { $0 + wide(run.ledger.lineValues[$1.ref] ?? .zero) }
                check(wide(row.issueValue) == issueValue, "\(what): issue value \(row.issueValue), its lines sum to \(issueValue); \(about())")
            }
            if row.closingQty.milli > 0 {
                check(row.unitCost == UnitPrice(value: row.closingValue, per: row.closingQty),
                      "\(what): unit cost \(row.unitCost) with closing \(row.closingValue) / \(row.closingQty); \(about())")
            }
        }

        // Reconciliation.
        let r = run.reconciliation
        let negative = rows.filter { $0.firstNegativeDate != nil }
        check(r.negativeStock.map { StockKey(warehouse: $0.warehouse, partNo: $0.partNo) } == negative.map(\.key),
              "\(name): negative_stock lists \(r.negativeStock.count) rows, the ledger has \(negative.count) with a first negative date; \(about())")
        for (a, b) in zip(r.stockVariance, r.stockVariance.dropFirst()) {
            check((a.warehouse, a.partNo) <= (b.warehouse, b.partNo), "\(name): stock variances out of order; \(about())")
        }
        if run.previous == nil { check(r.openingContinuity.isEmpty, "\(name): opening continuity without last month's balances") }
        if exact {
            let varied = r.stockVariance.compactMap { v in v.varianceQty.flatMap { $0.isZero ? nil : (v, $0) } }
            check(varied.count == r.adjustments.count && zip(varied, r.adjustments).allSatisfy { v, a in
                      a.warehouse == v.0.warehouse && a.partNo == v.0.partNo && wide(a.qty) == wide(v.1).magnitude
                  }, "\(name): \(r.adjustments.count) count adjustments for \(varied.count) variances ≠ 0; \(about())")
            for v in r.stockVariance {
                if let counted = v.countedQty, let book = v.bookQty, let variance = v.varianceQty {
                    check(wide(variance) == wide(counted) - wide(book), "\(name): variance \(variance) ≠ counted \(counted) − book \(book); \(about())")
                }
            }
        }

        // Reports.
        for report in [run.movement, run.profit, run.reconciliationReport] { checkShape(report, about) }
        checkShape(run.closingBalances, about)
        checkShape(run.countAdjustments, about)
        checkShape(run.dataIssues, about)
        let countedKeys = Set(r.stockVariance.filter { $0.countedQty != nil }.map { StockKey(warehouse: $0.warehouse, partNo: $0.partNo) })
        let movementRows = Set(rows.map(\.key)).union(countedKeys).count
        check(run.movement.tables[0].rows.count == movementRows && run.closingBalances.rows.count == movementRows,
              "\(name): movement table \(run.movement.tables[0].rows.count) rows, closing balances \(run.closingBalances.rows.count), expected \(movementRows); \(about())")
        check(run.movement.workbookTables.reduce(0) { $0 + $1.rows.count } == movementRows,
              "\(name): the warehouse sheets do not hold every movement row; \(about())")
        check(run.countAdjustments.rows.count == r.adjustments.count, "\(name): count-adjustments rows ≠ adjustments")
        check(run.issues.count == d.issues.count + run.unmatchedReturns && run.dataIssues.rows.count == run.issues.count,
              "\(name): \(d.issues.count) issues read + \(run.unmatchedReturns) unmatched returns, Data issues table \(run.dataIssues.rows.count); \(about())")
    }

    if exact, let first = s.runs.first {
        for other in s.runs.dropFirst() {
            for (a, b) in zip(first.ledger.rows, other.ledger.rows) {
                check(a.key == b.key && a.openingQty == b.openingQty && a.openingValue == b.openingValue && a.receiptQty == b.receiptQty
                      && a.receiptValue == b.receiptValue && a.issueQty == b.issueQty && a.closingQty == b.closingQty
                      && a.qtyByType == b.qtyByType && a.firstNegativeDate == b.firstNegativeDate && a.minQty == b.minQty,
                      "\(first.method) and \(other.method) disagree on a quantity or a receipt figure of \(a.key.warehouse)/\(a.key.partNo); \(about())")
            }
            for m in monthMoves where m.type.isReceipt {
                check(first.ledger.lineValues[m.ref] == other.ledger.lineValues[m.ref],
                      "\(first.method) and \(other.method) value the receipt line \(m.ref) differently; \(about())")
            }
        }
    }

    if let quality = s.quality { checkShape(quality, about) }
    for (day, report) in s.daily {
        checkShape(report, about)
        let live = d.orders.filter { $0.status != .cancelled && $0.orderDate == day }.count
        let summary = report.table("summary")
        check(summary?.rows.first { $0.first == .code("lines_received") }?.last == .count(live),
              "daily \(day): lines_received is not the \(live) live order lines of the day; \(about())")
    }
}

private func checkShape(_ report: Report, _ about: () -> String) {
    for table in report.tables + (report.sheets ?? []) { checkShape(table, about, report: report.id.rawValue) }
}

private func checkShape(_ table: Table, _ about: () -> String, report: String = "") {
    check(Set(table.columns).count == table.columns.count, "\(report)/\(table.id): repeated column ids \(table.columns)")
    // Width and cell kinds: the harness is built -O, without Table's debug assertion.
    if let misfit = table.schema.misfit(in: table.rows) { check(false, "\(report): \(misfit); \(about())") }
    if let totals = table.totals, let misfit = table.schema.misfit(in: [totals]) {
        check(false, "\(report): totals: \(misfit); \(about())")
    }
}
