// Lookups by text for the stages after Ingest. A Dictionary or Set keyed by Strings hashes them
// through SipHash and, at ten times a month, its lookups per row were a third to a half of the
// ledger, the reconciliation and the reports. These hash a text's bytes once with a multiply–xorshift
// mix and probe linearly, as Ingest's TextTable does (which, generic and in another module, runs
// unspecialized here at ~4× the cost). Nothing iterates them in hash order, so the seed, random per
// process against crafted collisions, reaches no output.

private let seed = UInt64.random(in: 1...UInt64.max)

/// Dense numbers 0, 1, 2… for texts, in first-seen order.
public struct TextNumbers {
    /// The texts in first-seen order: number n is `texts[n]`.
    public private(set) var texts: [String] = []
    /// Open addressing, at most half of them used: the upper half of the text's hash, number + 1 (0 = free).
    private var slots = [UInt64](repeating: 0, count: 16)

    public init() {}

    public var count: Int { texts.count }

    /// The number of `text`, if present.
    public func number(_ text: String) -> Int? { probe(text, Self.hash(text)).number }

    /// The number of `text`, numbered next when new.
    public mutating func insert(_ text: String) -> Int {
        let hash = Self.hash(text)
        let (found, slot) = probe(text, hash)
        if let found { return found }
        precondition(texts.count < Int(UInt32.max), "more than 4,294,967,294 texts")
        texts.append(text)
        slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(texts.count)
        if texts.count * 2 > slots.count { slots = Self.grown(slots) }
        return texts.count - 1
    }

    private func probe(_ text: String, _ hash: UInt64) -> (number: Int?, slot: Int) {
        let tag = hash >> 32, mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: tag) & mask
        while slots[slot] != 0 {
            let n = Int(slots[slot] & 0xFFFF_FFFF) - 1
            if slots[slot] >> 32 == tag && texts[n] == text { return (n, slot) }
            slot = (slot + 1) & mask
        }
        return (nil, slot)
    }

    /// Twice as many slots, each entry placed by the upper half of its hash.
    static func grown(_ slots: [UInt64]) -> [UInt64] {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for stored in slots where stored != 0 {
            var slot = Int(truncatingIfNeeded: stored >> 32) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = stored
        }
        return bigger
    }

    /// A 64-bit hash of the text's UTF-8 bytes, eight at a time, with MurmurHash3's final avalanche.
    static func hash(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var h = seed ^ UInt64(bytes.count)
            func mix(_ w: UInt64) { h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15; h ^= h >> 29 }
            let raw = UnsafeRawBufferPointer(bytes)
            var i = 0
            while i + 8 <= raw.count {
                mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            if i < raw.count {
                var tail: UInt64 = 0
                for j in i..<raw.count { tail = tail << 8 | UInt64(raw[j]) }
                mix(tail)
            }
            h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
            h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
            return h ^ (h >> 33)
        }
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

    @inlinable public subscript(key: String) -> Value? { group(key).map { values[$0] } }
}

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
    /// Open addressing, at most half of them used: the upper half of the pair's hash, number + 1 (0 = free).
    private var slots = [UInt64](repeating: 0, count: 16)

    public init() {}

    public var count: Int { pairs.count }

    /// The number of the pair, if present.
    public func find(_ first: String, _ second: String) -> Int? { probe(first, second, Self.hash(first, second)).pair }

    /// The number of the pair, numbered next when new.
    public mutating func insert(_ first: String, _ second: String) -> Int {
        let hash = Self.hash(first, second)
        let (found, slot) = probe(first, second, hash)
        if let found { return found }
        precondition(pairs.count < Int(UInt32.max), "more than 4,294,967,294 pairs")
        pairs.append((first, second))
        slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(pairs.count)
        if pairs.count * 2 > slots.count { slots = TextNumbers.grown(slots) }
        return pairs.count - 1
    }

    public subscript(pair: Int) -> (first: String, second: String) { pairs[pair] }

    /// The pair numbers in (first, second) order, each compared with String `<`.
    public func sorted() -> [Int] { pairs.indices.sorted { pairs[$0] < pairs[$1] } }

    private func probe(_ first: String, _ second: String, _ hash: UInt64) -> (pair: Int?, slot: Int) {
        let tag = hash >> 32, mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: tag) & mask
        while slots[slot] != 0 {
            let n = Int(slots[slot] & 0xFFFF_FFFF) - 1
            if slots[slot] >> 32 == tag && pairs[n].first == first && pairs[n].second == second { return (n, slot) }
            slot = (slot + 1) & mask
        }
        return (nil, slot)
    }

    private static func hash(_ first: String, _ second: String) -> UInt64 {
        TextNumbers.hash(first) &* 0x9E37_79B9_7F4A_7C15 ^ TextNumbers.hash(second)
    }
}
