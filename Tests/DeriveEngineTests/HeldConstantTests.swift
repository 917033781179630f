import Foundation
import Testing
@testable import DeriveEngine

/// `Checks.heldConstant`: the missing path named by site, by one iteration of a loop, or by two
/// sites; the author's names first; quick on a failing check.
@Suite struct HeldConstantTests {
    /// h_t = tanh(W_h h_{t−1} + W_x x_t) for four steps and C = vᵀh_4 (an author's truncated
    /// gradient keeps only the last step, δ_4 h_3ᵀ), with sites stamped as the
    /// cell language would: 1 for `Wh * h`, 2 for the pre-activation, 3 for `tanh(…)`, 4 for C.
    struct Recurrence {
        var Wx: Tensor, xs: [Tensor], v: Tensor, Wh: Tensor

        init() {
            var random = RandomStream(seed: 149)
            Wx = random.randn(3, 2)
            xs = (0..<4).map { _ in random.randn(2) }
            v = random.randn(3)
            Wh = 0.5 * random.randn(3, 3)
        }

        var C: (Variable) throws -> Variable {
            let (Wx, xs, v) = (Wx, xs, v)
            return { Wh in
                var h = Variable(Tensor(rows: 3, cols: 1))
                for t in 0..<4 {
                    let a = try Variable.matmul(Wh, h); a.site = 1
                    let z = try a + Variable(try Wx.matmul(xs[t])); z.site = 2
                    h = tanh(z); h.site = 3
                }
                let c = try Variable.matmul(Variable(v).T, h); c.site = 4
                return c
            }
        }

        /// The hidden states h_0 … h_4, by plain arithmetic.
        var states: [Tensor] {
            var hs = [Tensor(rows: 3, cols: 1)]
            for t in 0..<4 { hs.append((try! Wh.matmul(hs[t]) + Wx.matmul(xs[t])).map(Foundation.tanh)) }
            return hs
        }
    }

    @Test func truncatedBackpropThroughTimeIsOneIterationHeldConstant() throws {
        let rnn = Recurrence()
        let hs = rnn.states
        let deltaT = Tensor.combine(rnn.v, hs[4].map { 1 - $0 * $0 }, *)
        let truncated = try deltaT.matmul(hs[3].transposed)
        #expect(!(try Checks.gradient(at: rnn.Wh, in: rnn.C, equals: truncated).passed))
        // Holding every value of a site cannot say it: the whole site cuts every step.
        #expect(try Checks.missingPath(at: rnn.Wh, in: rnn.C, equals: truncated) == nil)
        // `Wh * h` of the third step (0-based 2), closest to the input: h_3 depends on W_h only
        // through it. Or h itself, when the author named it.
        #expect(try Checks.heldConstant(at: rnn.Wh, in: rnn.C, equals: truncated)
            == [Checks.HeldValue(site: 1, occurrence: 2, occurrences: 4)])
        #expect(try Checks.heldConstant(at: rnn.Wh, in: rnn.C, equals: truncated, preferring: [3])
            == [Checks.HeldValue(site: 3, occurrence: 2, occurrences: 4)])
        let held = try #require(try Checks.heldConstant(at: rnn.Wh, in: rnn.C, equals: truncated, preferring: [3]))
        #expect(Checks.describeMissingPath(held) { _ in "`h` = `tanh(Wh * h + Wx * xs[t])` (line 21)" }
            == "matches the gradient with `h` = `tanh(Wh * h + Wx * xs[t])` (line 21) held constant in its 3rd of 4 evaluations: the path through it is missing (one step of a loop: backprop truncated?)")
        #expect(Checks.describeMissingPath([Checks.HeldValue(site: 1, occurrences: 1)], derivative: "Jacobian") { _ in "`mean(x)` (line 3)" }
            == "matches the Jacobian with `mean(x)` (line 3) held constant: the path through it is missing")
        // The whole gradient misses nothing; an unrelated one is not explained.
        let whole = try gradient(at: rnn.Wh, in: rnn.C)
        #expect(try Checks.heldConstant(at: rnn.Wh, in: rnn.C, equals: whole) == nil)
        #expect(try Checks.heldConstant(at: rnn.Wh, in: rnn.C, equals: 1.5 * whole) == nil)
    }

    /// Layer normalisation with sites 1 `mean(x)`, 2 `x - mu`, 3 `pow(…, 2)`, 4 `v` = `mean(…)`,
    /// 5 `v + ε`, 6 `sqrt(…)`, 7 `(x - mu) / s`, 8 `w ⊙ y`; C = Σ w ⊙ LN(x).
    static func layerNorm(_ w: Tensor) -> (Variable) throws -> Variable {
        { x in
            let mu = try mean(x); mu.site = 1
            let centred = try x - mu; centred.site = 2
            let square = pow(centred, 2); square.site = 3
            let v = try mean(square); v.site = 4
            let shifted = try v + Variable(scalar: 1e-5); shifted.site = 5
            let s = sqrt(shifted); s.site = 6
            let y = try centred / s; y.site = 7
            let weighted = try Variable.hadamard(Variable(w), y); weighted.site = 8
            return sum(weighted)
        }
    }

    @Test func theStatisticsOfLayerNormalisationNamedAsTheAuthorNamedThem() throws {
        var random = RandomStream(seed: 150)
        let x = random.randn(6), w = random.randn(6)
        let f = Self.layerNorm(w)
        let mu = x.sum / 6
        let s = (x.storage.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / 6 + 1e-5).squareRoot()
        let claimed = (1 / s) * w
        // Both statistics held: mean(x) and, of the equivalent cuts of the variance path, the
        // first — or the one the author named.
        #expect(try Checks.heldConstant(at: x, in: f, equals: claimed)
            == [Checks.HeldValue(site: 1, occurrences: 1), Checks.HeldValue(site: 3, occurrences: 1)])
        #expect(try Checks.heldConstant(at: x, in: f, equals: claimed, preferring: [1, 4])
            == [Checks.HeldValue(site: 1, occurrences: 1), Checks.HeldValue(site: 4, occurrences: 1)])
        // The Jacobian form: LN itself, its mean held constant.
        let ln: (Variable) throws -> Variable = { x in
            let mu = try mean(x); mu.site = 1
            let centred = try x - mu; centred.site = 2
            return centred
        }
        var J = Tensor(rows: 6, cols: 6)
        for i in 0..<6 { J[i, i] = 1 }
        #expect(try Checks.heldConstant(at: x, in: ln, equals: J, jacobian: true) == [Checks.HeldValue(site: 1, occurrences: 1)])
    }

    @Test func aFailingCheckOfAFewHundredValuesStaysUnderASecond() throws {
        // A loop of 100 steps recording 300 values; the author dropped the recurrent path.
        var random = RandomStream(seed: 151)
        let a = random.randn(4), b = random.randn(4)
        let f: (Variable) throws -> Variable = { x in
            var h = Variable(Tensor(rows: 4, cols: 1))
            for _ in 0..<100 {
                let scaled = 0.9 * h; scaled.site = 1
                let mixed = try scaled + x; mixed.site = 2
                h = try Variable.hadamard(sin(mixed), Variable(a)); h.site = 3
            }
            return try dot(h, Variable(b))
        }
        let x = random.randn(4)
        let wrong = try 2 * (try gradient(at: x, in: f)) + x
        let clock = ContinuousClock(), start = clock.now
        let comparison = try Checks.gradient(at: x, in: f, equals: wrong)
        let held = try Checks.heldConstant(at: x, in: f, equals: wrong)
        let elapsed = clock.now - start
        #expect(!comparison.passed && held == nil)
        #expect(elapsed < .seconds(1), "\(elapsed)")
    }
}
