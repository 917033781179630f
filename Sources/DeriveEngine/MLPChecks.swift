/// Backprop checks for an `MLP` (SPEC §5): the author's δ^l = ∂C/∂z^l layer by layer, and the
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
        }
        return LayerCheck(layers: layers, firstFailingLayer: failing, diagnosis: diagnosis)
    }

    /// Checks ∂C/∂W^l and ∂C/∂b^l for every layer: shape convention first (the gradient has the
    /// parameter's shape), then values. Layers with more than `projectionAbove` parameters are
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
            for (claimed, parameter, isWeight) in [(gW[l], W[l].value, true), (gb[l], b[l].value, false)] {
                let context = ComparisonContext(batchSize: m, shapeConvention: true, subject: isWeight ? "W^\(l)" : "b^\(l)")
                let sameOrTransposed = (claimed.rows == parameter.rows && claimed.cols == parameter.cols)
                    || (claimed.rows == parameter.cols && claimed.cols == parameter.rows)
                guard sameOrTransposed else {
                    // Shapes first: a gradient of an unrelated shape is reported without differencing.
                    let wrongShape = compare(claimed, parameter, tolerance: tolerance, context: context)
                    if isWeight { weights.append(wrongShape) } else { biases.append(wrongShape) }
                    continue
                }
                let numerical = try perturbation.numericalGradient(weight: isWeight)
                var result = compare(claimed, numerical.value, tolerance: tolerance, excluding: Set(numerical.nonDifferentiable), context: context)
                result.reference = Checks.fullMethod + ", resuming the forward pass at z^\(l)"
                if isWeight { weights.append(result) } else { biases.append(result) }
            }
        }
        var diagnosis: [String] = []
        let wrong = (1...L).filter { !weights[$0].passed || !biases[$0].passed }
        if !wrong.isEmpty { diagnosis.append("wrong at layer\(wrong.count > 1 ? "s" : "") \(wrong.map(String.init).joined(separator: ", "))") }
        return ParameterCheck(weights: weights, biases: biases, diagnosis: diagnosis)
    }
}

/// A loss value as a Double; the loss must return a number.
func scalarLoss(_ loss: (Variable) throws -> Variable, _ output: Variable) throws -> Tensor {
    let c = try loss(output).value
    guard c.isScalar else { throw EngineError("the loss must return a number, but it returns a \(c.shapeText) tensor") }
    return c
}
