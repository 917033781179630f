// + − ⊙ / and the matrix product, each with its backward rule.

extension Variable {
    /// `a + b`, broadcasting; the gradient sums back over stretched sizes.
    public static func + (a: Variable, b: Variable) throws(EngineError) -> Variable {
        let out = try Tensor.zip(a.value, b.value, "add", +)
        return Variable(out, [
            (a, { $0.unbroadcast(to: a.value.rows, a.value.cols) }),
            (b, { $0.unbroadcast(to: b.value.rows, b.value.cols) }),
        ])
    }

    public static func - (a: Variable, b: Variable) throws(EngineError) -> Variable {
        let out = try Tensor.zip(a.value, b.value, "subtract", -)
        return Variable(out, [
            (a, { $0.unbroadcast(to: a.value.rows, a.value.cols) }),
            (b, { (-$0).unbroadcast(to: b.value.rows, b.value.cols) }),
        ])
    }

    public static prefix func - (a: Variable) -> Variable {
        Variable(-a.value, [(a, { -$0 })])
    }

    /// Elementwise (Hadamard) product `a ⊙ b`, broadcasting.
    public static func hadamard(_ a: Variable, _ b: Variable) throws(EngineError) -> Variable {
        let out = try Tensor.zip(a.value, b.value, "multiply elementwise", *)
        return Variable(out, [
            (a, { g in Tensor.combine(g, b.value, *).unbroadcast(to: a.value.rows, a.value.cols) }),
            (b, { g in Tensor.combine(g, a.value, *).unbroadcast(to: b.value.rows, b.value.cols) }),
        ])
    }

    /// Elementwise `a / b`, broadcasting.
    public static func / (a: Variable, b: Variable) throws(EngineError) -> Variable {
        let out = try Tensor.zip(a.value, b.value, "divide", /)
        return Variable(out, [
            (a, { g in Tensor.combine(g, b.value, /).unbroadcast(to: a.value.rows, a.value.cols) }),
            (b, { g in
                // ∂(a/b)/∂b = −a/b² = −out/b
                (-Tensor.combine(g, Tensor.combine(out, b.value, /), *)).unbroadcast(to: b.value.rows, b.value.cols)
            }),
        ])
    }

    /// `a * b` as SPEC §4 reads it: a 1×1 on either side scales the other; otherwise the matrix product.
    public static func * (a: Variable, b: Variable) throws(EngineError) -> Variable {
        if a.value.isScalar || b.value.isScalar { return try hadamard(a, b) }
        return try matmul(a, b)
    }

    /// The matrix product; `∂/∂a = g bᵀ`, `∂/∂b = aᵀ g`.
    public static func matmul(_ a: Variable, _ b: Variable) throws(EngineError) -> Variable {
        let out = try a.value.matmul(b.value)
        return Variable(out, [
            (a, { g in g.product(b.value.transposed) }),
            (b, { g in a.value.transposed.product(g) }),
        ])
    }

    /// A number times a tensor.
    public static func * (s: Double, a: Variable) -> Variable {
        Variable(s * a.value, [(a, { s * $0 })])
    }

    public var T: Variable {
        Variable(value.transposed, [(self, { $0.transposed })])
    }
}
