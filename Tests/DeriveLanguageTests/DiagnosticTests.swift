import DeriveDocument
import Testing
@testable import DeriveLanguage

/// Runs a cell whose source marks the expected error position with 1️⃣, and checks the message,
/// the hint and the notebook line:column — in swift-syntax's style.
func expectError(_ marked: String, _ message: String, hint: String? = nil, before: [String] = [],
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let marker = "1️⃣"
    let lines = marked.split(separator: "\n", omittingEmptySubsequences: false)
    guard let lineIndex = lines.firstIndex(where: { $0.contains(marker) }),
          let range = lines[lineIndex].range(of: marker) else {
        Issue.record("no 1️⃣ marker in the cell", sourceLocation: sourceLocation)
        return
    }
    let column = String(lines[lineIndex][..<range.lowerBound]).unicodeScalars.count + 1
    let source = marked.replacingOccurrences(of: marker, with: "")
    let (notebook, result) = run(before + [source])
    let cell = notebook.cells[before.count]
    guard let error = result.cells[before.count].error else {
        Issue.record("expected an error, got \(describe(result.cells[before.count]))", sourceLocation: sourceLocation)
        return
    }
    #expect(error.message == message, sourceLocation: sourceLocation)
    #expect(error.hint == hint, sourceLocation: sourceLocation)
    #expect(error.location == cell.notebookLocation(line: lineIndex + 1, column: column), sourceLocation: sourceLocation)
    #expect(error.file == "test.md", sourceLocation: sourceLocation)
    #expect(error.sourceLine == notebook.line(error.location.line), sourceLocation: sourceLocation)
}

@Suite struct DiagnosticTests {
    @Test func unknownNamesSuggestTheClosest() {
        expectError("let z = 1️⃣sigmod(2.0)", "cannot find 'sigmod' in scope", hint: "did you mean 'sigmoid'?")
        expectError("let weights = 1\nlet y = 1️⃣wieghts + 1", "cannot find 'wieghts' in scope", hint: "did you mean 'weights'?")
        expectError("1️⃣qqqqqq", "cannot find 'qqqqqq' in scope")
        expectError("let W = randn(2, 3)\nlet V = 1️⃣transpose(W)", "cannot find 'transpose' in scope", hint: "transpose with x.T")
        expectError("let y = 1️⃣matmul(randn(2, 2), randn(2))", "cannot find 'matmul' in scope", hint: "the matrix product is A * B")
    }

    @Test func labelsAreChecked() {
        expectError("let g = gradient(at: [1, 2], 1️⃣inn: { x in sum(x) })", "gradient has no argument labeled 'inn:'", hint: "did you mean 'in:'?")
        expectError("func f(scale s: Double) -> Double { s }\nf(1️⃣scael: 2)", "incorrect argument label in call to 'f': expected 'scale:', got 'scael:'", hint: "did you mean 'scale:'?")
        expectError("func f(_ a: Double, _ b: Double) -> Double { a + b }\n1️⃣f(1)", "missing argument for parameter 'b' in call to 'f'")
        expectError("let a = 1️⃣zeros(2)", "zeros is missing its columns argument")
    }

    @Test func shapeErrorsNameBothShapes() {
        expectError("let W = randn(3, 4)\nlet x = randn(3)\nlet y = 1️⃣W * x", "cannot multiply 3×4 by 3×1: inner dimensions 4 and 3 differ")
        expectError("let y = 1️⃣ones(2, 3) + ones(3, 2)", "cannot add 2×3 and 3×2: shapes must be equal or have a size 1 that stretches")
        expectError("let v = ones(3, 1)\nlet e = v[1️⃣5]", "index 5 is out of range for the entries of a 3×1 tensor (0…2)")
    }

    @Test func layersAreNumberedFromOne() {
        let net = "let net = MLP(sizes: [4, 3, 2], activation: sigmoid)\n"
        expectError(net + "let W = net.W[1️⃣0]", "layer 0 does not exist: W is numbered 1…2, as in the notes")
        expectError(net + "let b = net.b[1️⃣3]", "layer 3 does not exist: b is numbered 1…2, as in the notes")
        expectError(net + "let f = net.forward(randn(4))\nlet z = f.z[1️⃣0]", "layer 0 does not exist: z is numbered 1…2, as in the notes; the input is f.a[0]")
        // Also when the layers are reached through another name.
        expectError(net + "let weights = net.W\nlet W0 = weights[1️⃣0]", "layer 0 does not exist: the layers are numbered 1…2, as in the notes")
        // An author's own array may hold an empty tensor first: it is indexed from 0 as usual.
        let (_, own) = run(["let a = [zeros(0, 0), ones(1, 1)]\na[0].shape"])
        #expect(describe(own.cells[0]) == ["value: (0, 0)"])
        let (_, result) = run([net + "let f = net.forward(randn(4))\n(net.W[2].shape, f.z[1].shape, f.a[0].shape)"])
        #expect(describe(result.cells[0]) == ["value: ((2, 3), (3, 1), (4, 1))"])
    }

    @Test func deeplyNestedBracketsAreRefusedBeforeTheParserStalls() {
        // swift-syntax's lookahead is exponential in this nesting: 50 levels would take minutes.
        expectError("let x = [[[[[[[[[[1️⃣[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                    "brackets nested more than 10 levels deep", hint: "name the inner parts with 'let'")
        // Brackets in strings and comments do not count; ten levels are fine.
        let (_, result) = run(["let s = \"[[[[[[[[[[[[[[[[\" // [[[[[[[[[[[[[[[\nlet m = [[[[[[[[[[1]]]]]]]]]]\ns"])
        #expect(describe(result.cells[0]) == ["value: \"[[[[[[[[[[[[[[[[\""])
    }

    @Test func unsupportedConstructsAreNamed() {
        expectError("1️⃣class Net {}", "'class' declarations are not supported in cells")
        expectError("1️⃣struct P {}", "'struct' declarations are not supported in cells")
        expectError("let d = 1️⃣[\"a\": 1]", "dictionaries are not supported in cells")
        expectError("1️⃣defer { }", "'defer' statements are not supported in cells")
        expectError("let x = 1️⃣try sigmoid(1)", "'try' is not supported in cells")
        expectError("let M = 1️⃣Tensor([[1, 2], [3, 4]])", "'Tensor' is a type, not a function",
                    hint: "write the entries as an array literal ([[1, 2], [3, 4]] is 2×2, [1, 2] a column) or use zeros, ones, randn, eye")
    }

    @Test func redeclarationWithinACellButShadowingAcrossCells() {
        expectError("let a = 1\nlet 1️⃣a = 2", "invalid redeclaration of 'a'", hint: "a later cell may declare it again; within one cell, assign to it (declare it with 'var')")
        let (_, result) = run(["let a = 1", "let a = 2\na"])
        #expect(describe(result.cells[1]) == ["value: 2"])
    }

    @Test func assignmentToAConstant() {
        expectError("let a = 1\n1️⃣a = 2", "cannot assign to 'a': it is a 'let' constant", hint: "declare it with 'var' to change it")
    }

    @Test func syntaxErrorsUseSwiftSyntaxsOwnWords() {
        let (notebook, result) = run(["let x = (1 + 2"])
        let error = result.cells[0].error
        #expect(error?.message == "expected ')' to end tuple")
        #expect(error?.location == notebook.cells[0].notebookLocation(line: 1, column: 15))
    }

    @Test func errorsInsideListsPointIntoTheNotebook() {
        let text = "- a step\n\n  ```swift\n  let y = sigmod(1)\n  ```\n"
        let notebook = NotebookReader.parse(text, path: "list.md")
        let error = NotebookRunner().run(notebook).cells[0].error
        #expect(error?.location == SourceLocation(line: 4, column: 11))
        #expect(error?.formatted == "list.md:4:11: error: cannot find 'sigmod' in scope\n    let y = sigmod(1)\n            ^~~~~~\n  hint: did you mean 'sigmoid'?")
    }

    @Test func checksOutsideTheirBlocks() {
        expectError("1️⃣step(\"z\", sigmoid, jacobian: { z in z })", "step(…) belongs inside a checkChainRule { … } block")
        expectError("check(1️⃣3)", "check needs a Bool or a '≈' comparison, not a number")
        expectError("let n = 1️⃣MLP(sizes: [2])", "MLP needs at least two positive layer sizes (input and output), got [2]")
    }
}
