@testable import Pipeline
import Render
import XCTest

/// `explain`'s aligned layout counts the columns a text takes from its UTF-8 bytes, as the workbooks'
/// `displayWidth` counts them from the String: one, two (CJK, fullwidth), three and four-byte characters.
final class ExplanationTextTests: XCTestCase {
    func testWidthFromTheBytesIsTheStringsWidth() {
        let texts = ["", "qty=3 unit_price=12.5", "round2(2 × c) ≈ 1.4286", "压缩机A 刹车片", "ＡＢ￥", "한국", "⺀ ꓏ ﹏",
                     "monthly average 😀 ok", "订单 \u{1100}\u{115F}\u{1160}"]
        for text in texts {
            let bytes = Array(text.utf8)
            XCTAssertEqual(bytes.withUnsafeBufferPointer(ExplanationText.displayWidth), displayWidth(text), text)
        }
        XCTAssertEqual(Array("压缩机A ≈".utf8).withUnsafeBufferPointer(ExplanationText.displayWidth), 9)
    }
}
