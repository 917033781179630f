import Foundation

/// The finite-difference references (see the README's cell language): central differences with step
/// `hᵢ = ε^(1/3)·max(1, |xᵢ|)`, refined by one Richardson step, so the truncation error is O(h⁴)
/// and the result is accurate to ~1e-10 for smooth functions. Each coordinate is also tested
/// for a kink (one-sided differences that disagree by the same amount at h and h/2) and for a
/// jump (a central difference that doubles when h halves).
public struct NumericalJacobian: Sendable {
    /// m×n, `∂vec(f)ᵢ/∂vec(x)ⱼ`.
    public var value: Tensor
    /// Coordinates of x (row, column) where f is not differentiable (e.g. ReLU at 0).
    public var nonDifferentiable: [Coordinate]
}

/// A position in a tensor.
public struct Coordinate: Hashable, Sendable, Comparable {
    public var row: Int
    public var col: Int

    public init(_ row: Int, _ col: Int) {
        self.row = row
        self.col = col
    }

    public static func < (a: Coordinate, b: Coordinate) -> Bool { (a.row, a.col) < (b.row, b.col) }

    /// `x[3]` for a vector, `x[1, 2]` for a matrix.
    public func name(_ base: String, in shape: (rows: Int, cols: Int)) -> String {
        if shape.cols == 1 { return "\(base)[\(row)]" }
        if shape.rows == 1 { return "\(base)[\(col)]" }
        return "\(base)[\(row), \(col)]"
    }
}

public enum FiniteDifferences {
    static let cubeRootEpsilon = Foundation.cbrt(Double.ulpOfOne)

    /// The derivative of a scalar function of one variable at 0, from four evaluations,
    /// and whether it looks like a kink there. `phi(t)` is evaluated at ±h and ±h/2.
    static func centralDifference(step h: Double, at0 f0: Double, _ phi: (Double) throws -> Double) rethrows -> (value: Double, kink: Bool) {
        let (fp, fm) = (try phi(h), try phi(-h))
        let (fp2, fm2) = (try phi(h / 2), try phi(-h / 2))
        let d1 = (fp - fm) / (2 * h)
        let d2 = (fp2 - fm2) / h
        let richardson = (4 * d2 - d1) / 3
        // Smooth: the one-sided gap halves with h. A kink: it stays (the jump in slope).
        let gap1 = Swift.abs((fp - f0) / h - (f0 - fm) / h)
        let gap2 = Swift.abs((fp2 - f0) / (h / 2) - (f0 - fm2) / (h / 2))
        let noise = 1e3 * Double.ulpOfOne * Swift.max(1, Swift.abs(f0)) / h
        let threshold = Swift.max(1e-4 * Swift.max(1, Swift.abs(richardson)), noise)
        let kink = gap2 > 0.75 * gap1 && gap2 > threshold
        // A jump (as sign(x) at 0) can look symmetric, so the one-sided gap misses it; but then
        // the central difference grows like 1/h: halving h doubles it, where a smooth one stays.
        let jump = Swift.abs(d2 - d1) > Swift.max(0.25 * Swift.abs(d2), threshold)
        return (richardson, kink || jump)
    }

    /// The full m×n Jacobian by central differences: 4 evaluations per input coordinate.
    public static func jacobian(at x: Tensor, in f: (Tensor) throws -> Tensor) throws -> NumericalJacobian {
        let y0 = try f(x)
        let vecY0 = y0.vec.storage
        var J = Tensor(rows: y0.count, cols: x.count)
        var kinks: [Coordinate] = []
        // Column-major walk so column j of J is coordinate j of vec(x).
        for j in 0..<x.count {
            try Cancellation.check()
            let (r, c) = (j % x.rows, j / x.rows)
            let xj = x[r, c]
            let h = stepSize(for: xj)
            var outputs: [Double: [Double]] = [:]
            func evaluate(_ t: Double) throws -> [Double] {
                if let cached = outputs[t] { return cached }
                var xt = x
                xt[r, c] = xj + t
                let y = try f(xt)
                guard y.rows == y0.rows, y.cols == y0.cols else {
                    throw EngineError("f returned \(y.shapeText) at one point and \(y0.shapeText) at another")
                }
                let values = y.vec.storage
                outputs[t] = values
                return values
            }
            var kinked = false
            for i in 0..<y0.count {
                let d = try centralDifference(step: h, at0: vecY0[i]) { try evaluate($0)[i] }
                J[i, j] = d.value
                kinked = kinked || d.kink
            }
            if kinked { kinks.append(Coordinate(r, c)) }
        }
        return NumericalJacobian(value: J, nonDifferentiable: kinks)
    }

    /// The n×n Hessian (vec order) as central differences of the reverse-mode gradient, refined
    /// by Richardson extrapolation, then symmetrized: `(H + Hᵀ)/2`.
    ///
    /// Why the AD gradient and not f: differencing f twice divides rounding error by h², so its
    /// best accuracy is about ε^(1/2) ≈ 1e-8 relative, short of the pass rule's rtol = 1e-6 by
    /// too little margin; differencing the exact gradient once keeps the first-order reference's
    /// accuracy (~1e-10, rounding ε/h with h = ε^(1/3) and an O(h⁴) truncation). The gradient
    /// being differenced is itself checked against finite differences of f by the op tests. The
    /// symmetric part halves the remaining error and is what a C² function's Hessian is.
    /// Coordinates where the gradient has a kink or a jump (ReLU′ at 0) are named.
    public static func hessian(at x: Tensor, in f: (Variable) throws -> Variable) throws -> NumericalJacobian {
        var numerical = try jacobian(at: x) { x in
            try gradients(at: [Variable(x)], "numericalHessian") { try f($0[0]) }[0].value.vec
        }
        let H = numerical.value
        numerical.value = Tensor.combine(H, H.transposed) { ($0 + $1) / 2 }
        return numerical
    }

    /// The step for a coordinate, made exactly representable so `(x + h) − x == h`.
    static func stepSize(for x: Double) -> Double {
        let h = cubeRootEpsilon * Swift.max(1, Swift.abs(x))
        return (x + h) - x
    }

    /// The directional derivative `d/dt vᵀ vec(f(x + t·u))` at 0: the projection `vᵀJu`
    /// that checks a Jacobian with four evaluations (the idea of gradcheck's fast mode).
    public static func projected(at x: Tensor, direction u: Tensor, weights v: Tensor, in f: (Tensor) throws -> Tensor) throws -> (value: Double, kink: Bool) {
        func phi(_ t: Double) throws -> Double {
            let xt = Tensor.combine(x, u) { $0 + t * $1 }
            let y = try f(xt)
            return zipSum(y.storage, v.storage)
        }
        let h = cubeRootEpsilon * Swift.max(1, x.maxAbs) / Swift.max(1e-12, u.maxAbs)
        return try centralDifference(step: h, at0: try phi(0), phi)
    }

    static func zipSum(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for k in 0..<Swift.min(a.count, b.count) { s += a[k] * b[k] }
        return s
    }
}

/// The numerical gradient of a function returning a number, shaped like x.
public func numericalGradient(at x: Tensor, in f: (Tensor) throws -> Tensor) throws -> Tensor {
    let J = try FiniteDifferences.jacobian(at: x, in: f).value
    guard J.rows == 1 else {
        throw EngineError("numericalGradient needs a function that returns a number, but this one returns \(J.rows) values; use numericalJacobian")
    }
    return Tensor(rows: x.cols, cols: x.rows, storage: J.storage).transposed
}

/// The numerical m×n Jacobian (vec stacks columns).
public func numericalJacobian(at x: Tensor, in f: (Tensor) throws -> Tensor) throws -> Tensor {
    try FiniteDifferences.jacobian(at: x, in: f).value
}

/// The numerical f′: of a number, or entrywise for an elementwise f (the Jacobian's diagonal).
public func numericalDerivative(at x: Tensor, in f: (Tensor) throws -> Tensor) throws -> Tensor {
    let J = try FiniteDifferences.jacobian(at: x, in: f).value
    guard J.rows == x.count else {
        throw EngineError("numericalDerivative needs an elementwise function, but f maps \(x.shapeText) to \(J.rows) values")
    }
    // Diagonal of J in vec order, read back into x's shape.
    var d = x
    for j in 0..<x.count { d[j % x.rows, j / x.rows] = J[j, j] }
    return d
}

/// The numerical n×n Hessian of a function returning a number (vec order): central differences
/// of the reverse-mode gradient with Richardson extrapolation, symmetrized. Differencing the
/// gradient once is more accurate than differencing f twice (see `FiniteDifferences.hessian`).
public func numericalHessian(at x: Tensor, in f: (Variable) throws -> Variable) throws -> Tensor {
    try FiniteDifferences.hessian(at: x, in: f).value
}
