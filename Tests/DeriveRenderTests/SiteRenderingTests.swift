import DeriveDocument
import Foundation
import Testing
@testable import DeriveRender

@Suite struct HighlighterTests {
    @Test func classesFromSwiftSyntax() {
        let out = Highlighter.html("let x = 2.5 // note\nfunc f(at y: Double) -> String { \"<b>\" }\nlet z = a ⊙ b")
        #expect(out.contains("<span class=\"tok-keyword\">let</span>"))
        #expect(out.contains("<span class=\"tok-number\">2.5</span>"))
        #expect(out.contains("<span class=\"tok-comment\">// note</span>"))
        #expect(out.contains("<span class=\"tok-type\">Double</span>"))
        #expect(out.contains("&lt;b&gt;"))
        #expect(out.contains("⊙"))
        // Invalid code is still shown, escaped, whole.
        #expect(Highlighter.html("let = = <").contains("&lt;"))
    }
}

@Suite struct CellHTMLTests {
    let renderer = CellHTMLRenderer(typesetter: EchoTypesetter())
    let notebook = NotebookReader.parse("```swift\n//| label: dsdW\n//| tags: [seed-002.10]\nlet y = sigmod(x)\n```", path: "n.md")

    @Test func aFailingCheckShowsItsDiagnosisAndWorstEntries() {
        let row = CheckRow(kind: .gradient, label: "∂s/∂W", source: "checkGradient(…)", location: SourceLocation(line: 4, column: 1),
                           passed: false, maxAbsError: 0.41, maxRelError: 0.97, reference: "central differences",
                           diagnosis: ["transposed: this is the Jacobian (numerator) layout"], worst: [WorstEntry(row: 1, col: 2, actual: 0.5, reference: -0.25)])
        let out = renderer.output(.check(row))
        #expect(out.hasPrefix("<details class=\"check fail\" open>"))
        #expect(out.contains("<li>transposed: this is the Jacobian (numerator) layout</li>"))
        #expect(out.contains("<td>[1, 2]</td><td>0.5</td><td>−0.25</td>"))
        #expect(out.contains("max abs error 0.41"))
        let passing = renderer.output(.check(CheckRow(kind: .check, label: nil, source: "check(a < b)", location: SourceLocation(line: 1, column: 1), passed: true)))
        #expect(passing == "<div class=\"check pass\"><div class=\"check-summary\"><span class=\"mark\">✓</span> <code class=\"check-title\">check(a &lt; b)</code></div></div>\n")
    }

    @Test func tensorsAreMatricesWithTheirShapeElidedPastEight() {
        let small = renderer.value(.tensor(rows: 2, cols: 1, values: [1, 0.123456]))
        #expect(small.contains("<m>\\begin{bmatrix} 1 \\\\ 0.1235 \\end{bmatrix}</m>"))
        #expect(small.contains("<span class=\"shape\">2×1</span>"))
        let big = renderer.value(.tensor(rows: 10, cols: 9, values: (0..<90).map(Double.init)))
        #expect(big.contains("\\cdots") && big.contains("\\vdots") && big.contains("\\ddots"))
        #expect(big.contains("&amp; 8 \\\\"))  // the last column of row 0 is kept
        #expect(big.contains("10×9"))
        #expect(["<span class=\"number\">1.234e−5</span>", "<span class=\"number\">1.235e−5</span>"].contains(renderer.value(.number(0.000012345))))
    }

    @Test func anErrorShowsItsCaretLine() {
        let error = notebook.diagnostic(.error, "cannot find 'sigmod' in scope", at: SourceLocation(line: 4, column: 9), length: 6, hint: "did you mean 'sigmoid'?")
        let out = renderer.output(.error(error))
        #expect(out == "<pre class=\"error\">n.md:4:9: error: cannot find 'sigmod' in scope\n  let y = sigmod(x)\n          ^~~~~~\n  hint: did you mean 'sigmoid'?</pre>\n")
    }

    @Test func cellOptionsShapeTheSection() {
        var cell = notebook.cells[0]
        let result = CellResult(index: 0, outputs: [.text("hi")], error: nil, passed: true)
        let shown = renderer.render(cell, result: result, notebook: notebook)
        #expect(shown.hasPrefix("<section class=\"cell passed\" id=\"dsdw\">"))
        #expect(shown.contains("<span class=\"badge tag\">seed-002.10</span>"))
        #expect(shown.contains("cell-source") && shown.contains("<pre class=\"stdout\">hi</pre>"))
        cell.options.echo = false
        cell.options.output = false
        let hidden = renderer.render(cell, result: result, notebook: notebook)
        #expect(!hidden.contains("cell-source") && !hidden.contains("stdout"))
    }
}

@Suite struct SVGTests {
    @Test func ticksAreNiceAndEncloseTheData() {
        #expect(Ticks.nice(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1] || Ticks.nice(0, 1).count == 6)
        #expect(Ticks.nice(-6, 6) == [-6, -4, -2, 0, 2, 4, 6])
        #expect(Ticks.nice(0.03, 0.97).first! <= 0.03 && Ticks.nice(0.03, 0.97).last! >= 0.97)
        #expect(Ticks.nice(3, 3) == [2, 2.5, 3, 3.5, 4] || Ticks.nice(3, 3).first! < 3)
        #expect(Ticks.nice(.nan, 1).isEmpty)
    }

    @Test func aLegendEntryPerSeriesAndNaNBreaksTheLine() {
        let plot = Plot(title: "σ", series: [.init(label: "a", xs: [0, 1, 2, 3], ys: [0, .nan, 1, 2]), .init(label: "b", xs: [0, 1], ys: [1, 1])])
        let svg = LineChart.svg(plot)
        #expect(svg.components(separatedBy: "<line class=\"series series-").count - 1 == 2)
        #expect(svg.contains(">a</text>") && svg.contains(">b</text>"))
        let path = svg.components(separatedBy: "<path class=\"series series-0\" d=\"")[1].prefix { $0 != "\"" }
        #expect(path.filter { $0 == "M" }.count == 2)  // restarted after the NaN
        #expect(!svg.contains("nan"))
    }

    @Test func heatmapColoursBySignAndMagnitude() {
        let svg = HeatmapChart.svg(Heatmap(title: "g", rows: 1, cols: 3, values: [-2, 0, 2]))
        #expect(svg.contains("fill=\"#4393c3\" fill-opacity=\"1.000\"><title>[0, 0] −2</title>"))
        #expect(svg.contains("fill-opacity=\"0.000\"><title>[0, 1] 0</title>"))
        #expect(svg.contains("fill=\"#d6604d\" fill-opacity=\"1.000\"><title>[0, 2] 2</title>"))
    }

    @Test func aLargeHeatmapPoolsBlocksKeepingTheirLargestEntry() {
        // 250×3: blocks of 3×3; one strong negative entry and one NaN must survive the pooling.
        var values = [Double](repeating: 0.1, count: 250 * 3)
        values[4 * 3 + 1] = -9
        values[200 * 3 + 2] = .nan
        let (pooled, block) = HeatmapChart.pooled(Heatmap(title: "W", rows: 250, cols: 3, values: values))
        #expect(block == 3 && pooled.rows == 84 && pooled.cols == 1)
        #expect(pooled.values[1] == -9)
        #expect(pooled.values[66].isNaN)
        #expect(pooled.values[0] == 0.1)
        let svg = HeatmapChart.svg(Heatmap(title: "W", rows: 250, cols: 3, values: values))
        #expect(svg.contains("W (250×3; each cell the largest entry of a 3×3 block)"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 84 + 3)  // cells and the legend's swatches
        // Untitled, the note is the title, with room above the cells for it.
        let untitled = HeatmapChart.svg(Heatmap(rows: 250, cols: 3, values: values))
        #expect(untitled.contains(">250×3; each cell the largest entry of a 3×3 block</text>"))
        #expect(untitled.contains("<rect x=\"8.0\" y=\"30.0\""))
        // Small matrices are drawn as they are.
        #expect(HeatmapChart.pooled(Heatmap(rows: 100, cols: 100, values: Array(repeating: 1, count: 10_000))).block == 1)
    }

    @Test func aLongSeriesKeepsEachRunsExtremesInOrder() {
        let xs = (0..<10_000).map(Double.init)
        var ys = xs.map { sin($0 / 100) }
        ys[5_000] = 40
        ys[7_000] = .nan
        let kept = LineChart.decimated(xs, ys, buckets: 100)
        #expect(kept.count <= 200)
        #expect(kept.contains { $0 == (5_000, 40) })
        #expect(kept.contains { $0.1.isNaN })
        #expect(zip(kept, kept.dropFirst()).allSatisfy { $0.0 < $1.0 })
        #expect(kept.map(\.1).filter(\.isFinite).min()! < -0.99)
        // Short series are untouched.
        #expect(LineChart.decimated([0, 1, 2], [3, 4, 5], buckets: 100).map(\.1) == [3, 4, 5])
    }
}

@Suite struct PageTests {
    @Test func contentsPagerAndRelativeLinksOnly() {
        let page = PageTemplate.render(Page(title: "T", bodyHTML: "<p>x</p>", headings: [Heading(level: 1, text: "T", id: "t"), Heading(level: 2, text: "A", id: "a")],
                                            previous: Page.Link(title: "P", href: "p.html"), next: nil, checksPassed: 3, checksFailed: 1, source: "Notebooks/t.md"))
        #expect(page.contains("<li class=\"toc-2\"><a href=\"#a\">A</a></li>"))
        #expect(!page.contains("toc-1"))
        #expect(page.contains("<a class=\"prev\" href=\"p.html\">← P</a>"))
        #expect(page.contains("✗ 1 failed · 3 passed"))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"))
        #expect(page.contains("href=\"katex/katex.min.css\""))
        #expect(!page.contains("<h1 class=\"title\">"))  // the notebook's own heading is the title
        let untitled = PageTemplate.render(Page(title: "From front matter", bodyHTML: "<p>x</p>", headings: [], previous: nil, next: nil,
                                                checksPassed: 0, checksFailed: 0, source: "n.md"))
        #expect(untitled.contains("<article>\n<h1 class=\"title\">From front matter</h1>\n<p>x</p>"))
        let index = IndexPage.render(title: "Lessons", lessons: [.init(title: "One", href: "one.html", checksPassed: 5, checksFailed: 0, failed: false)])
        #expect(index.contains("<a href=\"one.html\">One</a> <span class=\"badge-checks ok\">✓ 5 checks passed</span>"))
    }
}
