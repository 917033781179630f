import Foundation

/// The sandbox's limits (see the README). Each, when reached, is an error at the cell's location;
/// the next cell and the next notebook still run.
public struct Limits: Sendable {
    /// Evaluation steps per cell: loop iterations and calls.
    public var steps: Int
    /// Entries in any one tensor, checked before it is allocated.
    public var tensorElements: Int
    /// Elements of a string (UTF-8 bytes) or an array.
    public var collectionLength: Int
    /// Nested calls of cell functions and closures.
    public var recursionDepth: Int
    /// Wall-clock time per cell.
    public var wallClock: Duration
    /// Resident memory of the whole process, checked as cells allocate tensors: a cell that keeps
    /// many large tensors alive stops with an error instead of the system killing every notebook.
    public var memoryBytes: Int

    public init(steps: Int = 50_000_000, tensorElements: Int = 4_000_000, collectionLength: Int = 16_000_000, recursionDepth: Int = 256, wallClock: Duration = .seconds(10),
                memoryBytes: Int = Limits.defaultMemory) {
        self.steps = steps
        self.tensorElements = tensorElements
        self.collectionLength = collectionLength
        self.recursionDepth = recursionDepth
        self.wallClock = wallClock
        self.memoryBytes = memoryBytes
    }

    /// Half the machine's memory, at most 8 GiB.
    public static let defaultMemory = Swift.min(8 << 30, Int(ProcessInfo.processInfo.physicalMemory / 2))

    public static let `default` = Limits()
}
