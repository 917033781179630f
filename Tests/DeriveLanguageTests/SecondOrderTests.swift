import DeriveDocument
import Testing
@testable import DeriveLanguage

/// Differentiation composes in cells: derivatives of derivatives are right, and a derivative that
/// cannot be taken is an error, never a silent zero.
@Suite struct SecondOrderTests {
    @Test func derivativesOfDerivativesThroughCells() {
        let (_, result) = run([
            "let f = { (v: Tensor) in sum(v ⊙ v ⊙ v) }\nlet x = [1.0, 2.0, -1.0]\ngradient(at: x, in: { v in sum(gradient(at: v, in: f)) })",
            "derivative(at: 0.7, in: { t in derivative(at: t, in: sin) }) ≈ -sin(0.7)",
            "jacobian(at: x, in: { v in gradient(at: v, in: f) }) ≈ diag(6 * x)",
            "hessian(at: x, in: f) ≈ diag(6 * x)",
            "hessianVectorProduct(at: x, along: [1, 0, 0], in: f) ≈ [6, 0, 0]",
            "derivative(at: 2.0, in: { a in a * derivative(at: 5.0, in: { b in a + b }) })",
            "derivative(at: 1.5, in: { t in derivative(at: t, in: { u in derivative(at: u, in: { w in w * w * w * w }) }) })",
        ])
        #expect(describe(result.cells[0]) == ["value: 3×1 [\"6\", \"12\", \"-6\"]"])
        for k in 1...4 { #expect(describe(result.cells[k]) == ["value: true"], "cell \(k)") }
        // d/dx [x · d/dy (x + y)] = 1: the inner derivative does not confuse x and y.
        #expect(describe(result.cells[5]) == ["value: 1"])
        // d³/dt³ t⁴ = 24 t.
        #expect(describe(result.cells[6]) == ["value: 36"])
    }

    @Test func aNewtonStepSolvesAQuadraticExactly() {
        let (_, result) = run(["""
            let A = [[3, 1], [1, 2]]
            let b = [1, -1]
            let f = { (x: Tensor) in 0.5 * sum(x ⊙ (A * x)) - sum(b ⊙ x) }
            let x0 = [5.0, 5.0]
            let g = gradient(at: x0, in: f)
            let H = hessian(at: x0, in: f)
            // Solve H d = g by the 2×2 inverse.
            let det = H[0, 0] * H[1, 1] - H[0, 1] * H[1, 0]
            let Hinv = (1 / det) * [[H[1, 1], -H[0, 1]], [-H[1, 0], H[0, 0]]]
            let x1 = x0 - Hinv * g
            check(gradient(at: x1, in: f) ≈ zeros(2, 1), "one Newton step lands on the minimum")
            """])
        #expect(describe(result.cells[0]) == ["check ✓ one Newton step lands on the minimum"])
    }

    @Test func checkHessianPassesAndFailsWithItsDiagnosis() {
        let (_, result) = run([
            "let x = [1.0, 2.0]\ncheckHessian(at: x, in: { v in sum(v ⊙ v ⊙ v) }, equals: diag(6 * x), \"right\")",
            "checkHessian(at: x, in: { v in sum(v ⊙ v ⊙ v) }, equals: diag(3 * x), \"half\")",
        ])
        #expect(describe(result.cells[0]) == ["check ✓ right"])
        #expect(describe(result.cells[1]).first?.hasPrefix("check ✗ half — off by a factor of ½") == true)
    }

    @Test func leavingTheDifferentiableWorldIsAnErrorNotAZero() {
        let message = "it turns a value that is being differentiated into a plain number, so the derivative through it would be lost"
        let cases = [
            "gradient(at: [1.0, 2.0], in: { v in Double(v[0]) * sum(v) })",
            "gradient(at: [1.0, 2.0], in: { v in pow(v[0], v[1]) })",
            "gradient(at: [1.0, 2.0], in: { v in sum(full(2, 1, v[0])) })",
            "let xs = [10.0, 20.0, 30.0]\ngradient(at: [1.0], in: { v in v * xs[Int(v[0])] })",
        ]
        for source in cases {
            let (_, result) = run([source])
            let error = result.cells[0].error?.message ?? "no error"
            #expect(error.hasPrefix("a derivative cannot be taken through"), "\(source): \(error)")
            #expect(error.contains(message), "\(source)")
        }
    }

    @Test func aMissingPathIsNamedWithItsSource() {
        let (_, result) = run(["""
            func centre(_ x: Tensor) -> Tensor {
                let mu = mean(x)
                return x - mu
            }
            let w = randn(4)
            checkGradient(at: randn(4), in: { x in sum(w ⊙ centre(x)) }, equals: w, "the mean treated as a constant")
            """, "checkGradient(at: randn(4), in: { x in sum(w ⊙ centre(x)) }, equals: w - mean(w), \"right\")"],
            options: ["//| expect: fail\n"])
        #expect(describe(result.cells[0]) == ["check ✗ the mean treated as a constant — matches the gradient with `mu` = `mean(x)` (line 8) held constant: the path through it is missing"])
        #expect(describe(result.cells[1]) == ["check ✓ right"])
    }

    @Test func checkGradientOverSeveralArguments() {
        let (_, result) = run([
            "let p = randn(3)\nlet q = randn(3)\ncheckGradient(at: p, q, in: { a, b in dot(a, b) }, equals: (q, p), \"both\")",
            "checkGradient(at: p, q, in: { a, b in dot(a, b) }, equals: (q, q), \"one wrong\")",
        ])
        #expect(describe(result.cells[0]) == ["check ✓ both"])
        #expect(describe(result.cells[1]) == ["check ✗ one wrong — wrong for q"])
    }
}
