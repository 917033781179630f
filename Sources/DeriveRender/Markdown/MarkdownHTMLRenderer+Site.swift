import DeriveDocument

/// The parts of a page that reach the rest of the site: numbered equations with their check
/// badges, `@eq-name` references, and links to other lessons and to files.
extension MarkdownHTMLRenderer {
    /// A numbered equation: its number at the right, then a ✓ or ✗ per cell that verifies it.
    func equation(_ body: String, index: Int, label: String, _ state: inout State) -> String {
        guard let number = state.site.numbers[page]?[index] else { return body }
        let owner = state.site.equations[label].flatMap { $0.page == page && $0.span == index ? $0 : nil }
        var tag = "<span class=\"equation-number\">(\(number))</span>"
        for verifier in owner?.verifiers ?? [] {
            let href = SiteContext.href(verifier.page, verifier.anchor, from: page)
            let (mark, kind, words) = switch (verifier.passed, verifier.refutes) {
            case (true?, false): ("✓", "pass", "checked by")
            case (true?, true): ("✗", "fail", "shown wrong by")
            case (false?, _): ("✗", "fail", "fails its check in")
            case (nil, _): ("?", "unknown", "not run in this build:")
            }
            tag += "<a class=\"equation-check \(kind)\" href=\"\(HTML.url(href))\" title=\"\(words) \(HTML.escape(verifier.title))\">\(mark)</a>"
        }
        let id = owner == nil ? "" : " id=\"\(HTML.escape(label))\""
        return "<span class=\"equation\"\(id)><span class=\"equation-body\">\(body)</span><span class=\"equation-tag\">\(tag)</span></span>"
    }

    /// `@eq-name` → a link reading `(n)` on this page or `(p.n)` on another; unknown: an error.
    func reference(_ label: String, _ node: MarkdownNode, _ state: inout State) -> String {
        guard let equation = state.site.equations[label] else {
            let hint = state.site.closestLabel(to: label).map { "did you mean '@\($0)'?" }
            state.diagnose(.error, "unknown equation reference '@\(label)'", needle: "@" + label, line: node.line,
                           hint: hint ?? "label a display equation with $$ … $$ {#\(label)}")
            return "<span class=\"equation-ref unknown\">@\(HTML.escape(label))</span>"
        }
        let href = SiteContext.href(equation.page, label, from: page)
        return "<a class=\"equation-ref\" href=\"\(HTML.url(href))\">\(state.site.referenceText(equation, from: page))</a>"
    }

    /// LaTeX's way of numbering equations is not KaTeX's; the hint shows Derive's.
    static func numberingHint(_ message: String) -> String? {
        if message.contains("\\label") { return "number a display equation by writing {#eq-name} after its closing $$" }
        if message.contains("\\eqref") || message.contains("\\ref") { return "refer to a numbered equation with @eq-name in the prose" }
        return nil
    }

    /// A link's or image's destination for the page; files it names are noted for copying.
    func resolve(_ destination: String, _ node: MarkdownNode, _ state: inout State) -> String {
        let resolved = state.site.resolve(destination, from: state.notebook)
        if let warning = resolved.warning { state.diagnose(.warning, warning, needle: destination, line: node.line) }
        if let copy = resolved.copy { state.files[copy.path] = copy.source }
        if let missing = resolved.missing { state.missingFiles.insert(missing) }
        return resolved.href
    }
}
