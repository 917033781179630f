// Convolutions and the Kronecker product are bilinear: each output entry is a sum of products
// of one entry of each input. Written as a trilinear form T(u₀, u₁, u₂) = Σ u₀[a]·u₁[b]·u₂[c]
// over a list of terms (a, b, c) of storage indices, the op is the contraction that gives u₂
// from u₀ and u₁, and the gradient of each input is the contraction that gives that input from
// the other input and the output's gradient. The three contractions are one family, so every
// pullback is differentiable again, to any depth, and nothing like a patch matrix is allocated.

struct Trilinear {
    /// The shapes of the three slots.
    let shapes: [(rows: Int, cols: Int)]
    /// Calls `body(a, b, c)` for every term; polls `Cancellation.check()` now and then.
    let terms: (_ body: (Int, Int, Int) -> Void) throws(EngineError) -> Void

    /// The contraction into `slot` of the two other slots' values (`given[s]` for slot s).
    func contract(_ given: [Int: Variable], into slot: Int) throws(EngineError) -> Variable {
        let others = [0, 1, 2].filter { $0 != slot }
        let (u, v) = (given[others[0]]!, given[others[1]]!)
        for (s, x) in [(others[0], u), (others[1], v)] {
            precondition(x.value.rows == shapes[s].rows && x.value.cols == shapes[s].cols, "a contraction got the wrong shape")
        }
        var out = Tensor(rows: shapes[slot].rows, cols: shapes[slot].cols)
        try u.value.storage.withUnsafeBufferPointer { (us) throws(EngineError) in
            try v.value.storage.withUnsafeBufferPointer { (vs) throws(EngineError) in
                try out.storage.withUnsafeMutableBufferPointer { (o) throws(EngineError) in
                    switch slot {
                    case 0: try terms { a, b, c in o[a] += us[b] * vs[c] }
                    case 1: try terms { a, b, c in o[b] += us[a] * vs[c] }
                    default: try terms { a, b, c in o[c] += us[a] * vs[b] }
                    }
                }
            }
        }
        // Each input's gradient: the contraction into its slot of the other input and g.
        let inputs = others.map { s -> (Variable, Variable.Pullback) in
            let other = others.first { $0 != s }!
            return (given[s]!, { g, _ in try self.contract([other: given[other]!, slot: g], into: s) })
        }
        return Variable(out, inputs)
    }
}

/// `rows × cols`, refused before anything is allocated when it overflows or is larger than
/// `Tensor.entryLimit`; `what` says what the tensor is.
func checkedShape(_ rows: Int, _ cols: Int, _ what: String) throws(EngineError) -> (Int, Int) {
    let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
    guard rows >= 0, cols >= 0, !overflow, count <= Tensor.entryLimit else {
        throw EngineError("\(what) would be \(rows)×\(cols), more than the \(Tensor.entryLimit) entries a tensor may have")
    }
    return (rows, cols)
}

extension Tensor {
    /// The most entries an op's result may have where its size comes from its arguments
    /// (padding, kron, a convolution's output): checked before anything is allocated. 2²⁷ unless
    /// a caller sets its own with `withEntryLimit`.
    public static var entryLimit: Int { currentEntryLimit }

    @TaskLocal static var currentEntryLimit = 1 << 27

    /// Runs `body` with `limit` as `entryLimit` on this thread (and in tasks it starts), as the
    /// cell language does with its own cap on tensor sizes.
    public static func withEntryLimit<T>(_ limit: Int, _ body: () throws -> T) rethrows -> T {
        try $currentEntryLimit.withValue(limit) { try body() }
    }
}
