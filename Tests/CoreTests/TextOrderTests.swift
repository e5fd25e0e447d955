import Core
import XCTest

final class TextOrderTests: XCTestCase {
    /// Byte order, the shorter of a common prefix first: the sign of each comparison worked out by hand
    /// from the UTF-8 bytes, in place (up to 15 bytes) and on the heap (longer).
    func testTextsOrderByTheirUTF8Bytes() {
        let before: [(String, String)] = [
            ("", "a"),                    // nothing before anything
            ("DD1", "DD10"),              // a prefix first
            ("DD10", "DD2"),              // bytes, not numbers: "1" (0x31) < "2" (0x32)
            ("Z", "a"),                   // 0x5A < 0x61: no case folding
            ("z", "网"),                   // 0x7A < 0xE7 (网 = E7 BD 91): bytes unsigned
            ("e\u{301}", "é"),            // e + combining acute (65 CC 81) before é (C3 A9): not normalised
            ("DD2026100100001-long-suffix-a", "DD2026100100001-long-suffix-b"),   // 29 bytes, the last differs
            ("DD2026100100001", "DD2026100100001-long"),                         // 15 bytes in place, a prefix of 20
        ]
        for (a, b) in before {
            XCTAssertLessThan(utf8Order(a, b), 0, "\(a) < \(b)")
            XCTAssertGreaterThan(utf8Order(b, a), 0, "\(b) > \(a)")
        }
        for same in ["", "W10001", "滤清器", "DD2026100100001-long-suffix"] {
            XCTAssertEqual(utf8Order(same, String(decoding: Array(same.utf8), as: UTF8.self)), 0, same)
        }
    }
}
