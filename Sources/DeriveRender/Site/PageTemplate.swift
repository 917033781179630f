/// A lesson page: a full HTML document with contents, prev/next links and a check summary.
/// Links are relative, so the site works from `file://`; nothing needs JavaScript.
public struct Page: Sendable {
    public struct Link: Sendable {
        public var title: String
        public var href: String
        public init(title: String, href: String) {
            self.title = title
            self.href = href
        }
    }

    public var title: String
    public var bodyHTML: String
    public var headings: [Heading]
    public var previous: Link?
    public var next: Link?
    public var checksPassed: Int
    public var checksFailed: Int
    /// The notebook's path, shown as the page's source.
    public var source: String
    /// The course's title (`derive.yml`), shown in the header and the window title.
    public var siteTitle: String?

    public init(title: String, bodyHTML: String, headings: [Heading], previous: Link?, next: Link?, checksPassed: Int, checksFailed: Int, source: String) {
        self.title = title
        self.bodyHTML = bodyHTML
        self.headings = headings
        self.previous = previous
        self.next = next
        self.checksPassed = checksPassed
        self.checksFailed = checksFailed
        self.source = source
    }
}

public enum PageTemplate {
    public static func render(_ page: Page) -> String {
        var html = head(title: page.siteTitle.map { "\(page.title) · \($0)" } ?? page.title)
        html += "<body>\n<header class=\"site-header\"><a href=\"index.html\">← \(page.siteTitle.map(HTML.escape) ?? "All lessons")</a>"
        html += " <span class=\"badge-checks \(page.checksFailed == 0 ? "ok" : "bad")\">\(Badge.text(passed: page.checksPassed, failed: page.checksFailed))</span></header>\n"
        let toc = page.headings.filter { $0.level >= 2 && $0.level <= 3 }
        html += "<div class=\"layout\(toc.isEmpty ? " single" : "")\">\n"
        if !toc.isEmpty {
            html += "<nav class=\"toc\" aria-label=\"Contents\"><p class=\"toc-title\">Contents</p><ul>\n"
            for heading in toc {
                html += "<li class=\"toc-\(heading.level)\"><a href=\"#\(heading.id)\">\(HTML.escape(heading.text))</a></li>\n"
            }
            html += "</ul></nav>\n"
        }
        // A notebook without a top-level heading still shows its title (from the front matter or file name).
        let title = page.headings.contains { $0.level == 1 } ? "" : "<h1 class=\"title\">\(HTML.escape(page.title))</h1>\n"
        html += "<main>\n<article>\n\(title)\(page.bodyHTML)</article>\n"
        html += "<nav class=\"pager\" aria-label=\"Lessons\">"
        html += page.previous.map { "<a class=\"prev\" href=\"\(HTML.escape($0.href))\">← \(HTML.escape($0.title))</a>" } ?? "<span></span>"
        html += page.next.map { "<a class=\"next\" href=\"\(HTML.escape($0.href))\">\(HTML.escape($0.title)) →</a>" } ?? "<span></span>"
        html += "</nav>\n<footer>Source: <code>\(HTML.escape(page.source))</code> · checked and rendered by Derive</footer>\n"
        html += "</main>\n</div>\n</body>\n</html>\n"
        return html
    }

    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(HTML.escape(title))</title>
        <link rel="stylesheet" href="katex/katex.min.css">
        <link rel="stylesheet" href="\(Stylesheet.fileName)">
        </head>

        """
    }
}

/// "12 checks passed" or "10 passed · 2 failed".
public enum Badge {
    public static func text(passed: Int, failed: Int) -> String {
        failed == 0 ? "✓ \(passed) check\(passed == 1 ? "" : "s") passed" : "✗ \(failed) failed · \(passed) passed"
    }
}

/// The index: every lesson with its check badge.
public enum IndexPage {
    public struct Lesson: Sendable {
        public var title: String
        public var href: String
        public var checksPassed: Int
        public var checksFailed: Int
        public var failed: Bool
        /// The page's numbered equations, and how many of them a passing cell verifies.
        public var equations: Int
        public var equationsVerified: Int
        public init(title: String, href: String, checksPassed: Int, checksFailed: Int, failed: Bool, equations: Int = 0, equationsVerified: Int = 0) {
            self.title = title
            self.href = href
            self.checksPassed = checksPassed
            self.checksFailed = checksFailed
            self.failed = failed
            self.equations = equations
            self.equationsVerified = equationsVerified
        }
    }

    public static func render(title: String, lessons: [Lesson]) -> String {
        var html = PageTemplate.head(title: title)
        html += "<body>\n<main class=\"index\">\n<h1>\(HTML.escape(title))</h1>\n"
        html += "<p class=\"lede\">Lessons whose every derivation is checked numerically. Each badge counts the checks run when the page was built.</p>\n<ol class=\"lessons\">\n"
        for lesson in lessons {
            let ok = !lesson.failed && lesson.checksFailed == 0
            html += "<li><a href=\"\(HTML.escape(lesson.href))\">\(HTML.escape(lesson.title))</a> "
            html += "<span class=\"badge-checks \(ok ? "ok" : "bad")\">\(Badge.text(passed: lesson.checksPassed, failed: lesson.checksFailed))</span>"
            if lesson.equations > 0 {
                let all = lesson.equationsVerified == lesson.equations
                html += " <span class=\"badge-equations \(all ? "ok" : "partial")\">\(lesson.equationsVerified) of \(lesson.equations) equation\(lesson.equations == 1 ? "" : "s") verified</span>"
            }
            html += "</li>\n"
        }
        html += "</ol>\n<p class=\"reference-link\"><a href=\"\(ReferencePage.fileName)\">Library reference</a>: every function a cell can call.</p>\n"
        html += "<footer>Checked and rendered by Derive.</footer>\n</main>\n</body>\n</html>\n"
        return html
    }
}
