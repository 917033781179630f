import Foundation
import Testing
@testable import DeriveEngine

/// Every op's backward rule against finite differences, at random points and random shapes.
@Suite struct AutodiffTests {
    typealias Op = (name: String, apply: ([Variable]) throws -> Variable, shapes: (Int, Int) -> [(Int, Int)], positive: Bool)

    static var unary: [(String, (Variable) throws -> Variable, Bool)] { [
        ("exp", exp, false), ("log", log, true), ("sqrt", sqrt, true), ("abs", abs, false), ("sin", sin, false),
        ("cos", cos, false), ("tanh", tanh, false), ("sigmoid", sigmoid, false), ("relu", relu, false),
        ("softplus", softplus, false), ("pow3", { pow($0, 3) }, false), ("pow1.5", { pow($0, 1.5) }, true),
        ("leakyRelu", { leakyRelu($0, slope: 0.1) }, false), ("gelu", gelu, false), ("silu", silu, false),
        ("swish", { swish($0, beta: 1.7) }, false), ("neg", { -$0 }, false), ("scale", { 2.5 * $0 }, false),
        ("T", { $0.T }, false), ("vec", vec, false), ("sum", sum, false), ("mean", mean, false),
        ("sum0", { try sum($0, axis: 0) }, false), ("sum1", { try sum($0, axis: 1) }, false),
        ("mean0", { try mean($0, axis: 0) }, false), ("max", { try max($0) }, false), ("min", { try min($0) }, false),
        ("norm", norm, false), ("softmax", softmax, false), ("logSoftmax", logSoftmax, false), ("logSumExp", logSumExp, false),
        ("crossEntropy", { try crossEntropy(logits: $0, labels: Array(repeating: 1, count: $0.value.cols)) }, false),
        ("entry", { try $0.entry(1, 0) }, false), ("row", { try $0.row(1) }, false), ("column", { try $0.column(0) }, false),
        ("reshaped", { try $0.reshaped(1, $0.value.count) }, false),
        ("diag", { try diag($0.column(0)) }, false), ("diagOfSquare", { try diag(Variable.matmul($0, $0.T)) }, false),
        ("replacing", { try $0.replacing(0, 0, with: sum($0)) }, false),
    ] }

    static var binary: [(String, (Variable, Variable) throws -> Variable, sameShape: Bool)] { [
        ("+", { try $0 + $1 }, true), ("-", { try $0 - $1 }, true), ("⊙", { try Variable.hadamard($0, $1) }, true),
        ("/", { try $0 / $1 }, true), ("max", { try max($0, $1) }, true), ("min", { try min($0, $1) }, true),
        ("dot", { try dot($0, $1) }, true), ("matmul", { try Variable.matmul($0, $1.T) }, true),
        ("outer", { try outer($0.column(0), $1.column(0)) }, true),
        ("hstack", { try hstack([$0, $1]) }, true), ("vstack", { try vstack([$0, $1]) }, true),
        ("broadcast+", { try $0 + $1.row(0) }, true), ("broadcast⊙", { try Variable.hadamard($0, $1.column(0)) }, true),
        ("scalar*", { try $0.entry(0, 0) * $1 }, true),
    ] }

    /// A generic scalar of f's output: Σ w ⊙ f(x) with fixed random weights.
    static func scalarize(_ y: Variable, _ random: inout RandomStream) throws -> Variable {
        let w = Variable(random.randn(y.value.rows, y.value.cols))
        return sum(try Variable.hadamard(w, y))
    }

    /// A unary op's scalar test function, with the same weights at every call.
    static func scalarized(_ op: @escaping (Variable) throws -> Variable) -> (Variable) throws -> Variable {
        { x in
            var weights = RandomStream(seed: 9)
            return try scalarize(try op(x), &weights)
        }
    }

    /// A random point of random shape (sides in `sides`), positive where the op needs it.
    static func point(_ random: inout RandomStream, sides: ClosedRange<Int>, positive: Bool) -> Tensor {
        let x = random.randn(random.integer(in: sides), random.integer(in: sides))
        return positive ? x.map { Swift.abs($0) + 0.5 } : x
    }

    /// Two random points of one random shape, the second away from 0 (for /).
    static func pair(_ random: inout RandomStream, sides: ClosedRange<Int>) -> (Tensor, Tensor) {
        let (r, c) = (random.integer(in: sides), random.integer(in: sides))
        return (random.randn(r, c), random.randn(r, c).map { $0 + ($0 >= 0 ? 1 : -1) })
    }

    static let tolerance = Tolerance(rtol: 1e-6, atol: 1e-8)

    /// Order 1: every op's backward rule against finite differences. Order 2: the AD Hessian
    /// (the pullback differentiated again) against central differences of the AD gradient.
    @Test(arguments: [1, 2], 0..<3)
    func unaryOpsMatchFiniteDifferences(order: Int, trial: Int) throws {
        var random = RandomStream(seed: UInt64((order == 1 ? 100 : 300) + trial))
        for (name, op, positive) in Self.unary {
            let x = Self.point(&random, sides: order == 1 ? 2...4 : 2...3, positive: positive)
            let f = Self.scalarized(op)
            let (ad, fd) = order == 1
                ? (try gradient(at: x, in: f), try numericalGradient(at: x) { try f(Variable($0)).value })
                : (try hessian(at: x, in: f), try numericalHessian(at: x, in: f))
            #expect(Self.tolerance.accepts(ad, fd), "\(name) at \(x.shapeText), order \(order): AD \(ad.storage) vs FD \(fd.storage)")
        }
    }

    @Test(arguments: [1, 2], 0..<3)
    func binaryOpsMatchFiniteDifferencesInBothArguments(order: Int, trial: Int) throws {
        var random = RandomStream(seed: UInt64((order == 1 ? 200 : 400) + trial))
        for (name, op, _) in Self.binary {
            let (a, b) = Self.pair(&random, sides: order == 1 ? 2...4 : 2...3)
            let w = random.randn(1, 1).storage[0]
            func loss(_ x: Variable, _ y: Variable) throws -> Variable {
                let out = try op(x, y)
                var weights = RandomStream(seed: 5)
                return try Self.scalarize(w * out, &weights)
            }
            if order == 1 {
                let grads = try gradient(at: [a, b]) { try loss($0[0], $0[1]) }
                #expect(Self.tolerance.accepts(grads[0], try numericalGradient(at: a) { try loss(Variable($0), Variable(b)).value }), "\(name): ∂/∂a")
                #expect(Self.tolerance.accepts(grads[1], try numericalGradient(at: b) { try loss(Variable(a), Variable($0)).value }), "\(name): ∂/∂b")
                continue
            }
            #expect(Self.tolerance.accepts(try hessian(at: a) { try loss($0, Variable(b)) }, try numericalHessian(at: a) { try loss($0, Variable(b)) }), "\(name): ∂²/∂a²")
            #expect(Self.tolerance.accepts(try hessian(at: b) { try loss(Variable(a), $0) }, try numericalHessian(at: b) { try loss(Variable(a), $0) }), "\(name): ∂²/∂b²")
            // The mixed block: how ∂/∂a moves with b.
            let mixed = try jacobian(at: b) { b in vec(try gradient(at: [Variable(a), b]) { try loss($0[0], $0[1]) }[0]) }
            let mixedFD = try numericalJacobian(at: b) { b in try gradient(at: a) { try loss($0, Variable(b)) }.vec }
            #expect(Self.tolerance.accepts(mixed, mixedFD), "\(name): ∂²/∂a∂b")
        }
    }

    @Test func jacobianIsOutputsByInputsInVecOrder() throws {
        var random = RandomStream(seed: 1)
        let W = random.randn(3, 4)
        let x = random.randn(4, 2)
        let J = try jacobian(at: x, in: { try Variable.matmul(Variable(W), $0) })
        #expect(J.shape == (6, 8))
        // vec(Wx) = (I ⊗ W) vec(x): the diagonal blocks are W.
        #expect(J[0, 0] == W[0, 0] && J[3, 4] == W[0, 0] && J[0, 4] == 0)
        #expect(Tolerance().accepts(J, try numericalJacobian(at: x) { try W.matmul($0) }))
    }

    @Test func derivativeAndPullback() throws {
        let z = Tensor(column: [-1, 0, 2])
        let d = try derivative(at: z, in: sigmoid)
        #expect(Tolerance().accepts(d, z.map { logistic($0) * (1 - logistic($0)) }))
        var random = RandomStream(seed: 2)
        let W = random.randn(2, 3), v = random.randn(2)
        let pull = try pullback(at: z) { sigmoid(try Variable.matmul(Variable(W), $0)) }
        let J = try jacobian(at: z) { sigmoid(try Variable.matmul(Variable(W), $0)) }
        #expect(Tolerance().accepts(try pull(v), try v.transposed.matmul(J).transposed))
    }

    @Test func shapeErrorsNameBothShapes() {
        #expect(throws: EngineError("cannot multiply 3×4 by 3×1: inner dimensions 4 and 3 differ")) {
            try Variable.matmul(Variable(Tensor(rows: 3, cols: 4)), Variable(Tensor(rows: 3, cols: 1)))
        }
        #expect(throws: EngineError.self) { try Variable(Tensor(rows: 2, cols: 3)) + Variable(Tensor(rows: 3, cols: 2)) }
        #expect(throws: EngineError("gradient needs a function that returns a number, but this one returns a 2×1 tensor; use jacobian for that")) {
            try gradient(at: Tensor(column: [1, 2]), in: { $0 })
        }
    }
}
