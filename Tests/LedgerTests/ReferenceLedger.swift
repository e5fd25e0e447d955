import Core
import Ingest

/// A deliberately naive second implementation of SPEC §4.2 and §6 "Ledger", written from the SPEC
/// and sharing no code with `StockLedger` / `Costing` beyond the row types (Movement, OpeningBalance,
/// Day, Month). Every figure is an exact fraction of its own (`Fraction`, not Core's UnitPrice or
/// gcd); round2 is its own (half away from zero); FIFO layers are a plain array; the walk order is
/// a plain sort. Slow and obvious on purpose: it is the expectation the property tests compare the
/// real ledger with.
enum ReferenceLedger {
    enum Method: CaseIterable { case monthly, moving, fifo }

    struct Row: Equatable, CustomStringConvertible {
        var warehouse: String, partNo: String
        var openingQty = Fraction.zero, openingValue = Fraction.zero
        var receiptQty = Fraction.zero, receiptValue = Fraction.zero
        var issueQty = Fraction.zero, issueValue = Fraction.zero
        var closingQty = Fraction.zero, closingValue = Fraction.zero
        var unitCost = Fraction.zero
        var qtyByType: [String: Fraction] = [:]
        var firstNegativeDate: Day?
        var minQty = Fraction.zero
        var description: String {
            "\(warehouse)/\(partNo) open \(openingQty)/\(openingValue) in \(receiptQty)/\(receiptValue) out \(issueQty)/\(issueValue) "
                + "close \(closingQty)/\(closingValue) cost \(unitCost) neg \(firstNegativeDate.map { "\($0)" } ?? "-") min \(minQty)"
        }
    }

    struct Result {
        var rows: [Row]
        /// Signed value of each line of the month, by the movement's index in the input array.
        var lineValues: [Int: Fraction]
        /// How often each notable branch of the rules was taken (so a test can check its generator reaches them).
        var branches: [String: Int] = [:]
    }

    /// The receipt-direction types of SPEC §2.2 (written out here, not taken from MoveType).
    static let receiptTypes: Set<String> = ["PURCHASE", "TRANSFER_IN", "DEALER_RETURN", "OLD_PART_IN", "OTHER_IN"]

    static func compute(month: Month, openings: [OpeningBalance], movements: [Movement], method: Method) -> Result {
        let first = month.firstDay, last = month.lastDay
        struct Key: Hashable { let w: String, p: String }
        var openQ: [Key: Fraction] = [:], openV: [Key: Fraction] = [:]
        var keys = Set<Key>()
        for o in openings where o.asOf == nil || o.asOf == first {
            let k = Key(w: o.warehouse, p: o.partNo)
            keys.insert(k)
            openQ[k, default: .zero] = openQ[k, default: .zero] + .qty(o.qty)
            openV[k, default: .zero] = openV[k, default: .zero] + .money(o.value)
        }
        var linesOf: [Key: [Int]] = [:]
        for (i, m) in movements.enumerated() where first <= m.docDate && m.docDate <= last {
            let k = Key(w: m.warehouse, p: m.partNo)
            keys.insert(k)
            linesOf[k, default: []].append(i)
        }
        var result = Result(rows: [], lineValues: [:])
        for k in keys.sorted(by: { ($0.w, $0.p) < ($1.w, $1.p) }) {
            // Walk order: doc_date, receipts before issues on one date, then file order (array index).
            let walk = (linesOf[k] ?? []).sorted { a, b in
                let ma = movements[a], mb = movements[b]
                let ra = receiptTypes.contains(ma.type.rawValue) ? 0 : 1, rb = receiptTypes.contains(mb.type.rawValue) ? 0 : 1
                if ma.docDate != mb.docDate { return ma.docDate < mb.docDate }
                if ra != rb { return ra < rb }
                return a < b
            }.map { Line(index: $0, movement: movements[$0]) }
            var row = Row(warehouse: k.w, partNo: k.p)
            row.openingQty = openQ[k] ?? .zero
            row.openingValue = openV[k] ?? .zero
            var values: [Int: Fraction] = [:]
            // Receipt lines: round2(qty × own unit_cost) under every method, reversals included.
            for line in walk where line.isReceipt { values[line.index] = round2(line.qty * line.cost) }
            let lastCost: Fraction
            switch method {
            case .monthly: lastCost = monthly(walk, row, &values, &result.branches)
            case .moving: lastCost = moving(walk, row, &values, &result.branches)
            case .fifo: lastCost = fifo(walk, row, &values, &result.branches)
            }
            var running = row.openingQty
            row.minQty = running
            if running < .zero { row.firstNegativeDate = first }
            for line in walk {
                if line.isReceipt {
                    row.receiptQty = row.receiptQty + line.qty
                    row.receiptValue = row.receiptValue + values[line.index]!
                    running = running + line.qty
                } else {
                    row.issueQty = row.issueQty + line.qty
                    running = running - line.qty
                }
                row.qtyByType[line.type, default: .zero] = row.qtyByType[line.type, default: .zero] + line.qty
                if running < row.minQty { row.minQty = running }
                if running < .zero && row.firstNegativeDate == nil { row.firstNegativeDate = line.date }
            }
            row.closingQty = running
            switch method {
            case .monthly:
                // closing value = round2(closing qty × c); issue value backflushed (倒挤), lines included or not.
                row.closingValue = round2(running * lastCost)
                row.issueValue = row.openingValue + row.receiptValue - row.closingValue
            case .moving, .fifo:
                row.issueValue = walk.filter { !$0.isReceipt }.reduce(Fraction.zero) { $0 + values[$1.index]! }
                row.closingValue = row.openingValue + row.receiptValue - row.issueValue
            }
            row.unitCost = running > .zero ? row.closingValue / running : lastCost
            result.rows.append(row)
            result.lineValues.merge(values) { $1 }
        }
        return result
    }

    struct Line {
        let index: Int
        let date: Day
        let type: String
        let isReceipt: Bool
        let qty: Fraction
        let cost: Fraction
        init(index: Int, movement m: Movement) {
            self.index = index
            date = m.docDate
            type = m.type.rawValue
            isReceipt = ReferenceLedger.receiptTypes.contains(type)
            qty = .qty(m.qty)
            cost = isReceipt ? m.unitCost.map { Fraction($0.numerator, $0.denominator) } ?? .zero : .zero
        }
    }

    /// 月末一次加权平均. Returns c.
    static func monthly(_ walk: [Line], _ row: Row, _ values: inout [Int: Fraction], _ hits: inout [String: Int]) -> Fraction {
        var q = row.openingQty, v = row.openingValue
        var lastReceiptCost = Fraction.zero
        for line in walk where line.isReceipt {
            q = q + line.qty
            v = v + values[line.index]!
            lastReceiptCost = line.cost
        }
        let c = q > .zero ? v / q : lastReceiptCost
        if q <= .zero { hits["monthly: no qty, last receipt cost", default: 0] += 1 }
        let issues = walk.filter { !$0.isReceipt }
        guard !issues.isEmpty else { return c }
        var closingQty = row.openingQty
        for line in walk { closingQty = line.isReceipt ? closingQty + line.qty : closingQty - line.qty }
        let total = v - round2(closingQty * c)
        var sum = Fraction.zero
        for line in issues {
            values[line.index] = round2(line.qty * c)
            sum = sum + values[line.index]!
        }
        // The residue goes to the largest signed qty; ties: latest doc_date, then latest in file order.
        let target = issues.max { a, b in
            if a.qty != b.qty { return a.qty < b.qty }
            if a.date != b.date { return a.date < b.date }
            return a.index < b.index
        }!
        values[target.index] = values[target.index]! + (total - sum)
        if total != sum { hits["monthly: residue", default: 0] += 1 }
        if issues.contains(where: { $0.index != target.index && $0.qty == target.qty }) { hits["monthly: residue tie", default: 0] += 1 }
        return c
    }

    /// 移动加权平均. Returns the last known unit cost.
    static func moving(_ walk: [Line], _ row: Row, _ values: inout [Int: Fraction], _ hits: inout [String: Int]) -> Fraction {
        var q = row.openingQty, v = row.openingValue
        var lastAverage: Fraction? = q > .zero ? v / q : nil
        var lastReceiptCost: Fraction?
        for line in walk {
            if line.isReceipt {
                q = q + line.qty
                v = v + values[line.index]!
                lastReceiptCost = line.cost
            } else {
                let value: Fraction
                if q - line.qty == .zero { value = v; hits["moving: to zero takes V", default: 0] += 1 }
                else if q > .zero { value = round2(line.qty * (v / q)) }
                else {   // Q ≤ 0: the last known unit cost
                    hits[lastAverage != nil ? "moving: Q<=0 last average" : "moving: Q<=0 receipt cost", default: 0] += 1
                    value = round2(line.qty * (lastAverage ?? lastReceiptCost ?? .zero))
                }
                values[line.index] = value
                q = q - line.qty
                v = v - value
            }
            if q > .zero { lastAverage = v / q }
        }
        return lastAverage ?? lastReceiptCost ?? .zero
    }

    /// 先进先出, layers oldest first as a plain array (empty layers removed). Returns the newest layer's cost.
    static func fifo(_ walk: [Line], _ row: Row, _ values: inout [Int: Fraction], _ hits: inout [String: Int]) -> Fraction {
        var layers: [(qty: Fraction, cost: Fraction)] = []
        var newest = Fraction.zero
        if row.openingQty != .zero {
            newest = row.openingValue / row.openingQty
            layers.append((row.openingQty, newest))
        }
        /// Fills negative layers oldest first with up to `qty`; returns (what is left, Σ filled × cost).
        func fillNegative(_ qty: Fraction) -> (Fraction, Fraction) {
            var rest = qty, sum = Fraction.zero
            var i = 0
            while rest > .zero && i < layers.count {
                if layers[i].qty < .zero {
                    let take = min(rest, .zero - layers[i].qty)
                    layers[i].qty = layers[i].qty + take
                    sum = sum + take * layers[i].cost
                    rest = rest - take
                }
                i += 1
            }
            layers.removeAll { $0.qty == .zero }
            return (rest, sum)
        }
        for line in walk {
            let q = line.qty
            if line.isReceipt && q > .zero {
                newest = line.cost
                let (rest, _) = fillNegative(q)
                if rest != q { hits["fifo: receipt fills negative", default: 0] += 1 }
                if rest > .zero { layers.append((rest, line.cost)) }
            } else if line.isReceipt {
                // Receipt reversal: from the newest positive layers backwards; beyond them a negative layer.
                var rest = .zero - q
                var i = layers.count - 1
                while rest > .zero && i >= 0 && layers[i].qty > .zero {
                    let take = min(rest, layers[i].qty)
                    layers[i].qty = layers[i].qty - take
                    rest = rest - take
                    i -= 1
                }
                layers.removeAll { $0.qty == .zero }
                if rest > .zero { layers.append((.zero - rest, newest)); hits["fifo: receipt reversal beyond layers", default: 0] += 1 }
                else { hits["fifo: receipt reversal", default: 0] += 1 }
            } else if q > .zero {
                var rest = q, sum = Fraction.zero
                var i = 0
                while rest > .zero && i < layers.count && layers[i].qty > .zero {
                    let take = min(rest, layers[i].qty)
                    layers[i].qty = layers[i].qty - take
                    sum = sum + take * layers[i].cost
                    rest = rest - take
                    i += 1
                }
                layers.removeAll { $0.qty == .zero }
                if rest > .zero {
                    hits["fifo: shortfall", default: 0] += 1
                    sum = sum + rest * newest
                    layers.append((.zero - rest, newest))
                }
                values[line.index] = round2(sum)
            } else {
                // Issue reversal: refill negative layers first, then a new front layer at the oldest
                // layer's cost (the newest cost when no layer is left).
                var (rest, sum) = fillNegative(.zero - q)
                if rest != .zero - q { hits["fifo: issue reversal refills", default: 0] += 1 }
                if rest > .zero {
                    let cost = layers.first?.cost ?? newest
                    layers.insert((rest, cost), at: 0)
                    hits[layers.count > 1 ? "fifo: issue reversal front layer" : "fifo: issue reversal, no layer left", default: 0] += 1
                    sum = sum + rest * cost
                    rest = .zero
                }
                values[line.index] = .zero - round2(sum)
            }
        }
        return newest
    }

    /// round2: to 0.01, half away from zero (四舍五入), written here from scratch.
    static func round2(_ x: Fraction) -> Fraction {
        // x × 100 = n / d with d > 0.
        let n = x.numerator * 100, d = x.denominator
        let whole = n.magnitude / d.magnitude, remainder = n.magnitude % d.magnitude
        let cents = remainder * 2 >= d.magnitude ? whole + 1 : whole
        return Fraction(n < 0 ? -Int128(cents) : Int128(cents), 100)
    }
}

/// An exact fraction over Int128, always reduced, denominator > 0. Its own gcd; traps on overflow
/// (Swift's checked arithmetic), which the tests' small figures never reach.
struct Fraction: Hashable, Comparable, CustomStringConvertible {
    let numerator: Int128
    let denominator: Int128
    static let zero = Fraction(0, 1)

    init(_ n: Int128, _ d: Int128) {
        precondition(d != 0)
        var a = n.magnitude, b = d.magnitude
        while b != 0 { (a, b) = (b, a % b) }
        let g = a == 0 ? 1 : Int128(a)
        let sign: Int128 = d < 0 ? -1 : 1
        numerator = sign * n / g
        denominator = sign * d / g
    }
    static func qty(_ q: Quantity) -> Fraction { Fraction(Int128(q.milli), 1000) }
    static func money(_ m: Money) -> Fraction { Fraction(Int128(m.cents), 100) }

    static func + (a: Fraction, b: Fraction) -> Fraction {
        Fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    static func - (a: Fraction, b: Fraction) -> Fraction { a + Fraction(-b.numerator, b.denominator) }
    static func * (a: Fraction, b: Fraction) -> Fraction {
        // Cross-reduce first to keep the products small.
        let x = Fraction(a.numerator, b.denominator), y = Fraction(b.numerator, a.denominator)
        return Fraction(x.numerator * y.numerator, x.denominator * y.denominator)
    }
    static func / (a: Fraction, b: Fraction) -> Fraction {
        precondition(b.numerator != 0)
        return a * Fraction(b.denominator, b.numerator)
    }
    static func < (a: Fraction, b: Fraction) -> Bool { a.numerator * b.denominator < b.numerator * a.denominator }
    var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }
}
