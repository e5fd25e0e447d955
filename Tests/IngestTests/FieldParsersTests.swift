import XCTest
import Core
@testable import Ingest

private func bytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    Array(text.utf8).withUnsafeBufferPointer(body)
}

private func number(_ text: String, decimals: Int = 6, mark: Character = ".") -> Int128? {
    bytes(text) { FieldParsers.number($0, decimals: decimals, decimalMark: mark.asciiValue!) }
}

private func date(_ text: String, pattern: String? = nil) -> String? {
    let p = pattern.map { DatePattern($0)! }
    return bytes(text) { FieldParsers.date($0, pattern: p) }?.description
}

private func bool(_ text: String) -> Bool? { bytes(text) { FieldParsers.bool($0) } }

final class DateParserTests: XCTestCase {
    func testISOForm() {
        XCTAssertEqual(date("2026-10-05"), "2026-10-05")
        XCTAssertEqual(date("2024-02-29"), "2024-02-29")
        // Two-digit month and day are required in the dash form.
        XCTAssertNil(date("2026-1-05"))
        XCTAssertNil(date("2026-10-5"))
        XCTAssertNil(date("2026-1-5"))
        XCTAssertNil(date("2026-010-05"))
        XCTAssertNil(date("2026-10-055"))
        XCTAssertNil(date("26-10-05"))
        XCTAssertNil(date("02026-10-05"))
    }

    func testSlashDotAndChineseFormsTakeOneOrTwoDigits() {
        XCTAssertEqual(date("2026/1/5"), "2026-01-05")
        XCTAssertEqual(date("2026/01/05"), "2026-01-05")
        XCTAssertEqual(date("2026/10/5"), "2026-10-05")
        XCTAssertEqual(date("2026/1/25"), "2026-01-25")
        XCTAssertEqual(date("2026.3.7"), "2026-03-07")
        XCTAssertEqual(date("2026.03.07"), "2026-03-07")
        XCTAssertEqual(date("2026年3月7日"), "2026-03-07")
        XCTAssertEqual(date("2026年12月31日"), "2026-12-31")
        XCTAssertEqual(date("2026年03月07日"), "2026-03-07")
        XCTAssertNil(date("2026/001/5"))
        XCTAssertNil(date("2026/1/005"))
        XCTAssertNil(date("2026/1-5"))        // mixed separators
        XCTAssertNil(date("2026.1/5"))
        XCTAssertNil(date("2026年3月7"))       // 日 is needed
        XCTAssertNil(date("2026年3月"))
        XCTAssertNil(date("2026/3"))
        XCTAssertNil(date("2026/3/"))
    }

    func testCompactForm() {
        XCTAssertEqual(date("20261005"), "2026-10-05")
        XCTAssertEqual(date("20240229"), "2024-02-29")
        XCTAssertNil(date("2026105"))    // 7 digits
        XCTAssertNil(date("202610051"))  // 9 digits
        XCTAssertNil(date("2026"))
        XCTAssertNil(date("20231329"))   // month 13
    }

    func testTimeAfterWhiteSpaceIsIgnored() {
        XCTAssertEqual(date("2026-10-05 13:45"), "2026-10-05")
        XCTAssertEqual(date("2026-10-05 13:45:59"), "2026-10-05")
        XCTAssertEqual(date("2026/1/5 8:05"), "2026-01-05")
        XCTAssertEqual(date("2026.1.5\t08:05:00"), "2026-01-05")
        XCTAssertEqual(date("20261005 00:00"), "2026-10-05")
        XCTAssertEqual(date("2026年1月5日 23:59:59"), "2026-01-05")
        XCTAssertEqual(date("2026-10-05  13:45"), "2026-10-05")   // more than one space
        XCTAssertNil(date("2026-10-05T13:45"))     // a time follows after white space only
        XCTAssertNil(date("2026-10-0513:45"))
        XCTAssertNil(date("2026-10-05 13"))
        XCTAssertNil(date("2026-10-05 13:4"))
        XCTAssertNil(date("2026-10-05 24:00"))
        XCTAssertNil(date("2026-10-05 13:60"))
        XCTAssertNil(date("2026-10-05 13:45:"))
        XCTAssertNil(date("2026-10-05 13:45:30 PM"))
        XCTAssertNil(date("2026-10-05 abc"))
        XCTAssertNil(date("20261005 1"))
    }

    func testImpossibleDatesAreRejected() {
        XCTAssertNil(date("2023-02-29"))
        XCTAssertNil(date("1900-02-29"))
        XCTAssertEqual(date("2000-02-29"), "2000-02-29")
        XCTAssertNil(date("2026-04-31"))
        XCTAssertNil(date("2026/2/30"))
        XCTAssertNil(date("2026.13.1"))
        XCTAssertNil(date("2026年0月1日"))
        XCTAssertNil(date("20260100"))
        XCTAssertNil(date("0000-01-01"))
    }

    func testDayFirstFormsNeedAPattern() {
        XCTAssertNil(date("05/10/2026"))
        XCTAssertNil(date("5.10.2026"))
        XCTAssertNil(date("05-10-2026"))
        XCTAssertNil(date("10/05/26"))
        XCTAssertNil(date("Oct 5, 2026"))
        XCTAssertNil(date(""))
    }

    func testExplicitPatterns() {
        XCTAssertEqual(date("05/10/2026", pattern: "%d/%m/%Y"), "2026-10-05")
        XCTAssertEqual(date("5/1/2026", pattern: "%d/%m/%Y"), "2026-01-05")
        XCTAssertEqual(date("31/12/2026 17:30", pattern: "%d/%m/%Y"), "2026-12-31")
        XCTAssertNil(date("2026-10-05", pattern: "%d/%m/%Y"))      // only the pattern's form
        XCTAssertNil(date("31/02/2026", pattern: "%d/%m/%Y"))      // impossible
        XCTAssertNil(date("13/13/2026", pattern: "%d/%m/%Y"))
        XCTAssertNil(date("05/10/26", pattern: "%d/%m/%Y"))        // %Y is 4 digits
        XCTAssertNil(date("05/10/2026x", pattern: "%d/%m/%Y"))

        XCTAssertEqual(date("10-05-2026", pattern: "%m-%d-%Y"), "2026-10-05")
        XCTAssertEqual(date("2-29-2024", pattern: "%m-%d-%Y"), "2024-02-29")
        XCTAssertNil(date("2-29-2023", pattern: "%m-%d-%Y"))
        XCTAssertNil(date("13-05-2026", pattern: "%m-%d-%Y"))

        XCTAssertEqual(date("5.10.2026", pattern: "%d.%m.%Y"), "2026-10-05")
        XCTAssertEqual(date("2026年10月5日", pattern: "%Y年%m月%d日"), "2026-10-05")
        XCTAssertEqual(date("100%05/10/2026", pattern: "100%%%d/%m/%Y"), "2026-10-05")
    }

    func testPatternValidation() {
        XCTAssertNotNil(DatePattern("%d/%m/%Y"))
        XCTAssertNil(DatePattern("%d/%m/%y"))
        XCTAssertNil(DatePattern("%d/%m"))
        XCTAssertNil(DatePattern("%Y-%m-%d %H"))
        XCTAssertNil(DatePattern("%Y-%m-%d-%d"))
        XCTAssertNil(DatePattern("%"))
        XCTAssertNil(DatePattern(""))
    }

    func testMonth() {
        func month(_ s: String) -> String? { bytes(s) { FieldParsers.month($0) }?.description }
        XCTAssertEqual(month("2026-10"), "2026-10")
        XCTAssertEqual(month("2026/3"), "2026-03")
        XCTAssertEqual(month("2026年3月"), "2026-03")
        XCTAssertNil(month("2026-3"))
        XCTAssertNil(month("2026-13"))
        XCTAssertNil(month("2026-10-01"))
        XCTAssertNil(month("202610"))
    }
}

final class NumberParserTests: XCTestCase {
    func testPlainNumbersScaledToTheColumnsDecimals() {
        XCTAssertEqual(number("12", decimals: 3), 12_000)
        XCTAssertEqual(number("12.5", decimals: 3), 12_500)
        XCTAssertEqual(number("2.375", decimals: 3), 2375)
        XCTAssertEqual(number("0.001", decimals: 3), 1)
        XCTAssertEqual(number("0", decimals: 3), 0)
        XCTAssertEqual(number("007", decimals: 0), 7)
        XCTAssertEqual(number("12.345678", decimals: 6), 12_345_678)
        XCTAssertEqual(number("957.5775", decimals: 6), 957_577_500)
        XCTAssertEqual(number("-1.5", decimals: 3), -1500)
        XCTAssertEqual(number("+1.5", decimals: 3), 1500)
        XCTAssertEqual(number("-0", decimals: 3), 0)
        // Up to 19 bytes of digits and a decimal mark are read in 64 bits, longer ones in 128.
        XCTAssertEqual(number("9999999999999999999", decimals: 0), 9_999_999_999_999_999_999)
        XCTAssertEqual(number("99999999999999999999", decimals: 0), 99_999_999_999_999_999_999)
        XCTAssertEqual(number("999999999999.999999", decimals: 6), 999_999_999_999_999_999)
        XCTAssertEqual(number("9999999999999.999999", decimals: 6), 9_999_999_999_999_999_999)
    }

    func testMoreDecimalsThanAllowedIsBadNeverRounded() {
        XCTAssertNil(number("1.2345", decimals: 3))
        XCTAssertNil(number("1.0000", decimals: 3))      // even trailing zeros
        XCTAssertNil(number("0.0000001", decimals: 6))
        XCTAssertNil(number("12.3456789", decimals: 6))
        XCTAssertNil(number("1.5", decimals: 0))
    }

    func testFractionAndIntegerPartsAreBothNeeded() {
        XCTAssertNil(number(".5"))
        XCTAssertNil(number("5."))
        XCTAssertNil(number("-.5"))
        XCTAssertNil(number("¥.5"))
        XCTAssertNil(number("."))
        XCTAssertNil(number(""))
        XCTAssertNil(number("-"))
        XCTAssertNil(number("¥"))
    }

    func testThousandsSeparatorsOnlyInGroupsOfThree() {
        XCTAssertEqual(number("1,234,567.5", decimals: 3), 1_234_567_500)
        XCTAssertEqual(number("1,234", decimals: 0), 1234)
        XCTAssertEqual(number("12,345", decimals: 0), 12_345)
        XCTAssertEqual(number("123,456", decimals: 0), 123_456)
        XCTAssertEqual(number("-1,234.00", decimals: 2), -123_400)
        XCTAssertNil(number("1,23"))
        XCTAssertNil(number("12,3456"))
        XCTAssertNil(number("1234,567"))
        XCTAssertNil(number("1,,234"))
        XCTAssertNil(number(",123"))
        XCTAssertNil(number("1,234,"))
        XCTAssertNil(number("1,234.5,6"))
        XCTAssertNil(number("1.234,5"))            // with "." as the decimal mark, "," after it is bad
        XCTAssertNil(number("1,234,56"))
    }

    func testYuanSignWithTheSignBeforeOrAfter() {
        XCTAssertEqual(number("¥12.50", decimals: 2), 1250)
        XCTAssertEqual(number("￥12.50", decimals: 2), 1250)
        XCTAssertEqual(number("¥1,234.5", decimals: 2), 123_450)
        XCTAssertEqual(number("-¥12.50", decimals: 2), -1250)
        XCTAssertEqual(number("¥-12.50", decimals: 2), -1250)
        XCTAssertEqual(number("-￥12.50", decimals: 2), -1250)
        XCTAssertEqual(number("￥-12.50", decimals: 2), -1250)
        XCTAssertEqual(number("+￥3", decimals: 2), 300)
        XCTAssertNil(number("¥¥12"))
        XCTAssertNil(number("--12"))
        XCTAssertNil(number("-¥-12"))
        XCTAssertNil(number("12¥"))
        XCTAssertNil(number("12-"))
        XCTAssertNil(number("$12"))
        XCTAssertNil(number("¥ 12"))     // only surrounding spaces are allowed, and the caller trims them
    }

    func testOtherGarbage() {
        XCTAssertNil(number(" 12"))      // the caller trims; the parser sees only the value
        XCTAssertNil(number("12 "))
        XCTAssertNil(number("1 234"))
        XCTAssertNil(number("1e3"))
        XCTAssertNil(number("0x10"))
        XCTAssertNil(number("12abc"))
        XCTAssertNil(number("１２"))      // full-width digits
        XCTAssertNil(number("1.2.3"))
        XCTAssertNil(number("NaN"))
        XCTAssertNil(number(String(repeating: "9", count: 40)))
    }

    func testDecimalComma() {
        XCTAssertEqual(number("1,5", decimals: 3, mark: ","), 1500)
        XCTAssertEqual(number("1.234,5", decimals: 3, mark: ","), 1_234_500)
        XCTAssertEqual(number("1.234.567,25", decimals: 2, mark: ","), 123_456_725)
        XCTAssertEqual(number("-¥1.234,50", decimals: 2, mark: ","), -123_450)
        XCTAssertEqual(number("12", decimals: 2, mark: ","), 1200)
        XCTAssertNil(number("1.5", decimals: 3, mark: ","))       // "." is now a thousands separator
        XCTAssertNil(number("1,234.5", decimals: 3, mark: ","))
        XCTAssertNil(number(",5", decimals: 3, mark: ","))
        XCTAssertNil(number("5,", decimals: 3, mark: ","))
        XCTAssertNil(number("1,2345", decimals: 3, mark: ","))
    }

    func testInteger() {
        func integer(_ s: String) -> Int64? { bytes(s) { FieldParsers.integer($0) } }
        XCTAssertEqual(integer("1200"), 1200)
        XCTAssertEqual(integer("0"), 0)
        XCTAssertNil(integer(""))
        XCTAssertNil(integer("1.5"))
        XCTAssertNil(integer("12a"))
    }
}

final class BoolParserTests: XCTestCase {
    func testEveryFormInAnyCase() {
        for yes in ["Y", "y", "yes", "YES", "Yes", "true", "TRUE", "True", "1", "是"] {
            XCTAssertEqual(bool(yes), true, yes)
        }
        for no in ["N", "n", "no", "NO", "No", "false", "FALSE", "False", "0", "否"] {
            XCTAssertEqual(bool(no), false, no)
        }
        for other in ["", "x", "2", "yess", "t", "f", "on", "off", "是的", "不", "-1", "1.0", "Y N"] {
            XCTAssertNil(bool(other), other)
        }
    }
}

final class SchemaTests: XCTestCase {
    /// The config checks `columns` and `defaults` against `InputKind.columnIds`; the schema must agree.
    func testSchemaIdsMatchTheConfigsList() {
        for kind in InputKind.allCases {
            XCTAssertEqual(KindSchema.of(kind).columns.map(\.id), kind.columnIds, kind.rawValue)
            XCTAssertEqual(KindSchema.of(kind).kind, kind)
        }
    }

    func testRequiredColumnsAreThoseOfTheSpec() {
        let required = InputKind.allCases.map { kind in
            "\(kind.rawValue): " + KindSchema.of(kind).columns.filter(\.required).map(\.id).joined(separator: " ")
        }
        XCTAssertEqual(required, [
            "parts: part_no part_name",
            "dealers: dealer_id dealer_name",
            "orders: order_no order_date dealer_id part_no qty status",
            "movements: doc_no doc_date warehouse part_no move_type qty",
            "opening: warehouse part_no qty value",
            "counts: count_date warehouse part_no counted_qty",
            "repairs: repair_no repair_date dealer_id product_model warranty",
            "faults: fault_code",
            "fleet: product_model month units",
            "payments: payment_no payment_date dealer_id amount",
            "receivables: as_of doc_no doc_type doc_date due_date dealer_id open_amount",
        ])
    }
}
