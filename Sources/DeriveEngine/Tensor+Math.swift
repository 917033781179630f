// Plain tensor arithmetic: what the differentiable ops compute forward and backward.

extension Tensor {
    /// The shape `a` and `b` broadcast to: equal sizes, or a size 1 that stretches (see the README's cell language).
    static func broadcastShape(_ a: Tensor, _ b: Tensor, _ what: String) throws(EngineError) -> (Int, Int) {
        func dim(_ x: Int, _ y: Int) -> Int? { x == y ? x : (x == 1 ? y : (y == 1 ? x : nil)) }
        guard let r = dim(a.rows, b.rows), let c = dim(a.cols, b.cols) else {
            throw EngineError.shapes(what, a, b, "shapes must be equal or have a size 1 that stretches")
        }
        return (r, c)
    }

    /// Elementwise `f(a, b)` with broadcasting.
    static func zip(_ a: Tensor, _ b: Tensor, _ what: String, _ f: (Double, Double) -> Double) throws(EngineError) -> Tensor {
        _ = try broadcastShape(a, b, what)
        return combine(a, b, f)
    }

    /// `zip` for shapes known to broadcast (backward rules, whose shapes the forward pass checked).
    static func combine(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) -> Tensor {
        if a.rows == b.rows, a.cols == b.cols {
            var out = a
            for k in 0..<a.count { out.storage[k] = f(a.storage[k], b.storage[k]) }
            return out
        }
        let r = a.rows == 1 ? b.rows : a.rows, c = a.cols == 1 ? b.cols : a.cols
        var out = Tensor(rows: r, cols: c)
        for i in 0..<r {
            for j in 0..<c {
                out.storage[i * c + j] = f(a[a.rows == 1 ? 0 : i, a.cols == 1 ? 0 : j], b[b.rows == 1 ? 0 : i, b.cols == 1 ? 0 : j])
            }
        }
        return out
    }

    /// Sums a broadcast gradient back down to `rows × cols` (the backward of stretching).
    func unbroadcast(to rows: Int, _ cols: Int) -> Tensor {
        if self.rows == rows, self.cols == cols { return self }
        var out = Tensor(rows: rows, cols: cols)
        for i in 0..<self.rows {
            for j in 0..<self.cols {
                out[rows == 1 ? 0 : i, cols == 1 ? 0 : j] += self[i, j]
            }
        }
        return out
    }

    /// The matrix product; throws when the inner dimensions differ.
    public func matmul(_ b: Tensor) throws(EngineError) -> Tensor {
        guard cols == b.rows else {
            throw EngineError("cannot multiply \(shapeText) by \(b.shapeText): inner dimensions \(cols) and \(b.rows) differ")
        }
        return try product(b)
    }

    /// The matrix product for shapes known to agree, i-k-j order so the inner loop streams.
    /// Polls `Cancellation.check()` between blocks of rows (about 64k multiply-adds each), so a
    /// huge product stops at the caller's deadline.
    func product(_ b: Tensor) throws(EngineError) -> Tensor {
        precondition(cols == b.rows)
        var out = Tensor(rows: rows, cols: b.cols)
        let (n, m, p) = (rows, cols, b.cols)
        let rowsPerBlock = Swift.max(1, (1 << 16) / Swift.max(1, m * p))
        for start in stride(from: 0, to: n, by: rowsPerBlock) {
            try Cancellation.check()
            storage.withUnsafeBufferPointer { a in
                b.storage.withUnsafeBufferPointer { b in
                    out.storage.withUnsafeMutableBufferPointer { c in
                        for i in start..<Swift.min(n, start + rowsPerBlock) {
                            let ci = c.baseAddress! + i * p
                            for k in 0..<m {
                                let aik = a[i * m + k]
                                if aik == 0 { continue }
                                let bk = b.baseAddress! + k * p
                                for j in 0..<p { ci[j] += aik * bk[j] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    public static func + (a: Tensor, b: Tensor) throws(EngineError) -> Tensor { try zip(a, b, "add", +) }
    public static func - (a: Tensor, b: Tensor) throws(EngineError) -> Tensor { try zip(a, b, "subtract", -) }
    public static func * (s: Double, a: Tensor) -> Tensor { a.map { s * $0 } }
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// Elementwise product, same shapes (used by backward rules, where shapes always agree).
    func hadamard(_ b: Tensor) -> Tensor {
        var out = self
        for k in 0..<count { out.storage[k] *= b.storage[k] }
        return out
    }

    /// Sums over an axis as NumPy does: axis 0 collapses the rows (1×c), axis 1 the columns (r×1).
    public func sum(axis: Int) throws(EngineError) -> Tensor {
        switch axis {
        case 0:
            var out = Tensor(rows: 1, cols: cols)
            for i in 0..<rows { for j in 0..<cols { out.storage[j] += self[i, j] } }
            return out
        case 1:
            var out = Tensor(rows: rows, cols: 1)
            for i in 0..<rows { for j in 0..<cols { out.storage[i] += self[i, j] } }
            return out
        default:
            throw EngineError("axis must be 0 (collapse rows) or 1 (collapse columns), not \(axis)")
        }
    }

    /// Copies `self` (1×c, r×1 or 1×1) across `rows × cols` — the backward of a reduction.
    func expanded(to rows: Int, _ cols: Int) -> Tensor {
        var out = Tensor(rows: rows, cols: cols)
        for i in 0..<rows { for j in 0..<cols { out.storage[i * cols + j] = self[self.rows == 1 ? 0 : i, self.cols == 1 ? 0 : j] } }
        return out
    }

    /// The columns of `self`, each as a tensor.
    func column(_ j: Int) -> Tensor {
        Tensor(column: (0..<rows).map { self[$0, j] })
    }
}
