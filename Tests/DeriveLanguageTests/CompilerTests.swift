import DeriveDocument
import Testing
@testable import DeriveLanguage

/// The markers swift-syntax's tests use; each marks where one expected error starts.
let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣"]

/// Runs a cell whose source marks each expected error with 1️⃣, 2️⃣, …, and checks that the cell
/// reports exactly those errors, in order, each at its marker.
func expectErrors(_ marked: String, _ expected: [(marker: String, message: String, hint: String?)], before: [String] = [],
                  sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    var source = marked
    var positions: [String: (line: Int, column: Int)] = [:]
    for marker in markers {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard let lineIndex = lines.firstIndex(where: { $0.contains(marker) }), let range = lines[lineIndex].range(of: marker) else { continue }
        positions[marker] = (lineIndex + 1, String(lines[lineIndex][..<range.lowerBound]).unicodeScalars.count + 1)
        source = source.replacingOccurrences(of: marker, with: "")
    }
    let (notebook, result) = run(before + [source])
    let cell = notebook.cells[before.count]
    let errors = result.cells[before.count].errors
    #expect(errors.map(\.message) == expected.map(\.message), sourceLocation: sourceLocation)
    #expect(errors.map(\.hint) == expected.map(\.hint), sourceLocation: sourceLocation)
    for (error, want) in zip(errors, expected) {
        guard let at = positions[want.marker] else {
            Issue.record("no \(want.marker) in the cell", sourceLocation: sourceLocation)
            continue
        }
        #expect(error.location == cell.notebookLocation(line: at.line, column: at.column), "\(want.message)", sourceLocation: sourceLocation)
    }
}

@Suite struct CompilerTests {
    @Test func everyErrorOfACellAtOnce() {
        expectErrors("""
            let a = 1️⃣undefinedThing + 1
            let b = 2
            2️⃣b = 3
            let c = zeros(2, 3️⃣colums: 3)
            let d = 4️⃣sigmod(b)
            let 5️⃣b = 4
            6️⃣class Net {}
            """, [
                ("1️⃣", "cannot find 'undefinedThing' in scope", nil),
                ("2️⃣", "cannot assign to 'b': it is a 'let' constant", "declare it with 'var' to change it"),
                ("3️⃣", "zeros has no argument labeled 'colums:'", nil),
                ("4️⃣", "cannot find 'sigmod' in scope", "did you mean 'sigmoid'?"),
                ("5️⃣", "invalid redeclaration of 'b'", "a later cell may declare it again; within one cell, assign to it (declare it with 'var')"),
                ("6️⃣", "'class' declarations are not supported in cells", nil),
            ])
    }

    @Test func labelsAndArgumentCountsOfFunctionsAreCheckedBeforeRunning() {
        expectErrors("""
            func scale(_ x: Double, by k: Double = 2) -> Double { x * k }
            print("never printed")
            let a = scale(1, 1️⃣times: 3)
            let b = 2️⃣scale()
            let c = gradient(at: 1, 3️⃣inn: sin)
            let d = 4️⃣randn()
            """, [
                ("1️⃣", "incorrect argument label in call to 'scale': expected 'by:', got 'times:'", nil),
                ("2️⃣", "missing argument for parameter 'x' in call to 'scale'", nil),
                ("3️⃣", "gradient has no argument labeled 'inn:'", "did you mean 'in:'?"),
                ("4️⃣", "randn is missing its rows argument", nil),
            ])
    }

    @Test func aCellWithACompileErrorRunsNothing() {
        let (_, result) = run(["print(\"before\")\nvar n = 0\nn = nope\nprint(\"after\")"])
        #expect(describe(result.cells[0]) == ["error 8:5: cannot find 'nope' in scope"])
        #expect(result.cells[0].errors.count == 1)
    }

    @Test func anErrorInsideAFunctionIsReportedWhereItHappenedWithItsCalls() {
        let (notebook, result) = run(["""
            func layer(_ x: Tensor) -> Tensor {
                let W = randn(3, 4)
                return W * x
            }
            func net(_ x: Tensor) -> Tensor { layer(x) }
            let y = net(randn(3))
            """])
        let error = result.cells[0].error
        let cell = notebook.cells[0]
        #expect(error?.message == "cannot multiply 3×4 by 3×1: inner dimensions 4 and 3 differ (in 'layer', called at line \(cell.notebookLocation(line: 5, column: 1).line); in 'net', called at line \(cell.notebookLocation(line: 6, column: 1).line))")
        #expect(error?.location == cell.notebookLocation(line: 3, column: 12))
    }

    @Test func aNameFromAFailedCellIsOneErrorNamingItsLine() {
        let failedCompile = "let w = randn(2)\nlet z = w * undefinedName"
        expectErrors("let y = 1️⃣w + z + w", [
            ("1️⃣", "'w' is not defined: it is declared at line 6, in a cell that failed before defining it", "fix the error in that cell first"),
        ], before: [failedCompile])
        // A cell stopped at run time keeps the names it defined before the error.
        let failedRun = "let w = randn(2)\nlet v = w * randn(3)"
        let (_, result) = run([failedRun, "w.shape", "v"])
        #expect(describe(result.cells[1]) == ["value: (2, 1)"])
        #expect(describe(result.cells[2]) == ["error 15:1: 'v' is not defined: it is declared at line 7, in a cell that failed before defining it"])
    }

    @Test func longLoopsAndEndlessOnesGetDifferentMessages() {
        let small = Limits(steps: 10_000)
        let (_, long) = run(["var s = 0\nfor i in 0..<100000 { s += i }"], limits: small)
        #expect(long.cells[0].error?.message == "the cell took more than 10,000 steps (loop iterations and calls): the loop at line 7 had done 9,999 of its 100,000 iterations; the work is long, not endless")
        #expect(long.cells[0].error?.hint == "raise this cell's budget with '//| steps: 130000'")
        // Following the hint, it finishes.
        let (_, raised) = run(["var s = 0\nfor i in 0..<100000 { s += i }\ns"], limits: small, options: ["//| steps: 130000\n"])
        #expect(describe(raised.cells[0]) == ["value: 4999950000"])
        // A while loop may be endless, also when a finite loop runs inside it.
        for endless in ["while true { }", "var k = 0\nwhile true { for i in 0..<10 { k += i } }"] {
            let (_, result) = run([endless], limits: small)
            #expect(result.cells[0].error?.message == "the cell took more than 10,000 steps (loop iterations and calls); is there an endless loop?")
            #expect(result.cells[0].error?.hint == "if the work is merely long, raise this cell's budget with '//| steps: n' (now 10,000)")
        }
    }

    @Test func tenMillionIterationsFitTheDefaultBudget() {
        let (_, result) = run(["var s = 0\nfor i in 0..<10000000 { s += 1 }\ns"])
        #expect(describe(result.cells[0]) == ["value: 10000000"])
    }

    @Test func checkingALoopConvolutionFitsTheDefaults() {
        // 64 inputs, a 5-tap kernel, written with loops: its full Jacobian check differences every input.
        let (_, result) = run(["""
            let w = [0.2, -0.5, 1.0, 0.3, -0.1]
            func conv(_ x: Tensor) -> Tensor {
                var y = zeros(60, 1)
                for i in 0..<60 {
                    var s = 0.0
                    for j in 0..<5 { s = s + w[j] * x[i + j] }
                    y[i] = s
                }
                return y
            }
            var J = zeros(60, 64)
            for i in 0..<60 { for j in 0..<5 { J[i, i + j] = w[j] } }
            checkJacobian(at: randn(64), in: conv, equals: J, "a loop convolution")
            """])
        #expect(describe(result.cells[0]) == ["check ✓ a loop convolution"])
    }

    @Test func theSwiftAuthorsWrite() {
        let (_, result) = run([
            "func f(_ x: Double) -> (loss: Double, steps: [Double]) { (x * x, [x, 2 * x]) }\nlet r = f(3)\n(r.loss, r.steps.last!, r.steps.first!)",
            "(Int(-2.7), Int(3.9), Double(2), String(1.5) + \"!\")",
            "let xs: [Double] = [3, 1, 2]\n(xs.min()!, xs.max(), xs.sorted(), xs.contains(2), xs.filter { $0 > 1 }, xs.isEmpty)",
            "let empty: [Double] = []\nempty.isEmpty",
        ])
        #expect(describe(result.cells[0]) == ["value: (9, 6, 3)"])
        #expect(describe(result.cells[1]) == ["value: (-2, 3, 2, \"1.5!\")"])
        #expect(describe(result.cells[2]) == ["value: (1, 3, [1, 2, 3], true, [3, 2], false)"])
        #expect(describe(result.cells[3]) == ["value: true"])
    }

    @Test func closuresCaptureAsSwiftDoes() {
        let (_, result) = run([
            // A captured var is shared; each loop iteration's constant is its own.
            "var count = 0\nlet bump = { count += 1 }\nbump()\nbump()\ncount",
            "var closures = Array(repeating: { 0.0 }, count: 0)\nfor i in 0..<3 { closures.append({ Double(i) * 10 }) }\nclosures.map { $0() }",
            "func counter() -> () -> Double {\n    var n = 0.0\n    func next() -> Double {\n        n += 1\n        return n\n    }\n    return next\n}\nlet c = counter()\nlet d = counter()\n(c(), c(), d())",
            "func even(_ n: Int) -> Bool { n == 0 ? true : odd(n - 1) }\nfunc odd(_ n: Int) -> Bool { n == 0 ? false : even(n - 1) }\n(even(10), odd(7))",
        ])
        #expect(describe(result.cells[0]) == ["value: 2"])
        #expect(describe(result.cells[1]).last == "value: [0, 10, 20]")
        #expect(describe(result.cells[2]) == ["value: (1, 2, 1)"])
        #expect(describe(result.cells[3]) == ["value: (true, true)"])
    }

    @Test func stringEscapes() {
        let (_, result) = run(["let s = \"a\\tb\\u{1F600}\\\\\\\"\\0\\r\"\ns"])
        #expect(describe(result.cells[0]) == ["value: \"a\tb😀\\\"\0\r\""])
    }

    @Test func hugeRangesAreNeverBuilt() {
        let (_, result) = run(["var n = 0\nfor i in 0..<999999999999999 { n += 1\n if n == 3 { break } }\nn", "(0..<999999999999999).count"])
        #expect(describe(result.cells[0]) == ["value: 3"])
        #expect(describe(result.cells[1]) == ["value: 999999999999999"])
        let (_, mapped) = run(["let big = (0..<999999999999999).map { $0 }"])
        #expect(mapped.cells[0].error?.message == "a sequence of 999,999,999,999,999 elements is longer than the limit of 16,000,000")
    }

    @Test func stringsStayWithinTheirCap() {
        let (_, result) = run(["var s = \"a\"\nfor i in 0..<64 { s = s + s }"])
        #expect(result.cells[0].error?.message == "a string of 16,777,216 bytes is longer than the limit of 16,000,000")
    }
}

/// The interpreter's in-place reads rely on the layout of a tensor value; the check that guards
/// them holds on this toolchain (where it does not, they are off and the ordinary path is used).
@Suite struct InPlaceTests {
    @Test func theLayoutCheckHoldsAndReadsAreRight() {
        #expect(InPlace.layoutHolds)
        #expect(InPlace.index(3) == 3 && InPlace.index(2.5) == nil && InPlace.index(-1) == nil && InPlace.index(.nan) == nil)
        let (_, result) = run(["let A = [[1, 2], [3, 4]]\nvar s = 0.0\nfor i in 0..<2 { for j in 0..<2 { s += A[i, j] * 10 } }\n(s, A[1, 0])"])
        #expect(describe(result.cells[0]) == ["value: (100, 3)"])
    }

    /// `s += A[i, k] * B[k, j]` is fused; with a differentiated tensor it takes the ordinary path.
    @Test func fusedUpdatesAreRightAndStayDifferentiable() {
        let (_, result) = run(["""
            let A = [[1, 2], [3, 4]]
            let B = [[5, 6], [7, 8]]
            var C = zeros(2, 2)
            for i in 0..<2 { for j in 0..<2 { var s = 0.0; for k in 0..<2 { s += A[i, k] * B[k, j] }; C[i, j] = s } }
            var t = 10.0
            t -= A[1, 1] / B[0, 0]
            (C, t)
            """, """
            let w = [[0.5], [-1.0], [2.0]]
            func f(_ x: Tensor) -> Tensor {
                var s = 0.0 * x[0, 0]
                for i in 0..<3 { s += x[i, 0] * w[i, 0] }
                return s
            }
            checkGradient(at: [[1.0], [2.0], [3.0]], in: f, equals: w, "∇ Σ xᵢwᵢ = w")
            """])
        #expect(describe(result.cells[0]) == ["value: (2×2 [\"19\", \"22\", \"43\", \"50\"], 9.2)"])
        #expect(describe(result.cells[1]) == ["check ✓ ∇ Σ xᵢwᵢ = w"])
    }
}
