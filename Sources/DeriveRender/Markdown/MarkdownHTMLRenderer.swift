import DeriveDocument

/// A notebook's prose as HTML, its math typeset, its headings collected, and the TeX errors found.
public struct RenderedMarkdown: Sendable {
    public var html: String
    public var headings: [Heading]
    public var diagnostics: [Diagnostic]
    /// Files the prose links to, to copy into the site: site-relative path → source path.
    public var files: [String: String] = [:]
    /// Files it links to that do not exist, so a preview can watch for them to appear.
    public var missingFiles: [String] = []
}

/// Renders the Markdown tree to semantic HTML. Raw HTML is escaped unless `unsafeHTML`;
/// executable cells come from the caller (the page renderer owns them).
public struct MarkdownHTMLRenderer {
    public var typesetter: any MathTypesetter
    public var unsafeHTML: Bool
    /// The rest of the site, for links, equation numbers and references; nil: this notebook alone.
    public var site: SiteContext?
    /// This page's file name in the site.
    public var page: String

    public init(typesetter: any MathTypesetter, unsafeHTML: Bool = false, site: SiteContext? = nil, page: String = "") {
        self.typesetter = typesetter
        self.unsafeHTML = unsafeHTML
        self.site = site
        self.page = page
    }

    public func render(_ notebook: Notebook, cell: (Cell) -> String) -> RenderedMarkdown {
        withoutActuallyEscaping(cell) { cell in
            var state = State(notebook: notebook, cell: cell, site: site ?? .single(notebook, page: page),
                              headingIDs: Self.headingIDs(notebook))
            var html = ""
            for child in notebook.body.children { html += block(child, &state) }
            return RenderedMarkdown(html: html, headings: state.headings, diagnostics: state.diagnostics, files: state.files,
                                    missingFiles: state.missingFiles.sorted())
        }
    }

    /// The anchor ids of a notebook's headings, in order: slugs made unique within the page
    /// (`x`, `x-2`, `x-3`; each base remembers its next suffix, so many equal headings stay fast).
    public static func headingIDs(_ notebook: Notebook) -> [String] {
        var used: Set<String> = []
        var next: [String: Int] = [:]
        var ids: [String] = []
        func visit(_ node: MarkdownNode) {
            if case .heading = node.kind {
                let base = HTML.slug(plainText(node, notebook))
                var id = base, n = next[base] ?? 2
                while !used.insert(id).inserted { id = "\(base)-\(n)"; n += 1 }
                next[base] = n
                ids.append(id)
                return
            }
            node.children.forEach(visit)
        }
        visit(notebook.body)
        return ids
    }

    struct State {
        let notebook: Notebook
        let cell: (Cell) -> String
        let site: SiteContext
        let headingIDs: [String]
        var headings: [Heading] = []
        var diagnostics: [Diagnostic] = []
        var files: [String: String] = [:]
        var missingFiles: Set<String> = []
        /// Inside a tight list, paragraphs are not wrapped in <p>.
        var tight = false

        /// A warning or error at the first line from `line` on that contains `needle`.
        mutating func diagnose(_ severity: Diagnostic.Severity, _ message: String, needle: String, line: Int, hint: String? = nil) {
            let at = notebook.line(containing: needle, from: line)
            let column = notebook.line(at).flatMap { text in text.range(of: needle).map { text.unicodeScalars.distance(from: text.startIndex, to: $0.lowerBound) + 1 } } ?? 1
            diagnostics.append(notebook.diagnostic(severity, message, at: SourceLocation(line: at, column: column), length: needle.unicodeScalars.count, hint: hint))
        }
    }

    func block(_ node: MarkdownNode, _ state: inout State) -> String {
        func children(_ s: inout State) -> String { node.children.map { block($0, &s) }.joined() }
        switch node.kind {
        case .document: return children(&state)
        case .paragraph:
            if let math = loneDisplayMath(node) { return "<div class=\"math-display\">\(inline(math, &state))</div>\n" }
            let body = node.children.map { inline($0, &state) }.joined()
            return state.tight ? body : "<p>\(body)</p>\n"
        case .heading(let level):
            let text = Self.plainText(node, state.notebook)
            let id = state.headingIDs.indices.contains(state.headings.count) ? state.headingIDs[state.headings.count] : HTML.slug(text)
            state.headings.append(Heading(level: level, text: text, id: id))
            return "<h\(level) id=\"\(id)\">\(node.children.map { inline($0, &state) }.joined())</h\(level)>\n"
        case .blockQuote:
            let wasTight = state.tight
            state.tight = false
            defer { state.tight = wasTight }
            return "<blockquote>\n\(children(&state))</blockquote>\n"
        case .list(let ordered, let start, let tight):
            let wasTight = state.tight
            state.tight = tight
            defer { state.tight = wasTight }
            let tag = ordered ? "ol" : "ul"
            let startAttribute = ordered && start != 1 ? " start=\"\(start)\"" : ""
            return "<\(tag)\(startAttribute)>\n\(children(&state))</\(tag)>\n"
        case .item(let task):
            guard let task else { return "<li>\(children(&state))</li>\n" }
            let box = "<input type=\"checkbox\" disabled\(task ? " checked" : "")> "
            return "<li class=\"task\">\(box)\(children(&state))</li>\n"
        case .codeBlock(let info, let code):
            let language = info.split(separator: " ").first.map { " class=\"language-\(HTML.escape(String($0)))\"" } ?? ""
            return "<pre class=\"code\"><code\(language)>\(HTML.escape(code))</code></pre>\n"
        case .cell(let index):
            guard state.notebook.cells.indices.contains(index) else { return "" }
            return state.cell(state.notebook.cells[index])
        case .htmlBlock(let raw):
            return unsafeHTML ? raw : "<p class=\"raw-html\">\(HTML.escape(raw))</p>\n"
        case .thematicBreak: return "<hr>\n"
        case .table(let alignments):
            var html = "<div class=\"table-wrap\"><table>\n"
            for (i, row) in node.children.enumerated() {
                if i == 1 { html += "<tbody>\n" }
                let header = row.kind == .tableRow(header: true)
                let tag = header ? "th" : "td"
                let cells = row.children.enumerated().map { j, cell in
                    let align = j < alignments.count ? alignments[j] : .none
                    let style = align == .none ? "" : " style=\"text-align: \(align)\""
                    return "<\(tag)\(style)>\(cell.children.map { inline($0, &state) }.joined())</\(tag)>"
                }.joined()
                html += header ? "<thead>\n<tr>\(cells)</tr>\n</thead>\n" : "<tr>\(cells)</tr>\n"
            }
            if node.children.count > 1 { html += "</tbody>\n" }
            return html + "</table></div>\n"
        default:
            return inline(node, &state)
        }
    }

    func inline(_ node: MarkdownNode, _ state: inout State) -> String {
        func children(_ s: inout State) -> String { node.children.map { inline($0, &s) }.joined() }
        switch node.kind {
        case .text(let text): return HTML.escape(text)
        case .softBreak: return "\n"
        case .lineBreak: return "<br>\n"
        case .code(let code): return "<code>\(HTML.escape(code))</code>"
        case .emphasis: return "<em>\(children(&state))</em>"
        case .strong: return "<strong>\(children(&state))</strong>"
        case .strikethrough: return "<del>\(children(&state))</del>"
        case .link(let destination, let title):
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            return "<a href=\"\(HTML.url(resolve(destination, node, &state)))\"\(titleAttribute)>\(children(&state))</a>"
        case .image(let source, let title):
            let titleAttribute = title.isEmpty ? "" : " title=\"\(HTML.escape(title))\""
            let alt = node.children.map(\.plainText).joined()
            return "<img src=\"\(HTML.url(resolve(source, node, &state)))\" alt=\"\(HTML.escape(alt))\"\(titleAttribute) loading=\"lazy\">"
        case .equationReference(let label): return reference(label, node, &state)
        case .inlineHTML(let raw): return unsafeHTML ? raw : HTML.escape(raw)
        case .math(let index):
            guard state.notebook.math.indices.contains(index) else { return "" }
            let span = state.notebook.math[index]
            let html: String
            do {
                html = try typesetter.typeset(span.tex, display: span.display)
            } catch {
                state.diagnostics.append(state.notebook.diagnostic(.error, "TeX error: \(error.message)", at: span.location,
                                                                   hint: Self.numberingHint(error.message)))
                html = "<span class=\"math-error\" title=\"\(HTML.escape(error.message))\">\(HTML.escape(span.tex))</span>"
            }
            return span.label == nil ? html : equation(html, index: index, label: span.label!, &state)
        default:
            return block(node, &state)
        }
    }

    /// A paragraph that is one display formula (and maybe line breaks) renders as a block.
    func loneDisplayMath(_ paragraph: MarkdownNode) -> MarkdownNode? {
        let meaningful = paragraph.children.filter {
            if case .softBreak = $0.kind { return false }
            if case .text(let s) = $0.kind { return !s.allSatisfy(\.isWhitespace) }
            return true
        }
        guard meaningful.count == 1, case .math = meaningful[0].kind else { return nil }
        return meaningful[0]
    }

    /// Heading text for anchors and the contents, math kept as its TeX.
    static func plainText(_ node: MarkdownNode, _ notebook: Notebook) -> String {
        switch node.kind {
        case .math(let index): return notebook.math.indices.contains(index) ? notebook.math[index].tex : ""
        case .text(let s), .code(let s): return s
        case .softBreak, .lineBreak: return " "
        case .equationReference(let label): return "@" + label
        default: return node.children.map { plainText($0, notebook) }.joined()
        }
    }
}
