import DeriveDocument
import DeriveLanguage
import DeriveRender
import Foundation

extension Pipeline {
    /// `derive render`: runs the notebooks and writes the whole site at once (index, one page per
    /// notebook, the stylesheet, KaTeX's CSS and fonts, the files the lessons link to). Pages are
    /// written even when checks fail.
    public func render(paths: [String], to output: String) throws(SiteWriter.Failure) -> RunReport {
        let outcome = processCourse(paths: paths)
        let site = Self.site(outcome)
        try SiteWriter(output: output).write(files: site.files, assets: site.assets)
        return outcome.report
    }

    /// Generated pages by site path, and files copied in (KaTeX's, and those the lessons link to).
    static func site(_ outcome: Outcome, katex: [String: URL] = KaTeXAssets.files()) -> (files: [String: Data], assets: [String: URL]) {
        let files = pages(outcome.processed, title: outcome.course.course.title, site: outcome.site)
        var assets = katex
        for item in outcome.processed {
            for (path, source) in item.body?.files ?? [:] where files[path] == nil && assets[path] == nil {
                assets[path] = URL(fileURLWithPath: source)
            }
        }
        return (files, assets)
    }

    /// Every page of the site, the index and the stylesheet, by site-relative path.
    static func pages(_ processed: [Processed], title: String? = nil, site: SiteContext? = nil) -> [String: Data] {
        var files: [String: Data] = [:]
        var lessons: [IndexPage.Lesson] = []
        let siteTitle = title ?? "Lessons"
        for (i, item) in processed.enumerated() {
            let report = item.report
            let counts = report.checkCounts
            let (passed, failed) = (counts.passed + counts.expectedFailures, counts.failed + report.errorCount)
            func link(_ k: Int) -> Page.Link? {
                processed.indices.contains(k) ? Page.Link(title: processed[k].report.title, href: processed[k].page) : nil
            }
            let body = item.body?.html ?? "<h1>\(HTML.escape(report.path))</h1>\n<pre class=\"error\">\(HTML.escape(report.readError ?? "cannot read this notebook"))</pre>\n"
            var page = Page(title: report.title, bodyHTML: body, headings: item.body?.headings ?? [],
                            previous: link(i - 1), next: link(i + 1), checksPassed: passed, checksFailed: failed, source: report.path)
            page.siteTitle = title
            files[item.page] = Data(PageTemplate.render(page).utf8)
            let equations = site?.equations.values.filter { $0.page == item.page } ?? []
            let verified = equations.filter { $0.verifiers.contains { $0.passed == true && !$0.refutes } }.count
            lessons.append(IndexPage.Lesson(title: report.title, href: item.page, checksPassed: passed, checksFailed: failed, failed: !report.passed,
                                            equations: equations.count, equationsVerified: verified))
        }
        files["index.html"] = Data(IndexPage.render(title: siteTitle, lessons: lessons).utf8)
        // The library, from the cell language's own table.
        let sections = Reference.sections.map { section in
            ReferencePage.Section(title: section.title, entries: section.entries.map {
                ReferencePage.Entry(name: $0.name, signature: $0.signature, summary: $0.summary, example: $0.example)
            })
        }
        files[ReferencePage.fileName] = Data(ReferencePage.render(siteTitle: siteTitle, sections: sections, methods: Reference.methods).utf8)
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
