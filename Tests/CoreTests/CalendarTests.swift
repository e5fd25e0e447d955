import XCTest
@testable import Core

final class DayTests: XCTestCase {
    func testEpochAndKnownOrdinals() {
        XCTAssertEqual(Day(year: 1970, month: 1, day: 1)?.ordinal, 0)
        XCTAssertEqual(Day(year: 1970, month: 1, day: 2)?.ordinal, 1)
        XCTAssertEqual(Day(year: 1969, month: 12, day: 31)?.ordinal, -1)
        // 2000-01-01 is 10957 days after the epoch (30 years, 7 of them leap).
        XCTAssertEqual(Day(year: 2000, month: 1, day: 1)?.ordinal, 10_957)
        // 2024-01-01: 54 years, 13 leap days (1972 … 2020).
        XCTAssertEqual(Day(year: 2024, month: 1, day: 1)?.ordinal, 54 * 365 + 13)
    }

    func testLeapYears() {
        XCTAssertNotNil(Day(year: 2024, month: 2, day: 29))
        XCTAssertNil(Day(year: 2023, month: 2, day: 29))
        XCTAssertNil(Day(year: 1900, month: 2, day: 29))   // divisible by 100, not by 400
        XCTAssertNotNil(Day(year: 2000, month: 2, day: 29)) // divisible by 400
        XCTAssertNil(Day(year: 2100, month: 2, day: 29))
        XCTAssertTrue(Day.isLeap(2024))
        XCTAssertFalse(Day.isLeap(2023))
        XCTAssertFalse(Day.isLeap(1900))
        XCTAssertTrue(Day.isLeap(2000))
        // 2024-02-28 + 1 = 02-29, + 2 = 03-01; 2023-02-28 + 1 = 03-01
        XCTAssertEqual(Day(year: 2024, month: 2, day: 28)!.advanced(by: 1).description, "2024-02-29")
        XCTAssertEqual(Day(year: 2024, month: 2, day: 28)!.advanced(by: 2).description, "2024-03-01")
        XCTAssertEqual(Day(year: 2023, month: 2, day: 28)!.advanced(by: 1).description, "2023-03-01")
    }

    func testImpossibleDates() {
        XCTAssertNil(Day(year: 2026, month: 2, day: 30))
        XCTAssertNil(Day(year: 2026, month: 4, day: 31))
        XCTAssertNil(Day(year: 2026, month: 13, day: 1))
        XCTAssertNil(Day(year: 2026, month: 0, day: 1))
        XCTAssertNil(Day(year: 2026, month: 1, day: 0))
        XCTAssertNil(Day(year: 2026, month: 1, day: 32))
        XCTAssertNil(Day(year: 0, month: 1, day: 1))
        XCTAssertNil(Day(year: 10_000, month: 1, day: 1))
        XCTAssertNotNil(Day(year: 2026, month: 12, day: 31))
    }

    /// Every day from 1899-01-01 to 2101-12-31 survives components → init → components, and
    /// consecutive days differ by exactly one ordinal.
    func testRoundTripOverTwoCenturies() {
        var expected = (year: 1899, month: 1, day: 1)
        var day = Day(year: 1899, month: 1, day: 1)!
        var count = 0
        while expected.year <= 2101 {
            let c = day.components
            XCTAssertEqual(c.year, expected.year)
            XCTAssertEqual(c.month, expected.month)
            XCTAssertEqual(c.day, expected.day)
            XCTAssertEqual(Day(year: c.year, month: c.month, day: c.day), day)
            XCTAssertEqual(Day(iso: day.description), day)
            if c.year != expected.year || c.month != expected.month || c.day != expected.day { return }
            // The next calendar day, by hand.
            let monthLength: Int
            switch expected.month {
            case 2: monthLength = (expected.year % 4 == 0 && expected.year % 100 != 0) || expected.year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: monthLength = 30
            default: monthLength = 31
            }
            if expected.day < monthLength { expected.day += 1 }
            else if expected.month < 12 { expected = (expected.year, expected.month + 1, 1) }
            else { expected = (expected.year + 1, 1, 1) }
            day = day.advanced(by: 1)
            count += 1
        }
        // 203 years with 49 leap days (1904 … 2096, not 1900, 2000 included).
        XCTAssertEqual(count, 203 * 365 + 49)
    }

    func testISOParsingAndDescription() {
        XCTAssertEqual(Day(iso: "2024-02-29")?.description, "2024-02-29")
        XCTAssertNil(Day(iso: "2023-02-29"))
        XCTAssertNil(Day(iso: "2024-2-29"))
        XCTAssertNil(Day(iso: "2024/02/29"))
        XCTAssertNil(Day(iso: "20240229"))
        XCTAssertNil(Day(iso: "2024-02-29 "))
        XCTAssertNil(Day(iso: "2024-02-+9"))
        XCTAssertEqual(Day(year: 1, month: 1, day: 1)?.description, "0001-01-01")
        XCTAssertEqual(Day(year: 987, month: 6, day: 5)?.description, "0987-06-05")
    }

    func testDistanceAndOrder() {
        let a = Day(iso: "2026-01-31")!, b = Day(iso: "2026-03-01")!
        XCTAssertEqual(a.distance(to: b), 29)
        XCTAssertEqual(b.distance(to: a), -29)
        XCTAssertTrue(a < b)
        XCTAssertEqual(Day(iso: "2024-12-31")!.distance(to: Day(iso: "2025-12-31")!), 365)
        XCTAssertEqual(Day(iso: "2023-12-31")!.distance(to: Day(iso: "2024-12-31")!), 366)
        XCTAssertEqual(Day(iso: "2026-10-15")!.month, Month(year: 2026, month: 10))
    }
}

final class MonthTests: XCTestCase {
    func testNextAndPrevious() {
        XCTAssertEqual(Month(year: 2026, month: 12)!.next, Month(year: 2027, month: 1))
        XCTAssertEqual(Month(year: 2026, month: 1)!.previous, Month(year: 2025, month: 12))
        XCTAssertEqual(Month(year: 2026, month: 6)!.next, Month(year: 2026, month: 7))
        XCTAssertEqual(Month(year: 2026, month: 6)!.previous, Month(year: 2026, month: 5))
        XCTAssertEqual(Month(year: 2026, month: 3)!.previous.next, Month(year: 2026, month: 3))
    }

    func testFirstAndLastDay() {
        XCTAssertEqual(Month(year: 2024, month: 2)!.lastDay.description, "2024-02-29")
        XCTAssertEqual(Month(year: 2023, month: 2)!.lastDay.description, "2023-02-28")
        XCTAssertEqual(Month(year: 1900, month: 2)!.lastDay.description, "1900-02-28")
        XCTAssertEqual(Month(year: 2000, month: 2)!.lastDay.description, "2000-02-29")
        XCTAssertEqual(Month(year: 2026, month: 4)!.lastDay.description, "2026-04-30")
        XCTAssertEqual(Month(year: 2026, month: 12)!.lastDay.description, "2026-12-31")
        XCTAssertEqual(Month(year: 2026, month: 12)!.firstDay.description, "2026-12-01")
        let feb = Month(year: 2024, month: 2)!
        XCTAssertTrue(feb.contains(Day(iso: "2024-02-01")!))
        XCTAssertTrue(feb.contains(Day(iso: "2024-02-29")!))
        XCTAssertFalse(feb.contains(Day(iso: "2024-03-01")!))
        XCTAssertFalse(feb.contains(Day(iso: "2024-01-31")!))
    }

    func testISOAndDistance() {
        XCTAssertEqual(Month(iso: "2026-10")?.description, "2026-10")
        XCTAssertNil(Month(iso: "2026-1"))
        XCTAssertNil(Month(iso: "2026-13"))
        XCTAssertNil(Month(iso: "2026-00"))
        XCTAssertNil(Month(iso: "202610"))
        XCTAssertNil(Month(iso: "2026-10-01"))
        XCTAssertEqual(Month(iso: "2025-11")!.distance(to: Month(iso: "2026-02")!), 3)
        XCTAssertEqual(Month(iso: "2026-02")!.distance(to: Month(iso: "2025-11")!), -3)
        XCTAssertTrue(Month(iso: "2025-12")! < Month(iso: "2026-01")!)
        XCTAssertNil(Month(year: 2026, month: 13))
    }
}

final class InputKindTests: XCTestCase {
    func testOrderAndMasters() {
        XCTAssertEqual(InputKind.allCases.sorted(), InputKind.allCases)
        XCTAssertTrue(InputKind.parts < InputKind.orders)
        XCTAssertEqual(InputKind.allCases.filter(\.isMaster), [.parts, .dealers, .faults, .fleet])
    }
}
