/// The checks for plain functions: an author's gradient, Jacobian or derivative
/// against finite differences. Small inputs get the full numerical Jacobian; above
/// `fullThreshold` inputs, two random projections `vᵀJu` are compared first (the idea of
/// gradcheck's fast mode), and a failing projection is recomputed in full before it is reported.
public enum Checks {
    public static let fullThreshold = 4096
    public static let fullMethod = "central differences with Richardson extrapolation (full Jacobian)"
    public static let projectionMethod = "central differences with Richardson extrapolation on 2 random projections vᵀJu"

    /// Directions for projections come from their own fixed stream, so a check never shifts
    /// the notebook's random draws.
    static func directions() -> RandomStream { RandomStream(seed: 0x0DE1_7A5E_ED00_0001) }

    static func evaluate(_ f: @escaping (Variable) throws -> Variable) -> (Tensor) throws -> Tensor {
        { try f(Variable($0)).value }
    }

    /// `vec`-order coordinate j of an r×c tensor.
    static func coordinate(_ j: Int, rows: Int) -> Coordinate { Coordinate(j % rows, j / rows) }

    /// Checks that the author's `g` is the gradient of f at x: x's shape first, then values.
    /// `subject` names x in messages ("the shape convention wants b's shape").
    public static func gradient(at x: Tensor, in f: @escaping (Variable) throws -> Variable, equals g: Tensor, tolerance: Tolerance = .default, batchSize: Int? = nil, subject: String = "x") throws -> Comparison {
        let y = try f(Variable(x)).value
        guard y.isScalar else {
            throw EngineError("checkGradient needs f to return a number, but it returns a \(y.shapeText) tensor; use checkJacobian")
        }
        let context = ComparisonContext(batchSize: batchSize, shapeConvention: true, subject: subject)
        if x.count > fullThreshold, g.rows == x.rows, g.cols == x.cols,
           try projectionsAgree(at: x, f: evaluate(f), tolerance: tolerance, claimed: { u in Tensor(scalar: FiniteDifferences.zipSum(g.storage, u.storage)) }, outputShape: y) {
            return Comparison(passed: true, maxAbsError: nil, maxRelError: nil, reference: projectionMethod)
        }
        let numerical = try FiniteDifferences.jacobian(at: x, in: evaluate(f))
        let reference = Tensor(rows: x.cols, cols: x.rows, storage: numerical.value.storage).transposed
        var result = compare(g, reference, tolerance: tolerance, excluding: Set(numerical.nonDifferentiable), context: context)
        result.reference = fullMethod
        noteVanishing(&result, reference: reference)
        return result
    }

    /// Checks that J is the m×n Jacobian of f at x (m outputs, n inputs, vec order).
    public static func jacobian(at x: Tensor, in f: @escaping (Variable) throws -> Variable, equals J: Tensor, tolerance: Tolerance = .default) throws -> Comparison {
        let y = try f(Variable(x)).value
        if x.count > fullThreshold, J.rows == y.count, J.cols == x.count,
           try projectionsAgree(at: x, f: evaluate(f), tolerance: tolerance, claimed: { u in
               let Ju = try J.product(u.vec)
               return Tensor(rows: y.cols, cols: y.rows, storage: Ju.storage).transposed
           }, outputShape: y) {
            return Comparison(passed: true, maxAbsError: nil, maxRelError: nil, reference: projectionMethod)
        }
        let numerical = try FiniteDifferences.jacobian(at: x, in: evaluate(f))
        // A kink in input j leaves out column j of the Jacobian.
        let leftOut = Set(numerical.nonDifferentiable.flatMap { c in (0..<y.count).map { Coordinate($0, c.col * x.rows + c.row) } })
        var result = compare(J, numerical.value, tolerance: tolerance, excluding: leftOut, context: ComparisonContext(subject: "J", output: y))
        if !numerical.nonDifferentiable.isEmpty {
            result.notes = result.notes.filter { !$0.hasPrefix("not differentiable") }
            result.notes.append("not differentiable at this point in \(numerical.nonDifferentiable.map { $0.name("x", in: x.shape) }.joined(separator: ", ")); those columns are left out")
        }
        result.reference = fullMethod
        noteVanishing(&result, reference: numerical.value)
        return result
    }

    /// Checks f′ at x: for a number, or entrywise for an elementwise f.
    public static func derivative(at x: Tensor, in f: @escaping (Variable) throws -> Variable, equals d: Tensor, tolerance: Tolerance = .default, subject: String = "x") throws -> Comparison {
        let numerical = try FiniteDifferences.jacobian(at: x, in: evaluate(f))
        guard numerical.value.rows == x.count else {
            throw EngineError("checkDerivative needs an elementwise function, but f maps \(x.shapeText) to \(numerical.value.rows) values; use checkJacobian")
        }
        var reference = x
        for j in 0..<x.count { reference[j % x.rows, j / x.rows] = numerical.value[j, j] }
        var result = compare(d, reference, tolerance: tolerance, excluding: Set(numerical.nonDifferentiable), context: ComparisonContext(shapeConvention: true, subject: subject))
        result.reference = fullMethod
        noteVanishing(&result, reference: reference)
        return result
    }

    /// Checks each argument's gradient of a function of several (`checkGradient(at: x, y, …)`):
    /// one Comparison per argument, each with its own shape check and diagnosis, the other
    /// arguments held at their values. `subjects` name the arguments in messages.
    public static func gradient(at xs: [Tensor], in f: @escaping ([Variable]) throws -> Variable, equals gs: [Tensor], tolerance: Tolerance = .default, subjects: [String]) throws -> [Comparison] {
        guard gs.count == xs.count, subjects.count == xs.count else {
            throw EngineError("checkGradient at \(xs.count) arguments needs \(xs.count) gradients and names, but got \(gs.count) gradients and \(subjects.count) names")
        }
        return try xs.indices.map { k in
            try gradient(at: xs[k], in: { v in
                var arguments = xs.map { Variable($0) }
                arguments[k] = v
                return try f(arguments)
            }, equals: gs[k], tolerance: tolerance, subject: subjects[k])
        }
    }

    /// The "missing path" diagnosis (see the README's checks and diagnoses): the simplest set of sites — one, else two — whose
    /// values held constant make `g` the gradient of f at x; nil when none does within the budget
    /// (`budget` gradient evaluations and `seconds` of time, so a failing check stays quick).
    public static func missingPath(at x: Tensor, in f: (Variable) throws -> Variable, equals g: Tensor, tolerance: Tolerance = .default, budget: Int = 500, seconds: Double = 0.5) throws -> [Int]? {
        guard g.rows == x.rows, g.cols == x.cols else { return nil }
        let sites = try intermediateSites(at: x, in: f)
        let clock = ContinuousClock(), start = clock.now
        var tries = 0
        func explains(_ held: Set<Int>) throws -> Bool {
            tries += 1
            return tolerance.accepts(g, try DeriveEngine.gradient(at: x, in: f, holdingConstant: held))
        }
        func withinBudget() -> Bool { tries < budget && clock.now - start < .seconds(seconds) }
        // A g that is the whole gradient is not missing anything (the check failed for another reason).
        guard try !explains([]) else { return nil }
        for s in sites where withinBudget() {
            if try explains([s]) { return [s] }
        }
        for (k, s) in sites.enumerated() {
            for t in sites[(k + 1)...] {
                guard withinBudget() else { return nil }
                if try explains([s, t]) { return [s, t] }
            }
        }
        return nil
    }

    /// A value the missing-path diagnosis holds constant: every value computed at `site`, or, for
    /// a site computed several times (in a loop), only its `occurrence`-th (0-based) of
    /// `occurrences`, counted in the order the values feed one another (a loop's iterations).
    public struct HeldValue: Hashable, Sendable {
        public var site: Int
        /// Nil when every value of the site is held.
        public var occurrence: Int?
        /// How many values the site computed in f.
        public var occurrences: Int

        public init(site: Int, occurrence: Int? = nil, occurrences: Int) {
            self.site = site
            self.occurrence = occurrence
            self.occurrences = occurrences
        }
    }

    /// The missing-path diagnosis (see the README's checks and diagnoses) for a gradient (`jacobian: false`, g shaped like x) or
    /// a Jacobian (`J`, m×n): the simplest set of values whose holding constant makes the author's
    /// result the derivative of f at x. Tried in this order, each within `budget` evaluations and
    /// `seconds` in all, so a failing check stays quick: one site (all its values), then one value
    /// of a site computed several times (one iteration of a loop: truncated backprop through time),
    /// then two sites. Among explanations of one kind, the `preferring` sites (those the author
    /// named) come first, then the ones closest to the input. Nil when nothing explains it, or
    /// when the result is the whole derivative.
    public static func heldConstant(
        at x: Tensor, in f: (Variable) throws -> Variable, equals claimed: Tensor, jacobian: Bool = false,
        tolerance: Tolerance = .default, preferring named: Set<Int> = [], budget: Int = 500, seconds: Double = 0.5
    ) throws -> [HeldValue]? {
        try withoutActuallyEscaping(f) { f in
            try heldConstant(x, f, claimed, jacobian, tolerance, named, budget, seconds)
        }
    }

    static func heldConstant(
        _ x: Tensor, _ f: @escaping (Variable) throws -> Variable, _ claimed: Tensor, _ jacobian: Bool,
        _ tolerance: Tolerance, _ named: Set<Int>, _ budget: Int, _ seconds: Double
    ) throws -> [HeldValue]? {
        // Each run of f restamps its own values: site s's k-th value gets the code of (s, k).
        let g: (Variable) throws -> Variable = { x in
            let y = try f(x)
            OccurrenceStamps.restamp(from: y, leaf: x)
            return y
        }
        func derivative(_ held: Set<Int>) throws -> Tensor {
            jacobian ? try DeriveEngine.jacobian(at: x, in: g, holdingConstant: held) : try DeriveEngine.gradient(at: x, in: g, holdingConstant: held)
        }
        let whole = try derivative([])
        guard claimed.rows == whole.rows, claimed.cols == whole.cols, !tolerance.accepts(claimed, whole) else { return nil }
        let codes = try intermediateSites(at: x, in: g)
        var order: [Int] = []  // sites, closest to the input first
        var bySite: [Int: [Int]] = [:]
        for code in codes {
            let (site, _) = OccurrenceStamps.decode(code)
            if bySite[site] == nil { order.append(site) }
            bySite[site, default: []].append(code)
        }
        order = order.filter { named.contains($0) } + order.filter { !named.contains($0) }
        let clock = ContinuousClock(), start = clock.now
        var tries = 0
        func withinBudget() -> Bool { tries < budget && clock.now - start < .seconds(seconds) }
        func explains(_ held: [Int]) throws -> Bool {
            tries += 1
            return tolerance.accepts(claimed, try derivative(Set(held)))
        }
        func all(_ site: Int) -> HeldValue { HeldValue(site: site, occurrences: bySite[site]?.count ?? 0) }
        for site in order where withinBudget() {
            if try explains(bySite[site] ?? []) { return [all(site)] }
        }
        for site in order {
            let values = (bySite[site] ?? []).sorted { OccurrenceStamps.decode($0).occurrence < OccurrenceStamps.decode($1).occurrence }
            guard values.count > 1 else { continue }
            for code in values {
                guard withinBudget() else { return nil }
                if try explains([code]) {
                    return [HeldValue(site: site, occurrence: OccurrenceStamps.decode(code).occurrence, occurrences: values.count)]
                }
            }
        }
        for (k, s) in order.enumerated() {
            for t in order[(k + 1)...] {
                guard withinBudget() else { return nil }
                if try explains((bySite[s] ?? []) + (bySite[t] ?? [])) { return [all(s), all(t)] }
            }
        }
        return nil
    }

    /// The words of a missing path (see the README's checks and diagnoses), each held value named by `naming` (the cell
    /// language gives "`mu` = `mean(x)` (line 14)"): "matches the gradient with … held constant:
    /// the path through it is missing". A value held in one evaluation of several says which.
    public static func describeMissingPath(_ held: [HeldValue], derivative what: String = "gradient", naming: (Int) -> String) -> String {
        func ordinal(_ n: Int) -> String {
            let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
            return "\(n)\(suffix)"
        }
        func when(_ value: HeldValue) -> String {
            value.occurrence.map { " in its \(ordinal($0 + 1)) of \(value.occurrences) evaluations" } ?? ""
        }
        let loop = held.contains { $0.occurrence != nil } ? " (one step of a loop: backprop truncated?)" : ""
        if held.count == 1 {
            return "matches the \(what) with \(naming(held[0].site)) held constant\(when(held[0])): the path through it is missing\(loop)"
        }
        let names = held.map { naming($0.site) + when($0) }
        return "matches the \(what) with \(names.joined(separator: " and ")) held constant: the paths through them are missing\(loop)"
    }

    public static let hessianMethod = "central differences of the reverse-mode gradient with Richardson extrapolation, symmetrized (full Hessian)"

    /// Checks that H is the n×n Hessian of f at x (n = x.count, vec order): the shape first, then
    /// values against the numerical Hessian. The notes say whether H is symmetric. Since the
    /// reference is symmetric, "transposed" can explain nothing and is never claimed; a
    /// non-symmetric H whose symmetric part or one triangle is right is diagnosed as such.
    public static func hessian(at x: Tensor, in f: @escaping (Variable) throws -> Variable, equals H: Tensor, tolerance: Tolerance = .default) throws -> Comparison {
        let y = try f(Variable(x)).value
        guard y.isScalar else {
            throw EngineError("checkHessian needs f to return a number, but it returns a \(y.shapeText) tensor")
        }
        let n = x.count
        guard H.rows == n, H.cols == n else {
            var result = Comparison(passed: false, reference: hessianMethod)
            result.notes = ["expected \(n)×\(n) (one row and column per entry of the \(x.shapeText) x, in vec order), got \(H.shapeText)"]
            result.diagnosis = [H.rows == x.rows && H.cols == x.cols
                ? "wrong shape: this has x's shape, as a gradient does; the Hessian is \(n)×\(n)"
                : "wrong shape: expected \(n)×\(n), got \(H.shapeText)"]
            return result
        }
        let numerical = try FiniteDifferences.hessian(at: x, in: f)
        // A kink of the gradient in x_k leaves out row and column k.
        let kinks = numerical.nonDifferentiable.map { $0.col * x.rows + $0.row }
        let leftOut = Set(kinks.flatMap { k in (0..<n).flatMap { [Coordinate(k, $0), Coordinate($0, k)] } })
        var context = ComparisonContext(subject: "H", output: try? DeriveEngine.gradient(at: x, in: f))
        (context.outputSymbol, context.outputMeaning) = ("g", "the gradient g = ∇f(x)")
        var result = compare(H, numerical.value, tolerance: tolerance, excluding: leftOut, context: context)
        result.reference = hessianMethod
        result.diagnosis.removeAll { $0.hasPrefix("transposed") }
        if !kinks.isEmpty {
            result.notes = result.notes.filter { !$0.hasPrefix("not differentiable") }
            result.notes.append("the gradient is not differentiable at this point in \(numerical.nonDifferentiable.map { $0.name("x", in: x.shape) }.joined(separator: ", ")); those rows and columns of H are left out")
        }
        let asymmetry = Self.asymmetry(H, tolerance: tolerance)
        if let (i, j) = asymmetry {
            result.notes.append("H is not symmetric: H[\(i), \(j)] = \(Diagnosis.format(H[i, j])) but H[\(j), \(i)] = \(Diagnosis.format(H[j, i])); the Hessian of a twice continuously differentiable function is symmetric")
        } else {
            result.notes.append("H is symmetric")
        }
        if !result.passed, asymmetry != nil {
            let accepts = { (candidate: Tensor) in tolerance.accepts(candidate, numerical.value, excluding: leftOut) }
            var upper = H, lower = H
            for i in 0..<n { for j in 0..<i { upper[i, j] = H[j, i]; lower[j, i] = H[i, j] } }
            // These say more than a generic mask or confinement would, so they replace it.
            if accepts(Tensor.combine(H, H.transposed) { ($0 + $1) / 2 }) {
                result.diagnosis = ["not symmetric: the symmetric part (H + Hᵀ)/2 is right"]
            } else if accepts(upper) {
                result.diagnosis = ["not symmetric: the upper triangle is right, the lower one is not its mirror image"]
            } else if accepts(lower) {
                result.diagnosis = ["not symmetric: the lower triangle is right, the upper one is not its mirror image"]
            }
            result.notes.append("a transpose cannot explain the difference: the Hessian is symmetric, so Hᵀ is compared with the same matrix")
        }
        return result
    }

    /// The entry (i, j), i < j, where H differs most from its transpose beyond the tolerance; nil if H is symmetric.
    static func asymmetry(_ H: Tensor, tolerance: Tolerance) -> (Int, Int)? {
        let s = Swift.max(1, H.maxAbs)
        var worst: (Int, Int)?, worstGap = 0.0
        for i in 0..<H.rows {
            for j in i + 1..<H.cols {
                let gap = Swift.abs(H[i, j] - H[j, i])
                if gap > tolerance.atol * s + tolerance.rtol * Swift.max(Swift.abs(H[i, j]), Swift.abs(H[j, i])), gap > worstGap {
                    (worst, worstGap) = ((i, j), gap)
                }
            }
        }
        return worst
    }

    /// A pass against a reference that is (nearly) zero says little: finite differences cannot
    /// tell a derivative of 1e-12 from none, so the row says so.
    static func noteVanishing(_ result: inout Comparison, reference: Tensor) {
        guard result.passed, reference.count > 0, reference.maxAbs <= 1e-7 else { return }
        result.notes.append("the reference is \(reference.maxAbs == 0 ? "zero" : "nearly zero (largest entry \(reference.maxAbs))"): this check cannot tell a small derivative from none")
    }

    /// Two random projections: `vᵀ(claimed u)` against the directional difference of `vᵀf`.
    /// False when either disagrees or meets a kink (the caller then recomputes in full).
    static func projectionsAgree(at x: Tensor, f: (Tensor) throws -> Tensor, tolerance: Tolerance, claimed: (Tensor) throws -> Tensor, outputShape y: Tensor) throws -> Bool {
        var random = directions()
        for _ in 0..<2 {
            let u = random.randn(x.rows, x.cols)
            let v = random.randn(y.rows, y.cols)
            let numerical = try FiniteDifferences.projected(at: x, direction: u, weights: v, in: f)
            let claimedValue = FiniteDifferences.zipSum(try claimed(u).storage, v.storage)
            // Scale by the size of the terms summed, so cancellation in vᵀJu is not mistaken for error.
            let scale = Swift.max(1, Swift.abs(numerical.value), Swift.abs(claimedValue))
            if numerical.kink || !(Swift.abs(claimedValue - numerical.value) <= (tolerance.atol + tolerance.rtol) * scale) {
                return false
            }
        }
        return true
    }
}

/// Gives each value of a run of f a code for its site and its occurrence there, so one iteration
/// of a loop can be held constant on its own. Occurrences are counted in the topological order
/// of the values (inputs first), which for values that feed one another is the order computed.
enum OccurrenceStamps {
    static let stride = 1 << 24

    static func encode(site: Int, occurrence: Int) -> Int { site * stride + occurrence }
    static func decode(_ code: Int) -> (site: Int, occurrence: Int) { (code / stride, code % stride) }

    /// Restamps the values of this differentiation (those that depend on the leaf's level) from
    /// `output` back to `leaf`, the output and the leaf excepted.
    static func restamp(from output: Variable, leaf: Variable) {
        guard let level = leaf.levels.last, output.depends(on: level) else { return }
        var counts: [Int: Int] = [:]
        Backward.postOrder(from: output, level: level) { node in
            guard node !== output, node !== leaf, node.site >= 0 else { return }
            let k = counts[node.site, default: 0]
            counts[node.site] = k + 1
            node.site = Self.encode(site: node.site, occurrence: k)
        }
    }
}
