@testable import Pipeline
import Synchronization
import XCTest

final class ProgressLineTests: XCTestCase {
    func testText() {
        XCTAssertEqual(ProgressLine.text(.reconcile, number: 3, of: 6, rows: nil), "[3/6] reconcile … 33%")       // 2 of 6 done
        XCTAssertEqual(ProgressLine.text(.reconcile, number: 3, of: 6, rows: 281_540), "[3/6] reconcile 281,540 rows 50%")
        XCTAssertEqual(ProgressLine.text(.write, number: 4, of: 4, rows: 0), "[4/4] write 100%")
    }

    func testRewritesOneLineOnATerminalAndEndsItAfterTheLastStage() {
        let written = Mutex<[String]>([])
        let line = ProgressLine(stages: [.ingest, .write], isTerminal: true) { text in written.withLock { $0.append(text) } }
        line.started(.ingest)
        line.done(.ingest, rows: 1_200)
        line.started(.write)
        line.done(.write, rows: 0)
        XCTAssertEqual(written.withLock { $0 }, ["\r\u{1B}[K[1/2] ingest … 0%", "\r\u{1B}[K[1/2] ingest 1,200 rows 50%",
                                                 "\r\u{1B}[K[2/2] write … 50%", "\r\u{1B}[K[2/2] write 100%\n"])
    }

    func testWritesNothingWhenNotATerminal() {
        let written = Mutex<[String]>([])
        let line = ProgressLine(stages: [.ingest, .write], isTerminal: false) { text in written.withLock { $0.append(text) } }
        line.started(.ingest)
        line.done(.ingest, rows: 5)
        line.done(.write, rows: 0)
        XCTAssertEqual(written.withLock { $0 }, [])
    }
}
