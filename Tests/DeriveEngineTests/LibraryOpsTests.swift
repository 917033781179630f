import Foundation
import Testing
@testable import DeriveEngine

/// The ops of issue 12 against numbers written from their definitions (by hand, or by a naive
/// loop in the test that follows the definition), with NumPy's and PyTorch's conventions.
@Suite struct LibraryOpsTests {
    static let close = Tolerance(rtol: 1e-12, atol: 1e-12)

    static func v(_ x: Tensor) -> Variable { Variable(x) }
    static func m(_ rows: [[Double]]) -> Tensor { try! Tensor(rowsOf: rows) }
    static func col(_ xs: [Double]) -> Tensor { Tensor(column: xs) }

    func expectClose(_ a: Tensor, _ b: Tensor, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.shape == b.shape && Self.close.accepts(a, b), "\(what): \(a.shapeText) \(a.storage) vs \(b.shapeText) \(b.storage)", sourceLocation: sourceLocation)
    }

    // MARK: reductions

    @Test func argmaxAndArgminFollowNumPy() throws {
        let x = Self.m([[1, 5], [7, 2]])
        #expect(try argmax(x) == 2)
        #expect(try argmin(x) == 0)
        #expect(try argmax(x, axis: 0) == Self.m([[1, 0]]))
        #expect(try argmax(x, axis: 1) == Self.col([1, 0]))
        #expect(try argmin(x, axis: 0) == Self.m([[0, 1]]))
        #expect(try argmin(x, axis: 1) == Self.col([0, 1]))
        // The first on ties.
        #expect(try argmax(Self.col([3, 3, 1])) == 0)
        #expect(try argmin(Self.m([[2, 1, 1]]), axis: 1) == Self.col([1]))
        #expect(throws: EngineError("cannot take the argmax of an empty 0×3 tensor")) { try argmax(Tensor(rows: 0, cols: 3)) }
        #expect(throws: EngineError("argmax's axis must be 0 (collapse rows) or 1 (collapse columns), not 2")) { try argmax(x, axis: 2) }
        #expect(throws: EngineError.self) { try argmin(Tensor(rows: 0, cols: 3), axis: 0) }
    }

    @Test func prodAlsoOverAxes() throws {
        #expect(prod(Self.v(Self.col([1, 2, 3, 4]))).value == Tensor(scalar: 24))
        #expect(prod(Self.v(Tensor(rows: 0, cols: 0))).value == Tensor(scalar: 1))
        let x = Self.v(Self.m([[1, 2], [3, 4]]))
        #expect(try prod(x, axis: 0).value == Self.m([[3, 8]]))
        #expect(try prod(x, axis: 1).value == Self.col([2, 12]))
        #expect(try prod(Self.v(Self.m([[1, 2, 3], [4, 5, 6], [7, 8, 9]])), axis: 0).value == Self.m([[28, 80, 162]]))
        #expect(throws: EngineError.self) { try prod(x, axis: -1) }
    }

    @Test func prodGradientIsRightWithZeros() throws {
        // ∂/∂xᵢ Π x = Π_{j≠i} xⱼ; ∂²/∂xᵢ∂xⱼ = Π_{k≠i,j} xₖ (i ≠ j), 0 on the diagonal.
        expectClose(try gradient(at: Self.col([2, 0, 3]), in: prod), Self.col([0, 6, 0]), "one zero")
        expectClose(try gradient(at: Self.col([0, 0, 3]), in: prod), Self.col([0, 0, 0]), "two zeros")
        expectClose(try hessian(at: Self.col([2, 0, 3]), in: prod), Self.m([[0, 3, 0], [3, 0, 2], [0, 2, 0]]), "Hessian with a zero")
        expectClose(try hessian(at: Self.col([0, 0, 3]), in: prod), Self.m([[0, 3, 0], [3, 0, 0], [0, 0, 0]]), "Hessian with two zeros")
    }

    @Test func cumsumAlongAnAxisOrAVector() throws {
        #expect(try cumsum(Self.v(Self.col([1, 2, 3]))).value == Self.col([1, 3, 6]))
        #expect(try cumsum(Self.v(Self.m([[1, 2, 3]]))).value == Self.m([[1, 3, 6]]))
        let x = Self.v(Self.m([[1, 2], [3, 4]]))
        #expect(try cumsum(x, axis: 0).value == Self.m([[1, 2], [4, 6]]))
        #expect(try cumsum(x, axis: 1).value == Self.m([[1, 3], [3, 7]]))
        #expect(throws: EngineError("cumsum of a 2×2 matrix needs an axis: cumsum(x, axis: 0) down the columns, axis: 1 along the rows")) { try cumsum(x) }
        #expect(throws: EngineError.self) { try cumsum(x, axis: 3) }
        // The gradient of Σ wᵢ cumsum(x)ᵢ is the running sum of w from the end.
        let w = Self.col([1, 10, 100])
        expectClose(try gradient(at: Self.col([5, 6, 7])) { try dot(Variable(w), try cumsum($0)) }, Self.col([111, 110, 100]), "adjoint")
    }

    @Test func varianceAndStdDivideByN() throws {
        let x = Self.v(Self.col([1, 2, 3, 4]))
        expectClose(try variance(x).value, Tensor(scalar: 1.25), "variance")
        expectClose(try std(x).value, Tensor(scalar: 1.25.squareRoot()), "std")
        let y = Self.v(Self.m([[1, 2], [3, 6]]))
        expectClose(try variance(y, axis: 0).value, Self.m([[1, 4]]), "variance per column")
        expectClose(try std(y, axis: 0).value, Self.m([[1, 2]]), "std per column")
        expectClose(try variance(y, axis: 1).value, Self.col([0.25, 2.25]), "variance per row")
        expectClose(try std(y, axis: 1).value, Self.col([0.5, 1.5]), "std per row")
        #expect(throws: EngineError.self) { try variance(Self.v(Tensor(rows: 0, cols: 1))) }
        // Equal entries: std has no derivative there; the subgradient 0, not NaN.
        #expect(try gradient(at: Self.col([2, 2, 2]), in: std) == Self.col([0, 0, 0]))
        #expect(try gradient(at: Self.m([[1, 3], [1, 5]])) { sum(try std($0, axis: 0)) } == Self.m([[0, -0.5], [0, 0.5]]))
    }

    // MARK: elementwise

    @Test func clipAndItsGradient() throws {
        let x = Self.col([-2, 0.5, 3, 1])
        #expect(clip(Self.v(x), 0, 1).value == Self.col([0, 0.5, 1, 1]))
        // 1 strictly inside, 0 outside and at the ends.
        #expect(try derivative(at: x) { clip($0, 0, 1) } == Self.col([0, 1, 0, 0]))
    }

    @Test func erfValuesAndDerivative() throws {
        let x = Self.col([0, 1, -1, 0.5])
        // erf(1) and erf(0.5) to 16 digits (Abramowitz & Stegun, Table 7.1).
        expectClose(erf(Self.v(x)).value, Self.col([0, 0.8427007929497149, -0.8427007929497149, 0.5204998778130465]), "erf")
        expectClose(try derivative(at: x, in: erf), x.map { 2 / Double.pi.squareRoot() * Foundation.exp(-$0 * $0) }, "erf′")
    }

    @Test func flipReversesAxes() throws {
        let x = Self.v(Self.m([[1, 2], [3, 4]]))
        #expect(try flip(x, axis: 0).value == Self.m([[3, 4], [1, 2]]))
        #expect(try flip(x, axis: 1).value == Self.m([[2, 1], [4, 3]]))
        #expect(try flip(x, axis: nil).value == Self.m([[4, 3], [2, 1]]))
        #expect(throws: EngineError.self) { try flip(x, axis: 2) }
    }

    @Test func masksAreConstantZeroOneTensors() throws {
        let x = Self.v(Self.col([1, 2, 3]))
        #expect(try mask(x, Variable(scalar: 2), "compare", <).value == Self.col([1, 0, 0]))
        #expect(try mask(x, Variable(Self.m([[2, 3]])), "compare", <=).value == Self.m([[1, 1], [1, 1], [0, 1]]))
        #expect(throws: EngineError("cannot compare 3×1 and 2×1: shapes must be equal or have a size 1 that stretches")) {
            try mask(x, Variable(Self.col([1, 2])), "compare", ==)
        }
        // No gradient through the mask itself: Σ (x > 0) ⊙ x has the mask as its gradient.
        let g = try gradient(at: Self.col([-1, 2, 0.5])) { x in sum(try Variable.hadamard(try mask(x, Variable(scalar: 0), "compare", >), x)) }
        #expect(g == Self.col([0, 1, 1]))
    }

    // MARK: slicing

    @Test func replacingABlockWithBroadcasting() throws {
        let x = Self.v(Self.m([[1, 2, 3], [4, 5, 6], [7, 8, 9]]))
        #expect(try x.replacingBlock(rows: 0..<2, cols: 1..<3, with: Self.v(Self.m([[10, 20], [30, 40]]))).value
            == Self.m([[1, 10, 20], [4, 30, 40], [7, 8, 9]]))
        #expect(try x.replacingBlock(rows: 1..<3, cols: 0..<2, with: Self.v(Self.m([[0, -1]]))).value
            == Self.m([[1, 2, 3], [0, -1, 6], [0, -1, 9]]))
        #expect(try x.replacingBlock(rows: 0..<3, cols: 2..<3, with: Variable(scalar: 0)).value
            == Self.m([[1, 2, 0], [4, 5, 0], [7, 8, 0]]))
        #expect(try x.replacingBlock(rows: 0..<2, cols: 0..<1, with: Self.v(Self.col([5, 6]))).value
            == Self.m([[5, 2, 3], [6, 5, 6], [7, 8, 9]]))
        #expect(throws: EngineError("cannot store a 3×1 tensor in rows 0..<2, columns 0..<2 (a 2×2 block of a 3×3 tensor): shapes must be equal or have a size 1 that stretches")) {
            try x.replacingBlock(rows: 0..<2, cols: 0..<2, with: Self.v(Self.col([1, 2, 3])))
        }
        #expect(throws: EngineError("rows 2..<4, columns 0..<1 are out of range for a 3×3 tensor")) {
            try x.replacingBlock(rows: 2..<4, cols: 0..<1, with: Variable(scalar: 0))
        }
        // The gradient of a stretched value sums over the block; the old block gets none.
        let grads = try gradient(at: [x.value, Tensor(scalar: 2)]) { xs in
            sum(try xs[0].replacingBlock(rows: 0..<2, cols: 1..<3, with: xs[1]))
        }
        #expect(grads[0] == Self.m([[1, 0, 0], [1, 0, 0], [1, 1, 1]]))
        #expect(grads[1] == Tensor(scalar: 4))
    }

    // MARK: linear algebra

    /// det by Laplace expansion along the first row: the definition, not LU.
    static func laplaceDet(_ a: Tensor) -> Double {
        let n = a.rows
        if n == 0 { return 1 }
        return (0..<n).reduce(0) { s, j in s + (j % 2 == 0 ? 1 : -1) * a[0, j] * laplaceDet(minor(a, 0, j)) }
    }

    static func minor(_ a: Tensor, _ i: Int, _ j: Int) -> Tensor {
        let n = a.rows
        return Tensor(rows: n - 1, cols: n - 1, storage: (0..<n).filter { $0 != i }.flatMap { r in (0..<n).filter { $0 != j }.map { a[r, $0] } })
    }

    static func cofactors(_ a: Tensor) -> Tensor {
        var c = a
        for i in 0..<a.rows { for j in 0..<a.cols { c[i, j] = ((i + j) % 2 == 0 ? 1 : -1) * laplaceDet(minor(a, i, j)) } }
        return c
    }

    @Test func traceAndTriangles() throws {
        #expect(try trace(Self.v(Self.m([[1, 2], [3, 4]]))).value == Tensor(scalar: 5))
        #expect(throws: EngineError("trace needs a square matrix, not 2×3")) { try trace(Variable(Tensor(rows: 2, cols: 3))) }
        let a = Self.v(Self.m([[1, 2, 3], [4, 5, 6], [7, 8, 9]]))
        #expect(tril(a).value == Self.m([[1, 0, 0], [4, 5, 0], [7, 8, 9]]))
        #expect(tril(a, 1).value == Self.m([[1, 2, 0], [4, 5, 6], [7, 8, 9]]))
        #expect(triu(a).value == Self.m([[1, 2, 3], [0, 5, 6], [0, 0, 9]]))
        #expect(triu(a, -1).value == Self.m([[1, 2, 3], [4, 5, 6], [0, 8, 9]]))
        #expect(tril(Self.v(Self.m([[1, 2, 3], [4, 5, 6]]))).value == Self.m([[1, 0, 0], [4, 5, 0]]))
    }

    @Test func detAgainstLaplaceExpansion() throws {
        expectClose(try det(Self.v(Self.m([[1, 2], [3, 4]]))).value, Tensor(scalar: -2), "2×2")
        expectClose(try det(Self.v(Self.m([[2, 0, 1], [1, 3, 2], [1, 1, 2]]))).value, Tensor(scalar: 6), "3×3")
        #expect(try det(Self.v(Tensor(rows: 0, cols: 0))).value == Tensor(scalar: 1))
        var random = RandomStream(seed: 12)
        for n in 1...5 {
            let a = random.randn(n, n)
            expectClose(try det(Variable(a)).value, Tensor(scalar: Self.laplaceDet(a)), "\(n)×\(n)")
        }
        #expect(throws: EngineError("det needs a square matrix, not 2×3")) { try det(Variable(Tensor(rows: 2, cols: 3))) }
    }

    @Test func detGradientIsTheCofactorMatrixAlsoWhenSingular() throws {
        // Nonsingular: det·A⁻ᵀ, which is the cofactor matrix.
        var random = RandomStream(seed: 13)
        let a = random.randn(4, 4)
        #expect(Tolerance(rtol: 1e-10, atol: 1e-12).accepts(try gradient(at: a, in: det), Self.cofactors(a)))
        // Singular, where det·A⁻ᵀ does not exist: still the cofactors, never NaN.
        for s in [Self.m([[1, 2], [2, 4]]), Self.m([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), Self.m([[0]]), Tensor(rows: 3, cols: 3)] {
            let g = try gradient(at: s, in: det)
            expectClose(g, Self.cofactors(s), "∇det at singular \(s.storage)")
        }
        // d/dA of det at a rank-1 3×3 matrix: second derivatives through the cofactors.
        let r1 = Self.m([[1, 2, 3], [2, 4, 6], [1, 2, 3]])
        #expect(Tolerance(rtol: 1e-6, atol: 1e-8).accepts(try hessian(at: r1, in: det), try numericalHessian(at: r1, in: det)))
    }

    @Test func inverseAndSingularity() throws {
        expectClose(try inverse(Self.v(Self.m([[4, 7], [2, 6]]))).value, Self.m([[0.6, -0.7], [-0.2, 0.4]]), "2×2 inverse")
        #expect(throws: EngineError("the matrix is singular (2×2, no usable pivot in column 1): it has no inverse")) {
            try inverse(Self.v(Self.m([[1, 2], [2, 4]])))
        }
        // Singular to working precision: the last pivot is rounding noise.
        #expect(throws: EngineError.self) { try inverse(Self.v(Self.m([[1, 2, 3], [4, 5, 6], [7, 8, 9]]))) }
        #expect(throws: EngineError("inverse needs a square matrix, not 3×2")) { try inverse(Variable(Tensor(rows: 3, cols: 2))) }
        #expect(throws: EngineError("inverse needs finite entries, but the 2×2 matrix has a NaN or an infinite one")) {
            try inverse(Self.v(Self.m([[1, .nan], [0, 1]])))
        }
        // A A⁻¹ = I for a random matrix.
        var random = RandomStream(seed: 14)
        let a = random.randn(5, 5)
        var identity = Tensor(rows: 5, cols: 5)
        for i in 0..<5 { identity[i, i] = 1 }
        #expect(Tolerance(rtol: 1e-10, atol: 1e-10).accepts(try a.matmul(try inverse(Variable(a)).value), identity))
    }

    @Test func solveWithOneOrSeveralColumns() throws {
        let a = Self.v(Self.m([[2, 1], [1, 3]]))
        // 2x + y = 3, x + 3y = 5.
        expectClose(try solve(a, Self.v(Self.col([3, 5]))).value, Self.col([0.8, 1.4]), "one column")
        expectClose(try solve(a, Self.v(Self.m([[3, 1], [5, 0]]))).value, Self.m([[0.8, 0.6], [1.4, -0.2]]), "two columns")
        #expect(throws: EngineError("cannot solve A x = b: A (2×2) is singular (no usable pivot in column 1), so there is no unique solution")) {
            try solve(Self.v(Self.m([[1, 2], [2, 4]])), Self.v(Self.col([1, 1])))
        }
        #expect(throws: EngineError("cannot solve A x = b with A 2×2 and 3×1: b needs as many rows as A (2)")) {
            try solve(a, Variable(Tensor(rows: 3, cols: 1)))
        }
    }

    @Test func kronBlocks() throws {
        let k = try kron(Self.v(Self.m([[1, 2], [3, 4]])), Self.v(Self.m([[0, 5], [6, 7]])))
        #expect(k.value == Self.m([[0, 5, 0, 10], [6, 7, 12, 14], [0, 15, 0, 20], [18, 21, 24, 28]]))
        #expect(try kron(Self.v(Self.col([1, 2])), Self.v(Self.m([[1, 2, 3]]))).value == Self.m([[1, 2, 3], [2, 4, 6]]))
        #expect(throws: EngineError.self) { try kron(Variable(Tensor(rows: 1 << 14, cols: 1)), Variable(Tensor(rows: 1 << 14, cols: 1))) }
    }

    // MARK: layers

    /// y_i = Σ_j w_j x_{i·s + j} over x padded with p zeros: the definition, with a padded copy.
    static func naiveConv1d(_ x: [Double], _ w: [Double], stride s: Int, padding p: Int) -> [Double] {
        let padded = Array(repeating: 0.0, count: p) + x + Array(repeating: 0.0, count: p)
        var y: [Double] = []
        var i = 0
        while i * s + w.count <= padded.count {
            y.append((0..<w.count).reduce(0) { $0 + w[$1] * padded[i * s + $1] })
            i += 1
        }
        return y
    }

    static func naiveConv2d(_ x: Tensor, _ k: Tensor, stride s: Int, padding p: Int) -> Tensor {
        var padded = Tensor(rows: x.rows + 2 * p, cols: x.cols + 2 * p)
        for i in 0..<x.rows { for j in 0..<x.cols { padded[i + p, j + p] = x[i, j] } }
        var rows: [[Double]] = []
        var a = 0
        while a * s + k.rows <= padded.rows {
            var row: [Double] = []
            var b = 0
            while b * s + k.cols <= padded.cols {
                var total = 0.0
                for u in 0..<k.rows { for v in 0..<k.cols { total += k[u, v] * padded[a * s + u, b * s + v] } }
                row.append(total)
                b += 1
            }
            rows.append(row)
            a += 1
        }
        return try! Tensor(rowsOf: rows)
    }

    @Test func conv1dIsCrossCorrelationAsInPyTorch() throws {
        let x = Self.v(Self.col([1, 2, 3, 4])), w = Self.v(Self.col([1, 0, -1]))
        #expect(try conv1d(x, w).value == Self.col([-2, -2]))
        #expect(try conv1d(x, w, padding: 1).value == Self.col([-2, -2, -2, 3]))
        #expect(try conv1d(x, w, stride: 2, padding: 1).value == Self.col([-2, -2]))
        #expect(try conv1d(Self.v(Self.m([[1, 2, 3, 4]])), w).value == Self.m([[-2, -2]]))
        var random = RandomStream(seed: 15)
        for (n, k, s, p) in [(7, 3, 1, 0), (9, 4, 2, 1), (5, 5, 3, 2), (6, 2, 4, 3)] {
            let xs = random.randn(n).storage, ws = random.randn(k).storage
            let y = try conv1d(Variable(Self.col(xs)), Variable(Self.col(ws)), stride: s, padding: p).value
            expectClose(y, Self.col(Self.naiveConv1d(xs, ws, stride: s, padding: p)), "conv1d n \(n) k \(k) s \(s) p \(p)")
        }
    }

    @Test func conv2dIsCrossCorrelationAsInPyTorch() throws {
        let x = Self.m([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(try conv2d(Variable(x), Self.v(Self.m([[1, 0], [0, -1]]))).value == Self.m([[-4, -4], [-4, -4]]))
        var random = RandomStream(seed: 16)
        for (h, w, kh, kw, s, p) in [(5, 6, 3, 3, 1, 0), (6, 5, 2, 3, 2, 1), (4, 4, 3, 2, 3, 2)] {
            let (x, k) = (random.randn(h, w), random.randn(kh, kw))
            expectClose(try conv2d(Variable(x), Variable(k), stride: s, padding: p).value, Self.naiveConv2d(x, k, stride: s, padding: p), "conv2d \(h)×\(w) * \(kh)×\(kw) s \(s) p \(p)")
        }
    }

    @Test func convolutionAndPoolingSizesAreCheckedFirst() throws {
        let x = Self.v(Self.col([1, 2, 3, 4])), w = Self.v(Self.col([1, 0, -1]))
        #expect(throws: EngineError("conv1d of 4×1 with a 3×1 kernel: the stride must be positive, not 0")) { try conv1d(x, w, stride: 0) }
        #expect(throws: EngineError("conv1d of 4×1 with a 3×1 kernel: the stride must be positive, not -1")) { try conv1d(x, w, stride: -1) }
        #expect(throws: EngineError("conv1d of 4×1 with a 3×1 kernel: the padding must be 0 or more, not -1")) { try conv1d(x, w, padding: -1) }
        #expect(throws: EngineError("conv1d of 4×1 with a 6×1 kernel: the window (6) is longer than the padded input (4 + 2·0 = 4)")) {
            try conv1d(x, Variable(Tensor(rows: 6, cols: 1)))
        }
        #expect(throws: EngineError("conv1d of 4×1 with a 0×1 kernel: the window is empty")) { try conv1d(x, Variable(Tensor(rows: 0, cols: 1))) }
        #expect(throws: EngineError("conv1d needs x and w as vectors (columns), not 2×2 and 3×1; use conv2d for matrices")) {
            try conv1d(Variable(Tensor(rows: 2, cols: 2)), w)
        }
        #expect(throws: EngineError.self) { try conv1d(x, w, padding: Int.max / 2) }
        #expect(throws: EngineError.self) { try conv2d(Variable(Tensor(rows: 2, cols: 2)), Variable(Tensor(rows: 1, cols: 1)), padding: 1 << 20) }
        // A caller's own cap (the cell language's) is checked before the result is allocated.
        #expect(throws: EngineError("the result of conv2d of 2×2 with a 1×1 kernel would be 12×12, more than the 100 entries a tensor may have")) {
            try Tensor.withEntryLimit(100) { try conv2d(Variable(Tensor(rows: 2, cols: 2)), Variable(Tensor(rows: 1, cols: 1)), padding: 5) }
        }
        #expect(try Tensor.withEntryLimit(144) { try conv2d(Variable(Tensor(rows: 2, cols: 2)), Variable(Tensor(rows: 1, cols: 1)), padding: 5) }.value.shape == (12, 12))
        #expect(throws: EngineError("maxPool of 4×4 with size 0: the size must be positive")) { try maxPool(Variable(Tensor(rows: 4, cols: 4)), size: 0, stride: 1) }
        #expect(throws: EngineError("avgPool of 4×4 with size 2: the stride must be positive, not 0")) { try avgPool(Variable(Tensor(rows: 4, cols: 4)), size: 2, stride: 0) }
        #expect(throws: EngineError("maxPool of 4×4 with size 5: the window (5) is longer than the padded input (4 + 2·0 = 4)")) {
            try maxPool(Variable(Tensor(rows: 4, cols: 4)), size: 5, stride: 1)
        }
    }

    @Test func conv1dGradientsAreAFullConvolutionAndACorrelation() throws {
        // y = conv1d(x, w): ∂⟨g, y⟩/∂x is g convolved fully with w (conv1d with the flipped
        // kernel and k − 1 zeros of padding), ∂⟨g, y⟩/∂w is the correlation of x with g.
        var random = RandomStream(seed: 17)
        let (x, w) = (random.randn(8), random.randn(3))
        let g = random.randn(6)
        let grads = try gradient(at: [x, w]) { try dot(Variable(g), try conv1d($0[0], $0[1])) }
        let full = try conv1d(Variable(g), try flip(Variable(w), axis: 0), padding: 2).value
        let correlation = try conv1d(Variable(x), Variable(g)).value
        expectClose(grads[0], full, "input gradient")
        expectClose(grads[1], correlation, "kernel gradient")
        // The same by the definition: (gx)_t = Σ_i g_i w_{t−i}.
        let byHand = Self.col((0..<8).map { t in (0..<6).reduce(0) { s, i in (0..<3).contains(t - i) ? s + g.storage[i] * w.storage[t - i] : s } })
        expectClose(grads[0], byHand, "Σ_i g_i w_{t−i}")
    }

    @Test func poolingTakesMaxOrMeanOfEachWindow() throws {
        let x = Self.v(Self.m([[1, 3, 2, 0], [4, 2, 1, 5], [0, 1, 3, 2], [2, 2, 1, 0]]))
        #expect(try maxPool(x, size: 2, stride: 2).value == Self.m([[4, 5], [2, 3]]))
        #expect(try avgPool(x, size: 2, stride: 2).value == Self.m([[2.5, 2], [1.25, 1.5]]))
        #expect(try maxPool(x, size: 3, stride: 1).value == Self.m([[4, 5], [4, 5]]))
        #expect(try maxPool(Self.v(Self.col([1, 3, 2, 5, 4])), size: 2, stride: 1).value == Self.col([3, 3, 5, 5]))
        #expect(try avgPool(Self.v(Self.m([[1, 2, 3, 4]])), size: 2, stride: 2).value == Self.m([[1.5, 3.5]]))
        // The gradient goes to the first maximum of each window (row-major).
        #expect(try gradient(at: Self.m([[1, 1], [1, 1]])) { sum(try maxPool($0, size: 2, stride: 2)) } == Self.m([[1, 0], [0, 0]]))
        #expect(try gradient(at: x.value) { sum(try maxPool($0, size: 2, stride: 2)) }
            == Self.m([[0, 0, 0, 0], [1, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0]]))
    }

    @Test func dropoutDrawsOneUniformPerEntryRowMajor() throws {
        let x = Self.m([[1, 2, 3], [4, 5, 6]])
        var random = RandomStream(seed: 18)
        var reference = RandomStream(seed: 18)
        let y = try dropout(Variable(x), p: 0.4, random: &random).value
        var expected = x
        for k in 0..<6 { expected.storage[k] = reference.uniform() >= 0.4 ? x.storage[k] / 0.6 : 0 }
        expectClose(y, expected, "dropout")
        #expect(random == reference, "one draw per entry")
        #expect(try dropout(Variable(x), p: 0, random: &random).value == x)
        #expect(throws: EngineError("dropout's p must be in [0, 1), not 1.0")) { try dropout(Variable(x), p: 1, random: &random) }
        #expect(throws: EngineError.self) { try dropout(Variable(x), p: -0.1, random: &random) }
        #expect(throws: EngineError.self) { try dropout(Variable(x), p: .nan, random: &random) }
    }
}
