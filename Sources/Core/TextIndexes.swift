// Lookups by text for the stages after Ingest, over `KeyIndex` and `byteHash` (a Dictionary or
// Set keyed by Strings hashes them through SipHash: at ten times a month its lookups per row were a
// third to a half of the ledger, the reconciliation and the reports). Their loops over rows ask for
// the slot of a row ahead through `forEachPrefetching`.

/// Dense numbers 0, 1, 2… for texts, in first-seen order.
public struct TextNumbers: Sendable {
    /// The texts in first-seen order: number n is `texts[n]`.
    public private(set) var texts: [String] = []
    private var index = KeyIndex()

    public init() {}

    public var count: Int { texts.count }

    /// Asks the CPU to fetch the slot a lookup of `text` starts at.
    public func prefetch(_ text: String) {
        index.prefetch(hash: byteHash(text, seed: index.seed))
    }

    /// The number of `text`, if present.
    public func number(_ text: String) -> Int? {
        index.find(hash: byteHash(text, seed: index.seed)) { texts[$0] == text }.position
    }

    /// The number of `text`, numbered next when new.
    public mutating func insert(_ text: String) -> Int {
        let hash = byteHash(text, seed: index.seed)
        let (found, slot) = index.find(hash: hash) { texts[$0] == text }
        if let found { return found }
        index.insert(hash: hash, position: texts.count, slot: slot)
        texts.append(text)
        return texts.count - 1
    }
}

/// Values per text (a part, a dealer, an order…), each text numbered 0, 1, 2… in first-seen order.
/// Inlinable so that the reports' modules get it specialized for their values.
public struct TextGroups<Value> {
    @usableFromInline var numbers = TextNumbers()
    public var values: [Value] = []

    @inlinable public init() {}

    /// The texts in first-seen order; `values[n]` belongs to `keys[n]`.
    @inlinable public var keys: [String] { numbers.texts }

    /// The number of `key`, made with `value` when new.
    @inlinable public mutating func group(_ key: String, default value: @autoclosure () -> Value) -> Int {
        let n = numbers.insert(key)
        if n == values.count { values.append(value()) }
        return n
    }

    /// The number of `key`, if present.
    @inlinable public func group(_ key: String) -> Int? { numbers.number(key) }

    /// Asks the CPU to fetch the slot a lookup of `key` starts at.
    @inlinable public func prefetch(_ key: String) { numbers.prefetch(key) }

    @inlinable public subscript(key: String) -> Value? { group(key).map { values[$0] } }
}

extension TextGroups: Sendable where Value: Sendable {}

extension TextGroups where Value == Void {
    /// The distinct texts of `keys`.
    @inlinable public init(_ keys: some Sequence<String>) {
        self.init()
        for key in keys { _ = group(key, default: ()) }
    }
}

/// Pairs of texts — (warehouse, part), (document, part) — numbered 0, 1, 2… in first-seen order.
/// One table for the pair (rather than a number per text, then per pair of numbers): a lookup
/// touches a slot and the pair's entry, not three tables' worth of memory.
public struct PairIndex {
    /// The pairs in first-seen order.
    private var pairs: [(first: String, second: String)] = []
    private var index = KeyIndex()

    public init() {}

    public var count: Int { pairs.count }

    /// Asks the CPU to fetch the slot a lookup of the pair starts at.
    public func prefetch(_ first: String, _ second: String) {
        index.prefetch(hash: hash(first, second))
    }

    /// The number of the pair, if present.
    public func find(_ first: String, _ second: String) -> Int? {
        index.find(hash: hash(first, second)) { pairs[$0].first == first && pairs[$0].second == second }.position
    }

    /// The number of the pair, numbered next when new.
    public mutating func insert(_ first: String, _ second: String) -> Int {
        let hash = hash(first, second)
        let (found, slot) = index.find(hash: hash) { pairs[$0].first == first && pairs[$0].second == second }
        if let found { return found }
        index.insert(hash: hash, position: pairs.count, slot: slot)
        pairs.append((first, second))
        return pairs.count - 1
    }

    public subscript(pair: Int) -> (first: String, second: String) { pairs[pair] }

    /// The pair numbers in (first, second) order, each compared with String `<`.
    public func sorted() -> [Int] { pairs.indices.sorted { pairs[$0] < pairs[$1] } }

    private func hash(_ first: String, _ second: String) -> UInt64 {
        byteHash(second, seed: byteHash(first, seed: index.seed))
    }
}
