import Core
import Ingest

/// One movement line of a (warehouse, part), reduced to what the costing needs. A row's lines are
/// kept in walk order: doc_date, receipts before issues on one date, then file order (SPEC §4.2).
struct Line {
    // Fields ordered so that a line fits one 64-byte cache line.
    /// Receipt types: the line's unit cost; issue types: 0 (unused).
    let cost: UnitPrice
    /// As in the file: positive in the type's direction, negative for a reversal (红冲).
    let qty: Quantity
    /// Signed in the type's direction. Receipts: round2(qty × cost) under every method, reversals
    /// included (SPEC §6); issues: set by the costing method.
    var value: Money
    let ref: RowRef
    let date: Day
    /// Position of the move type in `moveTypes` (an array index, where a dictionary would hash its name).
    let typeOrdinal: UInt8
    let isReceipt: Bool

    init(_ m: borrowing Movement) {
        isReceipt = m.type.isReceipt
        cost = isReceipt ? m.unitCost ?? .zero : .zero
        qty = m.qty
        value = isReceipt ? cost.amount(for: qty) : .zero
        ref = m.ref
        date = m.docDate
        typeOrdinal = UInt8(moveTypes.firstIndex(of: m.type)!)
    }
}

/// The move types once, in `allCases` order (`allCases` builds a new array on every call).
let moveTypes = MoveType.allCases

extension Balance {
    /// round2(qty × value / self.qty), i.e. `qty` at this balance's average cost. `self.qty` ≠ 0.
    func share(_ qty: Quantity) -> Money {
        Money(cents: ExactRange.fit(roundedDivision(Int128(qty.milli) * Int128(value.cents), Int128(self.qty.milli)),
                                    "the value of \(qty) at \(value) / \(self.qty)"))
    }
    /// value / qty exactly. `qty` ≠ 0.
    var unitCost: UnitPrice { UnitPrice(value: value, per: qty) }
}

/// What a costing method reports for a row besides the issue line values.
struct Valuation {
    var closingValue: Money
    /// The unit cost the row shows when its closing qty is ≤ 0 (SPEC §6: monthly c, moving "last
    /// known", FIFO newest layer), 0 when the method knows none.
    var lastCost: UnitPrice
}

/// The three costing methods (SPEC §4.2 and §6 "Ledger"). Each sets the value of every issue line
/// (receipt lines are valued beforehand) and returns the closing value; the caller takes
/// issue value = opening + receipts − closing, so the closing identity holds by construction.
///
/// An issue reversal (negative qty on an issue type) is "valued by the method's issue rule":
/// - monthly average: round2(qty × c), negative; it can take the residue only when no issue line
///   has a larger signed qty.
/// - moving average: the same rule as an issue with the sign flipped: round2(qty × V/Q) while
///   Q > 0, else at the last known unit cost; when it brings Q from below 0 to exactly 0 it takes all
///   of V, like any issue line. (For an ordinary issue "takes all of V" changes nothing, since
///   round2(Q × V/Q) = V; for a reversal from negative stock it clears what the shortfall left.)
/// - FIFO: it refills negative layers first (oldest first, each at its own cost), then puts the
///   rest back at the front at the oldest remaining layer's cost — at the newest layer's cost when no
///   layer is left; value = −round2(Σ qty put back × layer cost).
enum Costing {
    /// 月末一次加权平均: c = (opening + receipt value) / (opening + receipt qty) exactly when that qty
    /// is > 0, else the unit cost of the last receipt-type line in walk order (reversals included),
    /// else 0. Closing value = round2(closing qty × c); each issue line round2(qty × c); the
    /// difference to the backflushed issue total goes to the issue line with the largest signed qty,
    /// ties to the later in walk order (= later doc_date, then later in file order).
    static func monthlyAverage(_ lines: inout [Line], opening: Balance, tracer: some Tracer) -> Valuation {
        var available = opening
        var closingQty = opening.qty
        var lastReceiptCost = UnitPrice.zero
        for line in lines {
            if line.isReceipt {
                available.qty += line.qty
                available.value += line.value
                closingQty += line.qty
                lastReceiptCost = line.cost
            } else {
                closingQty -= line.qty
            }
        }
        func valueAtC(_ qty: Quantity) -> Money {
            available.qty > .zero ? available.share(qty) : lastReceiptCost.amount(for: qty)
        }
        let closingValue = valueAtC(closingQty)
        var residue = available.value - closingValue
        var largest: Int?
        for n in lines.indices where !lines[n].isReceipt {
            lines[n].value = valueAtC(lines[n].qty)
            residue -= lines[n].value
            if largest.map({ lines[n].qty >= lines[$0].qty }) ?? true { largest = n }
        }
        if let largest { lines[largest].value += residue }
        if type(of: tracer).isOn {
            let c: CostingStep.AverageCost = available.qty > .zero
                ? .averaged(value: available.value, qty: available.qty, unitCost: available.unitCost) : .lastReceipt(lastReceiptCost)
            for n in lines.indices where !lines[n].isReceipt && tracer.wantsCosting(lines[n].ref) {
                tracer.costing(lines[n].ref, .monthlyAverage(qty: lines[n].qty, value: valueAtC(lines[n].qty), c: c))
                if n == largest && !residue.isZero { tracer.costing(lines[n].ref, .residue(residue)) }
            }
        }
        return Valuation(closingValue: closingValue,
                         lastCost: available.qty > .zero ? available.unitCost : lastReceiptCost)
    }

    /// 移动加权平均: receipts add their qty and value to the running Q and V; an issue line is
    /// round2(qty × V/Q); one that brings Q to exactly 0 takes all of V; with Q ≤ 0 before it, it is
    /// valued at the last known unit cost: the last V/Q seen while Q > 0 (opening included), else the
    /// unit cost of the last receipt-type line walked so far, else 0. "Last known" never looks ahead
    /// to a later receipt of the month.
    static func movingAverage(_ lines: inout [Line], opening: Balance, tracer: some Tracer) -> Valuation {
        var stock = opening
        var known: Balance? = stock.qty > .zero ? stock : nil
        var lastReceiptCost = UnitPrice.zero
        for n in lines.indices {
            let qty = lines[n].qty
            if lines[n].isReceipt {
                stock.qty += qty
                stock.value += lines[n].value
                lastReceiptCost = lines[n].cost
            } else {
                let value = if qty == stock.qty { stock.value }
                    else if stock.qty > .zero { stock.share(qty) }
                    else if let known { known.share(qty) }
                    else { lastReceiptCost.amount(for: qty) }
                lines[n].value = value
                if tracer.wantsCosting(lines[n].ref) {
                    let step: CostingStep = if qty == stock.qty { .movingAllOfV(stock.value) }
                        else if stock.qty > .zero { .movingShare(qty: qty, v: stock.value, q: stock.qty) }
                        else if let known { .movingLastKnown(qty: qty, q: stock.qty, knownV: known.value, knownQ: known.qty) }
                        else { .movingLastReceipt(qty: qty, q: stock.qty, cost: lastReceiptCost) }
                    tracer.costing(lines[n].ref, step)
                }
                stock.qty -= qty
                stock.value -= value
            }
            if stock.qty > .zero { known = stock }
        }
        return Valuation(closingValue: stock.value, lastCost: known?.unitCost ?? lastReceiptCost)
    }

    /// 先进先出: the opening is one layer at value/qty exactly, each receipt a layer at its unit cost;
    /// an issue consumes the oldest layers, value = round2(Σ consumed qty × layer cost), any shortfall
    /// at the newest layer's cost (the most recently created layer, even if used up; 0 if none),
    /// left as a negative layer that the next receipt fills first. A receipt reversal takes its qty
    /// from the newest layers backwards; beyond them it leaves a negative layer at the newest layer's
    /// cost, as an over-issue does. Closing value = opening + receipts − issues, not Σ layers.
    static func fifo(_ lines: inout [Line], opening: Balance, tracer: some Tracer) -> Valuation {
        var layers = Layers()
        var newest = UnitPrice.zero
        if !opening.qty.isZero {
            newest = opening.unitCost
            layers.append(opening.qty, at: newest)
        }
        var closingValue = opening.value
        for n in lines.indices {
            let qty = lines[n].qty
            switch (lines[n].isReceipt, qty > .zero) {
            case (true, true):
                newest = lines[n].cost
                layers.receive(qty, at: newest)
            case (true, false):
                layers.takeNewest(-qty, shortfallCost: newest)
            case (false, true):
                var taken: [CostingStep.FIFOTake]? = tracer.wantsCosting(lines[n].ref) ? [] : nil
                lines[n].value = layers.issue(qty, shortfallCost: newest, taken: &taken)
                if let taken { tracer.costing(lines[n].ref, .fifo(taken)) }
            case (false, false):
                var taken: [CostingStep.FIFOTake]? = tracer.wantsCosting(lines[n].ref) ? [] : nil
                lines[n].value = -layers.putBack(-qty, fallbackCost: newest, taken: &taken)
                if let taken { tracer.costing(lines[n].ref, .fifoReversal(taken)) }
            }
            closingValue += lines[n].isReceipt ? lines[n].value : -lines[n].value
        }
        return Valuation(closingValue: closingValue, lastCost: newest)
    }
}

/// FIFO layers, oldest first. Either all are positive, or all are negative: stock issued before it
/// was received, which receipts and issue reversals fill first, oldest first.
struct Layers {
    private var layers: [(qty: Quantity, cost: UnitPrice)] = []
    /// Layers before `head` are used up.
    private var head = 0

    private var isShort: Bool { head < layers.count && layers[head].qty < .zero }

    mutating func append(_ qty: Quantity, at cost: UnitPrice) { layers.append((qty, cost)) }

    /// A receipt of `qty` > 0: fills negative layers first; the rest becomes the newest layer.
    mutating func receive(_ qty: Quantity, at cost: UnitPrice) {
        var unused = ExactSum(), untold: [CostingStep.FIFOTake]? = nil
        let rest = fillShortfall(qty, adding: &unused, taken: &untold)
        if rest > .zero { append(rest, at: cost) }
    }

    /// A receipt reversal of `qty` > 0: taken from the newest layers backwards.
    mutating func takeNewest(_ qty: Quantity, shortfallCost: UnitPrice) {
        var rest = qty
        while rest > .zero, head < layers.count, layers[layers.count - 1].qty > .zero {
            let take = min(rest, layers[layers.count - 1].qty)
            layers[layers.count - 1].qty -= take
            rest -= take
            if layers[layers.count - 1].qty.isZero { layers.removeLast() }
        }
        if rest > .zero { append(-rest, at: shortfallCost) }
    }

    /// An issue of `qty` > 0 from the oldest layers; returns its value. `taken`, when not nil, gets
    /// each layer's part (for `explain`).
    mutating func issue(_ qty: Quantity, shortfallCost: UnitPrice, taken: inout [CostingStep.FIFOTake]?) -> Money {
        var sum = ExactSum()
        var rest = qty
        while rest > .zero, head < layers.count, layers[head].qty > .zero {
            let take = min(rest, layers[head].qty)
            sum.add(take, at: layers[head].cost)
            taken?.append(.init(take, at: layers[head].cost, .layer))
            layers[head].qty -= take
            rest -= take
            if layers[head].qty.isZero { head += 1 }
        }
        if rest > .zero {
            sum.add(rest, at: shortfallCost)
            taken?.append(.init(rest, at: shortfallCost, .shortfall))
            append(-rest, at: shortfallCost)
        }
        return sum.money
    }

    /// An issue reversal of `qty` > 0: refills negative layers, then goes back in front at the oldest
    /// layer's cost (`fallbackCost` when no layer is left); returns the value put back (positive).
    mutating func putBack(_ qty: Quantity, fallbackCost: UnitPrice, taken: inout [CostingStep.FIFOTake]?) -> Money {
        var sum = ExactSum()
        let rest = fillShortfall(qty, adding: &sum, taken: &taken)
        if rest > .zero {
            if head < layers.count {
                layers[head].qty += rest   // a new front layer at the front layer's own cost
                sum.add(rest, at: layers[head].cost)
                taken?.append(.init(rest, at: layers[head].cost, .frontLayer))
            } else {
                append(rest, at: fallbackCost)
                sum.add(rest, at: fallbackCost)
                taken?.append(.init(rest, at: fallbackCost, .noLayerLeft))
            }
        }
        return sum.money
    }

    /// Fills negative layers, oldest first, with up to `qty`; returns what is left.
    private mutating func fillShortfall(_ qty: Quantity, adding sum: inout ExactSum, taken: inout [CostingStep.FIFOTake]?) -> Quantity {
        var rest = qty
        while rest > .zero, isShort {
            let take = min(rest, -layers[head].qty)
            sum.add(take, at: layers[head].cost)
            taken?.append(.init(take, at: layers[head].cost, .negativeLayerRefilled))
            layers[head].qty += take
            rest -= take
            if layers[head].qty.isZero { head += 1 }
        }
        return rest
    }
}

/// Σ qty × unit cost kept exactly (over a common denominator) and rounded once: FIFO's
/// round2(Σ consumed qty × layer cost).
struct ExactSum {
    /// The sum is numerator / (1000 × denominator) yuan.
    private var numerator: Int128 = 0
    private var denominator: Int128 = 1
    /// Set when a term or the common denominator left Int128 (absurd costs); `money` then reports it.
    private var overflow: (qty: Quantity, cost: UnitPrice)?

    mutating func add(_ qty: Quantity, at cost: UnitPrice) {
        guard overflow == nil else { return }
        var ok = true
        if denominator % cost.denominator != 0 {
            let scale = cost.denominator / Int128(gcd(denominator.magnitude, cost.denominator.magnitude))
            numerator = checked(numerator.multipliedReportingOverflow(by: scale), &ok)
            denominator = checked(denominator.multipliedReportingOverflow(by: scale), &ok)
            _ = checked(denominator.multipliedReportingOverflow(by: 10), &ok)   // `money` divides by 10 × denominator
        }
        let term = checked(checked(Int128(qty.milli).multipliedReportingOverflow(by: cost.numerator), &ok)
            .multipliedReportingOverflow(by: denominator / cost.denominator), &ok)
        numerator = checked(numerator.addingReportingOverflow(term), &ok)
        if !ok { overflow = (qty, cost) }
    }

    /// round2 of the sum: numerator / (1000 × denominator) yuan = numerator / (10 × denominator) cents.
    var money: Money {
        if let (qty, cost) = overflow {
            return Money(cents: ExactRange.outOfRange("the FIFO value of \(qty) at \(cost)", negative: (qty.milli < 0) != (cost.numerator < 0)))
        }
        return Money(cents: ExactRange.fit(roundedDivision(numerator, 10 * denominator), "a FIFO issue value"))
    }
}

private func checked(_ result: (partialValue: Int128, overflow: Bool), _ ok: inout Bool) -> Int128 {
    if result.overflow { ok = false }
    return result.partialValue
}
