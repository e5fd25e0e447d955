import Core

/// The stages of a run, in order, as manifest.json names them (SPEC §5.2). The daily run has no
/// ledger and no reconciliation.
enum Stage: String {
    case ingest, ledger, reconcile, reports, render
    /// rejects.csv, duplicates.csv and the flush of every file; publishing them follows.
    case write
}

/// Wall time and rows per stage, for the manifest.
struct StageTimer {
    let startedAt = LineLogHandler.timestamp()
    private(set) var stages: [Manifest.Stage] = []
    /// Shows each stage as it starts and completes when stderr is a terminal.
    var progress: ProgressLine?

    /// Runs one stage (or one more part of the stage that ran last: its seconds and rows add up), timed
    /// and with its arithmetic watched: a figure that leaves the exact range (absurd inputs) fails the
    /// run as an input error instead of trapping (see ExactRange). `rows` counts what the stage handled.
    mutating func time<T>(_ stage: Stage, rows: (T) -> Int = { _ in 0 }, _ body: () throws -> T) throws -> T {
        if stages.last?.stage != stage.rawValue { progress?.started(stage) }   // not again for a stage's next part
        let clock = ContinuousClock()
        let start = clock.now
        let (result, overflow) = try ExactRange.watch(body)
        if let overflow {
            throw RunFailure(.fatalInput, "\(stage.rawValue): \(overflow) is beyond the exact range of ±92,233,720,368,547,758.07 "
                + "(amounts) / ±9,223,372,036,854,775.807 (quantities); the inputs hold figures too large to total")
        }
        let elapsed = start.duration(to: clock.now)
        var seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var count = rows(result)
        if let last = stages.last, last.stage == stage.rawValue {
            seconds += last.seconds
            count += last.rows
            stages.removeLast()
        }
        stages.append(Manifest.Stage(stage: stage.rawValue, seconds: (seconds * 1000).rounded() / 1000, rows: count))
        progress?.done(stage, rows: count)
        return result
    }

    /// A stage that takes `input` over: what it reads ends with it, not with the run (the caller hands it
    /// over with `consume`).
    mutating func time<Input, T>(_ stage: Stage, taking input: consuming Input, rows: (T) -> Int = { _ in 0 },
                                 _ body: (Input) throws -> T) throws -> T {
        try time(stage, rows: rows) { try body(input) }
    }
}
