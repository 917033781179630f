import Testing
@testable import DeriveEngine

@Suite struct MLPTests {
    @Test func parameterCountOfTheDigitNetwork() throws {
        var random = RandomStream(seed: 0)
        let net = try MLP(sizes: [784, 16, 16, 10], random: &random)
        #expect(net.parameterCount == 13002)
        #expect(net.W[1].value.shape == (16, 784))
        let row = try MLP(sizes: [784, 16, 16, 10], layout: .row, random: &random)
        #expect(row.W[1].value.shape == (784, 16) && row.b[1].value.shape == (1, 16))
    }

    /// Backprop by hand for a column network with C = ½‖a − y‖².
    func backprop(_ net: MLP, _ x: Tensor, _ y: Tensor, transposeBug: Int? = nil) throws -> [Tensor] {
        let f = try net.forward(Variable(x))
        var delta = Array(repeating: Tensor(rows: 0, cols: 0), count: net.L + 1)
        func sigmaPrime(_ l: Int) -> Tensor { f.a[l].value.map { $0 * (1 - $0) } }
        delta[net.L] = Tensor.combine(sigmaPrime(net.L), try f.output.value - y, *)
        for l in stride(from: net.L - 1, through: 1, by: -1) {
            let W = l == transposeBug ? net.W[l + 1].value : net.W[l + 1].value.transposed
            delta[l] = Tensor.combine(sigmaPrime(l), try W.matmul(delta[l + 1]), *)
        }
        return delta
    }

    @Test func deltasPassWhenRightAndNameTheFirstWrongLayer() throws {
        var random = RandomStream(seed: 5)
        let net = try MLP(sizes: [3, 3, 3, 2], random: &random)
        let x = random.randn(3), y = random.rand(2)
        let loss: (Variable) throws -> Variable = { a in 0.5 * sum(pow(try a - Variable(y), 2)) }
        let right = try net.checkDeltas(input: x, loss: loss, equals: try backprop(net, x, y))
        #expect(right.passed && right.firstFailingLayer == nil && right.diagnosis.isEmpty)
        let wrong = try net.checkDeltas(input: x, loss: loss, equals: try backprop(net, x, y, transposeBug: 1))
        #expect(!wrong.passed)
        #expect(wrong.firstFailingLayer == 1)
        #expect(wrong.diagnosis == ["first wrong at layer 1 (going backward from the output)", "δ^L (the output layer) is right",
                                    "δ^1 is missing the transpose of W^2: it uses W^2 where the recursion needs W^2ᵀ"])
    }

    @Test func parameterGradientsShapeConventionFirst() throws {
        var random = RandomStream(seed: 6)
        let net = try MLP(sizes: [4, 5, 2], random: &random)
        let x = random.randn(4), y = random.rand(2)
        let loss: (Variable) throws -> Variable = { a in 0.5 * sum(pow(try a - Variable(y), 2)) }
        let f = try net.forward(Variable(x))
        let delta = try backprop(net, x, y)
        var gW = [Tensor(rows: 0, cols: 0)]
        for l in 1...net.L { gW.append(try delta[l].matmul(f.a[l - 1].value.transposed)) }
        #expect(try net.checkParameterGradients(input: x, loss: loss, weights: gW, biases: delta).passed)
        var transposed = gW
        transposed[1] = gW[1].transposed
        let result = try net.checkParameterGradients(input: x, loss: loss, weights: transposed, biases: delta)
        #expect(!result.passed && result.weights[1].diagnosis.first?.hasPrefix("transposed") == true)
        #expect(result.diagnosis == ["wrong at layer 1", "∂C/∂W^1: transposed: this is the Jacobian (numerator) layout; the shape convention wants W^1's shape"])
    }

    @Test func forwardFromALayerResumesThePass() throws {
        var random = RandomStream(seed: 8)
        let net = try MLP(sizes: [2, 3, 3, 1], random: &random)
        let f = try net.forward(Variable(random.randn(2)))
        #expect(try net.forward(from: 2, z: f.z[2]).value == f.output.value)
        #expect(throws: EngineError("layer 4 does not exist: layers are numbered 1…3")) { try net.forward(from: 4, z: f.z[2]) }
    }
}
