import CPrefetch
import Glibc

// The hash tables of the per-row lookups, shared by ingest (duplicate keys, master codes, line
// counters) and the later stages (ledger, reconciliation and report groups). Swift's `Dictionary` and
// `Set` hash Strings with SipHash through `Hasher` and keep 32–100 bytes per entry; those lookups were
// a fifth of ingest and a third to a half of the later stages. Here the UTF-8 bytes are hashed with a
// multiply–xorshift mix and positions are probed linearly. Nothing iterates a table in hash order, so
// the seed reaches no output; it is random per process so that crafted input cannot make every key
// collide. Inlinable, so that each client module gets the probe loops specialized.

/// The seed of every table in this process (keep a copy: reading a global costs a call per use).
public let processHashSeed = UInt64.random(in: 1...UInt64.max)

/// Mixes the word `w` into the hash `h` (multiply–xorshift).
@inlinable @inline(__always)
public func hashMix(_ h: UInt64, _ w: UInt64) -> UInt64 {
    let m = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
    return m ^ (m >> 29)
}

/// A 64-bit hash of `bytes`, eight bytes at a time.
@inlinable @inline(__always)
public func byteHash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
    // The final avalanche of MurmurHash3, so that the low bits (the slot) depend on every byte.
    var h = byteMix(bytes, into: seed)
    h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
    h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
    return h ^ (h >> 33)
}

/// `bytes` and their count mixed into `h`, without `byteHash`'s final avalanche: for chaining many
/// fields into one hash. The bytes after the last whole word are read as one overlapping word (or,
/// under 8 bytes, as two overlapping halves), not one by one: most fields are codes of 3–15 bytes.
@inlinable @inline(__always)
public func byteMix(_ bytes: UnsafeRawBufferPointer, into h: UInt64) -> UInt64 {
    let n = bytes.count
    // The count is mixed in on its own, so that it cannot cancel against the bytes for every seed.
    var h = hashMix(h, UInt64(n))
    if n >= 8 {
        var i = 0
        while i + 8 < n {
            h = hashMix(h, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        return hashMix(h, bytes.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
    }
    if n >= 4 {
        let first = bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
        let last = bytes.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        return hashMix(h, UInt64(first) << 32 | UInt64(last))
    }
    if n > 0 {  // with the count in `h`, these three bytes tell every 1–3 byte value apart
        return hashMix(h, UInt64(bytes[0]) << 16 | UInt64(bytes[n / 2]) << 8 | UInt64(bytes[n - 1]))
    }
    return h
}

@inlinable
public func byteHash(_ text: String, seed: UInt64) -> UInt64 {
    var text = text
    return text.withUTF8 { byteHash(UnsafeRawBufferPointer($0), seed: seed) }
}

/// Positions found by a key's hash, the key itself compared by the caller. Per slot, the upper half
/// of the hash and the position + 1 (8 bytes; at most half the slots in use). The slot is chosen by
/// that upper half too, so the table can grow without the full hashes; equal hashes only cost a
/// comparison.
public struct KeyIndex: Sendable {
    /// `processHashSeed`, for the owner's hashes.
    public let seed = processHashSeed
    @usableFromInline var slots = [UInt64](repeating: 0, count: 16)
    @usableFromInline var count = 0

    public init() {}

    /// Room for `keys` more keys without growing.
    @inlinable public mutating func reserve(_ keys: Int) {
        var size = slots.count
        while (count + keys) * 2 > size { size *= 2 }
        if size > slots.count { grow(to: size) }
    }

    /// The position of the first key that is the same (`isSame(position)`); else the free slot
    /// where `insert` records a new key.
    @inlinable public func find(hash: UInt64, isSame: (Int) -> Bool) -> (position: Int?, slot: Int) {
        let tag = hash >> 32, mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: tag) & mask
        while slots[slot] != 0 {
            let stored = slots[slot], position = Int(stored & 0xFFFF_FFFF) - 1
            if stored >> 32 == tag, isSame(position) { return (position, slot) }
            slot = (slot + 1) & mask
        }
        return (nil, slot)
    }

    /// Records `position` for a new key, in the slot `find` gave for its hash.
    @inlinable public mutating func insert(hash: UInt64, position: Int, slot: Int) {
        precondition(position < Int(UInt32.max), "more than 4,294,967,294 keys in one table")
        slots[slot] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(position + 1)
        count += 1
        if count * 2 > slots.count { grow(to: slots.count * 2) }
    }

    /// Asks the CPU to fetch the slot a lookup of `hash` starts at, ahead of `find` (a hint only).
    @inlinable public func prefetch(hash: UInt64) {
        let slot = Int(truncatingIfNeeded: hash >> 32) & (slots.count - 1)
        slots.withUnsafeBufferPointer { prefetchForReading($0.baseAddress! + slot) }
    }

    /// Moves the entries into `size` slots, each placed by the upper half of its hash.
    @usableFromInline mutating func grow(to size: Int) {
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
