import Core
import Glibc
import XCTest

final class PagesTests: XCTestCase {
    /// This process's resident memory, from /proc/self/statm.
    private func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return Int(statm[1])! * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func testUnusedPagesGoBackAndTheElementsStay() throws {
        // 64 MiB of numbers, filtered in place to the first thousand: the memory stays resident until
        // the pages past the count are handed back; the kept numbers and later appends are intact.
        var numbers = [UInt64](unsafeUninitializedCapacity: 8 << 20) { buffer, count in
            for i in buffer.indices { buffer[i] = UInt64(i) * 3 }
            count = buffer.count
        }
        numbers.removeAll { $0 >= 3_000 }
        let capacity = numbers.capacity
        let before = try residentBytes()
        numbers.releaseUnusedPages()
        let after = try residentBytes()
        XCTAssertGreaterThan(before - after, 60 << 20, "resident \(before >> 20) MiB -> \(after >> 20) MiB")
        XCTAssertEqual(numbers, (0..<1_000).map { UInt64($0) * 3 })
        XCTAssertEqual(numbers.capacity, capacity)
        numbers.append(contentsOf: [7, 8, 9])
        XCTAssertEqual(numbers.suffix(4), [2_997, 7, 8, 9])
        var empty: [UInt64] = []
        empty.releaseUnusedPages()   // no storage at all: nothing to do
        XCTAssertEqual(empty, [])
    }
}
