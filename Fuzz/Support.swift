#if canImport(Glibc)
import Glibc
#endif

// Helpers shared by the fuzz targets.

/// Stops the run: libFuzzer reports the abort as a crash and saves the input.
func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    let text = "FUZZ INVARIANT FAILED (\(file):\(line)): \(message)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    abort()
}

/// Checks an invariant beyond "does not crash".
func check(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fail(message(), file: file, line: line) }
}

/// FNV-1a over the input: a deterministic seed for the choices a target makes.
func fingerprint(_ data: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in data { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
}

/// Ways to cut an input of `data.count` bytes into chunks, each a list of chunk sizes (an
/// empty chunk is a size of 0): whole, byte by byte, sizes taken from the data (0…16, so some
/// chunks are empty), and two pieces at a data-derived cut.
func splittings(_ data: UnsafeBufferPointer<UInt8>, byteByByteLimit: Int = 4096) -> [[Int]] {
    let n = data.count
    var result: [[Int]] = [[n]]
    if n > 1 && n <= byteByByteLimit { result.append(Array(repeating: 1, count: n)) }
    if n > 0 {
        var sizes: [Int] = []
        var left = n, k = 0, lastWasEmpty = false
        while left > 0 {
            var size = Int(data[k % n] % 17)
            if size == 0 && lastWasEmpty { size = 1 }
            size = min(size, left)
            sizes.append(size)
            left -= size
            lastWasEmpty = size == 0
            k += 1
        }
        result.append(sizes)
        let cut = Int(fingerprint(data) % UInt64(n + 1))
        result.append([cut, n - cut])
    }
    return result
}

/// Calls `body` with consecutive pieces of `data` of the given sizes.
func forEachChunk(_ data: UnsafeBufferPointer<UInt8>, sizes: [Int], _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
    var start = 0
    for size in sizes {
        try body(UnsafeBufferPointer(rebasing: data[start ..< start + size]))
        start += size
    }
    precondition(start == data.count, "the sizes do not cover the input")
}

/// Bytes for messages: printable ASCII as is, the rest as \xNN.
func show<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var s = "\""
    for b in bytes.prefix(200) {
        if b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C { s.unicodeScalars.append(Unicode.Scalar(b)) }
        else { s += "\\x" + String(b, radix: 16, uppercase: true).leftPadded(2) }
    }
    return s + (bytes.count > 200 ? "…\"" : "\"")
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        String(repeating: pad, count: max(0, width - count)) + self
    }
}
