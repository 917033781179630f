// + − ⊙ / and the matrix product, each with its backward rule in Variable ops.

extension Variable {
    /// `a + b`, broadcasting; the gradient sums back over stretched sizes.
    public static func + (a: Variable, b: Variable) throws(EngineError) -> Variable {
        let out = try Tensor.zip(a.value, b.value, "add", +)
        return Variable(out, [
            (a, { g, _ in g.unbroadcast(like: a) }),
            (b, { g, _ in g.unbroadcast(like: b) }),
        ])
    }

    public static func - (a: Variable, b: Variable) throws(EngineError) -> Variable {
        let out = try Tensor.zip(a.value, b.value, "subtract", -)
        return Variable(out, [
            (a, { g, _ in g.unbroadcast(like: a) }),
            (b, { g, _ in (-g).unbroadcast(like: b) }),
        ])
    }

    public static prefix func - (a: Variable) -> Variable {
        Variable(-a.value, [(a, { g, _ in -g })])
    }

    /// Elementwise (Hadamard) product `a ⊙ b`, broadcasting.
    public static func hadamard(_ a: Variable, _ b: Variable) throws(EngineError) -> Variable {
        let out = try Tensor.zip(a.value, b.value, "multiply elementwise", *)
        return Variable(out, [
            (a, { g, _ in try hadamard(g, b).unbroadcast(like: a) }),
            (b, { g, _ in try hadamard(g, a).unbroadcast(like: b) }),
        ])
    }

    /// Elementwise `a / b`, broadcasting.
    public static func / (a: Variable, b: Variable) throws(EngineError) -> Variable {
        let out = try Tensor.zip(a.value, b.value, "divide", /)
        return Variable(out, [
            (a, { g, _ in try (g / b).unbroadcast(like: a) }),
            // ∂(a/b)/∂b = −a/b² = −out/b
            (b, { g, out in (-(try hadamard(g, try out / b))).unbroadcast(like: b) }),
        ])
    }

    /// `a * b` as the cell language reads it: a 1×1 on either side scales the other; otherwise the matrix product.
    public static func * (a: Variable, b: Variable) throws(EngineError) -> Variable {
        if a.value.isScalar || b.value.isScalar { return try hadamard(a, b) }
        return try matmul(a, b)
    }

    /// The matrix product; `∂/∂a = g bᵀ`, `∂/∂b = aᵀ g`.
    public static func matmul(_ a: Variable, _ b: Variable) throws(EngineError) -> Variable {
        let out = try a.value.matmul(b.value)
        return Variable(out, [
            (a, { g, _ in try matmul(g, b.T) }),
            (b, { g, _ in try matmul(a.T, g) }),
        ])
    }

    /// A number times a tensor.
    public static func * (s: Double, a: Variable) -> Variable {
        Variable(s * a.value, [(a, { g, _ in s * g })])
    }

    public var T: Variable {
        Variable(value.transposed, [(self, { g, _ in g.T })])
    }

    /// The gradient of a broadcast input: `self` summed back down to `x`'s shape.
    func unbroadcast(like x: Variable) -> Variable { unbroadcast(to: x.value.rows, x.value.cols) }

    /// `self` summed back down to `r × c` over the sizes a broadcast stretched.
    func unbroadcast(to r: Int, _ c: Int) -> Variable {
        if value.rows == r, value.cols == c { return self }
        let (rows, cols) = (value.rows, value.cols)
        return Variable(value.unbroadcast(to: r, c), [(self, { g, _ in g.broadcast(to: rows, cols) })])
    }

    /// `self` (1×c, r×1 or 1×1) stretched to `rows × cols`: the backward of a sum.
    func broadcast(to rows: Int, _ cols: Int) -> Variable {
        if value.rows == rows, value.cols == cols { return self }
        let (r, c) = (value.rows, value.cols)
        return Variable(value.expanded(to: rows, cols), [(self, { g, _ in g.unbroadcast(to: r, c) })])
    }
}
