import Config
import CSV

/// Where each schema column's value comes from in one file: a field of the record, a
/// constant from the config's `defaults`, or nowhere.
struct HeaderMap {
    enum Source { case field(Int), constant([UInt8]), absent }
    let sources: [Source]
    /// Header texts, for naming extra columns in messages.
    let headerNames: [String]

    /// Matches header texts to columns (SPEC §2.1): by the config's mapping, the canonical id
    /// or the Chinese label, ignoring surrounding spaces and case. A required column that is
    /// neither found nor defaulted is a whole-file error.
    init(header: borrowing CSVRecord, schema: KindSchema, options: InputOptions, file: String) throws(IngestError) {
        var names: [String] = []
        for i in 0..<header.count { names.append(header.string(i)) }
        let normalized = names.map(HeaderMap.normalize)
        var sources: [Source] = []
        for column in schema.columns {
            var candidates = [column.id, column.label]
            if let mapped = options.columns[column.id] { candidates.insert(mapped, at: 0) }
            let wanted = candidates.map(HeaderMap.normalize)
            if let index = wanted.lazy.compactMap({ normalized.firstIndex(of: $0) }).first {
                sources.append(.field(index))
            } else if let constant = options.defaults[column.id] {
                sources.append(.constant(Array(constant.utf8)))
            } else if column.required {
                throw .missingColumn(file: file, column: column.id, label: column.label)
            } else {
                sources.append(.absent)
            }
        }
        self.sources = sources
        self.headerNames = names
    }

    static func normalize(_ text: String) -> String {
        text.trimmingCharacters(in: [" ", "\t"]).lowercased()
    }
}

extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
