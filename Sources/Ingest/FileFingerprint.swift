import Config
import Crypto

/// Pass 1 over one file: its sha256, size and encoding (`auto`: UTF-8 when every byte is, else GB18030).
/// Public for `aftersales-bench byte-floor`, which times the loader's byte work without the rows.
public struct FileFingerprint: Sendable {
    public let digest: [UInt8]
    public let size: Int
    public let encoding: TextEncoding

    public init(path: String, name: String, options: InputOptions) throws {
        var hasher = SHA256()
        var validator = UTF8Validator()
        size = try ChunkReader.forEachChunk(path: path, name: name) { chunk in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(chunk))
            if options.encoding == .auto { validator.feed(chunk) }
        }
        digest = Array(hasher.finalize())
        switch options.encoding {
        case .auto: encoding = validator.finish() ? .utf8 : .gb18030
        case .utf8: encoding = .utf8
        case .gb18030: encoding = .gb18030
        }
    }
}

/// An input file after the first pass; what it found (kind, encoding, a same-content file) is in
/// `dataset.files[index]`.
struct PlannedFile: Sendable {
    let path: String
    let name: String
    let index: Int32
    /// sha256 of the first pass's bytes, which the second pass must see again.
    let digest: [UInt8]
}
