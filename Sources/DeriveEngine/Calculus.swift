// gradient, jacobian, derivative and pullback by reverse-mode differentiation (SPEC §4,
// named after Swift's own differentiation API). The closures may throw the caller's own errors.

/// ∇f at x for an f that returns a number; the result has the shape of x.
public func gradient(at x: Tensor, in f: (Variable) throws -> Variable) throws -> Tensor {
    try gradient(at: [x]) { try f($0[0]) }[0]
}

/// The gradient with respect to each argument, each shaped like its argument.
public func gradient(at xs: [Tensor], in f: ([Variable]) throws -> Variable) throws -> [Tensor] {
    let leaves = xs.map { Variable(tracing: $0) }
    let y = try f(leaves)
    guard y.value.isScalar else {
        throw EngineError("gradient needs a function that returns a number, but this one returns a \(y.shapeText) tensor; use jacobian for that")
    }
    y.backpropagate(Tensor(scalar: 1))
    return leaves.map { $0.grad ?? Tensor(rows: $0.value.rows, cols: $0.value.cols) }
}

/// The m×n Jacobian `∂vec(f(x))ᵢ / ∂vec(x)ⱼ` (vec stacks columns): one backward pass per output.
public func jacobian(at x: Tensor, in f: (Variable) throws -> Variable) throws -> Tensor {
    let leaf = Variable(tracing: x)
    let y = try f(leaf)
    let (m, n) = (y.value.count, x.count)
    var J = Tensor(rows: m, cols: n)
    for i in 0..<m {
        // Output i of vec(y) is entry (i mod rows, i div rows) of y.
        var seed = Tensor(rows: y.value.rows, cols: y.value.cols)
        seed[i % y.value.rows, i / y.value.rows] = 1
        leaf.grad = nil
        y.backpropagate(seed)
        if let g = leaf.grad { for (j, d) in g.vec.storage.enumerated() { J[i, j] = d } }
    }
    return J
}

/// f′(x): for a number, the derivative; for a tensor and an elementwise f, the tensor of
/// elementwise derivatives (σ′(z) is `derivative(at: z, in: sigmoid)`).
public func derivative(at x: Tensor, in f: (Variable) throws -> Variable) throws -> Tensor {
    let leaf = Variable(tracing: x)
    let y = try f(leaf)
    guard y.value.rows == x.rows, y.value.cols == x.cols else {
        throw EngineError("derivative needs an elementwise function, but f maps \(x.shapeText) to \(y.shapeText); use jacobian for that")
    }
    // For an elementwise f, the gradient of Σ f(xᵢ) is f′ at each entry.
    y.backpropagate(Tensor(rows: x.rows, cols: x.cols, repeating: 1))
    return leaf.grad ?? Tensor(rows: x.rows, cols: x.cols)
}

/// The vector–Jacobian product at x: the function `v ↦ vᵀJ`, shaped like x.
public func pullback(at x: Tensor, in f: (Variable) throws -> Variable) throws -> (Tensor) throws -> Tensor {
    let leaf = Variable(tracing: x)
    let y = try f(leaf)
    return { v in
        guard v.rows == y.value.rows, v.cols == y.value.cols else {
            throw EngineError.shapes("pull back", v, y.value, "v must have the shape of f(x)")
        }
        leaf.grad = nil
        y.backpropagate(v)
        return leaf.grad ?? Tensor(rows: x.rows, cols: x.cols)
    }
}
