import Core
import Glibc
internal import CPrefetch

// Ingest's tables over Core's `KeyIndex` and `byteHash` (see there why not `Dictionary`).

/// Texts found by their bytes, each with a value: a set of codes, a counter per code, one stored
/// copy of a repeated text. Keys are kept once in one byte buffer, found through a `KeyIndex` of
/// their entry numbers; a lookup makes no String.
struct TextTable<Value> {
    private var index = KeyIndex()
    private var keyEnds: [Int] = []          // key n is keyBytes[keyEnds[n - 1] ..< keyEnds[n]]
    private var keyBytes: [UInt8] = []
    private(set) var values: [Value] = []

    init() {}

    var count: Int { values.count }

    /// The entry number of `key`, if present.
    func entry(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        index.find(hash: byteHash(UnsafeRawBufferPointer(key), seed: index.seed)) { isKey(key, $0) }.position
    }

    func entry(_ key: String) -> Int? {
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

    mutating func entry(_ key: String, inserting value: @autoclosure () -> Value) -> Int {
        var key = key
        return key.withUTF8 { entry($0, inserting: value()) }
    }

    subscript(entry: Int) -> Value {
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
    private let seed = processHashSeed

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

extension KeyIndex {
    /// Asks the CPU to fetch the slot a lookup of `hash` starts at, ahead of `find`.
    func prefetch(hash: UInt64) { prefetchForReading(firstSlotAddress(hash: hash)) }
}
