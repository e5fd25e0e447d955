import Glibc

/// The text encodings an input file may have (SPEC §2.1). Auto-detection: valid UTF-8 → UTF-8,
/// otherwise GB18030 (which includes GBK and GB2312).
public enum TextEncoding: String, Sendable {
    case utf8 = "utf-8"
    case gb18030
}

/// Streaming UTF-8 validation: feed the input in chunks of any size, then `finish`.
/// Rejects overlong forms, surrogates (U+D800…U+DFFF), code points over U+10FFFF and a
/// sequence cut off by the end of the input.
public struct UTF8Validator {
    /// False once an invalid byte has been seen; the rest of the input is then skipped.
    public private(set) var isValid = true
    /// Continuation bytes still expected, and the range the next one must fall in.
    private var pending = 0
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF

    public init() {}

    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) {
        guard isValid, let p = chunk.baseAddress else { return }
        let n = chunk.count
        var i = 0
        while i < n {
            if pending == 0 {
                // ASCII fast path: 8 bytes at a time.
                while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                if i == n { break }
                let b = p[i]
                i += 1
                // Chinese text is mostly 3-byte sequences with no special case: both continuation bytes at once.
                if b >= 0xE1 && b <= 0xEF && b != 0xED, i + 2 <= n {
                    guard p[i] & 0xC0 == 0x80 && p[i + 1] & 0xC0 == 0x80 else { isValid = false; return }
                    i += 2
                    continue
                }
                switch b {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: (pending, low, high) = (1, 0x80, 0xBF)
                case 0xE0: (pending, low, high) = (2, 0xA0, 0xBF)  // no overlongs
                case 0xED: (pending, low, high) = (2, 0x80, 0x9F)  // no surrogates
                case 0xE1...0xEF: (pending, low, high) = (2, 0x80, 0xBF)
                case 0xF0: (pending, low, high) = (3, 0x90, 0xBF)  // no overlongs
                case 0xF1...0xF3: (pending, low, high) = (3, 0x80, 0xBF)
                case 0xF4: (pending, low, high) = (3, 0x80, 0x8F)  // nothing over U+10FFFF
                default: isValid = false; return  // a stray continuation byte, C0, C1 or F5…FF
                }
            } else {
                let b = p[i]
                i += 1
                guard b >= low && b <= high else { isValid = false; return }
                (pending, low, high) = (pending - 1, 0x80, 0xBF)
            }
        }
    }

    /// Ends the input; returns whether all of it was valid UTF-8.
    public mutating func finish() -> Bool {
        if pending != 0 { isValid = false }
        return isValid
    }
}

public enum TextDecodingError: Error, Equatable, CustomStringConvertible {
    /// `offset` is the 0-based byte offset of the bad sequence in the input, `line` its 1-based line.
    case invalidSequence(offset: Int, line: Int)
    case truncatedSequence(offset: Int, line: Int)
    case converterUnavailable(String)

    public var description: String {
        switch self {
        case let .invalidSequence(offset, line):
            return "invalid GB18030 byte sequence at byte offset \(offset) (line \(line))"
        case let .truncatedSequence(offset, line):
            return "truncated GB18030 byte sequence at the end of the input, byte offset \(offset) (line \(line))"
        case let .converterUnavailable(reason):
            return "cannot convert GB18030: \(reason)"
        }
    }
}

/// Streaming GB18030 → UTF-8 decoding through glibc `iconv` (Foundation on Linux has no
/// GB18030). Feed chunks of any size with `decode`, then call `finish`; a sequence split
/// between two chunks is carried over.
public final class GB18030Decoder {
    private let converter: iconv_t
    private let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 65_536)
    /// The start of a sequence that the previous chunk cut off.
    private var carry: [UInt8] = []
    /// Input bytes decoded so far, and the line at that point.
    private var offset = 0
    private var line = 1

    public init() throws {
        guard let converter = iconv_open("UTF-8", "GB18030"), converter != iconv_t(bitPattern: -1) else {
            output.deallocate()
            throw TextDecodingError.converterUnavailable(String(cString: strerror(errno)))
        }
        self.converter = converter
    }

    deinit {
        iconv_close(converter)
        output.deallocate()
    }

    /// Decodes the next chunk, passing the UTF-8 text to `onOutput` in one or more pieces,
    /// each valid only during the call.
    public func decode(_ chunk: UnsafeBufferPointer<UInt8>, _ onOutput: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        if carry.isEmpty {
            try convert(chunk, onOutput)
        } else {
            let input = carry + chunk
            carry = []
            try input.withUnsafeBufferPointer { try convert($0, onOutput) }
        }
    }

    /// Ends the input: throws if it ended inside a multi-byte sequence. The decoder is then
    /// ready for a new input.
    public func finish() throws {
        defer { (carry, offset, line) = ([], 0, 1) }
        if !carry.isEmpty { throw TextDecodingError.truncatedSequence(offset: offset, line: line) }
    }

    private func convert(_ input: UnsafeBufferPointer<UInt8>, _ onOutput: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        guard let start = input.baseAddress else { return }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: start).assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        while inLeft > 0 {
            let before = input.count - inLeft
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(output.baseAddress!).assumingMemoryBound(to: CChar.self)
            var outLeft = output.count
            let failed = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) == -1  // (size_t)-1
            let error = errno

            // Account for the input consumed (GB18030 bytes after a lead byte are never 0x0A).
            for b in input[before ..< input.count - inLeft] where b == 0x0A { line += 1 }
            offset += input.count - inLeft - before
            if outLeft < output.count { try onOutput(UnsafeBufferPointer(rebasing: output[..<(output.count - outLeft)])) }

            guard failed else { continue }
            switch error {
            case E2BIG:
                continue
            case EINVAL:  // the input ends inside a sequence: decode it with the next chunk
                carry = Array(input[(input.count - inLeft)...])
                return
            default:
                throw TextDecodingError.invalidSequence(offset: offset, line: line)
            }
        }
    }
}
