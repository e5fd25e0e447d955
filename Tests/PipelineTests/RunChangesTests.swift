@testable import Pipeline
import XCTest

/// How two versions of a table are compared cell by cell (changes.csv, SPEC §8.6).
final class RunChangesTests: XCTestCase {
    func lines(_ before: String, _ now: String, key: [String]) -> [String] {
        RunChanges.diff(.init(csv: Array(before.utf8)), .init(csv: Array(now.utf8)), key: key)
            .map { "\($0.key),\($0.column),\($0.previous),\($0.current)" }
    }

    /// Rows matched by their key, not their position: a row inserted before others moves nothing.
    func testRowsAreMatchedByKeyAndOnlyDifferingCellsAreListed() {
        let before = "warehouse,part_no,part_name,qty\nNEW,P1,A,1\nNEW,P2,B,2\n"
        let now = "warehouse,part_no,part_name,qty\nNEW,P0,Z,9\nNEW,P1,A,1\nNEW,P2,B,3\n"
        XCTAssertEqual(lines(before, now, key: ["warehouse", "part_no"]), [
            "NEW|P0,part_name,,Z", "NEW|P0,qty,,9",     // added: its cells against blanks
            "NEW|P2,qty,2,3",
        ])
    }

    /// A removed row lists its non-empty cells after the current rows; a column only one version has is
    /// not compared; a quoted field with a comma is one cell.
    func testRemovedRowsComeLastAndColumnsOfOneVersionAreNotCompared() {
        let before = "id,note,amount,old\nA,\"x, y\",1.00,7\nB,,2.00,8\n"
        let now = "id,note,amount,new\nA,\"x, y\",1.50,9\n"
        XCTAssertEqual(lines(before, now, key: ["id"]), ["A,amount,1.00,1.50", "B,amount,2.00,"])
    }

    /// Rows sharing a key are matched in order: the second with the second (`#2`).
    func testRepeatedKeysAreMatchedInOrder() {
        let before = "file,line,code,message\nf.csv,3,bad_date,x\nf.csv,3,bad_date,y\n"
        let now = "file,line,code,message\nf.csv,3,bad_date,x\nf.csv,3,bad_date,z\nf.csv,3,bad_date,w\n"
        XCTAssertEqual(lines(before, now, key: ["file", "line", "code"]), [
            "f.csv|3|bad_date#2,message,y,z", "f.csv|3|bad_date#3,message,,w",
        ])
    }
}
