import Config

extension KindSchema {
    /// What in the config's `[inputs.*]` tables cannot work: a column id the kind does not have,
    /// a date_format that is not a pattern. Checked before any file is read (exit 2).
    public static func problems(in config: Config) -> [String] {
        var problems: [String] = []
        for kind in config.inputs.keys.sorted() {
            let options = config.inputs[kind]!
            let ids = Set(of(kind).columns.map(\.id))
            for (table, map) in [("columns", options.columns), ("defaults", options.defaults)] {
                for id in map.keys.sorted() where !ids.contains(id) {
                    problems.append("inputs.\(kind.rawValue).\(table).\(id): \(kind.rawValue) has no column \(id) (columns: \(of(kind).columns.map(\.id).joined(separator: ", ")))")
                }
            }
            if let format = options.dateFormat, DatePattern(format) == nil {
                problems.append("inputs.\(kind.rawValue).date_format = \"\(format)\" needs exactly one each of %Y, %m and %d (and no other % directive)")
            }
        }
        return problems
    }
}
