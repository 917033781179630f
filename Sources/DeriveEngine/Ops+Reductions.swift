import Foundation

// Reductions and the softmax family. Softmax and its relatives work per column (see the README's cell language).

/// The sum of every entry, as a 1×1.
public func sum(_ x: Variable) -> Variable {
    Variable(Tensor(scalar: x.value.sum), [(x, { g, _ in g.broadcast(to: x.value.rows, x.value.cols) })])
}

/// NumPy's `sum(axis:)`: axis 0 collapses the rows (1×c), axis 1 the columns (r×1).
public func sum(_ x: Variable, axis: Int) throws(EngineError) -> Variable {
    let out = try x.value.sum(axis: axis)
    return Variable(out, [(x, { g, _ in g.broadcast(to: x.value.rows, x.value.cols) })])
}

public func mean(_ x: Variable) throws(EngineError) -> Variable {
    guard x.value.count > 0 else { throw EngineError("cannot take the mean of an empty \(x.shapeText) tensor") }
    return (1 / Double(x.value.count)) * sum(x)
}

public func mean(_ x: Variable, axis: Int) throws(EngineError) -> Variable {
    let n = axis == 0 ? x.value.rows : x.value.cols
    guard n > 0 else { throw EngineError("cannot take the mean over an empty axis of \(x.shapeText)") }
    return (1 / Double(n)) * (try sum(x, axis: axis))
}

/// The largest entry; the gradient goes to its first occurrence.
public func max(_ x: Variable) throws(EngineError) -> Variable { try extreme(x, "maximum", >) }
/// The smallest entry; the gradient goes to its first occurrence.
public func min(_ x: Variable) throws(EngineError) -> Variable { try extreme(x, "minimum", <) }

private func extreme(_ x: Variable, _ what: String, _ better: (Double, Double) -> Bool) throws(EngineError) -> Variable {
    guard var best = x.value.storage.indices.first else { throw EngineError("cannot take the \(what) of an empty tensor") }
    for k in x.value.storage.indices where better(x.value.storage[k], x.value.storage[best]) { best = k }
    let (i, j) = (best / x.value.cols, best % x.value.cols)
    return Variable(Tensor(scalar: x.value.storage[best]), [(x, { g, _ in g.placed(in: x.value.rows, x.value.cols, at: i, j) })])
}

/// The Frobenius norm.
public func norm(_ x: Variable) -> Variable {
    let n = x.value.storage.reduce(0) { $0 + $1 * $1 }.squareRoot()
    // ∂‖x‖/∂x = x/‖x‖; at 0 (not differentiable) the subgradient 0.
    return Variable(Tensor(scalar: n), [(x, { g, out in n == 0 ? x.constant { _ in 0 } : try Variable.hadamard(try g / out, x) })])
}

/// `Σ aᵢbᵢ` over tensors of the same shape (a column and a row of the same length also agree).
public func dot(_ a: Variable, _ b: Variable) throws(EngineError) -> Variable {
    let sameLength = a.value.isVector && b.value.isVector && a.value.count == b.value.count
    guard (a.value.rows == b.value.rows && a.value.cols == b.value.cols) || sameLength else {
        throw EngineError.shapes("take the dot product of", a.value, b.value, "they must have the same number of entries in the same shape")
    }
    // A row against a column: read b in a's shape (same entries, same order).
    let aligned = try b.reshaped(a.value.rows, a.value.cols)
    return sum(try Variable.hadamard(a, aligned))
}

/// `a bᵀ` for two columns (any shapes that multiply as a·bᵀ).
public func outer(_ a: Variable, _ b: Variable) throws(EngineError) -> Variable {
    try Variable.matmul(a, b.T)
}

/// log Σ exp over each column, as a 1×c row; stable (shifted by the column maximum).
public func logSumExp(_ z: Variable) -> Variable {
    let (r, c) = (z.value.rows, z.value.cols)
    var out = Tensor(rows: 1, cols: c)
    for j in 0..<c {
        let m = (0..<r).map { z.value[$0, j] }.max() ?? 0
        out.storage[j] = m + Foundation.log((0..<r).reduce(0) { $0 + Foundation.exp(z.value[$1, j] - m) })
    }
    // ∂ lse/∂z = softmax(z) = exp(z − lse), per column.
    return Variable(out, [(z, { g, out in try Variable.hadamard(g, exp(try z - out)) })])
}

/// Softmax of each column.
public func softmax(_ z: Variable) -> Variable {
    let s = softmaxValues(z.value, logSumExp: logSumExp(Variable(z.value)).value)
    // vᵀJ for J = diag(s) − s sᵀ, per column: s ⊙ (g − Σ g⊙s).
    return Variable(s, [(z, { g, s in try Variable.hadamard(s, try g - sum(try Variable.hadamard(g, s), axis: 0)) })])
}

/// log softmax of each column: z − logSumExp(z).
public func logSoftmax(_ z: Variable) throws(EngineError) -> Variable {
    try z - logSumExp(z)
}

/// Cross entropy of each column's softmax against a 0-based label, summed over the columns.
public func crossEntropy(logits z: Variable, labels: [Int]) throws(EngineError) -> Variable {
    guard labels.count == z.value.cols else {
        throw EngineError("\(labels.count) labels for \(z.value.cols) columns of logits (\(z.shapeText)): give one label per column")
    }
    for label in labels where !(0..<z.value.rows).contains(label) {
        throw EngineError("label \(label) is out of range for \(z.value.rows) classes (labels are 0-based)")
    }
    let oneHot = Variable(Tensor(rows: z.value.rows, cols: z.value.cols, storage: (0..<z.value.count).map { k in
        labels[k % z.value.cols] == k / z.value.cols ? 1 : 0
    }))
    return -sum(try Variable.hadamard(oneHot, try logSoftmax(z)))
}

public func crossEntropy(logits z: Variable, label: Int) throws(EngineError) -> Variable {
    try crossEntropy(logits: z, labels: Array(repeating: label, count: z.value.cols))
}

private func softmaxValues(_ z: Tensor, logSumExp lse: Tensor) -> Tensor {
    var s = z
    for i in 0..<z.rows { for j in 0..<z.cols { s[i, j] = Foundation.exp(z[i, j] - lse.storage[j]) } }
    return s
}
