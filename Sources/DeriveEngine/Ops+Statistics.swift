import Foundation

// More reductions (see the README's cell language): argmax/argmin as NumPy has them, prod, cumsum, variance and std.

/// The row-major flat index of the largest entry, as NumPy's `argmax`; the first on ties.
public func argmax(_ x: Tensor) throws(EngineError) -> Int { try extremeIndex(x, "argmax", >) }
/// The row-major flat index of the smallest entry; the first on ties.
public func argmin(_ x: Tensor) throws(EngineError) -> Int { try extremeIndex(x, "argmin", <) }
/// 0-based indices of the largest entries: axis 0 per column (1×c), axis 1 per row (r×1).
public func argmax(_ x: Tensor, axis: Int) throws(EngineError) -> Tensor { try extremeIndices(x, axis, "argmax", >) }
/// 0-based indices of the smallest entries: axis 0 per column (1×c), axis 1 per row (r×1).
public func argmin(_ x: Tensor, axis: Int) throws(EngineError) -> Tensor { try extremeIndices(x, axis, "argmin", <) }

/// The first index of `values` whose entry is `better` than all before it (a NaN wins, as in NumPy).
private func firstExtreme(_ values: some Collection<Double>, _ better: (Double, Double) -> Bool) -> Int {
    var best = 0, bestValue = values.first!
    for (k, v) in values.enumerated() where !bestValue.isNaN && (v.isNaN || better(v, bestValue)) {
        (best, bestValue) = (k, v)
    }
    return best
}

private func extremeIndex(_ x: Tensor, _ what: String, _ better: (Double, Double) -> Bool) throws(EngineError) -> Int {
    guard x.count > 0 else { throw EngineError("cannot take the \(what) of an empty \(x.shapeText) tensor") }
    return firstExtreme(x.storage, better)
}

private func extremeIndices(_ x: Tensor, _ axis: Int, _ what: String, _ better: (Double, Double) -> Bool) throws(EngineError) -> Tensor {
    let lines = try x.lines(along: axis, what)
    guard lines.isEmpty || x.count > 0 else { throw EngineError("cannot take the \(what) over an empty axis of \(x.shapeText)") }
    let indices = lines.map { Double(firstExtreme($0.map { x.storage[$0] }, better)) }
    return axis == 0 ? Tensor(row: indices) : Tensor(column: indices)
}

extension Tensor {
    /// The storage indices of each line a reduction over `axis` collapses: the columns (axis 0)
    /// or the rows (axis 1), in order.
    func lines(along axis: Int, _ what: String) throws(EngineError) -> [[Int]] {
        switch axis {
        case 0: return (0..<cols).map { j in (0..<rows).map { $0 * cols + j } }
        case 1: return (0..<rows).map { i in (0..<cols).map { i * cols + $0 } }
        default: throw EngineError("\(what)'s axis must be 0 (collapse rows) or 1 (collapse columns), not \(axis)")
        }
    }
}

/// The product of every entry, as a 1×1 (1 for an empty tensor).
public func prod(_ x: Variable) -> Variable {
    // Cannot fail: a column of all the entries has a valid axis 0.
    try! prod(try! x.reshaped(x.value.count, 1), axis: 0)
}

/// The product over an axis as NumPy's `prod(axis:)`: axis 0 per column (1×c), axis 1 per row (r×1).
/// Rows are multiplied in pairs, halving their number at each step (a tree of elementwise
/// products), so the gradient is right with zeros among the entries (nothing is divided by
/// them), differentiable again, and a long product records only O(log n) values.
public func prod(_ x: Variable, axis: Int) throws(EngineError) -> Variable {
    guard axis == 0 || axis == 1 else {
        throw EngineError("prod's axis must be 0 (collapse rows) or 1 (collapse columns), not \(axis)")
    }
    if axis == 1 { return try prod(x.T, axis: 0).T }
    let c = x.value.cols
    guard x.value.rows > 0 else { return Variable(Tensor(rows: 1, cols: c, repeating: 1)) }
    var y = x
    while y.value.rows > 1 {
        let (r, half) = (y.value.rows, (y.value.rows + 1) / 2)
        // Rows 0, 2, 4, … times rows 1, 3, 5, … (and 1 under the last row when r is odd).
        let even = (0..<half * c).map { q in 2 * (q / c) * c + q % c }
        let odd = (0..<half * c).map { q in 2 * (q / c) + 1 < r ? (2 * (q / c) + 1) * c + q % c : -1 }
        var partner = y.gathered(odd, half, c)
        if r % 2 == 1 {
            var one = Tensor(rows: half, cols: c)
            for j in 0..<c { one[half - 1, j] = 1 }
            partner = try partner + Variable(one)
        }
        y = try Variable.hadamard(y.gathered(even, half, c), partner)
    }
    return y
}

/// Running sums along an axis (NumPy's `cumsum(axis:)`): axis 0 down each column, axis 1 along each row.
public func cumsum(_ x: Variable, axis: Int) throws(EngineError) -> Variable {
    var out = x.value
    for line in try out.lines(along: axis, "cumsum") {
        for (previous, k) in zip(line, line.dropFirst()) { out.storage[k] += out.storage[previous] }
    }
    // The adjoint of a running sum is the running sum from the other end.
    return Variable(out, [(x, { g, _ in try flip(try cumsum(try flip(g, axis: axis), axis: axis), axis: axis) })])
}

/// Running sums along a vector (a column or a row); a matrix needs an axis.
public func cumsum(_ x: Variable) throws(EngineError) -> Variable {
    guard x.value.isVector else {
        throw EngineError("cumsum of a \(x.shapeText) matrix needs an axis: cumsum(x, axis: 0) down the columns, axis: 1 along the rows")
    }
    return try cumsum(x, axis: x.value.cols == 1 ? 0 : 1)
}

/// The variance of every entry, dividing by n (NumPy's default).
public func variance(_ x: Variable) throws -> Variable {
    let d = try x - mean(x)
    return try mean(try Variable.hadamard(d, d))
}

/// The variance over an axis, dividing by n: axis 0 per column (1×c), axis 1 per row (r×1).
public func variance(_ x: Variable, axis: Int) throws -> Variable {
    let d = try x - mean(x, axis: axis)
    return try mean(try Variable.hadamard(d, d), axis: axis)
}

/// The standard deviation of every entry, dividing by n (NumPy's default).
public func std(_ x: Variable) throws -> Variable { deviation(try variance(x)) }
/// The standard deviation over an axis, dividing by n.
public func std(_ x: Variable, axis: Int) throws -> Variable { deviation(try variance(x, axis: axis)) }

/// √v, with the subgradient 0 where v = 0 (equal entries, where std has no derivative, as
/// `norm` at 0) instead of 0·∞ = NaN.
private func deviation(_ v: Variable) -> Variable {
    v.unary(Foundation.sqrt) { _, y in
        let positive = y.constant { $0 > 0 ? 1 : 0 }, zero = y.constant { $0 > 0 ? 0 : 1 }
        return try Variable.hadamard(positive, try y.constant { _ in 0.5 } / (try y + zero))
    }
}
