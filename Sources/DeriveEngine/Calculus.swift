// gradient, jacobian, derivative, pullback, hessian and hessianVectorProduct by reverse-mode
// differentiation (see the README's cell language, named after Swift's own differentiation API). The closures may
// throw the caller's own errors.
//
// The Variable forms nest: the point may itself be traced by an outer differentiation, and the
// result stays differentiable with respect to it (a gradient of a gradient is right to any
// depth). The Tensor forms are the same at the top level, returning plain tensors.

/// A differentiation begun at `xs`: f runs with a new level active; the level then ends, so the
/// backward passes that follow are recorded only for the differentiations around this one.
private struct Trace {
    let leaves: [Variable]
    let output: Variable
    let backward: Backward

    init(at xs: [Variable], _ f: ([Variable]) throws -> Variable) throws {
        let level = Level()
        // Ended before any backward pass, and also when f throws.
        defer { level.isActive = false }
        leaves = xs.map { Variable(leaf: $0, level: level) }
        output = try f(leaves)
        backward = Backward(from: output, level: level)
    }

    /// The gradient of each leaf for `seed` (shaped like the output), with the values of the
    /// `held` sites treated as constants.
    func pull(_ seed: Variable, holding held: Set<Int> = []) throws -> [Variable] {
        try backward.run(seed: seed, leaves: leaves, holding: held)
    }
}

/// The gradients of a function returning a number, with the values of the `held` sites
/// treated as constants; `what` names the caller in errors.
func gradients(at xs: [Variable], _ what: String, holding held: Set<Int> = [], in f: ([Variable]) throws -> Variable) throws -> [Variable] {
    let trace = try Trace(at: xs, f)
    guard trace.output.value.isScalar else {
        throw EngineError("\(what) needs a function that returns a number, but this one returns a \(trace.output.shapeText) tensor\(what == "gradient" ? "; use jacobian for that" : "")")
    }
    return try trace.pull(Variable(Tensor(scalar: 1)), holding: held)
}

/// ∇f at x for an f that returns a number; the result has the shape of x and stays
/// differentiable with respect to whatever x depends on.
public func gradient(at x: Variable, in f: (Variable) throws -> Variable) throws -> Variable {
    try gradients(at: [x], "gradient") { try f($0[0]) }[0]
}

/// The gradient with respect to each argument, each shaped like its argument.
public func gradient(at xs: [Variable], in f: ([Variable]) throws -> Variable) throws -> [Variable] {
    try gradients(at: xs, "gradient", in: f)
}

/// The m×n Jacobian `∂vec(f(x))ᵢ / ∂vec(x)ⱼ` (vec stacks columns): one backward pass per output.
public func jacobian(at x: Variable, in f: (Variable) throws -> Variable) throws -> Variable {
    try jacobian(at: x, holding: [], in: f)
}

/// The Jacobian with the values of the `held` sites treated as constants.
func jacobian(at x: Variable, holding held: Set<Int>, in f: (Variable) throws -> Variable) throws -> Variable {
    let trace = try Trace(at: [x]) { try f($0[0]) }
    let y = trace.output.value
    guard y.count > 0, x.value.count > 0 else { return Variable(Tensor(rows: y.count, cols: x.value.count)) }
    var rows: [Variable] = []
    for i in 0..<y.count {
        try Cancellation.check()
        // Output i of vec(y) is entry (i mod rows, i div rows) of y.
        var seed = Tensor(rows: y.rows, cols: y.cols)
        seed[i % y.rows, i / y.rows] = 1
        rows.append(vec(try trace.pull(Variable(seed), holding: held)[0]).T)
    }
    return try vstack(rows)
}

/// f′(x): for a number, the derivative; for a tensor and an elementwise f, the tensor of
/// elementwise derivatives (σ′(z) is `derivative(at: z, in: sigmoid)`).
public func derivative(at x: Variable, in f: (Variable) throws -> Variable) throws -> Variable {
    let trace = try Trace(at: [x]) { try f($0[0]) }
    let y = trace.output.value
    guard y.rows == x.value.rows, y.cols == x.value.cols else {
        throw EngineError("derivative needs an elementwise function, but f maps \(x.shapeText) to \(y.shapeText); use jacobian for that")
    }
    // For an elementwise f, the gradient of Σ f(xᵢ) is f′ at each entry.
    return try trace.pull(Variable(Tensor(rows: y.rows, cols: y.cols, repeating: 1)))[0]
}

/// The vector–Jacobian product at x: the function `v ↦ vᵀJ`, shaped like x. v may be traced
/// too (the result is differentiable in both).
public func pullback(at x: Variable, in f: (Variable) throws -> Variable) throws -> (Variable) throws -> Variable {
    let trace = try Trace(at: [x]) { try f($0[0]) }
    let y = trace.output.value
    return { v in
        guard v.value.rows == y.rows, v.value.cols == y.cols else {
            throw EngineError.shapes("pull back", v.value, y, "v must have the shape of f(x)")
        }
        return try trace.pull(v)[0]
    }
}

/// The n×n Hessian of a function returning a number (n = x.count, `vec` order): the Jacobian
/// of the gradient, by reverse mode over reverse mode.
public func hessian(at x: Variable, in f: (Variable) throws -> Variable) throws -> Variable {
    try jacobian(at: x) { x in vec(try gradients(at: [x], "hessian") { try f($0[0]) }[0]) }
}

/// `H v` shaped like x, without forming H: the gradient of ⟨∇f(x), v⟩ (two backward passes).
public func hessianVectorProduct(at x: Variable, along v: Variable, in f: (Variable) throws -> Variable) throws -> Variable {
    guard v.value.rows == x.value.rows, v.value.cols == x.value.cols else {
        throw EngineError.shapes("take the Hessian-vector product at", x.value, v.value, "v must have the shape of x")
    }
    return try gradient(at: x) { x in
        try dot(try gradients(at: [x], "hessianVectorProduct") { try f($0[0]) }[0], v)
    }
}

// The Tensor forms: the same at the top level. Inside another differentiation that the result
// depends on (f captures a value being differentiated), a plain tensor would drop that
// dependence — a silent zero for the outer derivative — so they throw; use the Variable forms.

/// The value of a result the caller wants as a plain tensor.
private func plain(_ result: Variable, _ what: String) throws -> Tensor {
    guard !result.isTraced else {
        throw EngineError("\(what) at a plain tensor is taken inside another differentiation that its result depends on; its derivative would be lost (take it at a Variable)")
    }
    return result.value
}

/// ∇f at x for an f that returns a number; the result has the shape of x.
public func gradient(at x: Tensor, in f: (Variable) throws -> Variable) throws -> Tensor {
    try plain(try gradient(at: Variable(x), in: f), "gradient")
}

/// The gradient with respect to each argument, each shaped like its argument.
public func gradient(at xs: [Tensor], in f: ([Variable]) throws -> Variable) throws -> [Tensor] {
    try gradient(at: xs.map { Variable($0) }, in: f).map { try plain($0, "gradient") }
}

/// The m×n Jacobian `∂vec(f(x))ᵢ / ∂vec(x)ⱼ` (vec stacks columns).
public func jacobian(at x: Tensor, in f: (Variable) throws -> Variable) throws -> Tensor {
    try plain(try jacobian(at: Variable(x), in: f), "jacobian")
}

/// f′(x), entrywise for an elementwise f.
public func derivative(at x: Tensor, in f: (Variable) throws -> Variable) throws -> Tensor {
    try plain(try derivative(at: Variable(x), in: f), "derivative")
}

/// The vector–Jacobian product at x: the function `v ↦ vᵀJ`, shaped like x.
public func pullback(at x: Tensor, in f: (Variable) throws -> Variable) throws -> (Tensor) throws -> Tensor {
    let pull: (Variable) throws -> Variable = try pullback(at: Variable(x), in: f)
    return { v in try plain(try pull(Variable(v)), "pullback") }
}

/// The n×n Hessian of a function returning a number (vec order).
public func hessian(at x: Tensor, in f: (Variable) throws -> Variable) throws -> Tensor {
    try plain(try hessian(at: Variable(x), in: f), "hessian")
}

/// `H v` shaped like x, without forming H.
public func hessianVectorProduct(at x: Tensor, along v: Tensor, in f: (Variable) throws -> Variable) throws -> Tensor {
    try plain(try hessianVectorProduct(at: Variable(x), along: Variable(v), in: f), "hessianVectorProduct")
}

// Held constants, for the "missing path" diagnosis (see the README's checks and diagnoses): the author's gradient may be the
// true one with some intermediate value treated as a constant.

/// ∇f at x with every intermediate value whose `site` is in `sites` held constant: the backward
/// pass does not go through them, as if they were numbers.
public func gradient(at x: Tensor, in f: (Variable) throws -> Variable, holdingConstant sites: Set<Int>) throws -> Tensor {
    try plain(try gradients(at: [Variable(x)], "gradient", holding: sites) { try f($0[0]) }[0], "gradient")
}

/// The m×n Jacobian with every intermediate value whose `site` is in `sites` held constant.
public func jacobian(at x: Tensor, in f: (Variable) throws -> Variable, holdingConstant sites: Set<Int>) throws -> Tensor {
    try plain(try jacobian(at: Variable(x), holding: sites, in: f), "jacobian")
}

/// The sites stamped on the intermediate values f computes from x (those that depend on x,
/// neither x nor the result), each once, inputs before the values computed from them.
public func intermediateSites(at x: Tensor, in f: (Variable) throws -> Variable) throws -> [Int] {
    let trace = try Trace(at: [Variable(x)]) { try f($0[0]) }
    var seen = Set<Int>()
    return trace.backward.order.compactMap { node in
        guard node !== trace.output, node !== trace.leaves[0], node.site >= 0, seen.insert(node.site).inserted else { return nil }
        return node.site
    }
}
