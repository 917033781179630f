/// Cooperative cancellation for long engine work (the per-cell time limit). The caller
/// installs a deadline for the current thread (or task); long loops — matrix products by row
/// blocks, finite-difference loops, Jacobian and Hessian rows, every 1,024 values of a backward
/// pass — poll `check()`, which throws `Cancellation.timeLimit` once the deadline has passed.
/// Without a deadline a check costs one task-local read.
public enum Cancellation {
    /// The error a check throws after the deadline.
    public static let timeLimit = EngineError("the cell ran longer than its time limit")

    @TaskLocal static var deadline: ContinuousClock.Instant?

    /// Runs `body` with `deadline` in force on this thread (and in tasks it starts); a deadline
    /// already in force that is earlier stays.
    public static func withDeadline<T>(_ deadline: ContinuousClock.Instant, _ body: () throws -> T) rethrows -> T {
        let earliest = Self.deadline.map { Swift.min($0, deadline) } ?? deadline
        return try $deadline.withValue(earliest) { try body() }
    }

    /// The deadline in force, if any.
    public static var currentDeadline: ContinuousClock.Instant? { deadline }

    /// Throws `timeLimit` when the deadline in force has passed.
    @inline(__always)
    public static func check() throws(EngineError) {
        if let deadline, ContinuousClock.now >= deadline { throw timeLimit }
    }
}
