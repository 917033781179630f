import DeriveDocument
import DeriveRender
import Foundation

extension Pipeline {
    /// `derive render`: runs the notebooks and writes the whole site at once (index, one page per
    /// notebook, the stylesheet, KaTeX's CSS and fonts). Pages are written even when checks fail.
    public func render(paths: [String], to output: String) throws(SiteWriter.Failure) -> RunReport {
        let processed = process(paths: paths)
        try SiteWriter(output: output).write(files: Self.pages(processed, names: Self.pageNames(for: paths)), assets: KaTeXAssets.files())
        return RunReport(notebooks: processed.map(\.report))
    }

    /// Every page of the site, the index and the stylesheet, by site-relative path.
    static func pages(_ processed: [Processed], names: [String]) -> [String: Data] {
        var files: [String: Data] = [:]
        var lessons: [IndexPage.Lesson] = []
        for (i, item) in processed.enumerated() {
            let report = item.report
            let counts = report.checkCounts
            let (passed, failed) = (counts.passed + counts.expectedFailures, counts.failed + report.errorCount)
            func link(_ k: Int) -> Page.Link? {
                processed.indices.contains(k) ? Page.Link(title: processed[k].report.title, href: names[k]) : nil
            }
            let body = item.body?.html ?? "<h1>\(HTML.escape(report.path))</h1>\n<pre class=\"error\">\(HTML.escape(report.readError ?? "cannot read this notebook"))</pre>\n"
            let page = Page(title: report.title, bodyHTML: body, headings: item.body?.headings ?? [],
                            previous: link(i - 1), next: link(i + 1), checksPassed: passed, checksFailed: failed, source: report.path)
            files[names[i]] = Data(PageTemplate.render(page).utf8)
            lessons.append(IndexPage.Lesson(title: report.title, href: names[i], checksPassed: passed, checksFailed: failed, failed: !report.passed))
        }
        files["index.html"] = Data(IndexPage.render(title: "Lessons", lessons: lessons).utf8)
        files[Stylesheet.fileName] = Data(Stylesheet.css.utf8)
        return files
    }

    /// `01-chain-rule.md` → `01-chain-rule.html`; a repeated name gets `-2`, `-3`.
    static func pageNames(for paths: [String]) -> [String] {
        var used = Set(["index.html"])
        return paths.map { path in
            let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            var name = base + ".html", n = 2
            while !used.insert(name).inserted { name = "\(base)-\(n).html"; n += 1 }
            return name
        }
    }
}
