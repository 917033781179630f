// Linear algebra (see the README's cell language): trace, det, inverse, solve, kron. det, inverse and solve are computed
// by LU with partial pivoting; their pullbacks are written with inverse, solve and matmul
// themselves, so they are differentiable again.

/// P·A = L·U with partial pivoting: L (unit lower) below the diagonal of `lu`, U on and above it.
struct LUFactors {
    private(set) var lu: Tensor
    /// Row i of P·A is row `perm[i]` of A.
    private(set) var perm: [Int]
    private(set) var sign: Double = 1
    /// The first column (0-based) without a usable pivot (one no larger than n·ε·max|A|): A is
    /// singular to working precision.
    private(set) var singularColumn: Int?

    init(_ a: Tensor) throws(EngineError) {
        precondition(a.rows == a.cols)
        let n = a.rows
        lu = a
        perm = Array(0..<n)
        let tiny = Double(n) * Double.ulpOfOne * a.maxAbs
        for k in 0..<n {
            try Cancellation.check()
            var p = k
            for i in k + 1 ..< n where Swift.abs(lu[i, k]) > Swift.abs(lu[p, k]) { p = i }
            if p != k {
                for j in 0..<n { (lu[k, j], lu[p, j]) = (lu[p, j], lu[k, j]) }
                perm.swapAt(k, p)
                sign = -sign
            }
            let pivot = lu[k, k]
            if !(Swift.abs(pivot) > tiny), singularColumn == nil { singularColumn = k }
            // A zero pivot means a zero column below it: nothing to eliminate.
            guard pivot != 0 else { continue }
            for i in k + 1 ..< n {
                let f = lu[i, k] / pivot
                lu[i, k] = f
                if f != 0 { for j in k + 1 ..< n { lu[i, j] -= f * lu[k, j] } }
            }
        }
    }

    var determinant: Double { (0..<lu.rows).reduce(sign) { $0 * lu[$1, $1] } }

    /// A⁻¹·b, column by column; only for a nonsingular A.
    func solve(_ b: Tensor) throws(EngineError) -> Tensor {
        precondition(singularColumn == nil && b.rows == lu.rows)
        let n = lu.rows
        var x = Tensor(rows: n, cols: b.cols)
        for col in 0..<b.cols {
            try Cancellation.check()
            var y = (0..<n).map { b[perm[$0], col] }
            for i in 0..<n { for j in 0..<i { y[i] -= lu[i, j] * y[j] } }
            for i in (0..<n).reversed() {
                for j in i + 1 ..< n { y[i] -= lu[i, j] * y[j] }
                y[i] /= lu[i, i]
            }
            for i in 0..<n { x[i, col] = y[i] }
        }
        return x
    }
}

private func factors(_ a: Variable, _ what: String) throws(EngineError) -> LUFactors {
    guard a.value.rows == a.value.cols else { throw EngineError("\(what) needs a square matrix, not \(a.shapeText)") }
    guard a.value.storage.allSatisfy(\.isFinite) else {
        throw EngineError("\(what) needs finite entries, but the \(a.shapeText) matrix has a NaN or an infinite one")
    }
    return try LUFactors(a.value)
}

/// The sum of the diagonal of a square matrix.
public func trace(_ a: Variable) throws(EngineError) -> Variable {
    guard a.value.rows == a.value.cols else { throw EngineError("trace needs a square matrix, not \(a.shapeText)") }
    let n = a.value.rows
    return sum(a.gathered((0..<n).map { $0 * n + $0 }, n, 1))
}

/// The determinant, by LU with partial pivoting. Its gradient is det(A)·A⁻ᵀ; at a singular A
/// (up to 8×8) the cofactor matrix, which is the same where both exist and right everywhere.
public func det(_ a: Variable) throws -> Variable {
    let lu = try factors(a, "det")
    let n = a.value.rows
    return Variable(Tensor(scalar: lu.determinant), [(a, { g, out in
        if lu.singularColumn == nil { return try Variable.hadamard(g, out) * inverse(a).T }
        guard n <= 8 else {
            throw EngineError("the gradient of det at this singular \(n)×\(n) matrix needs its cofactors, which are computed only up to 8×8")
        }
        return try Variable.hadamard(g, try cofactors(a))
    })])
}

/// The matrix of cofactors C_ij = (−1)^(i+j)·det(A without row i and column j), in Variable ops.
private func cofactors(_ a: Variable) throws -> Variable {
    let n = a.value.rows
    guard n > 1 else { return Variable(Tensor(scalar: 1)) }
    var entries: [Variable] = []
    for i in 0..<n {
        for j in 0..<n {
            var source: [Int] = []
            for r in 0..<n where r != i { for c in 0..<n where c != j { source.append(r * n + c) } }
            let minor = try det(a.gathered(source, n - 1, n - 1))
            entries.append((i + j) % 2 == 0 ? minor : -minor)
        }
    }
    return try vstack(entries).reshaped(n, n)
}

/// A⁻¹; a singular matrix is an error. The gradient is −A⁻ᵀ G A⁻ᵀ.
public func inverse(_ a: Variable) throws -> Variable {
    let lu = try factors(a, "inverse")
    if let k = lu.singularColumn {
        throw EngineError("the matrix is singular (\(a.shapeText), no usable pivot in column \(k)): it has no inverse")
    }
    let n = a.value.rows
    var identity = Tensor(rows: n, cols: n)
    for i in 0..<n { identity[i, i] = 1 }
    return Variable(try lu.solve(identity), [(a, { g, out in -(try Variable.matmul(try Variable.matmul(out.T, g), out.T)) })])
}

/// x with A x = b, for b with one or several columns; a singular A is an error. With
/// λ = A⁻ᵀ G, the gradients are −λ xᵀ for A and λ for b.
public func solve(_ a: Variable, _ b: Variable) throws -> Variable {
    let lu = try factors(a, "solve")
    guard b.value.rows == a.value.rows else {
        throw EngineError.shapes("solve A x = b with A", a.value, b.value, "b needs as many rows as A (\(a.value.rows))")
    }
    if let k = lu.singularColumn {
        throw EngineError("cannot solve A x = b: A (\(a.shapeText)) is singular (no usable pivot in column \(k)), so there is no unique solution")
    }
    return Variable(try lu.solve(b.value), [
        (a, { g, out in -(try Variable.matmul(try solve(a.T, g), out.T)) }),
        (b, { g, _ in try solve(a.T, g) }),
    ])
}

/// The Kronecker product: the block (i, j) of the result is A[i, j]·B.
public func kron(_ a: Variable, _ b: Variable) throws(EngineError) -> Variable {
    let (ra, ca) = (a.value.rows, a.value.cols), (rb, cb) = (b.value.rows, b.value.cols)
    let (rows, overflow) = ra.multipliedReportingOverflow(by: rb)
    let (cols, overflow2) = ca.multipliedReportingOverflow(by: cb)
    guard !overflow, !overflow2 else { throw EngineError("kron of \(a.shapeText) and \(b.shapeText) is too large") }
    _ = try checkedShape(rows, cols, "kron of \(a.shapeText) and \(b.shapeText)")
    let form = Trilinear(shapes: [(ra, ca), (rb, cb), (rows, cols)]) { body throws(EngineError) in
        for i in 0..<ra {
            try Cancellation.check()
            for j in 0..<ca {
                for k in 0..<rb { for l in 0..<cb { body(i * ca + j, k * cb + l, (i * rb + k) * cols + j * cb + l) } }
            }
        }
    }
    return try form.contract([0: a, 1: b], into: 2)
}
