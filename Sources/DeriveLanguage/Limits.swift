/// The sandbox's limits (SPEC §3). Each, when reached, is an error at the cell's location;
/// the next cell and the next notebook still run.
public struct Limits: Sendable {
    /// Evaluation steps (expressions evaluated) per cell.
    public var steps: Int
    /// Entries in any one tensor, checked before it is allocated.
    public var tensorElements: Int
    /// Nested calls of cell functions and closures.
    public var recursionDepth: Int
    /// Wall-clock time per cell.
    public var wallClock: Duration

    public init(steps: Int = 1_000_000, tensorElements: Int = 4_000_000, recursionDepth: Int = 256, wallClock: Duration = .seconds(10)) {
        self.steps = steps
        self.tensorElements = tensorElements
        self.recursionDepth = recursionDepth
        self.wallClock = wallClock
    }

    public static let `default` = Limits()
}
