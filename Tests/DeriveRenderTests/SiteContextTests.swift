import DeriveDocument
import Foundation
import Testing
@testable import DeriveRender

/// A folder of notebooks on disk (links are resolved against real files).
struct SiteFolder {
    let folder: URL

    init(_ files: [String: String]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("derive-site-\(UUID().uuidString)")
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    func notebook(_ path: String) throws -> Notebook { try NotebookReader.read(path: folder.appendingPathComponent(path).path) }

    /// Each notebook's page body and diagnostics, rendered as one site in the order given.
    func render(_ paths: [String], results: [String: NotebookResult] = [:]) throws -> [String: RenderedMarkdown] {
        let notebooks = try paths.map(notebook)
        let members = zip(paths, notebooks).map { SiteContext.Member(notebook: $1, page: page($0), result: results[$0]) }
        let (site, diagnostics) = SiteContext.build(members, root: folder.path)
        var out: [String: RenderedMarkdown] = [:]
        for (i, (path, notebook)) in zip(paths, notebooks).enumerated() {
            let cells = CellHTMLRenderer(typesetter: EchoTypesetter(), site: site, page: page(path))
            var body = MarkdownHTMLRenderer(typesetter: EchoTypesetter(), site: site, page: page(path)).render(notebook) { cell in
                cells.render(cell, result: results[path]?.cells.first { $0.index == cell.index }, notebook: notebook)
            }
            body.diagnostics += diagnostics[i]
            out[path] = body
        }
        return out
    }

    func page(_ path: String) -> String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension + ".html" }
}

func messages(_ rendered: RenderedMarkdown?) -> [String] {
    (rendered?.diagnostics ?? []).map { "\($0.severity.rawValue) \($0.location.line): \($0.message)" }
}

@Suite struct NumberedEquationTests {
    static let first = "# One\n\n$$ a = b $$ {#eq-a}\n\n$$ c $$\n\n$$ d = e $$ {#eq-d}\n\nBy @eq-d and @eq-a.\n"
    static let second = "# Two\n\nFrom @eq-a of lesson one, and @eq-own:\n\n$$ f $$ {#eq-own}\n"

    @Test func numberedPerPageWithTheNumberAtTheRight() throws {
        let out = try SiteFolder(["01-one.md": Self.first]).render(["01-one.md"])["01-one.md"]!
        #expect(messages(out).isEmpty)
        #expect(out.html.contains("<span class=\"equation\" id=\"eq-a\"><span class=\"equation-body\"><m display>a = b</m></span><span class=\"equation-tag\"><span class=\"equation-number\">(1)</span></span></span>"))
        #expect(out.html.contains("<div class=\"math-display\"><m display>c</m></div>"))  // unlabelled: not numbered
        #expect(out.html.contains("id=\"eq-d\"") && out.html.contains("<span class=\"equation-number\">(2)</span>"))
        #expect(!out.html.contains("{#eq"))
        #expect(out.html.contains("By <a class=\"equation-ref\" href=\"#eq-d\">(2)</a> and <a class=\"equation-ref\" href=\"#eq-a\">(1)</a>."))
    }

    @Test func aLabelReferencedAcrossPagesReadsLessonDotNumber() throws {
        let out = try SiteFolder(["01-one.md": Self.first, "02-two.md": Self.second]).render(["01-one.md", "02-two.md"])
        let two = out["02-two.md"]!
        #expect(messages(two).isEmpty)
        #expect(two.html.contains("From <a class=\"equation-ref\" href=\"01-one.html#eq-a\">(1.1)</a> of lesson one, and <a class=\"equation-ref\" href=\"#eq-own\">(1)</a>:"))
        // Numbering starts again on each page.
        #expect(two.html.contains("id=\"eq-own\"") && two.html.contains("<span class=\"equation-number\">(1)</span>"))
    }

    @Test func anUnknownReferenceIsAnErrorAtItsLine() throws {
        let out = try SiteFolder(["01-one.md": "# One\n\n$$ a $$ {#eq-alpha}\n\nSee\n@eq-alpah here.\n"]).render(["01-one.md"])["01-one.md"]!
        #expect(messages(out) == ["error 6: unknown equation reference '@eq-alpah'"])
        #expect(out.diagnostics.first?.hint == "did you mean '@eq-alpha'?")
        #expect(out.diagnostics.first?.location.column == 1)
        #expect(out.html.contains("<span class=\"equation-ref unknown\">@eq-alpah</span>"))
    }

    @Test func aDuplicateLabelIsAnErrorAtItsLineOnTheSamePageOrAnother() throws {
        let course = try SiteFolder(["01-one.md": Self.first, "02-two.md": "# Two\n\n$$ x $$ {#eq-a}\n\n$$ y $$ {#eq-y}\n\n$$ z $$ {#eq-y}\n"])
        let two = try course.render(["01-one.md", "02-two.md"])["02-two.md"]!
        #expect(messages(two) == [
            "error 3: duplicate equation label 'eq-a': it already labels 01-one.html, equation (1.1)",
            "error 7: duplicate equation label 'eq-y': it already labels equation (2) of this page",
        ])
        // The first keeps the anchor; the duplicates are still numbered where they stand.
        #expect(two.html.components(separatedBy: "id=\"eq-y\"").count == 2)
        #expect(two.html.contains("<span class=\"equation-number\">(3)</span>"))
    }
}

@Suite struct CheckedEquationTests {
    static let text = """
    # Checked

    $$ f'(x) = 2x $$ {#eq-square}

    $$ g'(x) = 3x^2 $$ {#eq-cube}

    ```swift
    //| label: square
    //| verifies: [eq-square]
    check(true)
    ```

    ```swift
    //| verifies: [eq-cube, eq-square]
    check(false)
    ```
    """

    static let results = NotebookResult(cells: [
        CellResult(index: 0, outputs: [], error: nil, passed: true),
        CellResult(index: 1, outputs: [], error: nil, passed: false),
    ])

    @Test func equationsShowAPassBadgeLinkedToTheCellOrAFailBadge() throws {
        let out = try SiteFolder(["c.md": Self.text]).render(["c.md"], results: ["c.md": Self.results])["c.md"]!
        #expect(messages(out).isEmpty)
        #expect(out.html.contains("<span class=\"equation-number\">(1)</span><a class=\"equation-check pass\" href=\"#square\" title=\"checked by square\">✓</a><a class=\"equation-check fail\" href=\"#cell-2\" title=\"fails its check in cell 2\">✗</a>"))
        #expect(out.html.contains("<span class=\"equation-number\">(2)</span><a class=\"equation-check fail\" href=\"#cell-2\""))
        // The cells say what they verify, linked back.
        #expect(out.html.contains("<span class=\"verifies\">verifies <a class=\"equation-ref\" href=\"#eq-square\">(1)</a></span>"))
        #expect(out.html.contains("verifies <a class=\"equation-ref\" href=\"#eq-cube\">(2)</a>, <a class=\"equation-ref\" href=\"#eq-square\">(1)</a>"))
    }

    @Test func latexNumberingIsATeXErrorThatShowsDerivesWay() {
        let katex = testKaTeX()
        let out = MarkdownHTMLRenderer(typesetter: katex).render(NotebookReader.parse("$$ a \\label{eq:a} $$\n\nSee $\\eqref{eq:a}$.\n", path: "l.md")) { _ in "" }
        #expect(out.diagnostics.map(\.hint) == ["number a display equation by writing {#eq-name} after its closing $$",
                                                "refer to a numbered equation with @eq-name in the prose"])
    }

    @Test func aCellThatExpectsToFailShowsTheEquationWrongAndOneNotRunSaysSo() throws {
        let text = "# W\n\n$$ a $$ {#eq-wrong}\n\n```swift\n//| expect: fail\n//| verifies: [eq-wrong]\ncheck(false)\n```\n\n```swift\n//| eval: false\n//| verifies: [eq-wrong]\ncheck(true)\n```\n"
        let results = NotebookResult(cells: [CellResult(index: 0, outputs: [], error: nil, passed: true),
                                             CellResult(index: 1, outputs: [], error: nil, passed: true, ran: false)])
        let out = try SiteFolder(["w.md": text]).render(["w.md"], results: ["w.md": results])["w.md"]!
        #expect(out.html.contains("<a class=\"equation-check fail\" href=\"#cell-1\" title=\"shown wrong by cell 1\">✗</a>"))
        #expect(out.html.contains("<a class=\"equation-check unknown\" href=\"#cell-2\" title=\"not run in this build: cell 2\">?</a>"))
    }

    @Test func anEquationNoCellVerifiesHasNoBadge() throws {
        let out = try SiteFolder(["c.md": "# C\n\n$$ a $$ {#eq-a}\n"]).render(["c.md"])["c.md"]!
        #expect(!out.html.contains("equation-check"))
    }

    @Test func aVerifiesToNowhereIsAnErrorAtItsOptionLine() throws {
        let text = Self.text.replacingOccurrences(of: "[eq-cube, eq-square]", with: "[eq-cub]")
        let out = try SiteFolder(["c.md": text]).render(["c.md"], results: ["c.md": Self.results])["c.md"]!
        #expect(messages(out) == ["error 14: 'verifies' names 'eq-cub', but no equation of the site has that label"])
        #expect(out.diagnostics.first?.hint == "did you mean 'eq-cube'?")
        #expect(out.diagnostics.first?.location.column == 5)
        #expect(out.html.contains("<span class=\"equation-ref unknown\">eq-cub</span>"))
    }
}

@Suite struct LinkAndImageTests {
    static let files = [
        "01-a.md": "# A\n\n## The rule\n\n![net](img/net.png) and [data](data/x.csv?raw#top).\n\nNext: [B](02-b.md), [its cell](02-b.md#setup), [its rule](02-b.md#the-rule).\n\nAway: <https://example.org> and [here](#the-rule).\n",
        "02-b.md": "# B\n\n```swift\n//| label: setup\nlet x = 1\n```\n\n$$ x $$ {#eq-x}\n\n[back](01-a.md#the-rule) [eq](01-a.md#eq-x) [gone](03-c.md) [no heading](01-a.md#nowhere)\n\n![lost](img/lost.png)\n\n![out](../outside.png)\n",
        "img/net.png": "png", "data/x.csv": "1,2\n", "part/03-d.md": "# D\n\n![up](../img/net.png)\n",
    ]

    @Test func linksToLessonsAndTheirHeadingsBecomePages() throws {
        let out = try SiteFolder(Self.files).render(["01-a.md", "02-b.md"])
        let a = out["01-a.md"]!
        #expect(a.html.contains("<a href=\"02-b.html\">B</a>, <a href=\"02-b.html#setup\">its cell</a>, <a href=\"02-b.html#the-rule\">its rule</a>"))
        #expect(a.html.contains("<a href=\"https://example.org\">") && a.html.contains("<a href=\"#the-rule\">here</a>"))
        // 02-b.md has no heading 'the-rule' (its only heading is "B").
        #expect(messages(a) == ["warning 7: link to '02-b.md#the-rule': 02-b.md has no heading (or cell, or equation) with that id"])
    }

    @Test func missingLessonsHeadingsAndFilesAreWarningsAtTheirLines() throws {
        let b = try SiteFolder(Self.files).render(["01-a.md", "02-b.md"])["02-b.md"]!
        #expect(b.html.contains("<a href=\"01-a.html#the-rule\">back</a>"))
        #expect(messages(b) == [
            "warning 10: link to '01-a.md#eq-x': 01-a.md has no heading (or cell, or equation) with that id",
            "warning 10: link to '03-c.md': no such notebook in the site",
            "warning 10: link to '01-a.md#nowhere': 01-a.md has no heading (or cell, or equation) with that id",
            "warning 12: 'img/lost.png' does not exist (looked for \(try SiteFolder.standardizedRoot(b))/img/lost.png)",
            "warning 14: '../outside.png' is outside the notebooks' folder, so it is not copied into the site",
        ])
        #expect(b.files.isEmpty)
        #expect(b.html.contains("<a href=\"03-c.md\">gone</a>"))
    }

    @Test func relativeFilesAreCopiedAtTheSamePath() throws {
        let course = try SiteFolder(Self.files)
        let out = try course.render(["01-a.md", "02-b.md", "part/03-d.md"])
        let a = out["01-a.md"]!
        #expect(a.html.contains("<img src=\"img/net.png\" alt=\"net\" loading=\"lazy\">"))
        #expect(a.html.contains("<a href=\"data/x.csv?raw#top\">data</a>"))
        #expect(Set(a.files.keys) == ["img/net.png", "data/x.csv"])
        #expect(a.files["img/net.png"]?.hasSuffix("/img/net.png") == true)
        // From a subfolder, the same file, reached from the page at the site's top.
        let d = out["part/03-d.md"]!
        #expect(messages(d).isEmpty)
        #expect(d.html.contains("<img src=\"img/net.png\""))
        #expect(Set(d.files.keys) == ["img/net.png"])
    }

    @Test func aLinkThatLeadsOutThroughASymlinkIsNotCopied() throws {
        let course = try SiteFolder(["01-a.md": "# A\n\n![secret](img/secret.png)\n"])
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("derive-secret-\(UUID().uuidString).png")
        try Data("secret".utf8).write(to: outside)
        try FileManager.default.createDirectory(at: course.folder.appendingPathComponent("img"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: course.folder.appendingPathComponent("img/secret.png"), withDestinationURL: outside)
        let a = try course.render(["01-a.md"])["01-a.md"]!
        #expect(a.files.isEmpty)
        #expect(messages(a) == ["warning 3: 'img/secret.png' is outside the notebooks' folder, so it is not copied into the site"])
    }
}

extension SiteFolder {
    static func standardizedRoot(_ rendered: RenderedMarkdown) throws -> String {
        let path = try #require(rendered.diagnostics.first { $0.message.contains("does not exist") }?.message)
        return String(path.split(separator: "(looked for ").last!.dropLast()).replacingOccurrences(of: "/img/lost.png", with: "")
    }
}

@Suite struct CourseStyleTests {
    @Test func everyTokenClassHasAColourInBothSchemes() {
        for token in Highlighter.tokenClasses {
            #expect(Stylesheet.css.contains(".tok-\(token) { color: var(--tok-\(token)); }"))
            #expect(Stylesheet.css.components(separatedBy: "--tok-\(token):").count == 3, "--tok-\(token) in light and dark")
        }
    }

    @Test func valuesScrollSidewaysOnlyAndEquationsScrollInTheirOwnBox() {
        #expect(Stylesheet.css.contains(".value { overflow-x: auto; overflow-y: hidden;"))
        #expect(Stylesheet.css.contains(".equation-body { flex: 1 1 auto; min-width: 0; overflow-x: auto; overflow-y: hidden; }"))
        #expect(Stylesheet.css.contains(".equation-tag { flex: none;"))
    }

    @Test func courseMacrosReachKaTeX() throws {
        let plain = testKaTeX()
        #expect(throws: TeXError.self) { try plain.typeset("\\Loss(\\theta)", display: false) }
        let withMacros = MacroTypesetter(base: plain, macros: ["\\Loss": "\\mathcal{L}"])
        let html = try withMacros.typeset("\\Loss(\\theta)", display: false)
        #expect(html.contains("mathcal"))
        // Cached apart from the same TeX without macros.
        #expect(throws: TeXError.self) { try plain.typeset("\\Loss(\\theta)", display: false) }
    }
}
