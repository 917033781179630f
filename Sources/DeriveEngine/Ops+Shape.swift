// Reshaping, stacking and indexing. Each backward puts the gradient back where the entries came from.

extension Variable {
    /// The same entries in a new shape, row-major.
    public func reshaped(_ r: Int, _ c: Int) throws(EngineError) -> Variable {
        let (rows, cols) = (value.rows, value.cols)
        return Variable(try value.reshaped(r, c), [(self, { g, _ in try g.reshaped(rows, cols) })])
    }

    /// Entry (i, j) as a 1×1.
    public func entry(_ i: Int, _ j: Int) throws(EngineError) -> Variable {
        try value.checkIndex(i, j)
        return try block(rows: i..<i + 1, cols: j..<j + 1)
    }

    /// Entry i of a vector (a column or a row).
    public func entry(_ i: Int) throws(EngineError) -> Variable {
        guard value.isVector else {
            throw EngineError("x[\(i)] needs a vector, but x is \(shapeText); use x[i, j]")
        }
        return value.cols == 1 ? try entry(i, 0) : try entry(0, i)
    }

    /// Row i as a 1×c.
    public func row(_ i: Int) throws(EngineError) -> Variable { try block(rows: i..<i + 1, cols: 0..<value.cols) }
    /// Column j as an r×1.
    public func column(_ j: Int) throws(EngineError) -> Variable { try block(rows: 0..<value.rows, cols: j..<j + 1) }

    /// Rows `rows` and columns `cols` as a copy (slicing, see the README), differentiable.
    public func block(rows: Range<Int>, cols: Range<Int>) throws(EngineError) -> Variable {
        try checkBlock(rows: rows, cols: cols)
        var out = Tensor(rows: rows.count, cols: cols.count)
        for i in rows { for j in cols { out[i - rows.lowerBound, j - cols.lowerBound] = value[i, j] } }
        let (r, c) = (value.rows, value.cols)
        return Variable(out, [(self, { g, _ in g.placed(in: r, c, at: rows.lowerBound, cols.lowerBound) })])
    }

    /// `self` as the block at (i, j) of an r×c tensor of zeros: the backward of `block`.
    func placed(in r: Int, _ c: Int, at i: Int, _ j: Int) -> Variable {
        let (rows, cols) = (i..<i + value.rows, j..<j + value.cols)
        var out = Tensor(rows: r, cols: c)
        for a in rows { for b in cols { out[a, b] = value[a - i, b - j] } }
        // Cannot fail: the block is in range by construction.
        return Variable(out, [(self, { g, _ in try g.block(rows: rows, cols: cols) })])
    }

    /// The tensor with entry (i, j) replaced: how `x[i, j] = v` is differentiated.
    public func replacing(_ i: Int, _ j: Int, with v: Variable) throws(EngineError) -> Variable {
        try value.checkIndex(i, j)
        guard let s = v.value.scalar else { throw EngineError("cannot store a \(v.shapeText) tensor in one entry; it needs a number") }
        var out = value
        out[i, j] = s
        return Variable(out, [
            (self, { g, _ in
                // The old entry (i, j) was overwritten: nothing flows back to it.
                var keep = Tensor(rows: g.value.rows, cols: g.value.cols, repeating: 1)
                keep[i, j] = 0
                return try Variable.hadamard(g, Variable(keep))
            }),
            (v, { g, _ in try g.entry(i, j).reshaped(v.value.rows, v.value.cols) }),
        ])
    }
}

/// Columns stacked into one column (`vec`, as in matrix calculus).
public func vec(_ x: Variable) -> Variable {
    // The rows of xᵀ are the columns of x: vec(x) is xᵀ read row-major as one column.
    let (r, c) = (x.value.rows, x.value.cols)
    return Variable(x.value.vec, [(x, { g, _ in try g.reshaped(c, r).T })])
}

/// Side by side; all must have the same number of rows.
public func hstack(_ parts: [Variable]) throws(EngineError) -> Variable {
    try vstack(parts.map(\.T), sideBySide: true).T
}

/// One above another; all must have the same number of columns.
public func vstack(_ parts: [Variable]) throws(EngineError) -> Variable {
    try vstack(parts, sideBySide: false)
}

private func vstack(_ parts: [Variable], sideBySide: Bool) throws(EngineError) -> Variable {
    guard let first = parts.first else { throw EngineError("cannot stack an empty list of tensors") }
    for part in parts where part.value.cols != first.value.cols {
        throw sideBySide
            ? EngineError.shapes("hstack", first.value.T, part.value.T, "every part needs the same number of rows")
            : EngineError.shapes("vstack", first.value, part.value, "every part needs the same number of columns")
    }
    let out = Tensor(rows: parts.reduce(0) { $0 + $1.value.rows }, cols: first.value.cols,
                     storage: parts.flatMap(\.value.storage))
    var offset = 0
    let pieces: [(Variable, Variable.Pullback)] = parts.map { part in
        let rows = offset..<offset + part.value.rows, cols = 0..<part.value.cols
        offset += part.value.rows
        return (part, { g, _ in try g.block(rows: rows, cols: cols) })
    }
    return Variable(out, pieces)
}

/// A column → the diagonal matrix; a square matrix → its diagonal as a column.
public func diag(_ x: Variable) throws(EngineError) -> Variable {
    let v = x.value
    if v.cols == 1 || v.rows == 1 {
        let n = v.count
        var out = Tensor(rows: n, cols: n)
        for i in 0..<n { out[i, i] = v.storage[i] }
        return Variable(out, [(x, { g, _ in try diag(g).reshaped(v.rows, v.cols) })])
    }
    guard v.rows == v.cols else {
        throw EngineError("diag needs a vector or a square matrix, not \(v.shapeText)")
    }
    let n = v.rows
    return Variable(Tensor(column: (0..<n).map { v[$0, $0] }), [(x, { g, _ in try diag(g) })])
}

extension Tensor {
    var T: Tensor { transposed }
}
