import DeriveDocument
import Testing
@testable import DeriveRender

/// A typesetter that marks math so tests can see exactly what reached it.
struct EchoTypesetter: MathTypesetter {
    func typeset(_ tex: String, display: Bool) throws(TeXError) -> String {
        if tex.contains("\\bad") { throw TeXError(message: "Undefined control sequence: \\bad", position: 0) }
        return "<m\(display ? " display" : "")>\(HTML.escape(tex))</m>"
    }
}

func html(_ markdown: String, unsafe: Bool = false) -> RenderedMarkdown {
    MarkdownHTMLRenderer(typesetter: EchoTypesetter(), unsafeHTML: unsafe)
        .render(NotebookReader.parse(markdown, path: "t.md")) { cell in "<cell \(cell.index)>" }
}

@Suite struct MarkdownHTMLTests {
    @Test func mathReachesTheTypesetterVerbatimEverywhere() {
        let out = html("| a | b |\n|---|---|\n| $x_1 \\| y$ | $a*b*c$ |\n\n- $\\{x\\}_i$ and \\\\\n> $$u^\\top h \\\\ v$$").html
        #expect(out.contains("<td><m>x_1 \\| y</m></td><td><m>a*b*c</m></td>"))
        #expect(out.contains("<m>\\{x\\}_i</m>"))
        #expect(out.contains("<div class=\"math-display\"><m display>u^\\top h \\\\ v</m></div>"))
    }

    @Test func dollarsThatAreNotMath() {
        let out = html("costs $5 and $6, `code $x$`, \\$y\\$\n\n```\n$z$\n```").html
        #expect(!out.contains("<m>"))
        #expect(out.contains("costs $5 and $6"))
        #expect(out.contains("<code>code $x$</code>"))
        #expect(out.contains("$y$"))
        #expect(out.contains("<pre class=\"code\"><code>$z$\n</code></pre>"))
    }

    @Test func rawHTMLIsEscapedUnlessAsked() {
        #expect(html("<script>alert(1)</script>\n\ntext <b>bold</b>").html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html("text <b>bold</b>").html.contains("text &lt;b&gt;bold&lt;/b&gt;"))
        #expect(html("text <b>bold</b>", unsafe: true).html.contains("text <b>bold</b>"))
        #expect(html("[x](javascript:alert(1))").html.contains("<a href=\"#\">x</a>"))
    }

    @Test func headingsGetUniqueIdsForTheContents() {
        let out = html("# Title\n\n## The δ rule\n\n## The δ rule\n\n### Batch $m$")
        #expect(out.headings.map(\.id) == ["title", "the-δ-rule", "the-δ-rule-2", "batch-m"])
        #expect(out.html.contains("<h2 id=\"the-δ-rule\">The δ rule</h2>"))
    }

    @Test func aTeXErrorIsShownInPlaceAndReportedAtItsLine() {
        let out = html("line one\n\nsee $\\bad{x}$ here")
        #expect(out.html.contains("<span class=\"math-error\" title=\"Undefined control sequence: \\bad\">\\bad{x}</span>"))
        #expect(out.diagnostics.count == 1)
        #expect(out.diagnostics[0].location == SourceLocation(line: 3, column: 5))
        #expect(out.diagnostics[0].message == "TeX error: Undefined control sequence: \\bad")
    }

    @Test func tablesTaskListsAndCells() {
        let out = html("| l | r |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n\n```swift\nlet a = 1\n```\n\n中文 ~~gone~~").html
        #expect(out.contains("<th style=\"text-align: left\">l</th><th style=\"text-align: right\">r</th>"))
        #expect(out.contains("<li class=\"task\"><input type=\"checkbox\" disabled checked> done</li>"))
        #expect(out.contains("<cell 0>"))
        #expect(out.contains("<p>中文 <del>gone</del></p>"))
    }
}
