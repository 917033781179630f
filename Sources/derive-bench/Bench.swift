import DeriveEngine
import Foundation

// Benchmarks for the engine and the cell language: `swift run -c release derive-bench`. One thread, Double.
// The last lines are `name: value unit`.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The median of `runs` timings, after one warm-up.
func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    let times = try (0..<runs).map { _ in try seconds(body) }.sorted()
    return times[times.count / 2]
}

@main
struct Bench {
    static func main() throws {
        var random = RandomStream(seed: 2024)
        let net = try MLP(sizes: [784, 16, 16, 10], activation: .sigmoid, random: &random)
        let x = random.rand(784)
        let label = 3
        let loss: (Variable) throws -> Variable = { try crossEntropy(logits: $0, label: label) }

        /// All parameter gradients by reverse mode: W¹, b¹, …, W³, b³.
        func adGradients() throws -> (weights: [Tensor], biases: [Tensor]) {
            let parameters = (1...net.L).flatMap { [net.W[$0].value, net.b[$0].value] }
            let grads = try gradient(at: parameters) { vs in
                var traced = net
                for l in 1...net.L {
                    traced = try traced.with(W: vs[2 * (l - 1)], at: l).with(b: vs[2 * (l - 1) + 1], at: l)
                }
                return try loss(try traced.forward(Variable(x)).output)
            }
            let empty = Tensor(rows: 0, cols: 0)
            return ([empty] + (0..<net.L).map { grads[2 * $0] }, [empty] + (0..<net.L).map { grads[2 * $0 + 1] })
        }

        let (gW, gb) = try adGradients()
        let adTime = try median(runs: 21) { _ = try adGradients() }

        var fullPassed = false
        let fullTime = try median(runs: 3) {
            fullPassed = try net.checkParameterGradients(input: x, loss: loss, weights: gW, biases: gb, projectionAbove: .max).passed
        }
        var defaultPassed = false
        let defaultTime = try median(runs: 11) {
            defaultPassed = try net.checkParameterGradients(input: x, loss: loss, weights: gW, biases: gb).passed
        }

        let a = random.randn(256, 256), b = random.randn(256, 256)
        let matmulTime = try median(runs: 11) { _ = try a.matmul(b) }

        // Second order: a 9-9-1 sigmoid network has 100 parameters; θ holds them in one column.
        let small = try MLP(sizes: [9, 9, 1], activation: .sigmoid, random: &random)
        let input = random.randn(9), target = Tensor(scalar: 0.3)
        let theta = Tensor(column: small.W[1].value.storage + small.b[1].value.storage + small.W[2].value.storage + small.b[2].value.storage)
        let smallLoss: (Variable) throws -> Variable = { theta in
            let traced = try small
                .with(W: try theta.block(rows: 0..<81, cols: 0..<1).reshaped(9, 9), at: 1)
                .with(b: try theta.block(rows: 81..<90, cols: 0..<1), at: 1)
                .with(W: try theta.block(rows: 90..<99, cols: 0..<1).reshaped(1, 9), at: 2)
                .with(b: try theta.block(rows: 99..<100, cols: 0..<1), at: 2)
            let error = try traced.forward(Variable(input)).output - Variable(target)
            return 0.5 * (try Variable.hadamard(error, error))
        }
        let direction = random.randn(100)
        var H = Tensor(rows: 0, cols: 0), Hv = Tensor(rows: 0, cols: 0)
        let hessianTime = try median(runs: 5) { H = try hessian(at: theta, in: smallLoss) }
        let hvpTime = try median(runs: 21) { Hv = try hessianVectorProduct(at: theta, along: direction, in: smallLoss) }
        let agrees = Tolerance().accepts(Hv, try H.matmul(direction))

        print("network: 784-16-16-10 sigmoid, \(net.parameterCount) parameters; full check passed: \(fullPassed); default check passed: \(defaultPassed)")
        print("mlp13002_ad_gradient: \(String(format: "%.3f", adTime * 1e3)) ms")
        print("mlp13002_fd_full_check: \(String(format: "%.3f", fullTime)) s")
        print("mlp13002_default_check: \(String(format: "%.4f", defaultTime)) s")
        print("second order: 9-9-1 sigmoid, \(small.parameterCount) parameters, H is \(H.shapeText); Hv agrees with H·v: \(agrees)")
        print("mlp100_hessian: \(String(format: "%.3f", hessianTime * 1e3)) ms")
        print("mlp100_hvp: \(String(format: "%.3f", hvpTime * 1e3)) ms")
        print("matmul256_gflops: \(String(format: "%.2f", 2 * pow(256, 3) / matmulTime / 1e9)) GFLOP/s")
        InterpreterBench.run()

    }
}
