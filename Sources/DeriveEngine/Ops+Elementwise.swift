import Foundation

// Elementwise functions. Each is its value and its derivative, nothing more.

extension Variable {
    /// `f` applied entrywise; `df(x, y)` is f′ at x given y = f(x).
    func unary(_ f: (Double) -> Double, _ df: @escaping (Double, Double) -> Double) -> Variable {
        let out = value.map(f)
        return Variable(out, [(self, { g in
            var d = g
            for k in 0..<d.count { d.storage[k] *= df(self.value.storage[k], out.storage[k]) }
            return d
        })])
    }
}

@inline(__always) func logistic(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
}

/// The standard normal density and distribution function, for GELU.
@inline(__always) func normalPDF(_ x: Double) -> Double { Foundation.exp(-x * x / 2) / (2 * Double.pi).squareRoot() }
@inline(__always) func normalCDF(_ x: Double) -> Double { 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot())) }

public func exp(_ x: Variable) -> Variable { x.unary(Foundation.exp) { _, y in y } }
public func log(_ x: Variable) -> Variable { x.unary(Foundation.log) { x, _ in 1 / x } }
public func sqrt(_ x: Variable) -> Variable { x.unary(Foundation.sqrt) { _, y in 0.5 / y } }
public func abs(_ x: Variable) -> Variable { x.unary(Swift.abs) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
public func sin(_ x: Variable) -> Variable { x.unary(Foundation.sin) { x, _ in Foundation.cos(x) } }
public func cos(_ x: Variable) -> Variable { x.unary(Foundation.cos) { x, _ in -Foundation.sin(x) } }
public func tanh(_ x: Variable) -> Variable { x.unary(Foundation.tanh) { _, y in 1 - y * y } }
public func sigmoid(_ x: Variable) -> Variable { x.unary(logistic) { _, y in y * (1 - y) } }
/// ReLU; its derivative at 0 is taken as 0 (the point is not differentiable there).
public func relu(_ x: Variable) -> Variable { x.unary({ max($0, 0) }) { x, _ in x > 0 ? 1 : 0 } }
/// log(1 + eˣ), computed without overflow.
public func softplus(_ x: Variable) -> Variable {
    x.unary({ $0 > 0 ? $0 + Foundation.log1p(Foundation.exp(-$0)) : Foundation.log1p(Foundation.exp($0)) }) { x, _ in logistic(x) }
}
public func sign(_ x: Variable) -> Variable { x.unary({ $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }) { _, _ in 0 } }
public func pow(_ x: Variable, _ p: Double) -> Variable {
    x.unary({ Foundation.pow($0, p) }) { x, _ in p == 0 ? 0 : p * Foundation.pow(x, p - 1) }
}
public func leakyRelu(_ x: Variable, slope: Double = 0.01) -> Variable {
    x.unary({ $0 > 0 ? $0 : slope * $0 }) { x, _ in x > 0 ? 1 : slope }
}
/// GELU, exact: x·Φ(x) with Φ the standard normal distribution function.
public func gelu(_ x: Variable) -> Variable {
    x.unary({ $0 * normalCDF($0) }) { x, _ in normalCDF(x) + x * normalPDF(x) }
}
/// SiLU: x·σ(x), Swish with β = 1.
public func silu(_ x: Variable) -> Variable { swish(x, beta: 1) }
/// Swish: x·σ(βx).
public func swish(_ x: Variable, beta: Double) -> Variable {
    x.unary({ $0 * logistic(beta * $0) }) { x, _ in
        let s = logistic(beta * x)
        return s + beta * x * s * (1 - s)
    }
}

/// Elementwise maximum with broadcasting; the gradient goes to the larger (to `a` on ties).
public func max(_ a: Variable, _ b: Variable) throws(EngineError) -> Variable {
    try choose(a, b, "take the maximum of") { $0 >= $1 }
}

/// Elementwise minimum with broadcasting; the gradient goes to the smaller (to `a` on ties).
public func min(_ a: Variable, _ b: Variable) throws(EngineError) -> Variable {
    try choose(a, b, "take the minimum of") { $0 <= $1 }
}

private func choose(_ a: Variable, _ b: Variable, _ what: String, _ pickA: @escaping (Double, Double) -> Bool) throws(EngineError) -> Variable {
    let out = try Tensor.zip(a.value, b.value, what) { pickA($0, $1) ? $0 : $1 }
    let maskA = Tensor.combine(a.value, b.value) { pickA($0, $1) ? 1 : 0 }
    return Variable(out, [
        (a, { Tensor.combine($0, maskA, *).unbroadcast(to: a.value.rows, a.value.cols) }),
        (b, { Tensor.combine($0, maskA) { g, m in g * (1 - m) }.unbroadcast(to: b.value.rows, b.value.cols) }),
    ])
}
