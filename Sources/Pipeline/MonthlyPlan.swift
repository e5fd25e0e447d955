import Core
import Reports

/// Which month-end reports a run writes (SPEC §2): the ones asked for with `--reports`, each of
/// which must have its inputs; or, without `--reports`, every report whose inputs are present.
struct MonthlyPlan {
    /// In `MonthlyReport.all` order.
    let reports: [MonthlyReport]
    let skipped: [Manifest.Skipped]
    /// For the loader: a missing kind here is a fatal input error naming the report.
    let needed: [(report: ReportID, kind: InputKind)]
    let kindsToRead: Set<InputKind>

    /// - Parameter selected: the `--reports` ids as typed; nil = every report whose inputs are present.
    init(selected: [String]?, available: Set<InputKind>) throws {
        let known = MonthlyReport.all
        func missing(_ report: MonthlyReport) -> [InputKind] { report.needs.filter { !available.contains($0) } }
        var skipped: [Manifest.Skipped] = []
        if let selected {
            if let unknown = selected.first(where: { id in !known.contains { $0.id.rawValue == id } }) {
                throw RunFailure(.usage, "--reports: unknown report \(unknown) (reports: \(known.map(\.id.rawValue).joined(separator: ", ")))")
            }
            reports = known.filter { selected.contains($0.id.rawValue) }
        } else {
            reports = known.filter { missing($0).isEmpty }
            skipped = known.filter { !missing($0).isEmpty }.map { report in
                Manifest.Skipped(report: report.id.rawValue,
                                 reason: "no " + missing(report).map { "\($0.rawValue)*.csv" }.joined(separator: " and ") + " input")
            }
            if reports.isEmpty {
                throw RunFailure(.fatalInput, "no month-end report has its inputs: "
                                 + skipped.map { "\($0.report): \($0.reason)" }.joined(separator: "; "))
            }
        }
        self.skipped = skipped
        needed = reports.flatMap { report in report.needs.map { (report.id, $0) } }
        kindsToRead = Set(reports.flatMap { $0.needs + $0.uses })
    }
}
