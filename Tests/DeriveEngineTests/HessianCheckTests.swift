import Foundation
import Testing
@testable import DeriveEngine

/// `Checks.hessian` and the several-argument `Checks.gradient`: right answers pass, each
/// planted mistake fails with the diagnosis that accounts for it.
@Suite struct HessianCheckTests {
    let A: Tensor
    let x: Tensor
    /// f(x) = xᵀAx + Σ sin x: H = A + Aᵀ − diag(sin x).
    let f: (Variable) throws -> Variable
    let right: Tensor

    init() throws {
        var random = RandomStream(seed: 11)
        A = random.randn(3, 3)
        x = random.randn(3)
        let A = self.A
        f = { x in try Variable.matmul(x.T, try Variable.matmul(Variable(A), x)) + sum(sin(x)) }
        var H = Tensor(rows: 3, cols: 3)
        for i in 0..<3 { for j in 0..<3 { H[i, j] = A[i, j] + A[j, i] - (i == j ? Foundation.sin(x.storage[i]) : 0) } }
        right = H
    }

    func check(_ H: Tensor) throws -> Comparison { try Checks.hessian(at: x, in: f, equals: H) }

    @Test func theRightHessianPassesAndIsSymmetric() throws {
        let result = try check(right)
        #expect(result.passed && result.diagnosis.isEmpty)
        #expect(result.notes == ["H is symmetric"])
        #expect(result.reference == Checks.hessianMethod)
    }

    @Test func factorsAndSign() throws {
        #expect(try check(0.5 * right).diagnosis == ["off by a factor of ½"])
        #expect(try check(2 * right).diagnosis == ["off by a factor of 2"])
        #expect(try check(-right).diagnosis == ["wrong sign: the result is the negative of the reference"])
    }

    @Test func aNonSymmetricMatrixIsNamedAndTransposedIsNeverClaimed() throws {
        // A + Aᵀ written as 2A: not symmetric, and its symmetric part is right.
        var twoA = right
        for i in 0..<3 { for j in 0..<3 { twoA[i, j] = 2 * A[i, j] - (i == j ? Foundation.sin(x.storage[i]) : 0) } }
        let result = try check(twoA)
        #expect(!result.passed)
        #expect(result.diagnosis == ["not symmetric: the symmetric part (H + Hᵀ)/2 is right"])
        #expect(result.notes.contains { $0.hasPrefix("H is not symmetric: H[") })
        #expect(result.notes.contains("a transpose cannot explain the difference: the Hessian is symmetric, so Hᵀ is compared with the same matrix"))
        // Only the upper triangle filled in correctly.
        var upper = right
        for i in 0..<3 { for j in 0..<i { upper[i, j] = 0 } }
        #expect(try check(upper).diagnosis == ["not symmetric: the upper triangle is right, the lower one is not its mirror image"])
    }

    @Test func theShapeComesFirst() throws {
        let gradientShaped = try check(Tensor(column: [1, 2, 3]))
        #expect(!gradientShaped.passed && gradientShaped.maxAbsError == nil)
        #expect(gradientShaped.diagnosis == ["wrong shape: this has x's shape, as a gradient does; the Hessian is 3×3"])
        #expect(try check(Tensor(rows: 2, cols: 2)).diagnosis == ["wrong shape: expected 3×3, got 2×2"])
        #expect(throws: EngineError("checkHessian needs f to return a number, but it returns a 3×1 tensor")) {
            try Checks.hessian(at: x, in: { $0 }, equals: right)
        }
    }

    @Test func aKinkOfTheGradientLeavesOutItsRowAndColumn() throws {
        // Σ relu(x)²/2 has gradient relu(x): a kink at x₀ = 0.
        let point = Tensor(column: [0, 1.5, -2])
        let result = try Checks.hessian(at: point, in: { 0.5 * sum(pow(relu($0), 2)) }, equals: Tensor(rows: 3, cols: 3, storage: [7, 7, 7, 7, 1, 0, 7, 0, 0]))
        #expect(result.passed)
        #expect(result.notes.first == "the gradient is not differentiable at this point in x[0]; those rows and columns of H are left out")
    }

    @Test func severalArgumentsOneComparisonEach() throws {
        var random = RandomStream(seed: 12)
        let W = random.randn(2, 3), v = random.randn(3)
        // s = Σ tanh(W v): ∂s/∂W = (1 − t²) vᵀ, ∂s/∂v = Wᵀ(1 − t²)
        let g: ([Variable]) throws -> Variable = { sum(tanh(try Variable.matmul($0[0], $0[1]))) }
        let t = try W.matmul(v).map { 1 - Foundation.tanh($0) * Foundation.tanh($0) }
        let gW = try t.matmul(v.transposed), gv = try W.transposed.matmul(t)
        let both = try Checks.gradient(at: [W, v], in: g, equals: [gW, gv], subjects: ["W", "v"])
        #expect(both.count == 2 && both.allSatisfy(\.passed))
        let wrong = try Checks.gradient(at: [W, v], in: g, equals: [gW.transposed, -gv], subjects: ["W", "v"])
        #expect(wrong[0].diagnosis == ["transposed: this is the Jacobian (numerator) layout; the shape convention wants W's shape"])
        #expect(wrong[1].diagnosis == ["wrong sign: the result is the negative of the reference"])
        #expect(throws: EngineError.self) { try Checks.gradient(at: [W, v], in: g, equals: [gW], subjects: ["W", "v"]) }
    }

    /// f(x) = m·q + p with m = mean(x) (site 1), q = Σx² (site 2), p = Σ sin x (site 3):
    /// ∇f = 2m·x + (q/n)·1 + cos x.
    static func stamped(_ x: Variable) throws -> Variable {
        let m = try mean(x); m.site = 1
        let q = sum(try Variable.hadamard(x, x)); q.site = 2
        let p = sum(sin(x)); p.site = 3
        return try m * q + p
    }

    @Test func heldConstantsAndTheMissingPath() throws {
        let x = Tensor(column: [0.5, -1, 2])
        let (m, q) = (x.sum / 3, x.storage.reduce(0) { $0 + $1 * $1 })
        #expect(try intermediateSites(at: x, in: Self.stamped) == [1, 2, 3])
        let withoutMean = try gradient(at: x, in: Self.stamped, holdingConstant: [1])
        #expect(Tolerance().accepts(withoutMean, x.map { 2 * m * $0 + Foundation.cos($0) }))
        #expect(try Checks.missingPath(at: x, in: Self.stamped, equals: withoutMean) == [1])
        // Two paths missing: only the one through mean(x) is left.
        #expect(try Checks.missingPath(at: x, in: Self.stamped, equals: x.map { _ in q / 3 }) == [2, 3])
        // A gradient no held constant explains.
        #expect(try Checks.missingPath(at: x, in: Self.stamped, equals: x.map { $0 + 7 }) == nil)
        // Nothing held: the true gradient, which misses no path.
        let whole = try gradient(at: x, in: Self.stamped, holdingConstant: [])
        #expect(Tolerance().accepts(whole, x.map { 2 * m * $0 + q / 3 + Foundation.cos($0) }))
        #expect(try Checks.missingPath(at: x, in: Self.stamped, equals: whole) == nil)
        // The Jacobian of the same f (one output) is the gradient as a row.
        #expect(Tolerance().accepts(try jacobian(at: x, in: Self.stamped, holdingConstant: [1]), withoutMean.transposed))
    }
}
