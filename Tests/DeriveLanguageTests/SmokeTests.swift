import DeriveDocument
import Testing
@testable import DeriveLanguage

@Suite struct SmokeTests {
    @Test func basics() {
        let (_, result) = run([
            "let x = 2\nlet y = x * 3 + 1\ny",
            "let W = [[1, 2], [3, 4]]\nW.T",
            "var total = 0\nfor i in 0..<5 { total += i }\nprint(\"total: \\(total)\")",
            "func f(_ a: Double, times b: Double = 2) -> Double { a * b }\nf(3) + f(1, times: 10)",
            "let v = [1, 2, 3]\nlet (n, m) = v.shape\n(n, m)",
            "let g = gradient(at: [1, 2, 3], in: { x in sum(x ⊙ x) })\ng",
            "checkGradient(at: [1.0, -2.0], in: { x in sum(sigmoid(x)) }, equals: derivative(at: [1.0, -2.0], in: sigmoid), \"σ′\")",
            "let y = sigmod(1)",
        ])
        for cell in result.cells { print(cell.index, describe(cell)) }
        #expect(describe(result.cells[0]) == ["value: 7"])
        #expect(describe(result.cells[1]) == ["value: 2×2 [\"1\", \"3\", \"2\", \"4\"]"])
        #expect(describe(result.cells[2]) == ["print: total: 10"])
        #expect(describe(result.cells[3]) == ["value: 16"])
        #expect(describe(result.cells[4]) == ["value: (3, 1)"])
        #expect(describe(result.cells[5]) == ["value: 3×1 [\"2\", \"4\", \"6\"]"])
        #expect(describe(result.cells[6]) == ["check ✓ σ′"])
        #expect(describe(result.cells[7]).first?.contains("cannot find 'sigmod' in scope") == true)
    }

    @Test func printingStopsFloodingAfterAThousandLines() {
        let (_, result) = run(["for i in 0..<1500 { print(i) }\nshow(1, \"after\")\nprint(\"one more\")", "print(\"next cell\")"])
        let shown = describe(result.cells[0])
        #expect(shown.count == 1002)
        #expect(shown[999] == "print: 999")
        // One note, kept up to date, even with other outputs after it.
        #expect(shown[1000] == "print: … 501 more printed lines not shown (a cell shows at most 1000)")
        #expect(shown[1001] == "value[after]: 1")
        #expect(describe(result.cells[1]) == ["print: next cell"])
        // Tensors print elided past 8 rows or columns, as they show on the page.
        let (_, tensor) = run(["print(linspace(1, 10, 10))"])
        #expect(describe(tensor.cells[0]) == ["print: [1, 2, 3, 4, 5, 6, ⋯, 10]ᵀ"])
    }
}
