/// Calls `body` with each row of `rows` in order, having first called `prefetch` with the row 8
/// places ahead (when there is one).
///
/// Why: at ten times a month the lookup tables of the row loops (`TextGroups`, `PairIndex`…)
/// outgrow the CPU caches, and a lookup waited on memory for its slot. `prefetch` asks the CPU for
/// the slot a later row will probe (a hint only), so that it has arrived when that row's turn comes.
/// Inlined into each loop, so that it costs no more than the index arithmetic written out by hand.
@inlinable @inline(__always)
public func forEachPrefetching<Rows: RandomAccessCollection>(_ rows: Rows, prefetch: (Rows.Element) -> Void,
                                                             _ body: (Rows.Element) -> Void) where Rows.Index == Int {
    let distance = 8
    for i in rows.indices {
        if i + distance < rows.endIndex { prefetch(rows[i + distance]) }
        body(rows[i])
    }
}
