import Synchronization

/// Money, quantities and percentages are Int64 (cents, thousandths, hundredths). One number read
/// from a file is at most `largestReadNumber` (checked on read, with file, line and column), but a
/// sum over ~100k such rows, or a product in the ledger, can still leave Int64. A trap there would
/// end the run without a word, so a run watches its stages: inside `watch`, an overflowing operation
/// saturates at ±Int64.max and records what overflowed, and the stage then fails with that message
/// (exit 3, nothing written). Outside `watch` (unit tests, tools) an overflow traps as before.
public enum ExactRange {
    /// The largest magnitude of a number read from a file, in its own unit (units, yuan per unit,
    /// yuan): 10^12. An amount of 1,000,000,000,000.00 yuan is far beyond any parts order, and
    /// keeps ~92,000 such rows summable in Int64 cents.
    /// Computed and inlinable: a stored static is read through an accessor call, on the per-field path.
    @inlinable public static var largestReadNumber: Int128 { 1_000_000_000_000 }

    /// Whether `mantissa / 10^scale` is within ±`largestReadNumber`.
    @inlinable public static func admits(_ mantissa: Int128, scale: Int) -> Bool {
        mantissa.magnitude <= largestReadNumber.magnitude * pow10(scale).magnitude
    }

    /// The first overflow seen in a watched stage.
    public final class Watcher: Sendable {
        let first = Mutex<String?>(nil)
        public init() {}
        public var overflow: String? { first.withLock { $0 } }
    }

    @TaskLocal static var watcher: Watcher?

    /// Runs `body`; returns its result and the first overflow it met, if any.
    public static func watch<T>(_ body: () throws -> T) rethrows -> (result: T, overflow: String?) {
        let watcher = Watcher()
        let result = try $watcher.withValue(watcher) { try body() }
        return (result, watcher.overflow)
    }

    /// The calling task's watch, to carry into work it hands to other threads (`within`).
    public static var current: Watcher? { watcher }

    /// Runs `body` under `watcher` (from `current` on the thread that started the work).
    public static func within<T>(_ watcher: Watcher?, _ body: () throws -> T) rethrows -> T {
        try $watcher.withValue(watcher) { try body() }
    }

    /// Called when `what` does not fit: records it and returns the saturated value (sign of the
    /// true result), or traps when no run is watching.
    public static func outOfRange(_ what: @autoclosure () -> String, negative: Bool) -> Int64 {
        guard let watcher else { preconditionFailure("\(what()) is out of range") }
        watcher.first.withLock { if $0 == nil { $0 = what() } }
        return negative ? -Int64.max : Int64.max
    }

    /// a + b, watched; `what` names the unit ("an amount", "a quantity").
    @inlinable static func sum(_ a: Int64, _ b: Int64, _ what: String, scale: Int) -> Int64 {
        let (r, overflow) = a.addingReportingOverflow(b)
        guard overflow || r == .min else { return r }
        return outOfRange("\(what) \(decimalString(Int128(a), scale: scale)) + \(decimalString(Int128(b), scale: scale))",
                          negative: b < 0)
    }

    /// `value` as Int64, watched. Int64.min is out of range too, so that every figure can be negated.
    @inlinable public static func fit(_ value: Int128, _ what: @autoclosure () -> String) -> Int64 {
        if let exact = Int64(exactly: value), exact != .min { return exact }
        return outOfRange(what(), negative: value < 0)
    }
}
