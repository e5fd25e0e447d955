import CPrefetch

/// The codes of a master (part numbers, dealer ids), for the per-row check that a code is known.
/// A code of up to 16 bytes is kept in its slot, so that a lookup reads one slot, which `prefetch`
/// fetches ahead (through `TextTable` a lookup waited on three places in memory: ~9 % of ingest).
/// Longer codes are looked up in a `TextTable` (see KeyIndex.swift why not `Set`). Inlinable, so that
/// Ingest's row path gets the per-row check and prefetch inlined.
public struct CodeSet: Sendable {
    /// A short code, zero-padded, and its length + 1 (0: the slot is free).
    @usableFromInline struct Slot: Sendable {
        @usableFromInline var low: UInt64 = 0, high: UInt64 = 0, lengthPlusOne = 0
        @inlinable init(lengthPlusOne: Int = 0) { self.lengthPlusOne = lengthPlusOne }
    }
    @usableFromInline var slots: [Slot]
    @usableFromInline var long = TextTable<Void>()
    @usableFromInline let seed = processHashSeed

    public init<S: Sequence<String>>(_ codes: S) {
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

    @inlinable public func contains(_ code: String) -> Bool {
        var code = code
        return code.withUTF8 { contains($0) }
    }

    @inlinable public func contains(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
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
    @inlinable public func prefetch(_ code: UnsafeBufferPointer<UInt8>) {
        guard code.count <= 16 else { return }
        let n = slotNumber(code)
        slots.withUnsafeBufferPointer { prefetchForReading($0.baseAddress! + n) }
    }

    @inlinable func slotNumber(_ code: UnsafeBufferPointer<UInt8>) -> Int {
        Int(truncatingIfNeeded: byteHash(UnsafeRawBufferPointer(code), seed: seed)) & (slots.count - 1)
    }

    /// The code's bytes as two little-endian words (8–16 bytes: two loads, the second overlapping).
    @inlinable static func slot(_ code: UnsafeBufferPointer<UInt8>) -> Slot {
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

