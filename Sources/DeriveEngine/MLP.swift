/// A fully connected network with layers numbered 1…L as in the notes (see the README's cell language).
/// `.column`: `z^l = W^l a^{l-1} + b^l`, W^l is n_l×n_{l-1}, inputs are columns.
/// `.row`: `z^l = a^{l-1} W^l + b^l`, W^l is n_{l-1}×n_l, inputs are rows (a batch is several rows).
/// The activation is applied at every layer, the output layer included: `a^l = σ(z^l)`.
public struct MLP {
    public enum Layout: String, Sendable {
        case column, row
    }

    public var sizes: [Int]
    public var activation: Activation
    public var layout: Layout
    /// `W[l]` for l = 1…L; `W[0]` is an empty placeholder so indices match the notes.
    /// What stands at index 0 of `W`, `b` and `z`, so indices match the notes' 1…L; one shared
    /// instance, so the cell language can tell it from an author's tensor.
    public static let unusedLayer = Variable(Tensor(rows: 0, cols: 0))

    public var W: [Variable]
    public var b: [Variable]

    public var L: Int { sizes.count - 1 }
    public var parameterCount: Int { (1...max(L, 1)).reduce(0) { $0 + (L == 0 ? 0 : W[$1].value.count + b[$1].value.count) } }

    /// Weights drawn from the stream layer by layer: W^l ~ N(0, 1/n_{l-1}) then b^l ~ N(0, 0.1²),
    /// row-major, so the same seed gives the same network on every machine.
    public init(sizes: [Int], activation: Activation = .sigmoid, layout: Layout = .column, random: inout RandomStream) throws(EngineError) {
        guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 }) else {
            throw EngineError("MLP needs at least two positive layer sizes (input and output), got \(sizes)")
        }
        self.sizes = sizes
        self.activation = activation
        self.layout = layout
        W = [Self.unusedLayer]
        b = [Self.unusedLayer]
        for l in 1..<sizes.count {
            let (n, fanIn) = (sizes[l], sizes[l - 1])
            let scale = 1 / Double(fanIn).squareRoot()
            let w = scale * random.randn(n, fanIn)
            let bias = 0.1 * random.randn(n, 1)
            W.append(Variable(layout == .column ? w : w.transposed))
            b.append(Variable(layout == .column ? bias : bias.transposed))
        }
    }

    /// The values a forward pass leaves behind: `z[l]` for l = 1…L, `a[l]` for l = 0…L.
    public struct ForwardPass {
        public var z: [Variable]
        public var a: [Variable]
        public var output: Variable { a[a.count - 1] }
    }

    public func forward(_ x: Variable) throws -> ForwardPass {
        let inputSize = layout == .column ? x.value.rows : x.value.cols
        guard inputSize == sizes[0] else {
            throw EngineError("the network takes \(sizes[0]) inputs per example (\(layout == .column ? "rows" : "columns")), but x is \(x.shapeText)")
        }
        var pass = ForwardPass(z: [Self.unusedLayer], a: [x])
        for l in 1...L {
            let z = try preActivation(l, from: pass.a[l - 1])
            pass.z.append(z)
            pass.a.append(try activation.apply(z))
        }
        return pass
    }

    /// The output when the forward pass resumes from a given `z^l`: the reference for ∂C/∂z^l.
    public func forward(from l: Int, z: Variable) throws -> Variable {
        try checkLayer(l)
        var a = try activation.apply(z)
        if l < L { for k in l + 1...L { a = try activation.apply(try preActivation(k, from: a)) } }
        return a
    }

    /// `W^l a + b^l` (column) or `a W^l + b^l` (row).
    func preActivation(_ l: Int, from a: Variable) throws(EngineError) -> Variable {
        layout == .column ? try Variable.matmul(W[l], a) + b[l] : try Variable.matmul(a, W[l]) + b[l]
    }

    public func with(W w: Variable, at l: Int) throws(EngineError) -> MLP {
        try checkLayer(l)
        guard w.value.rows == W[l].value.rows, w.value.cols == W[l].value.cols else {
            throw EngineError.shapes("replace W^\(l) (\(W[l].shapeText)) with", W[l].value, w.value, "the shapes differ")
        }
        var copy = self
        copy.W[l] = w
        return copy
    }

    public func with(b v: Variable, at l: Int) throws(EngineError) -> MLP {
        try checkLayer(l)
        guard v.value.rows == b[l].value.rows, v.value.cols == b[l].value.cols else {
            throw EngineError.shapes("replace b^\(l) (\(b[l].shapeText)) with", b[l].value, v.value, "the shapes differ")
        }
        var copy = self
        copy.b[l] = v
        return copy
    }

    public func checkLayer(_ l: Int) throws(EngineError) {
        guard (1...L).contains(l) else {
            throw EngineError("layer \(l) does not exist: layers are numbered 1…\(L)")
        }
    }
}

/// An activation function the network applies at every layer: a built-in or any differentiable function.
public struct Activation {
    public var name: String
    public var apply: (Variable) throws -> Variable

    public init(name: String, apply: @escaping (Variable) throws -> Variable) {
        self.name = name
        self.apply = apply
    }

    public static var sigmoid: Activation { Activation(name: "sigmoid") { DeriveEngine.sigmoid($0) } }
    public static var relu: Activation { Activation(name: "relu") { DeriveEngine.relu($0) } }
    public static var tanh: Activation { Activation(name: "tanh") { DeriveEngine.tanh($0) } }
    public static var identity: Activation { Activation(name: "identity") { $0 } }
}
