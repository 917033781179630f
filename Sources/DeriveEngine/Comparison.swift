/// The pass rule of the README's checks and diagnoses: every entry must satisfy `|a − r| ≤ atol·s + rtol·|r|`, `s = max(1, ‖r‖∞)`.
public struct Tolerance: Sendable, Hashable {
    public var rtol: Double
    public var atol: Double

    public init(rtol: Double = 1e-6, atol: Double = 1e-9) {
        self.rtol = rtol
        self.atol = atol
    }

    public static let `default` = Tolerance()

    /// Whether `a` matches `r` entry by entry, skipping `excluded` positions.
    public func accepts(_ a: Tensor, _ r: Tensor, excluding excluded: Set<Coordinate> = []) -> Bool {
        guard a.rows == r.rows, a.cols == r.cols else { return false }
        let s = Swift.max(1, r.maxAbs)
        for i in 0..<r.rows {
            for j in 0..<r.cols where !excluded.contains(Coordinate(i, j)) {
                if !(Swift.abs(a[i, j] - r[i, j]) <= atol * s + rtol * Swift.abs(r[i, j])) { return false }
            }
        }
        return true
    }
}

/// The outcome of comparing an author's result with a reference, with reasons when they differ.
public struct Comparison: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var row: Int
        public var col: Int
        public var actual: Double
        public var reference: Double
    }

    public var passed: Bool
    /// Nil when the shapes differ and no entries could be compared.
    public var maxAbsError: Double?
    public var maxRelError: Double?
    /// Plain-word explanations of a failure (see the README's checks and diagnoses).
    public var diagnosis: [String] = []
    /// Facts worth showing: the shapes, coordinates left out as not differentiable.
    public var notes: [String] = []
    /// Coordinates left out because the function is not differentiable there.
    public var leftOut: [Coordinate] = []
    /// The entries furthest from the reference, worst first.
    public var worst: [Entry] = []
    /// How the reference was computed.
    public var reference: String = ""

    public init(passed: Bool, maxAbsError: Double? = nil, maxRelError: Double? = nil, reference: String = "") {
        self.passed = passed
        self.maxAbsError = maxAbsError
        self.maxRelError = maxRelError
        self.reference = reference
    }
}

/// What the diagnosis may name: the batch size (for 1/m), and whether the shape convention
/// applies (the result must have x's shape, so a transpose is the Jacobian layout).
public struct ComparisonContext: Sendable, Hashable {
    public var batchSize: Int?
    public var shapeConvention: Bool
    /// What the shape belongs to, for messages: "x", "W^2".
    public var subject: String
    /// For a Jacobian check, the function's output y = f(x) (for a Hessian, its gradient): a
    /// difference of c·yyᵀ is named.
    public var output: Tensor?
    /// How `output` is named: its symbol, and what it is.
    public var outputSymbol = "y"
    public var outputMeaning = "the output y = f(x)"

    public init(batchSize: Int? = nil, shapeConvention: Bool = false, subject: String = "x", output: Tensor? = nil) {
        self.batchSize = batchSize
        self.shapeConvention = shapeConvention
        self.subject = subject
        self.output = output
    }
}

/// Compares `actual` with `reference`: shapes first, then the pass rule, then diagnosis.
public func compare(
    _ actual: Tensor, _ reference: Tensor, tolerance: Tolerance = .default,
    excluding excluded: Set<Coordinate> = [], context: ComparisonContext = ComparisonContext()
) -> Comparison {
    guard actual.rows == reference.rows, actual.cols == reference.cols else {
        var result = Comparison(passed: false, maxAbsError: nil, maxRelError: nil)
        result.notes = ["expected \(reference.shapeText)\(context.shapeConvention ? " (the shape of \(context.subject))" : ""), got \(actual.shapeText)"]
        result.diagnosis = [Diagnosis.wrongShape(actual, reference, tolerance: tolerance, context: context)]
        return result
    }
    var result = Comparison(passed: tolerance.accepts(actual, reference, excluding: excluded), maxAbsError: 0, maxRelError: 0)
    var errors: [Comparison.Entry] = []
    for i in 0..<reference.rows {
        for j in 0..<reference.cols where !excluded.contains(Coordinate(i, j)) {
            let (a, r) = (actual[i, j], reference[i, j])
            let abs = Swift.abs(a - r)
            result.maxAbsError = Swift.max(result.maxAbsError ?? 0, abs.isNaN ? .infinity : abs)
            result.maxRelError = Swift.max(result.maxRelError ?? 0, abs / Swift.max(Swift.abs(a) + Swift.abs(r), .leastNormalMagnitude))
            errors.append(Comparison.Entry(row: i, col: j, actual: a, reference: r))
        }
    }
    result.leftOut = excluded.sorted()
    if !excluded.isEmpty {
        let names = excluded.sorted().map { $0.name(context.subject, in: reference.shape) }
        result.notes.append("not differentiable at this point in \(names.joined(separator: ", ")); left out of the comparison")
    }
    if !result.passed {
        result.worst = Array(errors.sorted { Swift.abs($0.actual - $0.reference) > Swift.abs($1.actual - $1.reference) }.prefix(3))
        result.diagnosis = Diagnosis.explain(actual, reference, tolerance: tolerance, excluding: excluded, context: context)
    }
    return result
}
