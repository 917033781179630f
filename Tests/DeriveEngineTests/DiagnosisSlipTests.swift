import Foundation
import Testing
@testable import DeriveEngine

/// The diagnoses of issue 14: reversal, the c·yyᵀ term of a Jacobian, shapes left unreduced, the
/// slips of the δ recursion and of ∂C/∂W. Each is given for the mistake it names, never when
/// another explanation is as exact, and never on a right result.
@Suite struct DiagnosisSlipTests {
    func diagnosis(at x: Tensor, _ f: @escaping (Variable) throws -> Variable, _ claimed: (Tensor) -> Tensor) throws -> [String] {
        let right = try gradient(at: x, in: f)
        #expect(try Checks.gradient(at: x, in: f, equals: right).diagnosis.isEmpty)
        return try Checks.gradient(at: x, in: f, equals: claimed(right)).diagnosis
    }

    @Test func reversedVectorsAndMatrices() throws {
        var random = RandomStream(seed: 140)
        let c = random.randn(5), x = random.randn(5)
        let f: (Variable) throws -> Variable = { x in sum(try Variable.hadamard(sin(x), Variable(c))) }
        #expect(try diagnosis(at: x, f) { $0.reversed(rows: true, cols: true) } == ["reversed: the entries are in reverse order (a flipped kernel?)"])
        let K = random.randn(3, 4), X = random.randn(3, 4)
        let g: (Variable) throws -> Variable = { X in sum(try Variable.hadamard(tanh(X), Variable(K))) }
        #expect(try diagnosis(at: X, g) { $0.reversed(rows: true, cols: true) } == ["reversed along both axes: a flipped kernel?"])
        #expect(try diagnosis(at: X, g) { $0.reversed(rows: true, cols: false) } == ["reversed along its rows: the rows are in reverse order"])
        #expect(try diagnosis(at: X, g) { $0.reversed(rows: false, cols: true) } == ["reversed along its columns: the columns are in reverse order"])
    }

    @Test func aReversalThatChangesNothingIsNeverClaimed() throws {
        // The gradient [2, 4, 2] is a palindrome: reversing it explains nothing.
        let x = Tensor(column: [1, 2, 1])
        let f: (Variable) throws -> Variable = { x in sum(try Variable.hadamard(x, x)) }
        let wrong = Tensor(column: [2, 4, 2.5])
        let result = try Checks.gradient(at: x, in: f, equals: wrong)
        #expect(!result.diagnosis.contains { $0.hasPrefix("reversed") })
        // Left-right symmetric rows: the simpler one-axis reversal is the one said.
        let X = try Tensor(rowsOf: [[1, 2, 1], [3, 0.5, 3]])
        let g: (Variable) throws -> Variable = { X in sum(pow(X, 3)) }
        let right = try gradient(at: X, in: g)
        #expect(try Checks.gradient(at: X, in: g, equals: right.reversed(rows: true, cols: true)).diagnosis == ["reversed along its rows: the rows are in reverse order"])
    }

    @Test func equallyExactExplanationsAreSaidOnceSimplestFirst() throws {
        // An antisymmetric reference: −r is also rᵀ. The sign is the simpler explanation.
        let K = try Tensor(rowsOf: [[0, 1, -2], [-1, 0, 3], [2, -3, 0]])
        let f: (Variable) throws -> Variable = { S in sum(try Variable.hadamard(S, Variable(K))) }
        var random = RandomStream(seed: 141)
        #expect(try diagnosis(at: random.randn(3, 3), f) { -$0 } == ["wrong sign: the result is the negative of the reference"])
    }

    @Test func transposedAndAFactor() throws {
        var random = RandomStream(seed: 142)
        let A = random.randn(3, 3), x = random.randn(3, 3)
        let f: (Variable) throws -> Variable = { X in sum(tanh(try Variable.matmul(Variable(A), X))) }
        #expect(try diagnosis(at: x, f) { 0.5 * $0.transposed } == ["transposed: this is the Jacobian (numerator) layout; the shape convention wants x's shape; and off by a factor of ½"])
        let wide = random.randn(2, 3)
        #expect(try diagnosis(at: wide, { sum(sin($0)) }) { 2 * $0.transposed } == ["transposed: this is the Jacobian (numerator) layout; the shape convention wants x's shape; and off by a factor of 2"])
    }

    @Test func aNegativeFactorIsASignAndASize() throws {
        var random = RandomStream(seed: 153)
        let x = random.randn(3, 3)
        let f: (Variable) throws -> Variable = { X in try sum(sin(X)) + sum(try Variable.matmul(X, X)) }
        #expect(try diagnosis(at: x, f) { -0.5 * $0 } == ["wrong sign, and off by a factor of ½"])
        #expect(try diagnosis(at: x, f) { -$0.transposed } == ["transposed: this is the Jacobian (numerator) layout; the shape convention wants x's shape; and wrong sign: the result is the negative of the reference"])
        #expect(try diagnosis(at: x, f) { -1.37 * $0 } == ["wrong sign, and off by a constant factor of 1.37"])
    }

    @Test func twoAxForANonSymmetricAIsNotAFactor() throws {
        var random = RandomStream(seed: 143)
        let A = random.randn(4, 4), x = random.randn(4)
        let f: (Variable) throws -> Variable = { x in try Variable.matmul(try Variable.matmul(x.T, Variable(A)), x) }
        let twoAx = 2 * (try A.matmul(x))
        let result = try Checks.gradient(at: x, in: f, equals: twoAx)
        #expect(!result.passed)
        #expect(!result.diagnosis.contains { $0.contains("factor") || $0.contains("sign") || $0.contains("transposed") })
        // For a symmetric A it is right.
        let S = try A + A.transposed
        let g: (Variable) throws -> Variable = { x in try Variable.matmul(try Variable.matmul(x.T, Variable(S)), x) }
        #expect(try Checks.gradient(at: x, in: g, equals: 2 * (try S.matmul(x))).passed)
    }

    @Test func theSoftmaxJacobianWithTheWrongSignOrWithoutItsOuterProduct() throws {
        var random = RandomStream(seed: 144)
        let z = random.randn(4)
        let p = softmax(Variable(z)).value
        var D = Tensor(rows: 4, cols: 4), P = Tensor(rows: 4, cols: 4)
        for i in 0..<4 { D[i, i] = p[i, 0]; for j in 0..<4 { P[i, j] = p[i, 0] * p[j, 0] } }
        #expect(try Checks.jacobian(at: z, in: softmax, equals: try D - P).passed)
        let plus = try Checks.jacobian(at: z, in: softmax, equals: try D + P)
        #expect(plus.diagnosis == ["the difference from the reference is 2·yyᵀ, the outer product of the output y = f(x) with itself: a term −yyᵀ written with the wrong sign? (diag(p) + ppᵀ for the softmax Jacobian diag(p) − ppᵀ)"])
        let diagonal = try Checks.jacobian(at: z, in: softmax, equals: D)
        #expect(diagonal.diagnosis.first?.hasPrefix("the difference from the reference is yyᵀ") == true)
        #expect(diagonal.diagnosis.first?.contains("a term −yyᵀ is missing") == true)
    }

    @Test func theHessianOfLogSumExpWithAPlusIsNamedByItsGradient() throws {
        var random = RandomStream(seed: 152)
        let z = random.randn(4)
        let p = softmax(Variable(z)).value
        var D = Tensor(rows: 4, cols: 4), P = Tensor(rows: 4, cols: 4)
        for i in 0..<4 { D[i, i] = p[i, 0]; for j in 0..<4 { P[i, j] = p[i, 0] * p[j, 0] } }
        let lse: (Variable) throws -> Variable = { logSumExp($0) }
        #expect(try Checks.hessian(at: z, in: lse, equals: try D - P).passed)
        #expect(try Checks.hessian(at: z, in: lse, equals: try D + P).diagnosis
            == ["the difference from the reference is 2·ggᵀ, the outer product of the gradient g = ∇f(x) with itself: a term −ggᵀ written with the wrong sign? (diag(p) + ppᵀ for the softmax Jacobian diag(p) − ppᵀ)"])
    }

    @Test func shapesLeftUnreducedOrAVectorForADiagonalJacobian() throws {
        var random = RandomStream(seed: 145)
        let z = random.randn(4)
        let d = try derivative(at: z, in: { tanh($0) })
        #expect(try Checks.jacobian(at: z, in: { tanh($0) }, equals: d).diagnosis == ["this is the diagonal of the Jacobian: for an elementwise function the Jacobian is the 4×4 diag(…) of it"])
        // A bias gradient with the batch not summed over.
        let X = random.randn(3, 5), b = random.randn(3)
        let f: (Variable) throws -> Variable = { b in sum(sigmoid(try Variable(X) + b)) }
        let perExample = try derivative(at: try X + b, in: { sigmoid($0) })
        #expect(try Checks.gradient(at: b, in: f, equals: perExample, subject: "b").diagnosis == ["not reduced: the sum over its 5 columns is right (the sum over the batch left out?)"])
        let g: (Variable) throws -> Variable = { b in sum(try mean(sigmoid(try Variable(X) + b), axis: 1)) }
        #expect(try Checks.gradient(at: b, in: g, equals: perExample, batchSize: 5, subject: "b").diagnosis == ["not reduced: the mean over its 5 columns is right (the mean over the batch (m = 5) left out?)"])
    }

    /// Backprop by hand with C = ½‖a^L − y‖², sigmoid at every layer, in either layout, with one slip.
    enum Slip { case none, noSigmaPrime(Int), sigmaPrimeAtA(Int), sigmaPrimeTwice(Int), sigmaPrimeAbove(Int), wrongWeight(Int), noTranspose(Int) }

    func backprop(_ net: MLP, _ x: Tensor, _ y: Tensor, _ slip: Slip) throws -> [Tensor] {
        let f = try net.forward(Variable(x))
        func σʹ(_ t: Tensor) -> Tensor { t.map { 1 / (1 + Foundation.exp(-$0)) }.map { $0 * (1 - $0) } }
        func product(_ k: Int, _ delta: Tensor, transposed: Bool = true) throws -> Tensor {
            let w = transposed ? net.W[k].value.transposed : net.W[k].value
            return net.layout == .column ? try w.matmul(delta) : try delta.matmul(w)
        }
        var delta = Array(repeating: Tensor(rows: 0, cols: 0), count: net.L + 1)
        let L = net.L
        let outputError = try f.output.value - y
        switch slip {
        case .noSigmaPrime(L): delta[L] = outputError
        case .sigmaPrimeAtA(L): delta[L] = Tensor.combine(σʹ(f.a[L].value), outputError, *)
        case .sigmaPrimeTwice(L): delta[L] = Tensor.combine(σʹ(f.z[L].value), Tensor.combine(σʹ(f.z[L].value), outputError, *), *)
        default: delta[L] = Tensor.combine(σʹ(f.z[L].value), outputError, *)
        }
        for l in stride(from: L - 1, through: 1, by: -1) {
            switch slip {
            case .noSigmaPrime(l): delta[l] = try product(l + 1, delta[l + 1])
            case .sigmaPrimeAtA(l): delta[l] = Tensor.combine(σʹ(f.a[l].value), try product(l + 1, delta[l + 1]), *)
            case .sigmaPrimeTwice(l): delta[l] = Tensor.combine(σʹ(f.z[l].value), Tensor.combine(σʹ(f.z[l].value), try product(l + 1, delta[l + 1]), *), *)
            case .sigmaPrimeAbove(l): delta[l] = Tensor.combine(σʹ(f.z[l + 1].value), try product(l + 1, delta[l + 1]), *)
            case .wrongWeight(l): delta[l] = Tensor.combine(σʹ(f.z[l].value), try product(l, delta[l + 1]), *)
            case .noTranspose(l): delta[l] = Tensor.combine(σʹ(f.z[l].value), try product(l + 1, delta[l + 1], transposed: false), *)
            default: delta[l] = Tensor.combine(σʹ(f.z[l].value), try product(l + 1, delta[l + 1]), *)
            }
        }
        return delta
    }

    @Test(arguments: [MLP.Layout.column, .row])
    func theSlipsOfTheDeltaRecursionAreNamedWithTheirLayer(layout: MLP.Layout) throws {
        var random = RandomStream(seed: 146)
        let net = try MLP(sizes: [3, 3, 3, 2], layout: layout, random: &random)
        let x = layout == .column ? random.randn(3, 4) : random.randn(4, 3)
        let y = layout == .column ? random.rand(2, 4) : random.rand(4, 2)
        let loss: (Variable) throws -> Variable = { a in 0.5 * sum(pow(try a - Variable(y), 2)) }
        func check(_ slip: Slip) throws -> LayerCheck { try net.checkDeltas(input: x, loss: loss, equals: try backprop(net, x, y, slip)) }

        let right = try check(.none)
        #expect(right.passed && right.diagnosis.isEmpty)
        let cases: [(Slip, Int, String)] = [
            (.noSigmaPrime(2), 2, "δ^2 is missing the factor σ′(z^2)"),
            (.noSigmaPrime(3), 3, "δ^3 is missing the factor σ′(z^3)"),
            (.sigmaPrimeAtA(2), 2, "δ^2 uses σ′(a^2) where the recursion needs σ′(z^2)"),
            (.sigmaPrimeAtA(3), 3, "δ^3 uses σ′(a^3) where the recursion needs σ′(z^3)"),
            (.sigmaPrimeTwice(2), 2, "δ^2 has the factor σ′(z^2) twice"),
            (.sigmaPrimeTwice(3), 3, "δ^3 has the factor σ′(z^3) twice (the squared-error formula with a cross-entropy loss, where σ′ cancels and δ^L = a^L − y?)"),
            (.sigmaPrimeAbove(1), 1, "δ^1 uses σ′(z^2) where the recursion needs σ′(z^1)"),
            (.wrongWeight(1), 1, "δ^1 uses W^1 where the recursion needs W^2"),
            (.noTranspose(1), 1, "δ^1 is missing the transpose of W^2: it uses W^2 where the recursion needs W^2ᵀ"),
        ]
        for (slip, layer, words) in cases {
            let result = try check(slip)
            #expect(result.firstFailingLayer == layer)
            #expect(result.diagnosis.first == "first wrong at layer \(layer) (going backward from the output)")
            #expect(result.diagnosis.contains(layer == 3 ? "δ^L (the output layer) is already wrong" : "δ^L (the output layer) is right"))
            #expect(result.diagnosis.last == words, "\(slip)")
            #expect(result.layers[layer].diagnosis == [words])
        }
    }

    @Test func aWrongDeltaWithoutASlipGetsItsLayersOwnDiagnosis() throws {
        var random = RandomStream(seed: 147)
        let net = try MLP(sizes: [3, 4, 2], random: &random)
        let x = random.randn(3), y = random.rand(2)
        let loss: (Variable) throws -> Variable = { a in 0.5 * sum(pow(try a - Variable(y), 2)) }
        var deltas = try backprop(net, x, y, .none)
        deltas[2] = -deltas[2]
        let result = try net.checkDeltas(input: x, loss: loss, equals: deltas)
        #expect(result.diagnosis.last == "δ^2: wrong sign: the result is the negative of the reference")
    }

    @Test(arguments: [MLP.Layout.column, .row])
    func weightGradientsWithThePreActivationOrTheWrongActivation(layout: MLP.Layout) throws {
        var random = RandomStream(seed: 148)
        let net = try MLP(sizes: [3, 4, 4, 2], layout: layout, random: &random)
        let x = layout == .column ? random.randn(3, 5) : random.randn(5, 3)
        let y = layout == .column ? random.rand(2, 5) : random.rand(5, 2)
        let loss: (Variable) throws -> Variable = { a in 0.5 * sum(pow(try a - Variable(y), 2)) }
        let f = try net.forward(Variable(x))
        let deltas = try backprop(net, x, y, .none)
        func outer(_ l: Int, _ activation: Tensor) throws -> Tensor {
            layout == .column ? try deltas[l].matmul(activation.transposed) : try activation.transposed.matmul(deltas[l])
        }
        let biases = deltas.enumerated().map { l, d in l == 0 ? d : (layout == .column ? (try! d.sum(axis: 1)) : (try! d.sum(axis: 0))) }
        var weights = [Tensor(rows: 0, cols: 0)]
        for l in 1...net.L { weights.append(try outer(l, f.a[l - 1].value)) }
        let right = try net.checkParameterGradients(input: x, loss: loss, weights: weights, biases: biases)
        #expect(right.passed && right.diagnosis.isEmpty)

        var slipped = weights
        slipped[3] = try outer(3, f.z[2].value)
        #expect(try net.checkParameterGradients(input: x, loss: loss, weights: slipped, biases: biases).diagnosis
            == ["wrong at layer 3", "∂C/∂W^3 uses z^2 where it needs a^2 (the activation, not the pre-activation)"])
        slipped = weights
        slipped[2] = try outer(2, f.a[2].value)
        #expect(try net.checkParameterGradients(input: x, loss: loss, weights: slipped, biases: biases).diagnosis
            == ["wrong at layer 2", "∂C/∂W^2 uses a^2 where it needs a^1, the layer's input"])
        // Averaged over the batch where the loss sums: named with m.
        slipped = weights
        slipped[1] = (1.0 / 5) * weights[1]
        #expect(try net.checkParameterGradients(input: x, loss: loss, weights: slipped, biases: biases).diagnosis
            == ["wrong at layer 1", "∂C/∂W^1: off by 1/m (m = 5): mean vs sum over the batch"])
        // Built from a δ^2 without σ′(z^2): the weights and the biases of layer 2 say so.
        let slipped2 = try backprop(net, x, y, .noSigmaPrime(2))
        slipped = weights
        slipped[2] = try layout == .column ? slipped2[2].matmul(f.a[1].value.transposed) : f.a[1].value.transposed.matmul(slipped2[2])
        var slippedBiases = biases
        slippedBiases[2] = try slipped2[2].sum(axis: layout == .column ? 1 : 0)
        #expect(try net.checkParameterGradients(input: x, loss: loss, weights: slipped, biases: slippedBiases).diagnosis
            == ["wrong at layer 2", "∂C/∂W^2 is built from a δ^2 that is missing the factor σ′(z^2)", "∂C/∂b^2 is built from a δ^2 that is missing the factor σ′(z^2)"])
        // A bias gradient not summed over the batch.
        var unsummed = biases
        unsummed[2] = deltas[2]
        #expect(try net.checkParameterGradients(input: x, loss: loss, weights: weights, biases: unsummed).diagnosis
            == ["wrong at layer 2", "∂C/∂b^2: not reduced: the sum over its 5 \(layout == .column ? "columns" : "rows") is right (the sum over the batch (m = 5) left out?)"])
    }
}

