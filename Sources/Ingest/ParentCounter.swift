import Core
import Glibc

/// Rows read per parent id (order_no / doc_no / repair_no) in one file, for numbering a row whose
/// line_no is absent or empty: the next number of its parent, every read row counting (SPEC §2.3, §6).
///
/// Most exports carry a line_no on every row, so no number may ever be asked for. Until one is, each
/// run of rows under one parent is only appended to a log (an insert into a hash table per document
/// was ~4 % of ingest, a cache miss each); the first number asked for adds the log up into the table.
struct ParentCounter {
    private var rows = TextTable<Int>()
    private var isIndexed = false
    /// Runs of rows under one parent not yet in `rows`: the ids back to back, where each ends, its rows.
    private var runIds: [UInt8] = [], runEnds: [Int] = [], runRows: [Int] = []
    /// Once indexed, the entry of the last parent counted (the lines of a document usually follow each other).
    private var lastEntry: Int?

    /// Counts a row of `parent`; returns its number under the parent when `numbered`, or once any
    /// number has been asked for in the file.
    mutating func count(_ parent: UnsafeBufferPointer<UInt8>, numbered: Bool) -> Int? {
        if numbered && !isIndexed { index() }
        guard isIndexed else {
            if let last = runEnds.last, isSame(parent, runIds, from: runEnds.count > 1 ? runEnds[runEnds.count - 2] : 0, to: last) {
                runRows[runRows.count - 1] += 1
            } else {
                runIds.append(contentsOf: parent)
                runEnds.append(runIds.count)
                runRows.append(1)
            }
            return nil
        }
        let entry: Int
        if let lastEntry, rows.holds(parent, at: lastEntry) { entry = lastEntry } else { entry = rows.entry(parent, inserting: 0) }
        lastEntry = entry
        rows[entry] += 1
        return rows[entry]
    }

    /// Adds the logged runs up per parent.
    private mutating func index() {
        var start = 0
        runIds.withUnsafeBufferPointer { ids in
            for (end, count) in zip(runEnds, runRows) {
                rows[rows.entry(UnsafeBufferPointer(rebasing: ids[start..<end]), inserting: 0)] += count
                start = end
            }
        }
        (runIds, runEnds, runRows) = ([], [], [])
        isIndexed = true
    }

    private func isSame(_ id: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
        guard end - start == id.count else { return false }
        return id.isEmpty || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, id.baseAddress!, id.count) == 0 }
    }
}
