import Foundation
import Testing
@testable import DeriveEngine

/// Nested reverse mode: derivatives of derivatives, Hessians and their checks. Expected values
/// come from the definitions (closed forms), not from the implementation.
@Suite struct SecondOrderTests {
    static let close = Tolerance(rtol: 1e-7, atol: 1e-9)

    /// `H` with rows and columns in vec order, from a closed form `entry(i, j)`.
    static func matrix(_ n: Int, _ entry: (Int, Int) -> Double) -> Tensor {
        var H = Tensor(rows: n, cols: n)
        for i in 0..<n { for j in 0..<n { H[i, j] = entry(i, j) } }
        return H
    }

    @Test func hessianOfAQuadraticFormIsASymmetrized() throws {
        var random = RandomStream(seed: 1)
        let A = random.randn(4, 4), x = random.randn(4)
        let f: (Variable) throws -> Variable = { x in try Variable.matmul(x.T, try Variable.matmul(Variable(A), x)) }
        let expected = Self.matrix(4) { A[$0, $1] + A[$1, $0] }
        #expect(Self.close.accepts(try hessian(at: x, in: f), expected))
        #expect(Self.close.accepts(try numericalHessian(at: x, in: f), expected))
        #expect(try Checks.hessian(at: x, in: f, equals: expected).passed)
    }

    @Test func hessianOfSoftmaxCrossEntropyIsDiagPMinusPPT() throws {
        var random = RandomStream(seed: 2)
        let z = random.randn(5)
        let f: (Variable) throws -> Variable = { try crossEntropy(logits: $0, label: 2) }
        let e = z.storage.map { Foundation.exp($0) }
        let p = e.map { $0 / e.reduce(0, +) }
        let expected = Self.matrix(5) { ($0 == $1 ? p[$0] : 0) - p[$0] * p[$1] }
        #expect(Self.close.accepts(try hessian(at: z, in: f), expected))
        #expect(Self.close.accepts(try numericalHessian(at: z, in: f), expected))
        #expect(try Checks.hessian(at: z, in: f, equals: expected).passed)
    }

    @Test func hessianOfSumSinBx() throws {
        var random = RandomStream(seed: 3)
        let B = random.randn(3, 4), x = random.randn(4)
        let f: (Variable) throws -> Variable = { x in sum(sin(try Variable.matmul(Variable(B), x))) }
        // ∂²/∂xᵢ∂xⱼ Σₖ sin(bₖᵀx) = −Σₖ sin(bₖᵀx) Bₖᵢ Bₖⱼ
        let Bx = try B.matmul(x)
        let expected = Self.matrix(4) { i, j in (0..<3).reduce(0) { $0 - Foundation.sin(Bx[$1, 0]) * B[$1, i] * B[$1, j] } }
        #expect(Self.close.accepts(try hessian(at: x, in: f), expected))
        #expect(Self.close.accepts(try numericalHessian(at: x, in: f), expected))
    }

    @Test func hessianOfAnMLPLossWithRespectToOneLayersWeights() throws {
        var random = RandomStream(seed: 4)
        let net = try MLP(sizes: [3, 4, 2], activation: .tanh, random: &random)
        let x = random.randn(3)
        let loss: (Variable) throws -> Variable = { W in
            try crossEntropy(logits: try net.with(W: W, at: 1).forward(Variable(x)).output, label: 1)
        }
        let W = net.W[1].value
        let H = try hessian(at: W, in: loss)
        #expect(H.shape == (12, 12))
        #expect(Tolerance(rtol: 1e-6, atol: 1e-9).accepts(H, try numericalHessian(at: W, in: loss)))
        #expect(try Checks.hessian(at: W, in: loss, equals: H).passed)
        // A Hessian-vector product is H·vec(v), shaped like W, without H.
        let v = random.randn(4, 3)
        let Hv = try hessianVectorProduct(at: W, along: v, in: loss)
        #expect(Hv.shape == W.shape)
        #expect(Self.close.accepts(Hv.vec, try H.matmul(v.vec)))
    }

    @Test func derivativeOfDerivative() throws {
        let x = Tensor(column: [-1.3, -0.2, 0.4, 2.1])
        func second(_ f: @escaping (Variable) -> Variable) throws -> Tensor {
            try derivative(at: x) { x in try derivative(at: x, in: f) }
        }
        func s(_ t: Double) -> Double { 1 / (1 + Foundation.exp(-t)) }
        #expect(Self.close.accepts(try second(sin), x.map { -Foundation.sin($0) }))
        #expect(Self.close.accepts(try second(exp), x.map { Foundation.exp($0) }))
        #expect(Self.close.accepts(try second(tanh), x.map { -2 * Foundation.tanh($0) * (1 - Foundation.tanh($0) * Foundation.tanh($0)) }))
        #expect(Self.close.accepts(try second(sigmoid), x.map { s($0) * (1 - s($0)) * (1 - 2 * s($0)) }))
    }

    @Test func thirdOrderOfAPolynomial() throws {
        // p(x) = x⁴ − 2x³ + x: p‴(x) = 24x − 12.
        let p: (Variable) throws -> Variable = { x in try pow(x, 4) - 2 * pow(x, 3) + x }
        for x in [-1.5, 0.0, 0.7, 3.0] {
            let third = try derivative(at: Tensor(scalar: x)) { x in
                try derivative(at: x) { x in try derivative(at: x, in: p) }
            }
            #expect(Swift.abs(third.storage[0] - (24 * x - 12)) < 1e-9)
        }
    }

    @Test func anyDepth() throws {
        // sin⁗ = sin, four derivatives deep.
        let x = Tensor(column: [0.3, -2])
        let fourth = try derivative(at: x) { x in
            try derivative(at: x) { x in try derivative(at: x) { x in try derivative(at: x, in: sin) } }
        }
        #expect(Self.close.accepts(fourth, x.map { Foundation.sin($0) }))
        // The gradient of the Laplacian tr H of Σx⁴: H = diag(12x²), ∇ tr H = 24x.
        let v = Tensor(column: [1, -0.5, 2])
        let g = try gradient(at: v) { v in
            let H = try hessian(at: v) { sum(pow($0, 4)) }
            return sum(try diag(H))
        }
        #expect(Self.close.accepts(g, v.map { 24 * $0 }))
        // A Hessian-vector product differentiated again: ∇ᵥ ⟨u, H(x) v⟩ = H u, with H = A + Aᵀ.
        let A = try Tensor(rowsOf: [[1, 2, 0], [0, 3, -1], [4, 0, 1]]), u = Tensor(column: [1, 0, -1])
        let quadratic: (Variable) throws -> Variable = { x in try Variable.matmul(x.T, try Variable.matmul(Variable(A), x)) }
        let Hu = try gradient(at: v) { v in try dot(Variable(u), try hessianVectorProduct(at: Variable(v.value), along: v, in: quadratic)) }
        #expect(Self.close.accepts(Hu, try (A + A.transposed).matmul(u)))
    }

    @Test func aNewtonStepSolvesAQuadraticExactly() throws {
        // f(x) = ½xᵀAx − bᵀx with A symmetric positive definite: one Newton step from anywhere
        // lands on the solution of A x = b.
        let A = try Tensor(rowsOf: [[4, 1, 0], [1, 3, 1], [0, 1, 2]])
        let b = Tensor(column: [1, 2, 3])
        let f: (Variable) throws -> Variable = { x in
            try 0.5 * Variable.matmul(x.T, try Variable.matmul(Variable(A), x)) - Variable.matmul(Variable(b).T, x)
        }
        let x0 = Tensor(column: [5, -7, 2])
        let g = try gradient(at: x0, in: f), H = try hessian(at: x0, in: f)
        let x1 = try x0 - solve(H, g)
        #expect(Self.close.accepts(try A.matmul(x1), b))
        #expect(try gradient(at: x1, in: f).maxAbs < 1e-12)
    }

    /// Gaussian elimination with partial pivoting (the test's own, small).
    func solve(_ A: Tensor, _ b: Tensor) -> Tensor {
        var (M, y, n) = (A, b, A.rows)
        for k in 0..<n {
            let p = (k..<n).max { Swift.abs(M[$0, k]) < Swift.abs(M[$1, k]) }!
            for j in 0..<n { (M[k, j], M[p, j]) = (M[p, j], M[k, j]) }
            (y[k, 0], y[p, 0]) = (y[p, 0], y[k, 0])
            for i in k + 1..<n {
                let m = M[i, k] / M[k, k]
                for j in k..<n { M[i, j] -= m * M[k, j] }
                y[i, 0] -= m * y[k, 0]
            }
        }
        var x = y
        for i in (0..<n).reversed() {
            x[i, 0] = ((i + 1)..<n).reduce(y[i, 0]) { $0 - M[i, $1] * x[$1, 0] } / M[i, i]
        }
        return x
    }

    @Test func perturbationConfusion() throws {
        // d/dx [x · d/dy (x + y)] = d/dx [x · 1] = 1, not 2 (Siskind & Pearlmutter).
        let one = Tensor(scalar: 1)
        let d = try derivative(at: one) { x in
            try x * derivative(at: Variable(one)) { y in try x + y }
        }
        #expect(d.storage == [1])
        // The same with the inner derivative taken at x itself.
        let e = try derivative(at: one) { x in
            try x * derivative(at: x) { y in try x + y }
        }
        #expect(e.storage == [1])
        // d/dx [x · d/dy (x · y)] at y = x: d/dx [x · x] = 2x.
        let x0 = Tensor(scalar: 3)
        let h = try derivative(at: x0) { x in try x * derivative(at: x) { y in try x * y } }
        #expect(h.storage == [6])
    }

    @Test func formerlySilentZerosAreRight() throws {
        let v = Tensor(column: [1, -2, 0.5])
        let cube: (Variable) throws -> Variable = { sum(pow($0, 3)) }
        // ∇ Σ(∇ Σv³) = ∇ Σ 3v² = 6v
        let g = try gradient(at: v) { v in sum(try gradient(at: v, in: cube)) }
        #expect(Self.close.accepts(g, v.map { 6 * $0 }))
        // (v³)″ = 6v
        let d = try derivative(at: v) { v in try derivative(at: v) { pow($0, 3) } }
        #expect(Self.close.accepts(d, v.map { 6 * $0 }))
        // The Jacobian of ∇ Σv³ = 3v² is diag(6v).
        let J = try jacobian(at: v) { v in try gradient(at: v, in: cube) }
        #expect(Self.close.accepts(J, Self.matrix(3) { $0 == $1 ? 6 * v.storage[$0] : 0 }))
        // A pullback inside a gradient: ∇ₓ ⟨pullback of sin at x⟩(1) = ∇ Σ cos x = −sin x.
        let p = try gradient(at: v) { x in sum(try pullback(at: x, in: sin)(Variable(v.map { _ in 1 }))) }
        #expect(Self.close.accepts(p, v.map { -Foundation.sin($0) }))
        // Several arguments: ∂/∂y of Σ ∂/∂x Σ x²y = ∂/∂y Σ 2xy = 2x.
        let y = Tensor(column: [2, 3, 4])
        let gy = try gradient(at: y) { y in
            sum(try gradient(at: [Variable(v), y]) { sum(try Variable.hadamard(pow($0[0], 2), $0[1])) }[0])
        }
        #expect(Self.close.accepts(gy, v.map { 2 * $0 }))
    }

    @Test func aPullbackOutlivesItsDifferentiation() throws {
        // Made at the top level, applied inside a gradient: ∇ᵥ Σ (v ⊙ cos x₀) = cos x₀.
        let x0 = Tensor(column: [0.3, -1.2])
        let pull = try pullback(at: Variable(x0), in: sin)
        let g = try gradient(at: Tensor(column: [1, 1])) { v in sum(try pull(v)) }
        #expect(Self.close.accepts(g, x0.map { Foundation.cos($0) }))
    }

    @Test func leavingTheDifferentiableWorldIsAnErrorNotAZero() throws {
        #expect(throws: EngineError("Int(x) cannot be differentiated: it turns a value being differentiated into a plain number, so the derivative through it would be lost")) {
            try gradient(at: Tensor(scalar: 2)) { x in Variable(try x.untracedValue(for: "Int(x)")) }
        }
        #expect(try Variable(Tensor(scalar: 2)).untracedValue(for: "Int(x)") == Tensor(scalar: 2))
    }

    @Test func aPlainTensorFormInsideAnotherDifferentiationIsAnError() throws {
        // ∇_W Σ ∇ₓ(Σ W ⊙ x) = ∇_W Σ W = 1s: the Tensor form would give W's gradient as a constant, so 0s.
        let W = Tensor(column: [1, 2])
        #expect(throws: EngineError("gradient at a plain tensor is taken inside another differentiation that its result depends on; its derivative would be lost (take it at a Variable)")) {
            try gradient(at: W) { W in sum(Variable(try gradient(at: Tensor(column: [3, 4])) { x in sum(try Variable.hadamard(W, x)) })) }
        }
        let right = try gradient(at: W) { W in sum(try gradient(at: Variable(Tensor(column: [3, 4]))) { x in sum(try Variable.hadamard(W, x)) }) }
        #expect(right == Tensor(column: [1, 1]))
    }

    @Test func topLevelResultsRecordNothing() throws {
        let v = Tensor(column: [1, 2])
        let g = try gradient(at: Variable(v)) { sum(sigmoid($0)) }
        #expect(!g.isTraced && g.inputs.isEmpty)
        let H = try hessian(at: Variable(v)) { sum(sigmoid($0)) }
        #expect(!H.isTraced && H.inputs.isEmpty)
    }

    /// x³ with a plain-tensor pullback: differentiable once only.
    static func cube(_ x: Variable) -> Variable {
        Variable(x.value.map { $0 * $0 * $0 }, op: "cube", firstOrder: [(x, { g in Tensor.combine(g, x.value) { $0 * 3 * $1 * $1 } })])
    }

    @Test func aFirstOrderOpThrowsWhenDifferentiatedTwice() throws {
        let x = Tensor(column: [2])
        #expect(try gradient(at: x) { sum(Self.cube($0)) }.storage == [12])
        #expect(throws: EngineError("cannot differentiate cube twice: its derivative is not differentiable in the engine")) {
            try derivative(at: x) { x in try derivative(at: x, in: Self.cube) }
        }
    }

    @Test func anInnerPassFollowsOnlyValuesThatDependOnItsOwnPoint() throws {
        // d/dx [d/dz (x³ · z)] = 3x². The inner pass must not enter x³ (it does not depend on z):
        // there, recorded for the outer pass, cube's first-order pullback would throw.
        let x = Tensor(column: [2])
        let d = try derivative(at: x) { x in
            let y = Self.cube(x)
            return try derivative(at: Variable(Tensor(column: [5]))) { z in try Variable.hadamard(y, z) }
        }
        #expect(d.storage == [12])
    }

    @Test func hessianVectorProductOfAQuadraticIsAPlusATv() throws {
        var random = RandomStream(seed: 6)
        let A = random.randn(3, 3), x = random.randn(3), v = random.randn(3)
        let f: (Variable) throws -> Variable = { x in try Variable.matmul(x.T, try Variable.matmul(Variable(A), x)) }
        #expect(Self.close.accepts(try hessianVectorProduct(at: x, along: v, in: f), try (A + A.transposed).matmul(v)))
        #expect(throws: EngineError("cannot take the Hessian-vector product at 3×1 and 2×1: v must have the shape of x")) {
            try hessianVectorProduct(at: x, along: Tensor(column: [1, 2]), in: f)
        }
        #expect(throws: EngineError("hessian needs a function that returns a number, but this one returns a 3×1 tensor")) {
            try hessian(at: x, in: sin)
        }
    }
}
