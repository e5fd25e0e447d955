import Core

/// Which month-end reports a run writes (SPEC §2): the ones asked for with `--reports`, each of
/// which must have its inputs; or, without `--reports`, every report whose inputs are present.
struct MonthlyPlan {
    /// Report id → the input kinds it cannot do without.
    static let needs: [(report: String, kinds: [InputKind])] = [
        ("parts-movement", [.movements]),
        ("reconciliation", [.movements]),
        ("profit", [.orders, .movements]),
        ("quality-feedback", [.repairs]),
    ]
    /// Kinds read when present because a report uses them (masters are always read).
    static let optional: [String: [InputKind]] = [
        "parts-movement": [.opening, .counts],
        "reconciliation": [.opening, .counts, .orders, .repairs],
        "profit": [.opening, .repairs],
        "quality-feedback": [.movements],
    ]

    let reports: [String]
    let skipped: [Manifest.Skipped]
    /// For the loader: a missing kind here is a fatal input error naming the report.
    let needed: [(report: String, kind: InputKind)]
    let kindsToRead: Set<InputKind>

    init(selected: [String]?, available: Set<InputKind>) throws {
        let known = Self.needs.map(\.report)
        func missing(_ report: String) -> [InputKind] {
            Self.needs.first { $0.report == report }!.kinds.filter { !available.contains($0) }
        }
        var skipped: [Manifest.Skipped] = []
        if let selected {
            if let unknown = selected.first(where: { !known.contains($0) }) {
                throw RunFailure(.usage, "--reports: unknown report \(unknown) (reports: \(known.joined(separator: ", ")))")
            }
            reports = known.filter(selected.contains)
        } else {
            reports = known.filter { missing($0).isEmpty }
            skipped = known.filter { !missing($0).isEmpty }.map { report in
                Manifest.Skipped(report: report, reason: "no " + missing(report).map { "\($0.rawValue)*.csv" }.joined(separator: " and ") + " input")
            }
            if reports.isEmpty {
                throw RunFailure(.fatalInput, "no month-end report has its inputs: "
                                 + skipped.map { "\($0.report): \($0.reason)" }.joined(separator: "; "))
            }
        }
        self.skipped = skipped
        let chosen = reports
        needed = Self.needs.filter { chosen.contains($0.report) }.flatMap { need in need.kinds.map { (need.report, $0) } }
        kindsToRead = Set(chosen.flatMap { report in Self.needs.first { $0.report == report }!.kinds + (Self.optional[report] ?? []) })
    }
}
