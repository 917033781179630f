import Testing
@testable import DeriveDocument

/// Math spans as the reader finds them, in document order.
func spans(_ markdown: String) -> [String] {
    NotebookReader.parse(markdown, path: "t.md").math.map { ($0.display ? "$$" : "$") + $0.tex }
}

@Suite struct MathScannerTests {
    @Test func inlineAndDisplay() {
        #expect(spans("a $x_1$ b\n\n$$\\sum_i x_i$$") == ["$x_1", "$$\\sum_i x_i"])
        #expect(spans("\\(a\\) and \\[b\\]") == ["$a", "$$b"])
    }

    @Test func displayMathMaySpanLines() {
        let notebook = NotebookReader.parse("text\n\n$$\na_{1} \\\\\nb * c\n$$\n\nafter *em*", path: "t.md")
        #expect(notebook.math.map(\.tex) == ["a_{1} \\\\\nb * c"])
        #expect(notebook.math[0].location == SourceLocation(line: 3, column: 1))
    }

    @Test func pandocRules() {
        #expect(spans("costs $5 and $6 today").isEmpty)
        #expect(spans("a $ x$ b").isEmpty)        // opening $ followed by a space
        #expect(spans("a $x $ b").isEmpty)        // closing $ preceded by a space
        #expect(spans("a $x$5 b").isEmpty)        // closing $ followed by a digit
        #expect(spans("a \\$x$ b").isEmpty)       // \$ is a literal dollar
        #expect(spans("only $ one").isEmpty)
    }

    @Test func nothingInCodeIsMath() {
        #expect(spans("`$x$` and ``a $y$ b``").isEmpty)
        #expect(spans("```\n$x$\n```\n\n~~~python\n$$y$$\n~~~").isEmpty)
        #expect(spans("- item\n\n  ```\n  $x$\n  ```").isEmpty)
    }

    @Test func mathIsVerbatimInsideMarkdownStructures() {
        let text = """
        | a | b |
        |---|---|
        | $x_1 \\| y$ | $a*b*c$ |

        - item $\\{x\\}_i$
        > quote $u^\\top h$
        """
        #expect(spans(text) == ["$x_1 \\| y", "$a*b*c", "$\\{x\\}_i", "$u^\\top h"])
    }

    @Test func unterminatedDisplayMathWarns() {
        let notebook = NotebookReader.parse("a\n\n$$ x + y\n\nb", path: "t.md")
        #expect(notebook.math.isEmpty)
        #expect(notebook.diagnostics.map(\.severity) == [.warning])
        #expect(notebook.diagnostics.first?.location == SourceLocation(line: 3, column: 1))
    }
}
