// Layers (see the README's cell language): convolutions as PyTorch computes them (cross-correlation), pooling and
// dropout. Sizes are checked before anything is allocated.

/// The length of a window of `k` sliding at stride `s` over `n` entries padded by `p` zeros on
/// each side: ⌊(n + 2p − k)/s⌋ + 1. Zero or negative strides and windows, negative paddings and
/// windows longer than the padded input are errors; `what` names the op and its shapes.
public func slidingLength(_ n: Int, window k: Int, stride s: Int, padding p: Int, _ what: String) throws(EngineError) -> Int {
    guard s > 0 else { throw EngineError("\(what): the stride must be positive, not \(s)") }
    guard p >= 0 else { throw EngineError("\(what): the padding must be 0 or more, not \(p)") }
    guard k > 0 else { throw EngineError("\(what): the window is empty") }
    let (twice, overflow) = p.multipliedReportingOverflow(by: 2)
    let (padded, overflow2) = n.addingReportingOverflow(twice)
    guard !overflow, !overflow2, padded <= Tensor.entryLimit else {
        throw EngineError("\(what): a padding of \(p) makes the input longer than the \(Tensor.entryLimit) entries a tensor may have")
    }
    guard padded >= k else {
        throw EngineError("\(what): the window (\(k)) is longer than the padded input (\(n) + 2·\(p) = \(padded))")
    }
    return (padded - k) / s + 1
}

/// Polls the deadline about every 64k terms of a loop.
private struct WorkMeter {
    var done = 0
    mutating func add(_ work: Int) throws(EngineError) {
        done += work
        if done >= 1 << 16 { done = 0; try Cancellation.check() }
    }
}

/// 1-D convolution as PyTorch's (cross-correlation): `y_i = Σ_j w_j x_{i·stride + j}` over x
/// padded by `padding` zeros on each side; x and w are vectors, y has ⌊(n + 2p − k)/stride⌋ + 1
/// entries, oriented like x.
public func conv1d(_ x: Variable, _ w: Variable, stride: Int = 1, padding: Int = 0) throws(EngineError) -> Variable {
    try convolve1d(x, w, stride: stride, padding: padding, "conv1d")
}

private func convolve1d(_ x: Variable, _ w: Variable, stride: Int, padding: Int, _ op: String) throws(EngineError) -> Variable {
    guard x.value.isVector, w.value.isVector else {
        throw EngineError("\(op) needs x and w as vectors (columns), not \(x.shapeText) and \(w.shapeText); use conv2d for matrices")
    }
    let (n, k) = (x.value.count, w.value.count)
    let m = try slidingLength(n, window: k, stride: stride, padding: padding, "\(op) of \(x.shapeText) with a \(w.shapeText) kernel")
    let form = Trilinear(shapes: [x.value.shape, w.value.shape, x.value.rows == 1 && n != 1 ? (1, m) : (m, 1)]) { body throws(EngineError) in
        var meter = WorkMeter()
        for i in 0..<m {
            try meter.add(k)
            for j in 0..<k {
                let t = i * stride + j - padding
                if t >= 0, t < n { body(t, j, i) }
            }
        }
    }
    return try form.contract([0: x, 1: w], into: 2)
}

/// 2-D convolution of one channel as PyTorch's: `Y[a, b] = Σ_{u,v} K[u, v] X[a·s + u, b·s + v]`
/// over X padded by `padding` zeros on every side.
public func conv2d(_ x: Variable, _ k: Variable, stride: Int = 1, padding: Int = 0) throws(EngineError) -> Variable {
    try convolve2d(x, k, stride: stride, padding: padding, "conv2d")
}

private func convolve2d(_ x: Variable, _ k: Variable, stride s: Int, padding p: Int, _ op: String) throws(EngineError) -> Variable {
    let (h, w) = (x.value.rows, x.value.cols), (kh, kw) = (k.value.rows, k.value.cols)
    let what = "\(op) of \(x.shapeText) with a \(k.shapeText) kernel"
    let (oh, ow) = try checkedShape(try slidingLength(h, window: kh, stride: s, padding: p, what),
                                    try slidingLength(w, window: kw, stride: s, padding: p, what), "the result of \(what)")
    let form = Trilinear(shapes: [(h, w), (kh, kw), (oh, ow)]) { body throws(EngineError) in
        var meter = WorkMeter()
        for a in 0..<oh {
            for b in 0..<ow {
                try meter.add(kh * kw)
                for u in 0..<kh {
                    let r = a * s + u - p
                    guard r >= 0, r < h else { continue }
                    for v in 0..<kw {
                        let c = b * s + v - p
                        if c >= 0, c < w { body(r * w + c, u * kw + v, a * ow + b) }
                    }
                }
            }
        }
    }
    return try form.contract([0: x, 1: k], into: 2)
}

/// The largest entry of each window: size×size windows of a matrix, or windows of `size`
/// along a vector (a column or a row), moved by `stride`. The gradient goes to the first
/// largest entry of each window (row-major).
public func maxPool(_ x: Variable, size: Int, stride: Int) throws(EngineError) -> Variable {
    let windows = try poolWindows(x, size: size, stride: stride, "maxPool")
    var source = [Int]()
    source.reserveCapacity(windows.rows * windows.cols)
    var meter = WorkMeter()
    for window in 0..<windows.rows * windows.cols {
        try meter.add(size * size)
        var best = -1
        windows.forEachEntry(window) { k in
            if best < 0 || x.value.storage[k] > x.value.storage[best] { best = k }
        }
        source.append(best)
    }
    return x.gathered(source, windows.rows, windows.cols)
}

/// The mean of each window, as `maxPool` chooses them.
public func avgPool(_ x: Variable, size: Int, stride: Int) throws(EngineError) -> Variable {
    let windows = try poolWindows(x, size: size, stride: stride, "avgPool")
    if windows.isVector {
        return try convolve1d(x, Variable(Tensor(rows: size, cols: 1, repeating: 1 / Double(size))), stride: stride, padding: 0, "avgPool")
    }
    return try convolve2d(x, Variable(Tensor(rows: size, cols: size, repeating: 1 / Double(size * size))), stride: stride, padding: 0, "avgPool")
}

/// The windows of a pooling: their grid's shape and the storage indices each covers.
private struct PoolWindows {
    let rows: Int, cols: Int
    let isVector: Bool
    let size: Int, stride: Int, inputCols: Int

    /// Calls `body` with the storage index of each entry of window `q` (row-major over the grid).
    func forEachEntry(_ q: Int, _ body: (Int) -> Void) {
        if isVector {
            for j in 0..<size { body(q * stride + j) }
            return
        }
        let (a, b) = (q / cols, q % cols)
        for u in 0..<size { for v in 0..<size { body((a * stride + u) * inputCols + b * stride + v) } }
    }
}

private func poolWindows(_ x: Variable, size: Int, stride: Int, _ op: String) throws(EngineError) -> PoolWindows {
    let what = "\(op) of \(x.shapeText) with size \(size)"
    guard size > 0 else { throw EngineError("\(what): the size must be positive") }
    let (r, c) = (x.value.rows, x.value.cols)
    if x.value.isVector {
        let m = try slidingLength(x.value.count, window: size, stride: stride, padding: 0, what)
        let column = c == 1
        return PoolWindows(rows: column ? m : 1, cols: column ? 1 : m, isVector: true, size: size, stride: stride, inputCols: c)
    }
    let (oh, ow) = (try slidingLength(r, window: size, stride: stride, padding: 0, what),
                    try slidingLength(c, window: size, stride: stride, padding: 0, what))
    return PoolWindows(rows: oh, cols: ow, isVector: false, size: size, stride: stride, inputCols: c)
}

/// Dropout with a mask drawn from `random`, one uniform per entry in row-major order: an entry
/// is kept when u ≥ p, and kept entries are scaled by 1/(1 − p). The mask is a constant.
public func dropout(_ x: Variable, p: Double, random: inout RandomStream) throws(EngineError) -> Variable {
    guard p >= 0, p < 1 else { throw EngineError("dropout's p must be in [0, 1), not \(p)") }
    let scale = 1 / (1 - p)
    var keep = Tensor(rows: x.value.rows, cols: x.value.cols)
    for k in 0..<keep.count { keep.storage[k] = random.uniform() >= p ? scale : 0 }
    return try Variable.hadamard(x, Variable(keep))
}
