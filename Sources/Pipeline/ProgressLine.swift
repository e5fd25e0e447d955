import Foundation
import Render

/// The progress display of a run on a terminal (SPEC §5.2): one line on stderr, rewritten in place as
/// each stage starts and completes (`[3/6] reconcile 281,540 rows 50%`), ended with a newline after the
/// last stage. When stderr is not a terminal (cron, a log file) nothing at all is written: the log
/// stays one line per event.
struct ProgressLine: Sendable {
    let stages: [Stage]
    private let write: (@Sendable (String) -> Void)?

    /// `write` is called only when `isTerminal`.
    init(stages: [Stage], isTerminal: Bool, write: @escaping @Sendable (String) -> Void) {
        self.stages = stages
        self.write = isTerminal ? write : nil
    }

    /// The run's line on stderr, shown when stderr is a terminal.
    static func onStandardError(stages: [Stage]) -> ProgressLine {
        ProgressLine(stages: stages, isTerminal: isatty(STDERR_FILENO) == 1) { FileHandle.standardError.write(Data($0.utf8)) }
    }

    func started(_ stage: Stage) {
        guard let write, let step = stages.firstIndex(of: stage) else { return }
        write(Self.clear + Self.text(stage, number: step + 1, of: stages.count, rows: nil))
    }

    /// `rows`: what the stage handled so far (a stage run in parts reports each part's total).
    func done(_ stage: Stage, rows: Int) {
        guard let write, let step = stages.firstIndex(of: stage) else { return }
        write(Self.clear + Self.text(stage, number: step + 1, of: stages.count, rows: rows)
              + (step + 1 == stages.count ? "\n" : ""))
    }

    /// Back to the line's start, and the rest of it erased (the text before may have been longer).
    static let clear = "\r\u{1B}[K"

    /// `[number/count] stage rows percent` of the run's stage `number` (1-based): while it runs (`rows` nil)
    /// the percentage of the stages before it, once done the percentage including it.
    static func text(_ stage: Stage, number: Int, of count: Int, rows: Int?) -> String {
        guard let rows else { return "[\(number)/\(count)] \(stage.rawValue) … \((number - 1) * 100 / count)%" }
        return "[\(number)/\(count)] \(stage.rawValue)\(rows > 0 ? " \(grouped(String(rows))) rows" : "") \(number * 100 / count)%"
    }
}
