import DeriveDocument
import Testing
@testable import DeriveLanguage

/// The library through the cell language: values written from the definitions (by hand, or as
/// NumPy gives them), and each differentiable function's gradient against finite differences.
@Suite struct LibraryTests {
    /// Each expression, shown, must print the expected text.
    func expectValues(_ cases: [(String, String)], setUp: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (expression, expected) in cases {
            let (_, result) = run([setUp + "\nprint(\(expression))"])
            #expect(describe(result.cells[0]) == ["print: \(expected)"], "\(expression)", sourceLocation: sourceLocation)
        }
    }

    @Test func reductions() {
        expectValues([
            ("argmax([[1, 5], [7, 2]])", "2"),          // NumPy: the flat, row-major index
            ("argmax([[1, 5], [7, 2]], axis: 0)", "[[1, 0]]"),
            ("argmax([[1, 5], [7, 2]], axis: 1)", "[1, 0]ᵀ"),
            ("argmin([3, 1, 1])", "1"),                  // the first on ties
            ("prod([1, 2, 3, 4])", "24"),
            ("prod([[1, 2], [3, 4]], axis: 0)", "[[3, 8]]"),
            ("cumsum([1, 2, 3])", "[1, 3, 6]ᵀ"),
            ("cumsum([[1, 2], [3, 4]], axis: 0)", "[[1, 2], [4, 6]]"),
            ("variance([1, 2, 3, 4])", "1.25"),          // dividing by n
            ("std([1, 2, 3, 4])", "1.11803"),            // √1.25
            ("std([[1, 3], [5, 7]], axis: 0)", "[[2, 2]]"),
            ("[[1, 5], [7, 2]].argmax()", "2"),
            ("[[1, 2], [3, 4]].sum(axis: 1)", "[3, 7]ᵀ"),
            ("[2, 4].mean()", "3"),
        ])
    }

    @Test func elementwise() {
        expectValues([
            ("clip([-2, 0.5, 3], 0, 1)", "[0, 0.5, 1]ᵀ"),
            ("erf(0.5)", "0.5205"),                      // tables: erf(0.5) = 0.520499877…
            ("erf(-1)", "-0.842701"),
            ("flip([[1, 2], [3, 4]])", "[[4, 3], [2, 1]]"),
            ("flip([[1, 2], [3, 4]], axis: 0)", "[[3, 4], [1, 2]]"),
            ("flip([[1, 2], [3, 4]], axis: 1)", "[[2, 1], [4, 3]]"),
            ("[1, 2, 3] .> 2", "[0, 0, 1]ᵀ"),
            ("[1, 2, 3] .<= [3, 2, 1]", "[1, 1, 0]ᵀ"),
            ("[[1, 2], [3, 4]] .== 3", "[[0, 0], [1, 0]]"),
            ("[1, 2] .!= 2", "[1, 0]ᵀ"),
        ])
    }

    @Test func linearAlgebra() {
        expectValues([
            ("trace([[1, 2], [3, 4]])", "5"),
            ("det([[1, 2], [3, 4]])", "-2"),             // 1·4 − 2·3
            ("det([[2, 0, 0], [0, 3, 0], [0, 0, 4]])", "24"),
            ("inverse([[2, 0], [0, 4]])", "[[0.5, 0], [0, 0.25]]"),
            ("inverse([[1, 2], [3, 4]])", "[[-2, 1], [1.5, -0.5]]"),
            ("solve([[2, 1], [1, 3]], [3, 5])", "[0.8, 1.4]ᵀ"),   // 2x + y = 3, x + 3y = 5
            ("kron([[1, 2]], [[1], [10]])", "[[1, 2], [10, 20]]"),
            ("tril([[1, 2], [3, 4]])", "[[1, 0], [3, 4]]"),
            ("triu([[1, 2], [3, 4]])", "[[1, 2], [0, 4]]"),
            ("triu(ones(3, 3), 1)", "[[0, 1, 1], [0, 0, 1], [0, 0, 0]]"),
        ])
        let (_, singular) = run(["solve([[1, 2], [2, 4]], [1, 1])"])
        #expect(singular.cells[0].error?.message.contains("singular") == true)
    }

    @Test func layers() {
        expectValues([
            ("conv1d([1, 2, 3, 4], [1, 0, -1])", "[-2, -2]ᵀ"),                       // y_i = x_i − x_{i+2}
            ("conv1d([1, 2, 3, 4], [1, 1], stride: 2)", "[3, 7]ᵀ"),
            ("conv1d([1, 2, 3], [1, 1], padding: 1)", "[1, 3, 5, 3]ᵀ"),
            ("conv2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]])", "[[6, 8], [12, 14]]"),
            ("maxPool([[1, 2, 5, 6], [3, 4, 7, 8]], size: 2)", "[[4, 8]]"),
            ("avgPool([1, 2, 3, 4], size: 2)", "[1.5, 3.5]ᵀ"),
        ])
        // dropout: kept entries scaled by 1/(1 − p), the mask from the notebook's stream.
        let (_, drop) = run(["let d = dropout(ones(1000, 1), p: 0.25)\n(sum(d .== 0) + sum(d .== 4.0 / 3.0), abs(mean(d) - 1) < 0.1)"])
        #expect(describe(drop.cells[0]) == ["value: (1000, true)"])
    }

    @Test func slicingReadsAndWrites() {
        expectValues([
            ("X[0..<2, 1]", "[2, 5]ᵀ"),
            ("X[..., 0]", "[1, 4, 7]ᵀ"),
            ("X[1, ...]", "[[4, 5, 6]]"),
            ("X[1..., ..<2]", "[[4, 5], [7, 8]]"),
            ("X[0...1, 2]", "[3, 6]ᵀ"),
            ("[1, 2, 3, 4][1...2]", "[2, 3]ᵀ"),
        ], setUp: "let X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]")
        let (_, written) = run(["var Y = zeros(3, 3)\nY[0..<2, ...] = ones(2, 3)\nY[2, 1...] = [[5, 6]]\nY[..., 0] = 9\nY"])
        #expect(describe(written.cells[0]) == ["value: 3×3 [\"9\", \"1\", \"1\", \"9\", \"1\", \"1\", \"9\", \"5\", \"6\"]"])
        let (_, bad) = run(["let X = ones(2, 3)\nX[0..<3, 0]", "let X = ones(2, 3)\nX[-1, 0]"])
        #expect(bad.cells[0].error?.message == "rows 0..<3 are out of range for a 2×3 tensor (rows 0…1)")
        #expect(bad.cells[1].error?.message == "index -1 is negative: rows of a 2×3 tensor are numbered 0…1")
    }

    /// The reverse-mode gradient of each differentiable function against finite differences.
    @Test func everyDifferentiableFunctionAgainstFiniteDifferences() {
        let functions = [
            "prod(x)", "sum(cumsum(vec(x)))", "sum(cumsum(x, axis: 1))", "variance(x)", "std(x)", "sum(std(x, axis: 0))",
            "sum(clip(x, -0.5, 0.5))", "sum(erf(x))", "sum(flip(x) ⊙ W)", "trace(x)", "det(x)", "sum(inverse(x))",
            "sum(solve(x, [1, 2, 3]))", "sum(kron(x, W))", "sum(tril(x) ⊙ W)", "sum(triu(x) ⊙ W)",
            "sum(conv2d(x, [[1, -1], [2, 0.5]]))", "sum(conv2d(W, x, padding: 1))", "sum(maxPool(x ⊙ W, size: 2, stride: 1))",
            "sum(avgPool(x, size: 2, stride: 1))", "sum(x[0..<2, 1...] ⊙ W[1..., ..<2])", "sum(sin(x.map { $0 * $0 }))",
        ]
        for f in functions {
            let source = """
                let W = [[0.3, -1.2, 0.7], [0.5, 0.9, -0.4], [1.1, 0.2, 0.6]]
                let x0 = [[1.5, 0.2, -0.3], [0.4, 2.0, 0.1], [-0.6, 0.3, 1.2]]
                let f = { (x: Tensor) in \(f) }
                checkGradient(at: x0, in: f, equals: gradient(at: x0, in: f), "\(f)")
                """
            let (_, result) = run([source])
            #expect(describe(result.cells[0]) == ["check ✓ \(f)"], "\(f)")
        }
        // conv1d, in both arguments.
        let (_, conv) = run(["let w = [0.5, -1.0, 2.0]\nlet x = [1.0, 2.0, -1.0, 0.5, 3.0]\ncheckGradient(at: x, w, in: { a, b in sum(sin(conv1d(a, b, padding: 1))) }, equals: gradient(at: x, w, in: { a, b in sum(sin(conv1d(a, b, padding: 1))) }), \"conv1d\")"])
        #expect(describe(conv.cells[0]) == ["check ✓ conv1d"])
    }
}
