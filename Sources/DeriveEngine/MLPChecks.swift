/// Backprop checks for an `MLP` (see the README's checks and diagnoses): the author's δ^l = ∂C/∂z^l layer by layer, and the
/// parameter gradients ∂C/∂W^l, ∂C/∂b^l. References come from finite differences that resume the
/// forward pass at layer l, so each perturbation costs only the layers above it.
public struct LayerCheck: Sendable {
    /// Layers 1…L; index 0 is unused.
    public var layers: [Comparison]
    public var passed: Bool { layers.dropFirst().allSatisfy(\.passed) }
    /// The first failing layer going backward from L (the order backprop computes them in).
    public var firstFailingLayer: Int?
    /// Plain words: which layer is first wrong and whether the output layer is right.
    public var diagnosis: [String]
}

public struct ParameterCheck: Sendable {
    /// ∂C/∂W^l and ∂C/∂b^l for l = 1…L; index 0 unused.
    public var weights: [Comparison]
    public var biases: [Comparison]
    public var passed: Bool { weights.dropFirst().allSatisfy(\.passed) && biases.dropFirst().allSatisfy(\.passed) }
    public var diagnosis: [String]
}

extension MLP {
    /// The batch size of an input: columns in the column layout, rows in the row layout.
    public func batchSize(of x: Tensor) -> Int { layout == .column ? x.cols : x.rows }

    /// Checks the author's δ^l (index 0 unused) against the numerical ∂C/∂z^l, where C is the loss of
    /// the network's output. Backprop runs from L down, so "first wrong" is the highest failing layer.
    public func checkDeltas(input x: Tensor, loss: @escaping (Variable) throws -> Variable, equals deltas: [Tensor], tolerance: Tolerance = .default) throws -> LayerCheck {
        guard deltas.count == L + 1 else {
            throw EngineError("checkDeltas needs δ for layers 1…\(L) in an array of \(L + 1) (index 0 unused), but got \(deltas.count) entries")
        }
        let pass = try forward(Variable(x))
        var layers = [Comparison(passed: true)]
        for l in 1...L {
            let numerical = try FiniteDifferences.jacobian(at: pass.z[l].value) { z in
                try scalarLoss(loss, try forward(from: l, z: Variable(z)))
            }
            let z = pass.z[l].value
            let reference = Tensor(rows: z.cols, cols: z.rows, storage: numerical.value.storage).transposed
            var result = compare(deltas[l], reference, tolerance: tolerance, excluding: Set(numerical.nonDifferentiable),
                                 context: ComparisonContext(batchSize: batchSize(of: x), shapeConvention: true, subject: "z^\(l)"))
            result.reference = Checks.fullMethod + ", resuming the forward pass at z^\(l)"
            layers.append(result)
        }
        let failing = (1...L).reversed().first { !layers[$0].passed }
        var diagnosis: [String] = []
        if let failing {
            diagnosis.append("first wrong at layer \(failing) (going backward from the output)")
            diagnosis.append(layers[L].passed ? "δ^L (the output layer) is right" : "δ^L (the output layer) is already wrong")
            // The usual slips of the recursion, tried at the first wrong layer only: there δ^{l+1}
            // as the author gave it is right, so the recursion from it can be replayed.
            if let slip = deltaSlip(at: failing, pass: pass, loss: loss, deltas: deltas, tolerance: tolerance) {
                layers[failing].diagnosis = [slip]
                diagnosis.append(slip)
            } else if !layers[failing].diagnosis.isEmpty {
                diagnosis.append("δ^\(failing): " + layers[failing].diagnosis.joined(separator: "; "))
            }
        }
        return LayerCheck(layers: layers, firstFailingLayer: failing, diagnosis: diagnosis)
    }

    /// Checks ∂C/∂W^l and ∂C/∂b^l for every layer: shape convention first (the gradient has the
    /// parameter's shape), then values; a result of another shape is compared with the numerical
    /// gradient too, so its diagnosis can say what it is (transposed, a batch left unsummed). Layers with more than `projectionAbove` parameters are
    /// checked by projections first (pass `Int.max` to difference every parameter).
    public func checkParameterGradients(input x: Tensor, loss: @escaping (Variable) throws -> Variable, weights gW: [Tensor], biases gb: [Tensor], tolerance: Tolerance = .default, projectionAbove: Int = Checks.fullThreshold) throws -> ParameterCheck {
        guard gW.count == L + 1, gb.count == L + 1 else {
            throw EngineError("checkParameterGradients needs arrays of \(L + 1) (layers 1…\(L), index 0 unused), but got \(gW.count) weights and \(gb.count) biases")
        }
        let pass = try forward(Variable(x))
        let m = batchSize(of: x)
        var weights = [Comparison(passed: true)], biases = [Comparison(passed: true)]
        for l in 1...L {
            let perturbation = LayerPerturbation(net: self, layer: l, pass: pass, loss: loss)
            let useProjection = W[l].value.count + b[l].value.count > projectionAbove
            if useProjection, try perturbation.projectionsAgree(gW: gW[l], gb: gb[l], tolerance: tolerance) {
                weights.append(Comparison(passed: true, reference: Checks.projectionMethod))
                biases.append(Comparison(passed: true, reference: Checks.projectionMethod))
                continue
            }
            for (claimed, isWeight) in [(gW[l], true), (gb[l], false)] {
                let context = ComparisonContext(batchSize: m, shapeConvention: true, subject: isWeight ? "W^\(l)" : "b^\(l)")
                let numerical = try perturbation.numericalGradient(weight: isWeight)
                var result = compare(claimed, numerical.value, tolerance: tolerance, excluding: Set(numerical.nonDifferentiable), context: context)
                result.reference = Checks.fullMethod + ", resuming the forward pass at z^\(l)"
                if isWeight { weights.append(result) } else { biases.append(result) }
            }
        }
        var diagnosis: [String] = []
        let wrong = (1...L).filter { !weights[$0].passed || !biases[$0].passed }
        if !wrong.isEmpty { diagnosis.append("wrong at layer\(wrong.count > 1 ? "s" : "") \(wrong.map(String.init).joined(separator: ", "))") }
        // Each wrong parameter's own diagnosis, named: a slip of the outer product first. The
        // same diagnosis of several parameters is said once, naming them all.
        var own: [(subject: String, words: String)] = []
        for l in wrong {
            if !weights[l].passed {
                if let slip = weightSlip(at: l, pass: pass, loss: loss, claimed: gW[l], tolerance: tolerance) {
                    weights[l].diagnosis = [slip]
                    diagnosis.append(slip)
                } else if !weights[l].diagnosis.isEmpty {
                    own.append(("∂C/∂W^\(l)", weights[l].diagnosis.joined(separator: "; ")))
                }
            }
            if !biases[l].passed {
                if let slip = biasSlip(at: l, pass: pass, loss: loss, claimed: gb[l], tolerance: tolerance) {
                    biases[l].diagnosis = [slip]
                    diagnosis.append(slip)
                } else if !biases[l].diagnosis.isEmpty {
                    own.append(("∂C/∂b^\(l)", biases[l].diagnosis.joined(separator: "; ")))
                }
            }
        }
        var said: [String] = []
        for (_, words) in own where !said.contains(words) {
            said.append(words)
            diagnosis.append(own.filter { $0.words == words }.map(\.subject).joined(separator: ", ") + ": " + words)
        }
        return ParameterCheck(weights: weights, biases: biases, diagnosis: diagnosis)
    }
}

extension MLP {
    /// σ′ of the network's activation at t, by the engine's own derivative of it.
    func activationDerivative(at t: Tensor) -> Tensor? {
        try? DeriveEngine.derivative(at: t, in: activation.apply)
    }

    /// The recursion's product with W^k: `W^kᵀ δ` (column) or `δ W^kᵀ` (row), or without the
    /// transpose; nil when the shapes do not allow it.
    func backProduct(_ k: Int, _ delta: Tensor, transposed: Bool) -> Tensor? {
        guard (1...L).contains(k) else { return nil }
        let w = transposed ? W[k].value.transposed : W[k].value
        return layout == .column ? try? w.matmul(delta) : try? delta.matmul(w)
    }

    /// The exact ∂C/∂z^l, by reverse mode, for replaying a slip.
    func exactDelta(at l: Int, pass: ForwardPass, loss: @escaping (Variable) throws -> Variable) -> Tensor? {
        try? DeriveEngine.gradient(at: pass.z[l].value) { z in try loss(try self.forward(from: l, z: z)) }
    }

    /// The usual slips of the δ recursion at layer l (see the README's checks and diagnoses), each replayed from the author's
    /// δ^{l+1} (or, at the output, from ∇ₐC) and claimed only when it gives the author's δ^l
    /// within the tolerance: σ′(z^l) missing, σ′ taken at a^l, σ′ twice, σ′ of the layer above,
    /// W^l for W^{l+1}, W^{l+1} untransposed.
    func deltaSlip(at l: Int, pass: ForwardPass, loss: @escaping (Variable) throws -> Variable, deltas: [Tensor], tolerance: Tolerance) -> String? {
        let claimed = deltas[l]
        let (z, a) = (pass.z[l].value, pass.a[l].value)
        guard claimed.rows == z.rows, claimed.cols == z.cols,
              let atZ = activationDerivative(at: z), let atA = activationDerivative(at: a) else { return nil }
        func explains(_ candidate: Tensor?) -> Bool { candidate.map { tolerance.accepts(claimed, $0) } ?? false }
        func scaled(_ s: Tensor, _ t: Tensor?) -> Tensor? {
            guard let t, t.rows == s.rows, t.cols == s.cols else { return nil }
            return Tensor.combine(s, t, *)
        }
        // What σ′(z^l) multiplies: W^{l+1}ᵀ δ^{l+1}, or ∇ₐC at the output.
        let incoming: Tensor?
        if l == L {
            incoming = try? DeriveEngine.gradient(at: a, in: loss)
        } else {
            incoming = backProduct(l + 1, deltas[l + 1], transposed: true)
        }
        guard let incoming, incoming.rows == z.rows, incoming.cols == z.cols else { return nil }
        if explains(incoming) { return "δ^\(l) is missing the factor σ′(z^\(l))" }
        if explains(scaled(atA, incoming)) { return "δ^\(l) uses σ′(a^\(l)) where the recursion needs σ′(z^\(l))" }
        if explains(scaled(atZ, scaled(atZ, incoming))) {
            return "δ^\(l) has the factor σ′(z^\(l)) twice" + (l == L ? " (the squared-error formula with a cross-entropy loss, where σ′ cancels and δ^L = a^L − y?)" : "")
        }
        guard l < L else { return nil }
        if let above = activationDerivative(at: pass.z[l + 1].value), explains(scaled(above, incoming)) {
            return "δ^\(l) uses σ′(z^\(l + 1)) where the recursion needs σ′(z^\(l))"
        }
        if explains(scaled(atZ, backProduct(l, deltas[l + 1], transposed: true))) {
            return "δ^\(l) uses W^\(l) where the recursion needs W^\(l + 1)"
        }
        if W[l + 1].value.rows == W[l + 1].value.cols, explains(scaled(atZ, backProduct(l + 1, deltas[l + 1], transposed: false))) {
            return "δ^\(l) is missing the transpose of W^\(l + 1): it uses W^\(l + 1) where the recursion needs W^\(l + 1)ᵀ"
        }
        return nil
    }

    /// The usual slips of ∂C/∂W^l = δ^l a^{l−1}ᵀ (column; a^{l−1}ᵀ δ^l in rows): the
    /// pre-activation z^{l−1} for the activation a^{l−1}, or the layer's own a^l.
    func weightSlip(at l: Int, pass: ForwardPass, loss: @escaping (Variable) throws -> Variable, claimed: Tensor, tolerance: Tolerance) -> String? {
        guard claimed.rows == W[l].value.rows, claimed.cols == W[l].value.cols, let delta = exactDelta(at: l, pass: pass, loss: loss) else { return nil }
        func outer(_ activation: Tensor) -> Tensor? {
            layout == .column ? try? delta.matmul(activation.transposed) : try? activation.transposed.matmul(delta)
        }
        func explains(_ candidate: Tensor?) -> Bool {
            guard let candidate, candidate.rows == claimed.rows, candidate.cols == claimed.cols else { return false }
            return tolerance.accepts(claimed, candidate)
        }
        if l >= 2, explains(outer(pass.z[l - 1].value)) {
            return "∂C/∂W^\(l) uses z^\(l - 1) where it needs a^\(l - 1) (the activation, not the pre-activation)"
        }
        if explains(outer(pass.a[l].value)) {
            return "∂C/∂W^\(l) uses a^\(l) where it needs a^\(l - 1), the layer's input"
        }
        for (slip, wrongDelta) in deltaVariants(at: l, pass: pass, loss: loss) {
            let candidate = layout == .column ? try? wrongDelta.matmul(pass.a[l - 1].value.transposed) : try? pass.a[l - 1].value.transposed.matmul(wrongDelta)
            if explains(candidate) { return "∂C/∂W^\(l) is built from a δ^\(l) that \(slip)" }
        }
        return nil
    }

    /// ∂C/∂b^l built from a δ^l with one of the usual slips (summed over the batch).
    func biasSlip(at l: Int, pass: ForwardPass, loss: @escaping (Variable) throws -> Variable, claimed: Tensor, tolerance: Tolerance) -> String? {
        guard claimed.rows == b[l].value.rows, claimed.cols == b[l].value.cols else { return nil }
        for (slip, wrongDelta) in deltaVariants(at: l, pass: pass, loss: loss) {
            guard let summed = try? wrongDelta.sum(axis: layout == .column ? 1 : 0), summed.rows == claimed.rows, summed.cols == claimed.cols else { continue }
            if tolerance.accepts(claimed, summed) { return "∂C/∂b^\(l) is built from a δ^\(l) that \(slip)" }
        }
        return nil
    }

    /// δ^l as the usual slips of the recursion make it from the exact δ^{l+1} (or ∇ₐC at the
    /// output): without σ′(z^l), and with σ′ taken at a^l; each with the words that name it.
    func deltaVariants(at l: Int, pass: ForwardPass, loss: @escaping (Variable) throws -> Variable) -> [(String, Tensor)] {
        let (z, a) = (pass.z[l].value, pass.a[l].value)
        guard let atA = activationDerivative(at: a) else { return [] }
        let incoming: Tensor?
        if l == L {
            incoming = try? DeriveEngine.gradient(at: a, in: loss)
        } else {
            incoming = exactDelta(at: l + 1, pass: pass, loss: loss).flatMap { backProduct(l + 1, $0, transposed: true) }
        }
        guard let incoming, incoming.rows == z.rows, incoming.cols == z.cols else { return [] }
        return [
            ("is missing the factor σ′(z^\(l))", incoming),
            ("uses σ′(a^\(l)) where the recursion needs σ′(z^\(l))", Tensor.combine(atA, incoming, *)),
        ]
    }
}

/// A loss value as a Double; the loss must return a number.
func scalarLoss(_ loss: (Variable) throws -> Variable, _ output: Variable) throws -> Tensor {
    let c = try loss(output).value
    guard c.isScalar else { throw EngineError("the loss must return a number, but it returns a \(c.shapeText) tensor") }
    return c
}
