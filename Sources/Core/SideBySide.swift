import Dispatch
import Synchronization

/// Runs independent pieces of a stage on the machine's cores (two here) and returns when all are
/// done. Each runs under the caller's `ExactRange` watch. Results come back through `Slot`s.
public func sideBySide(_ tasks: (@Sendable () -> Void)...) {
    sideBySide(tasks.count) { tasks[$0]() }
}

/// `body(0)` … `body(count − 1)` side by side, taken in index order (put the largest first).
public func sideBySide(_ count: Int, _ body: @Sendable (Int) -> Void) {
    let watcher = ExactRange.current
    DispatchQueue.concurrentPerform(iterations: count) { i in ExactRange.within(watcher) { body(i) } }
}

/// A value set by one of `sideBySide`'s tasks and read after it returned.
public final class Slot<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)
    public init() {}
    public var value: Value {
        get { storage.withLock { $0! } }
        set { storage.withLock { $0 = newValue } }
    }
    /// The value, moved out (the slot is left empty): the caller holds the only reference to it.
    public func take() -> Value { storage.withLock { $0.take()! } }
}
