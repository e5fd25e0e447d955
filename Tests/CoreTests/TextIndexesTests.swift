import Core
import XCTest

final class TextIndexesTests: XCTestCase {
    func testTextsAreNumberedInFirstSeenOrder() {
        var numbers = TextNumbers()
        let texts = ["P2", "P1", "", "滤清器", "P10"] + (0..<5_000).map { "D\($0)" }
        for (n, text) in texts.enumerated() { XCTAssertEqual(numbers.insert(text), n) }
        XCTAssertEqual(numbers.insert("P1"), 1)   // again: its number, nothing added
        XCTAssertEqual(numbers.count, texts.count)
        XCTAssertEqual(numbers.texts, texts)
        XCTAssertEqual(numbers.number("滤清器"), 3)
        XCTAssertEqual(numbers.number("D4999"), 5_004)
        for absent in ["P", "p1", "D5000", "滤清", " P1"] { XCTAssertNil(numbers.number(absent), absent) }
    }

    func testGroupsKeepTheirFirstValue() {
        var groups = TextGroups<Int>()
        XCTAssertEqual(groups.group("W1", default: 10), 0)
        XCTAssertEqual(groups.group("W2", default: 20), 1)
        XCTAssertEqual(groups.group("W1", default: 99), 0)
        groups.values[0] += 1
        XCTAssertEqual(groups.keys, ["W1", "W2"])
        XCTAssertEqual(groups["W1"], 11)
        XCTAssertNil(groups["W3"])
        XCTAssertEqual(TextGroups(["a", "b", "a"]).keys, ["a", "b"])
    }

    /// A pair is both texts, not their concatenation; pairs sort by the first text, then the second.
    func testPairsAreToldApartAndSorted() {
        var pairs = PairIndex()
        XCTAssertEqual(pairs.insert("NEW", "P2"), 0)
        XCTAssertEqual(pairs.insert("NEW", "P1"), 1)
        XCTAssertEqual(pairs.insert("NEWP", "1"), 2)
        XCTAssertEqual(pairs.insert("OLD", "P1"), 3)
        XCTAssertEqual(pairs.insert("NEW", "P1"), 1)
        XCTAssertEqual(pairs.count, 4)
        XCTAssertEqual(pairs.find("NEWP", "1"), 2)
        XCTAssertNil(pairs.find("NEW", "P3"))
        XCTAssertNil(pairs.find("P1", "NEW"))
        XCTAssertEqual(pairs.sorted().map { "\(pairs[$0].first)/\(pairs[$0].second)" }, ["NEW/P1", "NEW/P2", "NEWP/1", "OLD/P1"])
    }
}
