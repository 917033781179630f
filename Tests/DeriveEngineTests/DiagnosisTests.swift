import Testing
@testable import DeriveEngine

/// Each diagnosis is produced by a deliberately wrong gradient and not by a right one.
@Suite struct DiagnosisTests {
    var random = RandomStream(seed: 42)
    let W: Tensor
    let x: Tensor
    /// s(x) = sum(σ(Wx)): its gradient Wᵀσ′(Wx) is a 4×1 column.
    let f: (Variable) throws -> Variable
    let right: Tensor

    init() throws {
        W = random.randn(3, 4)
        x = random.randn(4)
        let W = self.W
        f = { sum(sigmoid(try Variable.matmul(Variable(W), $0))) }
        right = try gradient(at: x, in: f)
    }

    func diagnosis(_ claimed: Tensor, batchSize: Int? = nil) throws -> [String] {
        try Checks.gradient(at: x, in: f, equals: claimed, batchSize: batchSize).diagnosis
    }

    @Test func theRightGradientPassesWithoutDiagnosis() throws {
        let result = try Checks.gradient(at: x, in: f, equals: right)
        #expect(result.passed && result.diagnosis.isEmpty)
        #expect((result.maxAbsError ?? 1) < 1e-9)
    }

    @Test func transposedIsTheJacobianLayout() throws {
        #expect(try diagnosis(right.transposed) == ["transposed: this is the Jacobian (numerator) layout; the shape convention wants x's shape"])
    }

    @Test func wrongSign() throws {
        #expect(try diagnosis(-right) == ["wrong sign: the result is the negative of the reference"])
    }

    @Test func namedFactors() throws {
        #expect(try diagnosis(2 * right) == ["off by a factor of 2"])
        #expect(try diagnosis(0.5 * right) == ["off by a factor of ½"])
        #expect(try diagnosis((1.0 / 8) * right, batchSize: 8) == ["off by 1/m (m = 8): mean vs sum over the batch"])
        #expect(try diagnosis(8 * right, batchSize: 8) == ["off by m (m = 8): sum vs mean over the batch"])
        #expect(try diagnosis(1.37 * right) == ["off by a constant factor of 1.37"])
    }

    @Test func wrongMask() throws {
        var masked = right
        masked[1, 0] = 0
        #expect(try diagnosis(masked).first?.hasPrefix("wrong mask (ReLU or max?): zero where the reference is not at [1]") == true)
    }

    @Test func allZerosIsALostDependenceNotAMask() throws {
        #expect(try diagnosis(Tensor(column: [0, 0, 0, 0])) == ["zero everywhere, where the reference is not (a dependence lost, or a value treated as a constant?)"])
    }

    @Test func confinedToRowsAndColumns() throws {
        var bent = right
        bent[2, 0] += 0.5
        #expect(try diagnosis(bent) == ["the difference is confined to row 2 (0-based)"])
        let matrixRight = try gradient(at: W, in: { W in sum(sigmoid(try Variable.matmul(W, Variable(x)))) })
        var column = matrixRight
        for i in 0..<3 { column[i, 3] *= 3; column[i, 3] += 0.1 }
        let result = try Checks.gradient(at: W, in: { W in sum(sigmoid(try Variable.matmul(W, Variable(x)))) }, equals: column)
        #expect(result.diagnosis == ["the difference is confined to column 3 (0-based)"])
    }

    @Test func aSquareTransposeIsCaughtByValue() throws {
        var random = RandomStream(seed: 43)
        let square = random.randn(3, 3)
        let g: (Variable) throws -> Variable = { S in try sum(try Variable.hadamard(S, Variable(square))) + sum(try Variable.matmul(S, S)) }
        let correct = try gradient(at: square, in: g)
        #expect(try Checks.gradient(at: square, in: g, equals: correct).diagnosis.isEmpty)
        #expect(try Checks.gradient(at: square, in: g, equals: correct.transposed).diagnosis.first?.hasPrefix("transposed") == true)
    }

    @Test func reluAtZeroIsNotDifferentiableThere() throws {
        let point = Tensor(column: [0, 1.5, -2])
        let result = try Checks.gradient(at: point, in: { sum(relu($0)) }, equals: Tensor(column: [0.5, 1, 0]))
        #expect(result.passed)
        #expect(result.leftOut == [Coordinate(0, 0)])
        #expect(result.notes == ["not differentiable at this point in x[0]; left out of the comparison"])
        // The rest must still pass.
        let wrongElsewhere = try Checks.gradient(at: point, in: { sum(relu($0)) }, equals: Tensor(column: [0.5, 0, 0]))
        #expect(!wrongElsewhere.passed)
    }

    @Test func aJumpIsNotDifferentiableThereButSteepSmoothFunctionsAre() throws {
        // sign(x² + x) jumps at 0 and at −1, symmetrically: one-sided differences agree there.
        let point = Tensor(column: [0, 1, -1])
        let g: (Variable) throws -> Variable = { sum(sign(try Variable.hadamard($0, $0) + $0)) }
        let result = try Checks.gradient(at: point, in: g, equals: Tensor(column: [0, 0, 0]))
        #expect(result.passed)
        #expect(result.leftOut == [Coordinate(0, 0), Coordinate(2, 0)])
        // Steep but smooth functions are not mistaken for jumps.
        let steep = Tensor(column: [0.01, 3])
        let s: (Variable) throws -> Variable = { sum(try exp(10.0 * $0) + Variable(Tensor(column: [1, 1])) / $0) }
        let smooth = try Checks.gradient(at: steep, in: s, equals: try gradient(at: steep, in: s))
        #expect(smooth.passed && smooth.leftOut.isEmpty)
    }

    @Test func notANumberIsNamedWithItsLikelyCause() throws {
        let point = Tensor(column: [4, -1])
        let h: (Variable) throws -> Variable = { sum(sqrt($0)) }
        let result = try Checks.gradient(at: point, in: h, equals: try gradient(at: point, in: h))
        #expect(!result.passed)  // sqrt(−1) makes the whole sum NaN, so every entry of the reference is
        #expect(result.diagnosis == ["not a number: the reference is NaN at [0]; the function is undefined or overflows near this point (log, sqrt or a fractional power of a negative number? exp of a large one?)"])
        // A finite wrong gradient is not called "not a number".
        #expect(try diagnosis(2 * right) == ["off by a factor of 2"])
    }

    @Test func largeInputsAreCheckedByProjectionAndFailuresRecomputedInFull() throws {
        var random = RandomStream(seed: 44)
        let big = random.randn(65, 64)  // just past Checks.fullThreshold
        let h: (Variable) throws -> Variable = { sum(tanh($0)) }
        let correct = try gradient(at: big, in: h)
        let fast = try Checks.gradient(at: big, in: h, equals: correct)
        #expect(fast.passed && fast.reference == Checks.projectionMethod)
        var wrong = correct
        wrong[5, 7] += 0.01
        let full = try Checks.gradient(at: big, in: h, equals: wrong)
        #expect(!full.passed && full.reference == Checks.fullMethod)
        #expect(full.worst.first?.row == 5 && full.worst.first?.col == 7)
    }
}
