// Gathering entries by index, assigning blocks, flipping, triangles and masks. Every backward
// is a gather or a scatter, and each is the other's adjoint, so all are differentiable again.

extension Variable {
    /// An r×c tensor whose entry q (row-major) is `value.storage[source[q]]`, or 0 where
    /// `source[q]` is negative. Linear; its adjoint is `scattered`.
    func gathered(_ source: [Int], _ rows: Int, _ cols: Int) -> Variable {
        var out = Tensor(rows: rows, cols: cols)
        for q in source.indices where source[q] >= 0 { out.storage[q] = value.storage[source[q]] }
        let (r, c) = (value.rows, value.cols)
        return Variable(out, [(self, { g, _ in g.scattered(source, r, c) })])
    }

    /// The adjoint of `gathered`: an r×c tensor of zeros with entry q of `self` added at
    /// `source[q]` (where it is not negative).
    func scattered(_ source: [Int], _ rows: Int, _ cols: Int) -> Variable {
        var out = Tensor(rows: rows, cols: cols)
        for q in source.indices where source[q] >= 0 { out.storage[source[q]] += value.storage[q] }
        let (r, c) = (value.rows, value.cols)
        return Variable(out, [(self, { g, _ in g.gathered(source, r, c) })])
    }

    /// `X[rows, cols] = v` as a new tensor: v has the block's shape or stretches to it (a 1×1,
    /// a row, a column). Differentiable in both: the gradient of the old block is zero, and v's
    /// is the block of the gradient summed over what stretched.
    public func replacingBlock(rows: Range<Int>, cols: Range<Int>, with v: Variable) throws(EngineError) -> Variable {
        try checkBlock(rows: rows, cols: cols)
        let (vr, vc) = (v.value.rows, v.value.cols)
        guard vr == rows.count || vr == 1, vc == cols.count || vc == 1 else {
            throw EngineError("cannot store a \(v.shapeText) tensor in rows \(rows.lowerBound)..<\(rows.upperBound), columns \(cols.lowerBound)..<\(cols.upperBound) (a \(rows.count)×\(cols.count) block of a \(shapeText) tensor): shapes must be equal or have a size 1 that stretches")
        }
        let (r, c) = (value.rows, value.cols)
        // Where each entry of the result comes from in v (−1: from self).
        var source = Array(repeating: -1, count: r * c)
        var keep = Tensor(rows: r, cols: c, repeating: 1)
        var out = value
        for i in rows {
            for j in cols {
                let k = (vr == 1 ? 0 : i - rows.lowerBound) * vc + (vc == 1 ? 0 : j - cols.lowerBound)
                source[i * c + j] = k
                keep[i, j] = 0
                out[i, j] = v.value.storage[k]
            }
        }
        let kept = Variable(keep)
        return Variable(out, [
            (self, { g, _ in try Variable.hadamard(g, kept) }),
            (v, { g, _ in g.scattered(source, vr, vc) }),
        ])
    }

    func checkBlock(rows: Range<Int>, cols: Range<Int>) throws(EngineError) {
        guard rows.lowerBound >= 0, rows.upperBound <= value.rows, cols.lowerBound >= 0, cols.upperBound <= value.cols else {
            throw EngineError("rows \(rows.lowerBound)..<\(rows.upperBound), columns \(cols.lowerBound)..<\(cols.upperBound) are out of range for a \(shapeText) tensor")
        }
    }
}

/// The rows reversed (axis 0), the columns reversed (axis 1), or both (nil), as NumPy's `flip`.
public func flip(_ x: Variable, axis: Int?) throws(EngineError) -> Variable {
    guard axis == nil || axis == 0 || axis == 1 else {
        throw EngineError("flip's axis must be 0 (reverse the rows), 1 (reverse the columns) or left out (both), not \(axis!)")
    }
    let (r, c) = (x.value.rows, x.value.cols)
    let (rowsToo, colsToo) = (axis != 1, axis != 0)
    var source = [Int]()
    source.reserveCapacity(r * c)
    for i in 0..<r { for j in 0..<c { source.append((rowsToo ? r - 1 - i : i) * c + (colsToo ? c - 1 - j : j)) } }
    return x.gathered(source, r, c)
}

/// The entries on and below diagonal k (k > 0 above the main diagonal, k < 0 below), the rest 0.
public func tril(_ a: Variable, _ k: Int = 0) -> Variable { triangle(a) { i, j in j - i <= k } }
/// The entries on and above diagonal k, the rest 0.
public func triu(_ a: Variable, _ k: Int = 0) -> Variable { triangle(a) { i, j in j - i >= k } }

private func triangle(_ a: Variable, _ keeps: (Int, Int) -> Bool) -> Variable {
    var source = [Int]()
    source.reserveCapacity(a.value.count)
    for i in 0..<a.value.rows { for j in 0..<a.value.cols { source.append(keeps(i, j) ? i * a.value.cols + j : -1) } }
    return a.gathered(source, a.value.rows, a.value.cols)
}

/// An elementwise comparison with broadcasting (`a .< b`): 1 where `holds`, else 0. A constant:
/// the mask is piecewise constant, so its derivative is zero wherever it exists. `what` names
/// the comparison in a shape error ("cannot compare 3×1 and 2×1: …").
public func mask(_ a: Variable, _ b: Variable, _ what: String, _ holds: @escaping (Double, Double) -> Bool) throws(EngineError) -> Variable {
    Variable(try Tensor.zip(a.value, b.value, what) { holds($0, $1) ? 1 : 0 })
}
