import Core

extension MonthlyReport {
    /// The input kinds whose issues the report's Data issues sheet lists (SPEC §8.1): what it needs and
    /// uses, and the masters; the reconciliation, which checks the inputs against each other, every kind.
    var issueKinds: Set<InputKind> {
        id.listsRunIssues ? Set(InputKind.allCases) : Set(needs + uses + InputKind.allCases.filter(\.isMaster))
    }
}
