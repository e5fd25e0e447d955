import Core
import XCTest

final class KeyIndexTests: XCTestCase {
    func testByteHashDependsOnEveryByteAndTheLength() {
        // The same bytes elsewhere in memory (unaligned, other bytes around them) hash the same: the
        // hash reads only the bytes, none beyond them. (Not byteHash(x) == byteHash(x): that cannot fail.)
        XCTAssertEqual(byteHash("P-10023", seed: 1), hashAt(offset: 3, of: Array("P-10023".utf8), seed: 1))
        XCTAssertNotEqual(byteHash("P-10023", seed: 1), byteHash("P-10024", seed: 1))
        XCTAssertNotEqual(byteHash("", seed: 1), byteHash("\0", seed: 1))
        XCTAssertNotEqual(byteHash("\0", seed: 1), byteHash("\0\0", seed: 1))
        // A difference in the first of sixteen bytes reaches the slot bits.
        XCTAssertNotEqual(byteHash("A234567890123456", seed: 1) & 0xFFFF_0000_0000_0000, byteHash("B234567890123456", seed: 1) & 0xFFFF_0000_0000_0000)
        XCTAssertEqual(byteHash("甲", seed: 7), hashAt(offset: 1, of: Array("甲".utf8), seed: 7))
        XCTAssertNotEqual(byteHash("甲", seed: 7), byteHash("甲", seed: 8))
    }

    func testByteHashTellsApartEveryOneByteChangeAtEveryLength() {
        // Under 4 bytes three of them are read, from 4 two overlapping halves, from 8 overlapping
        // words: every byte must still count, and a zero byte added at the end too.
        for length in 1 ... 24 {
            let base = (0 ..< length).map { UInt8(truncatingIfNeeded: 0x30 + $0) }
            let hash = base.withUnsafeBytes { byteHash($0, seed: 5) }
            for position in 0 ..< length {
                var changed = base
                changed[position] ^= 0x01
                XCTAssertNotEqual(changed.withUnsafeBytes { byteHash($0, seed: 5) }, hash, "length \(length), byte \(position)")
            }
            XCTAssertNotEqual((base + [0]).withUnsafeBytes { byteHash($0, seed: 5) }, hash, "length \(length) + a zero byte")
            for offset in 1 ... 7 {   // the same bytes at every misalignment, between other bytes
                XCTAssertEqual(hashAt(offset: offset, of: base, seed: 5), hash, "length \(length) at offset \(offset)")
                let padded = [UInt8](repeating: 0xA5, count: offset) + base + [UInt8](repeating: 0x5A, count: 8)
                XCTAssertEqual(padded.withUnsafeBytes { byteMix(UnsafeRawBufferPointer(rebasing: $0[offset ..< offset + length]), into: 5) },
                               base.withUnsafeBytes { byteMix($0, into: 5) }, "byteMix, length \(length) at offset \(offset)")
            }
        }
    }

    /// With one hash for every key the index degrades to a list but still tells keys apart.
    func testKeyIndexTellsKeysApartWhenAllHashesAreEqual() {
        var index = KeyIndex()
        var stored: [String] = []
        func first(_ key: String) -> Int? {
            let (found, slot) = index.find(hash: 42) { stored[$0] == key }
            if found == nil {
                index.insert(hash: 42, position: stored.count, slot: slot)
                stored.append(key)
            }
            return found
        }
        for n in 0..<100 { XCTAssertNil(first("K\(n)")) }
        XCTAssertEqual(first("K0"), 0)
        XCTAssertEqual(first("K99"), 99)
        XCTAssertNil(first("K100"))
        XCTAssertEqual(first("K100"), 100)
    }

    func testKeyIndexKeepsPositionsWhenItGrowsAndReserves() {
        var index = KeyIndex()
        index.reserve(1_000)
        let hashes = (0..<50_000).map { byteHash("ORD\($0)", seed: index.seed) }
        for (position, hash) in hashes.enumerated() {
            let (found, slot) = index.find(hash: hash) { hashes[$0] == hash }
            XCTAssertNil(found)
            index.insert(hash: hash, position: position, slot: slot)
        }
        for (position, hash) in hashes.enumerated() where position % 97 == 0 {
            XCTAssertEqual(index.find(hash: hash) { hashes[$0] == hash }.position, position)
        }
        XCTAssertNil(index.find(hash: byteHash("ORD50000", seed: index.seed)) { hashes[$0] == byteHash("ORD50000", seed: index.seed) }.position)
    }
}

/// byteHash of `bytes` copied to `offset` in a buffer whose other bytes are 0xFF.
private func hashAt(offset: Int, of bytes: [UInt8], seed: UInt64) -> UInt64 {
    let buffer = [UInt8](repeating: 0xFF, count: offset) + bytes + [UInt8](repeating: 0xFF, count: 16)
    return buffer.withUnsafeBytes { byteHash(UnsafeRawBufferPointer(rebasing: $0[offset ..< offset + bytes.count]), seed: seed) }
}
