import Glibc
internal import CPrefetch

/// Hash tables for the per-row lookups of ingest. Swift's `Dictionary` and `Set` hash with SipHash
/// through `Hasher` and keep 32–100 bytes per entry; a month's ingest makes several lookups per row
/// (the key index, the master checks, the line counters), which cost ~20 % of one core and, at ten
/// times a month, ~0.9 GB. These tables hash the UTF-8 bytes with a multiply–xorshift mix and probe
/// linearly. Nothing iterates them in hash order, so the seed does not reach any output; it is
/// random per process so that crafted input cannot make every key collide.

let processSeed = UInt64.random(in: 1...UInt64.max)

/// Mixes the word `w` into the hash `h` (multiply–xorshift).
@inline(__always)
func hashMix(_ h: UInt64, _ w: UInt64) -> UInt64 {
    let m = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
    return m ^ (m >> 29)
}

/// A 64-bit hash of `bytes`, eight bytes at a time.
@inline(__always)
func byteHash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = processSeed) -> UInt64 {
    var h = seed ^ UInt64(bytes.count)
    var i = 0
    while i + 8 <= bytes.count {
        h = hashMix(h, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        i += 8
    }
    if i < bytes.count {
        var tail: UInt64 = 0
        for j in i..<bytes.count { tail = tail << 8 | UInt64(bytes[j]) }
        h = hashMix(h, tail)
    }
    // The final avalanche of MurmurHash3, so that the low bits (the slot) depend on every byte.
    h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
    h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
    return h ^ (h >> 33)
}

func byteHash(_ text: String, seed: UInt64 = processSeed) -> UInt64 {
    var text = text
    return text.withUTF8 { byteHash(UnsafeRawBufferPointer($0), seed: seed) }
}

/// Texts found by their bytes, each with a value: a set of codes, a counter per code, one stored
/// copy of a repeated text. Keys are kept once in one byte buffer, found through a `KeyIndex` of
/// their entry numbers; a lookup makes no String.
/// Public for the later stages' per-row lookups (the quality trend's distinct repairs).
public struct TextTable<Value> {
    private var index = KeyIndex()
    private var keyEnds: [Int] = []          // key n is keyBytes[keyEnds[n - 1] ..< keyEnds[n]]
    private var keyBytes: [UInt8] = []
    public private(set) var values: [Value] = []

    public init() {}

    public var count: Int { values.count }

    /// The entry number of `key`, if present.
    func entry(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        index.find(hash: byteHash(UnsafeRawBufferPointer(key), seed: index.seed)) { isKey(key, $0) }.position
    }

    public func entry(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { entry($0) }
    }

    /// Asks the CPU to fetch where a lookup of `key` starts, ahead of `entry`.
    func prefetch(_ key: UnsafeBufferPointer<UInt8>) {
        index.prefetch(hash: byteHash(UnsafeRawBufferPointer(key), seed: index.seed))
    }

    /// The entry number of `key`, inserting it with `value` first when absent.
    mutating func entry(_ key: UnsafeBufferPointer<UInt8>, inserting value: @autoclosure () -> Value) -> Int {
        let hash = byteHash(UnsafeRawBufferPointer(key), seed: index.seed)
        let (found, slot) = index.find(hash: hash) { isKey(key, $0) }
        if let found { return found }
        let n = values.count
        values.append(value())
        keyBytes.append(contentsOf: key)
        keyEnds.append(keyBytes.count)
        index.insert(hash: hash, position: n, slot: slot)
        return n
    }

    public mutating func entry(_ key: String, inserting value: @autoclosure () -> Value) -> Int {
        var key = key
        return key.withUTF8 { entry($0, inserting: value()) }
    }

    public subscript(entry: Int) -> Value {
        get { values[entry] }
        set { values[entry] = newValue }
    }

    /// Whether entry `n` holds `key`.
    func holds(_ key: UnsafeBufferPointer<UInt8>, at n: Int) -> Bool { isKey(key, n) }

    private func isKey(_ key: UnsafeBufferPointer<UInt8>, _ n: Int) -> Bool {
        let start = n == 0 ? 0 : keyEnds[n - 1]
        guard keyEnds[n] - start == key.count else { return false }
        return key.isEmpty || keyBytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, key.count) == 0 }
    }
}

extension TextTable: Sendable where Value: Sendable {}

/// The codes of a master (part numbers, dealer ids), for the per-row check that a code is known.
/// A code of up to 16 bytes is kept in its slot, so that a lookup reads one slot, which `prefetch`
/// fetches ahead (through `TextTable` a lookup waited on three places in memory: ~9 % of ingest).
/// Longer codes are looked up in a `TextTable`.
struct CodeSet: Sendable {
    /// A short code, zero-padded, and its length + 1 (0: the slot is free).
    private struct Slot { var low: UInt64 = 0, high: UInt64 = 0, lengthPlusOne = 0 }
    private var slots: [Slot]
    private var long = TextTable<Void>()
    private let seed = processSeed

    init<S: Sequence<String>>(_ codes: S) {
        let codes = Array(codes)
        var size = 16
        while size < codes.count * 2 { size *= 2 }
        slots = Array(repeating: Slot(), count: size)
        for var code in codes {
            code.withUTF8 { bytes in
                guard bytes.count <= 16 else { _ = long.entry(bytes, inserting: ()); return }
                let key = CodeSet.slot(bytes)
                var n = slotNumber(bytes)
                while slots[n].lengthPlusOne != 0 {
                    if slots[n].lengthPlusOne == key.lengthPlusOne && slots[n].low == key.low && slots[n].high == key.high { return }
                    n = (n + 1) & (slots.count - 1)
                }
                slots[n] = key
            }
        }
    }

    func contains(_ code: String) -> Bool {
        var code = code
        return code.withUTF8 { contains($0) }
    }

    func contains(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
        guard code.count <= 16 else { return long.entry(code) != nil }
        let key = CodeSet.slot(code)
        var n = slotNumber(code)
        while slots[n].lengthPlusOne != 0 {
            if slots[n].lengthPlusOne == key.lengthPlusOne && slots[n].low == key.low && slots[n].high == key.high { return true }
            n = (n + 1) & (slots.count - 1)
        }
        return false
    }

    /// Asks the CPU to fetch the slot a lookup of `code` starts at, ahead of `contains`.
    func prefetch(_ code: UnsafeBufferPointer<UInt8>) {
        guard code.count <= 16 else { return }
        let n = slotNumber(code)
        slots.withUnsafeBufferPointer { prefetchForReading($0.baseAddress! + n) }
    }

    private func slotNumber(_ code: UnsafeBufferPointer<UInt8>) -> Int {
        Int(truncatingIfNeeded: byteHash(UnsafeRawBufferPointer(code), seed: seed)) & (slots.count - 1)
    }

    /// The code's bytes as two little-endian words (8–16 bytes: two loads, the second overlapping).
    private static func slot(_ code: UnsafeBufferPointer<UInt8>) -> Slot {
        var slot = Slot(lengthPlusOne: code.count + 1)
        let bytes = UnsafeRawBufferPointer(code)
        if code.count >= 8 {
            slot.low = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
            if code.count > 8 {
                let last = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: code.count - 8, as: UInt64.self))
                slot.high = last >> (8 * (16 - code.count))
            }
        } else {
            for (i, byte) in code.enumerated() { slot.low |= UInt64(byte) << (8 * i) }
        }
        return slot
    }
}

/// Positions found by a key's hash, the key itself compared by the caller: the first stored row of
/// each key of the kind being read (LoadState), the entry of each text (TextTable). Per slot, the
/// upper half of the hash and the position + 1 (8 bytes; at most half the slots in use). The slot is
/// chosen by that upper half too, so the table can grow without the full hashes; equal hashes only
/// cost a comparison.
struct KeyIndex: Sendable {
    /// `processSeed`, read once: reading a global costs a call per use.
    let seed = processSeed
    private var slots = [UInt64](repeating: 0, count: 16)
    private var count = 0

    /// Room for `rows` more keys without growing.
    mutating func reserve(_ rows: Int) {
        var size = slots.count
        while (count + rows) * 2 > size { size *= 2 }
        if size > slots.count { grow(to: size) }
    }

    /// The position of the first key that is the same (`isSame(position)`); else the free slot
    /// where `insert` records a new key.
    func find(hash: UInt64, isSame: (Int) -> Bool) -> (position: Int?, slot: Int) {
        let tag = hash >> 32, mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: tag) & mask
        while slots[slot] != 0 {
            let stored = slots[slot], position = Int(stored & 0xFFFF_FFFF) - 1
            if stored >> 32 == tag, isSame(position) { return (position, slot) }
            slot = (slot + 1) & mask
        }
        return (nil, slot)
    }

    /// Asks the CPU to fetch the slot a lookup of `hash` starts at, ahead of `find`.
    func prefetch(hash: UInt64) {
        let slot = Int(truncatingIfNeeded: hash >> 32) & (slots.count - 1)
        slots.withUnsafeBufferPointer { prefetchForReading($0.baseAddress! + slot) }
    }

    /// Records `position` for a new key, in the slot `find` gave for its hash.
    mutating func insert(hash: UInt64, position: Int, slot: Int) {
        precondition(position < Int(UInt32.max), "more than 4,294,967,294 keys in one table")
        slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(position + 1)
        count += 1
        if count * 2 > slots.count { grow(to: slots.count * 2) }
    }

    /// Moves the entries into `size` slots, each placed by the upper half of its hash.
    private mutating func grow(to size: Int) {
        var bigger = zeroedSlots(size)
        let mask = size - 1
        for stored in slots where stored != 0 {
            var slot = Int(truncatingIfNeeded: stored >> 32) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = stored
        }
        slots = bigger
    }
}

/// `count` zeroed slots; when they span 2 MiB pages, backed by huge pages where the kernel allows
/// (transparent huge pages in `madvise` mode, Debian's default). A probe lands anywhere in a table of
/// up to ~100 MB, and with 4 KiB pages nearly every probe also missed the TLB.
private func zeroedSlots(_ count: Int) -> [UInt64] {
    Array(unsafeUninitializedCapacity: count) { buffer, initialized in
        let hugePage = 2 << 20
        let start = (Int(bitPattern: buffer.baseAddress) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: buffer.baseAddress) + count * 8) & ~(hugePage - 1)
        if end > start {
            // Advice only: where it is refused, the table works the same on small pages.
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE)
        }
        buffer.initialize(repeating: 0)
        initialized = count
    }
}
