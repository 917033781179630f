/// `reference.html`: the cell language's library, one section per kind, each name with its
/// signature, a sentence and a highlighted example. The entries come from the language's table.
public enum ReferencePage {
    public struct Entry: Sendable {
        public var name, signature, summary, example: String
        public init(name: String, signature: String, summary: String, example: String) {
            (self.name, self.signature, self.summary, self.example) = (name, signature, summary, example)
        }
    }

    public struct Section: Sendable {
        public var title: String
        public var entries: [Entry]
        public init(title: String, entries: [Entry]) {
            self.title = title
            self.entries = entries
        }
    }

    public static let fileName = "reference.html"

    public static func render(siteTitle: String, sections: [Section], methods: [(receiver: String, names: [String])]) -> String {
        var html = PageTemplate.head(title: "Library reference · \(siteTitle)")
        html += "<body>\n<header class=\"site-header\"><a href=\"index.html\">← \(HTML.escape(siteTitle))</a></header>\n"
        html += "<div class=\"layout\">\n<nav class=\"toc\" aria-label=\"Contents\"><p class=\"toc-title\">Contents</p><ul>\n"
        for section in sections { html += "<li class=\"toc-2\"><a href=\"#\(HTML.slug(section.title))\">\(HTML.escape(section.title))</a></li>\n" }
        html += "<li class=\"toc-2\"><a href=\"#methods\">Methods and properties</a></li>\n</ul></nav>\n<main>\n<article class=\"reference\">\n<h1>Library reference</h1>\n"
        html += "<p>Every name a cell can call. Numbers or tensors go in, elementwise where that makes sense; every function is differentiable where mathematics allows.</p>\n"
        for section in sections {
            html += "<h2 id=\"\(HTML.slug(section.title))\">\(HTML.escape(section.title))</h2>\n<dl class=\"reference-entries\">\n"
            for entry in section.entries {
                html += "<dt id=\"\(HTML.slug(entry.name))\"><code>\(HTML.escape(entry.signature))</code></dt>\n"
                html += "<dd><p>\(HTML.escape(entry.summary))</p><pre class=\"source example\"><code>\(Highlighter.html(entry.example))</code></pre></dd>\n"
            }
            html += "</dl>\n"
        }
        html += "<h2 id=\"methods\">Methods and properties</h2>\n<ul>\n"
        for (receiver, names) in methods {
            html += "<li>of \(HTML.escape(receiver)): " + names.map { "<code>.\(HTML.escape($0))</code>" }.joined(separator: " ") + "</li>\n"
        }
        html += "</ul>\n</article>\n<footer>Generated from the cell language's library table by Derive.</footer>\n</main>\n</div>\n</body>\n</html>\n"
        return html
    }
}
