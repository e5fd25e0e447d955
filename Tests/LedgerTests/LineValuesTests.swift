import Core
import Ingest
import Ledger
import XCTest

final class LineValuesTests: XCTestCase {
    func ref(_ file: Int32, _ line: Int32) -> RowRef { RowRef(file: file, line: line) }

    func testLookupsInAndOutOfOrderFindEveryValue() {
        // Lines of two files in movement order, as the ledger makes them; every second line has a value.
        let entries = (0..<2).flatMap { f in (2..<2_000).filter { $0 % 2 == 0 }.map { (ref(Int32(f), Int32($0)), Money(cents: Int64(f * 10_000 + $0))) } }
        let values = LineValues(entries)
        XCTAssertEqual(values.count, entries.count)
        var reader = LineValues.Reader(values)
        for f in Int32(0)..<2 {
            for line in Int32(1)..<2_001 {   // ascending, as profit walks the movements: misses in between
                let expected: Money? = line % 2 == 0 && line < 2_000 ? Money(cents: Int64(f) * 10_000 + Int64(line)) : nil
                XCTAssertEqual(reader.value(for: ref(f, line)), expected, "\(f):\(line)")
                XCTAssertEqual(values[ref(f, line)], expected, "\(f):\(line) searched")
            }
        }
        // Backwards after the end: searched, still found.
        XCTAssertEqual(reader.value(for: ref(0, 4)), Money(cents: 4))
        XCTAssertNil(reader.value(for: ref(2, 2)))
    }

    func testEntriesOutOfOrderAreSortedAndTheLaterOfTwoIsKept() {
        let values: LineValues = [ref(1, 5): Money(cents: 1), ref(0, 9): Money(cents: 2), ref(1, 5): Money(cents: 3), ref(0, 2): Money(cents: 4)]
        XCTAssertEqual(values.count, 3)
        XCTAssertEqual(values[ref(1, 5)], Money(cents: 3))
        var reader = LineValues.Reader(values)
        XCTAssertEqual([ref(0, 2), ref(0, 9), ref(1, 5)].map { reader.value(for: $0) }, [Money(cents: 4), Money(cents: 2), Money(cents: 3)])
        XCTAssertEqual(values, [ref(0, 2): Money(cents: 4), ref(0, 9): Money(cents: 2), ref(1, 5): Money(cents: 3)])
    }
}
