import DeriveDocument
@testable import DerivePipeline

/// A hand-built run: one passing notebook, one with a failing check, a cell error, an
/// `expect: fail` cell that failed as meant, and a TeX error; plus an unreadable file.
enum ReportFixtures {
    static func cell(_ index: Int, line: Int, label: String? = nil, expect: CellOptions.Expectation = .pass) -> Cell {
        var options = CellOptions()
        options.label = label
        options.expect = expect
        options.tags = ["seed-002.9"]
        return Cell(index: index, source: "x", options: options,
                    lineStarts: [SourceLocation(line: line + 1, column: 1)], fenceLine: line)
    }

    static func notebook(_ path: String, cells: [Cell], lines: [Substring]) -> Notebook {
        Notebook(path: path, frontMatter: FrontMatter(), title: "Title of \(path)", body: MarkdownNode(.document),
                 cells: cells, math: [], diagnostics: [], lines: lines)
    }

    static func row(_ passed: Bool, line: Int, label: String? = nil, diagnosis: [String] = []) -> CheckRow {
        CheckRow(kind: .gradient, label: label, source: "checkGradient(at: x, in: f, equals: g)",
                 location: SourceLocation(line: line, column: 1), passed: passed,
                 maxAbsError: passed ? 1e-12 : 0.41, maxRelError: passed ? 1e-11 : 0.97,
                 reference: "central differences + Richardson", diagnosis: diagnosis)
    }

    static var passing: NotebookReport {
        let nb = notebook("Notebooks/01-ok.md", cells: [cell(0, line: 3)], lines: ["# Ok", "", "```swift", "check(true)", "```"])
        return NotebookReport(path: nb.path, notebook: nb, result: NotebookResult(cells: [
            CellResult(index: 0, outputs: [.check(row(true, line: 4))], error: nil, passed: true),
        ]))
    }

    static var failing: NotebookReport {
        let lines: [Substring] = [
            "# Wrong", "```swift", "checkGradient(at: x, in: f, equals: g.T, \"dsdW\")", "```",
            "```swift", "let y = sigmod(x)", "```", "```swift", "check(false)", "```", "$\\frac{1}{$",
        ]
        let nb = notebook("Notebooks/02-wrong.md",
                          cells: [cell(0, line: 2, label: "dsdW"), cell(1, line: 5), cell(2, line: 8, expect: .fail)],
                          lines: lines)
        let error = nb.diagnostic(.error, "cannot find 'sigmod' in scope", at: SourceLocation(line: 6, column: 9),
                                  length: 6, hint: "did you mean 'sigmoid'?")
        let tex = nb.diagnostic(.error, "TeX error: Expected '}'", at: SourceLocation(line: 11, column: 1))
        return NotebookReport(path: nb.path, notebook: nb, result: NotebookResult(cells: [
            CellResult(index: 0, outputs: [.check(row(false, line: 3, label: "dsdW", diagnosis: ["transposed: this is the Jacobian (numerator) layout; the shape convention wants x's shape"]))], error: nil, passed: false),
            CellResult(index: 1, outputs: [.error(error)], error: error, passed: false),
            CellResult(index: 2, outputs: [.check(row(false, line: 9))], error: nil, passed: true),
        ], diagnostics: [tex]))
    }

    static var unreadable: NotebookReport {
        NotebookReport(path: "Notebooks/03-binary.md", notebook: nil, result: NotebookResult(cells: []),
                       readError: "Notebooks/03-binary.md is not UTF-8 text (invalid byte at offset 12)")
    }
}
