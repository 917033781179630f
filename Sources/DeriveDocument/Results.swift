/// The outcome of running one cell.
public struct CellResult: Sendable, Hashable {
    public var index: Int
    public var outputs: [CellOutput]
    /// The error that stopped the cell, if any (the first of `errors`).
    public var error: Diagnostic?
    /// Every error: a cell that does not compile reports all of its errors at once.
    public var errors: [Diagnostic]
    /// Whether the cell met its `expect` (see the README's notebook format): pass, fail (some check failed, no error) or error.
    public var passed: Bool
    /// False for `eval: false` cells.
    public var ran: Bool
    /// Why the cell failed when no check or error says it (e.g. `expect: fail` whose checks all passed).
    public var failureReason: String?

    public init(index: Int, outputs: [CellOutput], error: Diagnostic?, errors: [Diagnostic]? = nil, passed: Bool, ran: Bool = true, failureReason: String? = nil) {
        self.index = index
        self.outputs = outputs
        self.error = error
        self.errors = errors ?? error.map { [$0] } ?? []
        self.passed = passed
        self.ran = ran
        self.failureReason = failureReason
    }

    /// Every check row the cell produced, top level only.
    public var checks: [CheckRow] {
        outputs.compactMap { if case .check(let row) = $0 { row } else { nil } }
    }
}

/// The outcome of running a whole notebook.
public struct NotebookResult: Sendable, Hashable {
    public var cells: [CellResult]
    /// Problems outside cells: reader errors, TeX errors.
    public var diagnostics: [Diagnostic]

    /// Files the cells read (`readCSV`), as absolute paths: part of the notebook's input.
    public var inputs: [String]

    public init(cells: [CellResult], diagnostics: [Diagnostic] = [], inputs: [String] = []) {
        self.cells = cells
        self.diagnostics = diagnostics
        self.inputs = inputs
    }

    public var passed: Bool {
        cells.allSatisfy(\.passed) && !diagnostics.contains { $0.severity == .error }
    }
}
