import Core

/// Which month-end reports a run writes (SPEC §2): the ones asked for with `--reports`, each of
/// which must have its input; or, without `--reports`, every report whose input is present.
struct MonthlyPlan {
    /// Report id → the input kind it cannot do without.
    static let needs: [(report: String, kind: InputKind)] = [
        ("parts-movement", .movements),
        ("reconciliation", .movements),
    ]
    /// Kinds read when present because a report uses them (the reconciliation's cross-checks).
    static let optional: [String: [InputKind]] = [
        "parts-movement": [.opening, .counts],
        "reconciliation": [.opening, .counts, .orders, .repairs],
    ]

    let reports: [String]
    let skipped: [Manifest.Skipped]
    /// For the loader: a missing kind here is a fatal input error naming the report.
    let needed: [String: InputKind]
    let kindsToRead: Set<InputKind>

    init(selected: [String]?, available: Set<InputKind>) throws {
        let known = Self.needs.map(\.report)
        if let selected {
            if let unknown = selected.first(where: { !known.contains($0) }) {
                throw RunFailure(.usage, "--reports: unknown report \(unknown) (reports: \(known.joined(separator: ", ")))")
            }
            reports = known.filter(selected.contains)
            skipped = []
        } else {
            reports = Self.needs.filter { available.contains($0.kind) }.map(\.report)
            skipped = Self.needs.filter { !available.contains($0.kind) }
                .map { Manifest.Skipped(report: $0.report, reason: "no \($0.kind.rawValue)*.csv input") }
            if reports.isEmpty {
                throw RunFailure(.fatalInput, "no month-end report has its input: " + skipped.map { "\($0.report) needs \($0.reason.dropFirst(3))" }.joined(separator: "; "))
            }
        }
        let chosen = reports
        needed = Dictionary(uniqueKeysWithValues: Self.needs.filter { chosen.contains($0.report) }.map { ($0.report, $0.kind) })
        kindsToRead = Set(chosen.flatMap { report in Self.needs.filter { $0.report == report }.map(\.kind) + (Self.optional[report] ?? []) })
    }
}
