/// Finite differences of the loss with respect to one layer's parameters. Changing W^l or b^l
/// changes only z^l, by a known amount, so each evaluation resumes the forward pass at z^l
/// instead of running the whole network: for the 784-16-16-10 network that is ~30× less work.
struct LayerPerturbation {
    let net: MLP
    let layer: Int
    let z: Tensor
    let input: Tensor
    let loss: (Variable) throws -> Variable

    init(net: MLP, layer: Int, pass: MLP.ForwardPass, loss: @escaping (Variable) throws -> Variable) {
        self.net = net
        self.layer = layer
        z = pass.z[layer].value
        input = pass.a[layer - 1].value
        self.loss = loss
    }

    /// The loss with z^l moved to `z`.
    func lossAt(_ z: Tensor) throws -> Double {
        try scalarLoss(loss, try net.forward(from: layer, z: Variable(z))).storage[0]
    }

    /// How z^l moves per unit change of a parameter, as (index into z's storage, coefficient).
    func sensitivity(weight: Bool, _ i: Int, _ j: Int) -> [(Int, Double)] {
        let batch = net.layout == .column ? z.cols : z.rows
        return (0..<batch).map { k in
            switch (net.layout, weight) {
            case (.column, true): (i * z.cols + k, input[j, k])   // z[i, k] += t · a[j, k]
            case (.column, false): (i * z.cols + k, 1)           // z[i, k] += t
            case (.row, true): (k * z.cols + j, input[k, i])      // z[k, j] += t · a[k, i]
            case (.row, false): (k * z.cols + j, 1)              // z[k, j] += t
            }
        }
    }

    /// ∂C/∂W^l (or ∂C/∂b^l), shaped like the parameter, with kinks noted.
    func numericalGradient(weight: Bool) throws -> NumericalJacobian {
        let parameter = weight ? net.W[layer].value : net.b[layer].value
        let c0 = try lossAt(z)
        var gradient = Tensor(rows: parameter.rows, cols: parameter.cols)
        var kinks: [Coordinate] = []
        for i in 0..<parameter.rows {
            for j in 0..<parameter.cols {
                try Cancellation.check()
                let moves = sensitivity(weight: weight, i, j)
                let h = FiniteDifferences.stepSize(for: parameter[i, j])
                let d = try FiniteDifferences.centralDifference(step: h, at0: c0) { t in
                    var moved = z
                    for (index, coefficient) in moves { moved.storage[index] += t * coefficient }
                    return try lossAt(moved)
                }
                gradient[i, j] = d.value
                if d.kink { kinks.append(Coordinate(i, j)) }
            }
        }
        return NumericalJacobian(value: gradient, nonDifferentiable: kinks)
    }

    /// Two random directions (u_W, u_b): ⟨gW, u_W⟩ + ⟨gb, u_b⟩ against the directional difference.
    func projectionsAgree(gW: Tensor, gb: Tensor, tolerance: Tolerance) throws -> Bool {
        let (W, b) = (net.W[layer].value, net.b[layer].value)
        guard gW.rows == W.rows, gW.cols == W.cols, gb.rows == b.rows, gb.cols == b.cols else { return false }
        var random = Checks.directions()
        let c0 = try lossAt(z)
        for _ in 0..<2 {
            let (uW, ub) = (random.randn(W.rows, W.cols), random.randn(b.rows, b.cols))
            // The change of z^l along (u_W, u_b): u_W a + u_b (column) or a u_W + u_b (row).
            let dz = Tensor.combine(net.layout == .column ? try uW.product(input) : try input.product(uW), ub, +)
            let scale = Swift.max(1e-12, Swift.max(W.maxAbs, b.maxAbs)) / Swift.max(1e-12, Swift.max(uW.maxAbs, ub.maxAbs))
            let h = FiniteDifferences.cubeRootEpsilon * Swift.max(1, scale)
            let numerical = try FiniteDifferences.centralDifference(step: h, at0: c0) { t in
                try lossAt(Tensor.combine(z, dz) { $0 + t * $1 })
            }
            let claimed = FiniteDifferences.zipSum(gW.storage, uW.storage) + FiniteDifferences.zipSum(gb.storage, ub.storage)
            let tolerated = (tolerance.atol + tolerance.rtol) * Swift.max(1, Swift.abs(numerical.value), Swift.abs(claimed))
            if numerical.kink || !(Swift.abs(claimed - numerical.value) <= tolerated) { return false }
        }
        return true
    }
}
