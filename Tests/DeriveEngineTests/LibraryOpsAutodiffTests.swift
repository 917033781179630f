import Foundation
import Testing
@testable import DeriveEngine

/// The ops of issue 12 differentiated once (against finite differences of f) and twice (the AD
/// Hessian against central differences of the AD gradient), as `AutodiffTests` does for the
/// older ops. Each op is composed with sin, so its pullback also runs on a traced gradient (the
/// case a second derivative needs), and ops of two arguments take both from one tensor z, so
/// the mixed second derivatives are checked too.
@Suite struct LibraryOpsAutodiffTests {
    typealias Case = (name: String, point: (inout RandomStream) -> Tensor, op: (Variable) throws -> Variable)

    static func randn(_ r: Int, _ c: Int) -> (inout RandomStream) -> Tensor { { $0.randn(r, c) } }
    static func fixed(_ rows: [[Double]]) -> (inout RandomStream) -> Tensor { { _ in try! Tensor(rowsOf: rows) } }
    /// A random matrix, made well conditioned by adding `shift`·I.
    static func shifted(_ n: Int, _ shift: Double) -> (inout RandomStream) -> Tensor {
        { random in
            var a = random.randn(n, n)
            for i in 0..<n { a[i, i] += shift }
            return a
        }
    }

    static func plusIdentity(_ a: Variable, _ s: Double) throws -> Variable {
        var identity = Tensor(rows: a.value.rows, cols: a.value.cols)
        for i in 0..<min(identity.rows, identity.cols) { identity[i, i] = s }
        return try a + Variable(identity)
    }

    static var cases: [Case] { [
        ("prod", randn(2, 3), prod),
        ("prod0", randn(3, 2), { try prod($0, axis: 0) }),
        ("prod1", randn(2, 3), { try prod($0, axis: 1) }),
        ("prodWithZeros", fixed([[2, 0, 3], [1, 4, 0]]), prod),
        ("prodAxisWithZeros", fixed([[2, 0, 3], [0, 4, 1]]), { try prod($0, axis: 1) }),
        ("cumsum", randn(4, 1), cumsum),
        ("cumsum0", randn(3, 3), { try cumsum($0, axis: 0) }),
        ("cumsum1", randn(3, 3), { try cumsum($0, axis: 1) }),
        ("variance", randn(3, 2), variance),
        ("variance0", randn(3, 2), { try variance($0, axis: 0) }),
        ("variance1", randn(2, 3), { try variance($0, axis: 1) }),
        ("std", randn(3, 2), std),
        ("std0", randn(3, 2), { try std($0, axis: 0) }),
        ("std1", randn(2, 3), { try std($0, axis: 1) }),
        ("clip", randn(3, 3), { clip($0, -0.5, 0.5) }),
        ("erf", randn(3, 2), erf),
        ("flip0", randn(3, 2), { try flip($0, axis: 0) }),
        ("flip1", randn(3, 2), { try flip($0, axis: 1) }),
        ("flipBoth", randn(3, 2), { try flip($0, axis: nil) }),
        ("tril", randn(3, 4), { tril($0) }),
        ("triu-1", randn(3, 3), { triu($0, -1) }),
        ("trace", randn(3, 3), trace),
        ("det", randn(3, 3), det),
        ("det1×1", randn(1, 1), det),
        ("det4×4", randn(4, 4), det),
        ("detAtSingular", fixed([[1, 2], [2, 4]]), det),
        ("detAtRank1", fixed([[1, 2, 3], [2, 4, 6], [1, 2, 3]]), det),
        ("inverse", shifted(3, 3), inverse),
        ("inverse2", shifted(2, 2), { try inverse(try inverse($0)) }),
        ("solve", randn(3, 5), { z in
            try solve(try plusIdentity(try z.block(rows: 0..<3, cols: 0..<3), 3), try z.block(rows: 0..<3, cols: 3..<5))
        }),
        ("kron", randn(2, 5), { z in try kron(try z.block(rows: 0..<2, cols: 0..<2), try z.block(rows: 0..<2, cols: 2..<5)) }),
        ("conv1d", randn(10, 1), { z in try conv1d(try z.block(rows: 0..<7, cols: 0..<1), try z.block(rows: 7..<10, cols: 0..<1)) }),
        ("conv1dStridePadding", randn(10, 1), { z in
            try conv1d(try z.block(rows: 0..<7, cols: 0..<1), try z.block(rows: 7..<10, cols: 0..<1), stride: 2, padding: 1)
        }),
        ("conv2d", randn(26, 1), { z in
            try conv2d(try z.block(rows: 0..<20, cols: 0..<1).reshaped(4, 5), try z.block(rows: 20..<26, cols: 0..<1).reshaped(2, 3), padding: 1)
        }),
        ("conv2dStride", randn(29, 1), { z in
            try conv2d(try z.block(rows: 0..<25, cols: 0..<1).reshaped(5, 5), try z.block(rows: 25..<29, cols: 0..<1).reshaped(2, 2), stride: 2)
        }),
        ("maxPool", randn(4, 4), { try maxPool($0, size: 2, stride: 2) }),
        ("maxPoolOverlapping", randn(4, 5), { try maxPool($0, size: 3, stride: 1) }),
        ("maxPoolVector", randn(6, 1), { try maxPool($0, size: 2, stride: 1) }),
        ("avgPool", randn(4, 5), { try avgPool($0, size: 2, stride: 1) }),
        ("avgPoolVector", randn(1, 6), { try avgPool($0, size: 3, stride: 3) }),
        ("dropout", randn(3, 3), { x in
            var random = RandomStream(seed: 3)
            return try dropout(x, p: 0.3, random: &random)
        }),
        ("replacingBlock", randn(3, 4), { z in
            try z.block(rows: 0..<3, cols: 0..<3).replacingBlock(rows: 0..<2, cols: 1..<3, with: try z.block(rows: 0..<2, cols: 3..<4))
        }),
        ("replacingBlockSameShape", randn(3, 4), { z in
            try z.block(rows: 0..<3, cols: 0..<2).replacingBlock(rows: 1..<3, cols: 0..<2, with: try Variable.hadamard(z, z).block(rows: 0..<2, cols: 2..<4))
        }),
        ("block", randn(3, 4), { try $0.block(rows: 1..<3, cols: 0..<2) }),
        ("mask", randn(3, 3), { x in try Variable.hadamard(try mask(x, Variable(scalar: 0), "compare", >), x) }),
    ] }

    @Test(arguments: [1, 2])
    func newOpsMatchFiniteDifferences(order: Int) throws {
        var random = RandomStream(seed: UInt64(1200 + order))
        for (name, point, op) in Self.cases {
            let x = point(&random)
            let f = AutodiffTests.scalarized { sin(try op($0)) }
            let (ad, fd) = order == 1
                ? (try gradient(at: x, in: f), try numericalGradient(at: x) { try f(Variable($0)).value })
                : (try hessian(at: x, in: f), try numericalHessian(at: x, in: f))
            #expect(AutodiffTests.tolerance.accepts(ad, fd), "\(name) at \(x.shapeText), order \(order): AD \(ad.storage) vs FD \(fd.storage)")
            #expect(ad.storage.allSatisfy { $0.isFinite }, "\(name): not finite")
        }
    }

    /// Third order too, for det (its pullback takes inverse, whose pullback takes inverse again).
    @Test func detDifferentiatesThreeTimes() throws {
        var random = RandomStream(seed: 1300)
        let a = Self.shifted(3, 1)(&random)
        // d/dA of ⟨∇²det(A) u, u⟩ (det of a 3×3 is cubic, so this is constant and not zero)
        // against differences of the AD version of it.
        let u = Variable(random.randn(3, 3))
        let f: (Variable) throws -> Variable = { a in try dot(try hessianVectorProduct(at: a, along: u, in: det), u) }
        let g = try gradient(at: a, in: f)
        let fd = try numericalGradient(at: a) { try f(Variable($0)).value }
        #expect(AutodiffTests.tolerance.accepts(g, fd), "third order: \(g.storage) vs \(fd.storage)")
    }

    @Test func detGradientAtALargeSingularMatrixIsAnErrorNotNaN() throws {
        let a = Tensor(rows: 9, cols: 9)
        #expect(throws: EngineError("the gradient of det at this singular 9×9 matrix needs its cofactors, which are computed only up to 8×8")) {
            try gradient(at: a, in: det)
        }
    }
}
