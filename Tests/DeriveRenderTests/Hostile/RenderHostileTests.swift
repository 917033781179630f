import DeriveDocument
import Foundation
import Testing
@testable import DeriveRender

/// Hostile input to the renderer (issue 16): links, big formulas and cells, deep trees.
@Suite struct RenderHostileTests {
    // 13. Hrefs were never percent-encoded, and a scheme behind a tab or space passed.
    @Test func scriptSchemesAreRefusedHoweverWritten() {
        for url in ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                    "java\nscript:alert(1)", "\u{1}javascript:x", "vbscript:x", "data:text/html,<script>x</script>"] {
            #expect(HTML.url(url) == "#", "\(url.debugDescription)")
        }
        #expect(html("[x](java&#9;script:alert(1))").html.contains("href=\"#\""))
        #expect(HTML.url("data:image/png;base64,AAAA") == "data:image/png;base64,AAAA")
        #expect(HTML.url("javascript-notes.html") == "javascript-notes.html")
    }

    @Test func authorLinksArePercentEncodedWhereTheyMustBe() {
        #expect(HTML.url("a b.html#Sec 2") == "a%20b.html#Sec%202")
        #expect(HTML.url("https://example.org/?q=1&r=\"x\"") == "https://example.org/?q=1&amp;r=%22x%22")
        #expect(HTML.url("already%20encoded.html") == "already%20encoded.html")
        #expect(HTML.url("100%.html") == "100%25.html")
        #expect(HTML.url("é.html") == "%C3%A9.html")
        #expect(HTML.url("<b>") == "%3Cb%3E")
    }

    @Test func generatedPageLinksEncodeEverythingButThePath() {
        #expect(HTML.href(path: "javascript:alert(1).html") == "javascript%3Aalert%281%29.html")
        #expect(HTML.href(path: "a b#c?d%e.html") == "a%20b%23c%3Fd%25e.html")
        #expect(HTML.href(path: "01-x.html") == "01-x.html")
    }

    // 11. KaTeX had no limit: a 60 KB formula ran for minutes and gigabytes.
    @Test func aFormulaPastTheCapIsATeXErrorAtOnce() throws {
        let katex = testKaTeX()
        let tex = String(repeating: "x+", count: 30_000) + "x"
        var message = ""
        let start = ContinuousClock.now
        do { _ = try katex.typeset(tex, display: true) } catch { message = error.message }
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(message == "this formula is 60001 bytes long; a formula is limited to 4096 bytes")
        #expect(throws: TeXError.self) { try katex.typeset(String(repeating: "a", count: KaTeX.maximumTeXBytes + 1), display: false) }
    }

    // 27. A NUL cut KaTeX's message short (its text crossed into Swift as a C string).
    @Test func katexMessagesKeepWhatFollowsANul() {
        var message = ""
        do { _ = try testKaTeX().typeset("a\u{0}b \\nope", display: false) } catch { message = error.message }
        #expect(!message.isEmpty)
        #expect(message.hasSuffix("'") || message.contains("nope"), "\(message.debugDescription)")
    }

    // 12. Highlighting a 1 MB cell took seconds in swift-syntax: past the cap it is shown plain.
    @Test func aCellPastTheCapIsShownPlain() {
        let source = String(repeating: "let x = 1 < 2\n", count: 80_000)
        var highlighted = ""
        let start = ContinuousClock.now
        highlighted = Highlighter.html(source)
        #expect(ContinuousClock.now - start < .seconds(3))
        #expect(!highlighted.contains("<span") && highlighted.contains("1 &lt; 2"))
    }

    // 1. The renderer walks the reader's tree, which never nests past the reader's limit.
    @Test func deeplyNestedMarkdownRenders() {
        let rendered = html(String(repeating: "> ", count: 3000) + "*x*\n\n" + String(repeating: "- ", count: 3000) + "y\n")
        #expect(rendered.html.contains("x") && rendered.html.contains("y"))
        #expect(rendered.html.components(separatedBy: "<blockquote>").count - 1 == MarkdownNode.maximumDepth)
    }

    // 23. Duplicate labels gave duplicate ids.
    @Test func duplicateLabelsGetUniqueAnchors() {
        let notebook = NotebookReader.parse("```swift\n//| label: a\n1\n```\n\n```swift\n//| label: a\n2\n```\n", path: "d.md")
        let renderer = CellHTMLRenderer(typesetter: EchoTypesetter())
        let ids = notebook.cells.map { renderer.render($0, result: nil, notebook: notebook) }
            .map { $0.components(separatedBy: "id=\"")[1].prefix { $0 != "\"" } }
        #expect(ids == ["a", "a-2"])
    }

    // 11. Each formula is capped; so is a page's prose math in all, or thousands of formulas
    // at the cap would still take hours.
    @Test func aPagesMathHasABudget() throws {
        let budget = TeXBudget(EchoTypesetter(), bytes: 200)
        #expect((try? budget.typeset("abcdef", display: false)) != nil)  // counts 64
        #expect((try? budget.typeset(String(repeating: "x", count: 100), display: false)) != nil)
        #expect(throws: TeXError.self) { try budget.typeset("ghijkl", display: false) }
        #expect(try budget.typeset("<b>", display: false) == "<span class=\"math-error\">&lt;b&gt;</span>")
        let notebook = NotebookReader.parse(String(repeating: "$" + String(repeating: "x", count: 4000) + "$\n\n", count: 70), path: "m.md")
        let rendered = MarkdownHTMLRenderer(typesetter: TeXBudget(EchoTypesetter())).render(notebook) { _ in "" }
        #expect(rendered.diagnostics.map(\.location.line) == [2 * (TeXBudget.maximumPageBytes / 4000) + 1])
        #expect(rendered.diagnostics.first?.message == "TeX error: this page's math is past 256 KB of TeX in all; it and the formulas after it are shown as TeX")
    }
}
