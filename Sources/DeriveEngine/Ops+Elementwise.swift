import Foundation

// Elementwise functions. Each is its value and its derivative, the derivative written in
// Variable ops (so it is differentiable again), nothing more.

extension Variable {
    /// `f` applied entrywise; `derivative(x, y)` is f′ at x given y = f(x), as a Variable.
    func unary(_ f: (Double) -> Double, _ derivative: @escaping (_ x: Variable, _ y: Variable) throws -> Variable) -> Variable {
        Variable(value.map(f), [(self, { g, out in try Variable.hadamard(g, try derivative(self, out)) })])
    }

    /// A constant of this shape computed entrywise from the value: masks and slopes of
    /// piecewise-linear functions, whose derivative is zero wherever it exists.
    func constant(_ f: (Double) -> Double) -> Variable { Variable(value.map(f)) }
}

@inline(__always) func logistic(_ x: Double) -> Double {
    x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
}

/// The standard normal distribution function, for GELU.
@inline(__always) func normalCDF(_ x: Double) -> Double { 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot())) }

/// 1 − y, entrywise (σ′ = σ(1 − σ), tanh′ = 1 − tanh²).
private func oneMinus(_ y: Variable) throws -> Variable { try y.constant { _ in 1 } - y }

public func exp(_ x: Variable) -> Variable { x.unary(Foundation.exp) { _, y in y } }
public func log(_ x: Variable) -> Variable { x.unary(Foundation.log) { x, _ in try x.constant { _ in 1 } / x } }
public func sqrt(_ x: Variable) -> Variable { x.unary(Foundation.sqrt) { _, y in try y.constant { _ in 0.5 } / y } }
public func abs(_ x: Variable) -> Variable { x.unary(Swift.abs) { x, _ in x.constant { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } } }
public func sin(_ x: Variable) -> Variable { x.unary(Foundation.sin) { x, _ in cos(x) } }
public func cos(_ x: Variable) -> Variable { x.unary(Foundation.cos) { x, _ in -sin(x) } }
public func tanh(_ x: Variable) -> Variable { x.unary(Foundation.tanh) { _, y in try oneMinus(try Variable.hadamard(y, y)) } }
public func sigmoid(_ x: Variable) -> Variable { x.unary(logistic) { _, y in try Variable.hadamard(y, try oneMinus(y)) } }
/// ReLU; its derivative at 0 is taken as 0 (the point is not differentiable there).
public func relu(_ x: Variable) -> Variable { x.unary({ max($0, 0) }) { x, _ in x.constant { $0 > 0 ? 1 : 0 } } }
/// log(1 + eˣ), computed without overflow.
public func softplus(_ x: Variable) -> Variable {
    x.unary({ $0 > 0 ? $0 + Foundation.log1p(Foundation.exp(-$0)) : Foundation.log1p(Foundation.exp($0)) }) { x, _ in sigmoid(x) }
}
public func sign(_ x: Variable) -> Variable { x.unary({ $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }) { x, _ in x.constant { _ in 0 } } }
public func pow(_ x: Variable, _ p: Double) -> Variable {
    x.unary({ Foundation.pow($0, p) }) { x, _ in p == 0 ? x.constant { _ in 0 } : p * pow(x, p - 1) }
}
public func leakyRelu(_ x: Variable, slope: Double = 0.01) -> Variable {
    x.unary({ $0 > 0 ? $0 : slope * $0 }) { x, _ in x.constant { $0 > 0 ? 1 : slope } }
}
/// φ, the standard normal density e^(−x²/2)/√(2π).
func normalPDF(_ x: Variable) throws -> Variable {
    try exp(-0.5 * (try Variable.hadamard(x, x))) / x.constant { _ in (2 * Double.pi).squareRoot() }
}
/// Φ, the standard normal distribution function; Φ′ = φ.
func normalCDF(_ x: Variable) -> Variable { x.unary(normalCDF) { x, _ in try normalPDF(x) } }
/// GELU, exact: x·Φ(x) with Φ the standard normal distribution function.
public func gelu(_ x: Variable) -> Variable {
    // (xΦ(x))′ = Φ(x) + x·φ(x).
    x.unary({ $0 * normalCDF($0) }) { x, _ in try normalCDF(x) + Variable.hadamard(x, try normalPDF(x)) }
}
/// SiLU: x·σ(x), Swish with β = 1.
public func silu(_ x: Variable) -> Variable { swish(x, beta: 1) }
/// Swish: x·σ(βx).
public func swish(_ x: Variable, beta: Double) -> Variable {
    x.unary({ $0 * logistic(beta * $0) }) { x, _ in
        // (x σ(βx))′ = s + βx·s(1 − s) with s = σ(βx).
        let s = sigmoid(beta * x)
        return try s + Variable.hadamard(try Variable.hadamard(beta * x, s), try oneMinus(s))
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
    // Which side each entry came from: constant masks, so the route is differentiable again.
    let maskA = Variable(Tensor.combine(a.value, b.value) { pickA($0, $1) ? 1 : 0 })
    return Variable(out, [
        (a, { g, _ in try Variable.hadamard(g, maskA).unbroadcast(like: a) }),
        (b, { g, _ in try Variable.hadamard(g, Variable(maskA.value.map { 1 - $0 })).unbroadcast(like: b) }),
    ])
}

/// The entries limited to [lo, hi]; the gradient is 1 strictly inside and 0 outside (and at the ends).
public func clip(_ x: Variable, _ lo: Double, _ hi: Double) -> Variable {
    x.unary({ Swift.min(Swift.max($0, lo), hi) }) { x, _ in x.constant { lo < $0 && $0 < hi ? 1 : 0 } }
}

/// The error function; erf′(x) = 2/√π · e^(−x²).
public func erf(_ x: Variable) -> Variable {
    x.unary(Foundation.erf) { x, _ in (2 / Double.pi.squareRoot()) * exp(-(try Variable.hadamard(x, x))) }
}
