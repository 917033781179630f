/// An executable cell: a fenced code block whose info string starts with `swift`.
public struct Cell: Sendable, Hashable {
    /// The largest cell source (UTF-8 bytes, options excluded) that is parsed, run or highlighted:
    /// swift-syntax takes about a second per 64 KB in a debug build. A larger cell is a reader error.
    public static let maximumSourceBytes = 32 * 1024

    /// 0-based position among the notebook's executable cells.
    public var index: Int
    /// The source without its leading `//|` option lines.
    public var source: String
    public var options: CellOptions
    /// For line i (0-based) of `source`: where its first character sits in the notebook.
    /// Cells inside lists or block quotes are indented, so columns are not always 1.
    public var lineStarts: [SourceLocation]
    /// The notebook line of the opening fence.
    public var fenceLine: Int

    public init(index: Int, source: String, options: CellOptions, lineStarts: [SourceLocation], fenceLine: Int) {
        self.index = index
        self.source = source
        self.options = options
        self.lineStarts = lineStarts
        self.fenceLine = fenceLine
    }

    /// Maps a 1-based (line, column) inside `source` to the notebook.
    public func notebookLocation(line: Int, column: Int) -> SourceLocation {
        guard !lineStarts.isEmpty else { return SourceLocation(line: fenceLine + 1, column: column) }
        let start = lineStarts[min(max(line - 1, 0), lineStarts.count - 1)]
        return SourceLocation(line: start.line, column: start.column + column - 1)
    }
}

/// The `//| key: value` options of a cell (see the README's notebook format).
public struct CellOptions: Sendable, Hashable {
    public enum Expectation: String, Sendable, Hashable, Codable {
        case pass, fail, error
    }

    public var label: String?
    public var tags: [String] = []
    public var echo = true
    public var output = true
    public var eval = true
    public var expect: Expectation = .pass
    public var rtol: Double?
    public var atol: Double?
    public var trials: Int?
    public var seed: UInt64?
    /// This cell's evaluation-step budget, for a long legitimate computation.
    public var steps: Int?
    /// Significant digits of this cell's numbers.
    public var digits: Int?
    /// `verifies: [eq-name, …]`: the numbered equations this cell checks.
    public var verifies: [String] = []

    public init() {}
}
