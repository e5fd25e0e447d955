import Glibc

/// Texts found by their bytes, each with a value: a set of codes, a counter per code, one stored
/// copy of a repeated text. Keys are kept once in one byte buffer, found through a `KeyIndex` of
/// their entry numbers; a lookup makes no String (see KeyIndex.swift why not `Dictionary`).
/// Inlinable, so that Ingest's row path gets the lookups inlined and specialized.
public struct TextTable<Value> {
    @usableFromInline var index = KeyIndex()
    @usableFromInline var keyEnds: [Int] = []          // key n is keyBytes[keyEnds[n - 1] ..< keyEnds[n]]
    @usableFromInline var keyBytes: [UInt8] = []
    @usableFromInline var storedValues: [Value] = []

    /// The values by entry number.
    @inlinable public var values: [Value] { storedValues }

    @inlinable public init() {}

    @inlinable public var count: Int { storedValues.count }

    /// The entry number of `key`, if present.
    @inlinable public func entry(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        index.find(hash: byteHash(UnsafeRawBufferPointer(key), seed: index.seed)) { isKey(key, $0) }.position
    }

    @inlinable public func entry(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { entry($0) }
    }

    /// Asks the CPU to fetch where a lookup of `key` starts, ahead of `entry`.
    @inlinable public func prefetch(_ key: UnsafeBufferPointer<UInt8>) {
        index.prefetch(hash: byteHash(UnsafeRawBufferPointer(key), seed: index.seed))
    }

    /// The entry number of `key`, inserting it with `value` first when absent.
    @inlinable public mutating func entry(_ key: UnsafeBufferPointer<UInt8>, inserting value: @autoclosure () -> Value) -> Int {
        let hash = byteHash(UnsafeRawBufferPointer(key), seed: index.seed)
        let (found, slot) = index.find(hash: hash) { isKey(key, $0) }
        if let found { return found }
        let n = storedValues.count
        storedValues.append(value())
        keyBytes.append(contentsOf: key)
        keyEnds.append(keyBytes.count)
        index.insert(hash: hash, position: n, slot: slot)
        return n
    }

    @inlinable public mutating func entry(_ key: String, inserting value: @autoclosure () -> Value) -> Int {
        var key = key
        return key.withUTF8 { entry($0, inserting: value()) }
    }

    @inlinable public subscript(entry: Int) -> Value {
        get { storedValues[entry] }
        set { storedValues[entry] = newValue }
    }

    /// Whether entry `n` holds `key`.
    @inlinable public func holds(_ key: UnsafeBufferPointer<UInt8>, at n: Int) -> Bool { isKey(key, n) }

    @inlinable func isKey(_ key: UnsafeBufferPointer<UInt8>, _ n: Int) -> Bool {
        let start = n == 0 ? 0 : keyEnds[n - 1]
        guard keyEnds[n] - start == key.count else { return false }
        return key.isEmpty || keyBytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, key.count) == 0 }
    }
}

extension TextTable: Sendable where Value: Sendable {}
