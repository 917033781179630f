import DeriveDocument
import DeriveLanguage
import DeriveRender
import Foundation
import Synchronization

/// Reads, runs and renders notebooks: the work behind `derive check` and `derive render`.
/// Notebooks are independent, so they run in parallel on all cores; then the site is seen whole
/// (equation numbers, references, links between lessons) and each page body is rendered.
public struct Pipeline: Sendable {
    public var limits: Limits
    public var unsafeHTML: Bool
    public var typesetter: any MathTypesetter

    public init(limits: Limits = .default, unsafeHTML: Bool = false, typesetter: (any MathTypesetter)? = nil) {
        self.limits = limits
        self.unsafeHTML = unsafeHTML
        self.typesetter = typesetter ?? KaTeX.shared
    }

    /// One notebook read and run (or why it could not be read).
    public struct Ran: Sendable {
        public var path: String
        public var notebook: Notebook?
        public var result: NotebookResult
        public var readError: String?
    }

    /// One notebook read, run, and its page body rendered (which also typesets its math,
    /// so TeX errors are found by `check` too).
    public struct Processed: Sendable {
        public var report: NotebookReport
        public var body: RenderedMarkdown?
        /// Its page's file name in the site.
        public var page: String = ""
    }

    /// Everything a run found: the notebooks in the course's order, the site they make, the course.
    public struct Outcome: Sendable {
        public var processed: [Processed]
        public var site: SiteContext
        public var course: CourseSite

        public var report: RunReport {
            RunReport(notebooks: processed.map(\.report), course: course.course, site: site)
        }
    }

    public func process(paths: [String]) -> [Processed] {
        processCourse(paths: paths).processed
    }

    public func process(path: String) -> Processed {
        process(paths: [path])[0]
    }

    /// Reads and runs the notebooks (in parallel), then renders them as one site. A path may be a
    /// folder (its notebooks, and its `derive.yml`); the first path decides the course's folder.
    public func processCourse(paths: [String], course: CourseSite? = nil) -> Outcome {
        let course = course ?? CourseSite.load(for: paths)
        let files = (try? NotebookDiscovery.notebooks(in: paths)) ?? paths
        let ordered = course.course.ordered(files, folder: course.root)
        return render(run(paths: ordered, defaults: course.course.defaults), course: course)
    }

    /// Reads and runs notebooks in parallel; results in input order.
    public func run(paths: [String], defaults: FrontMatter = FrontMatter()) -> [Ran] {
        let results = Mutex([Ran?](repeating: nil, count: paths.count))
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            let ran = run(path: paths[i], defaults: defaults)
            results.withLock { $0[i] = ran }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    public func run(path: String, defaults: FrontMatter = FrontMatter()) -> Ran {
        do {
            let notebook = try NotebookReader.read(path: path, defaults: defaults)
            return Ran(path: path, notebook: notebook, result: NotebookRunner(limits: limits).run(notebook))
        } catch {
            return Ran(path: path, notebook: nil, result: NotebookResult(cells: []), readError: error.description)
        }
    }

    /// The site the notebooks make, then each page body rendered against it.
    public func render(_ ran: [Ran], course: CourseSite) -> Outcome {
        let names = course.pageNames(for: ran.map(\.path))
        var members: [SiteContext.Member] = []
        var position: [Int: Int] = [:]  // ran index → member index
        let byPath = Dictionary(ran.enumerated().map { (CourseSite.standardized($1.path), $0) }, uniquingKeysWith: { a, _ in a })
        for path in course.notebooks(including: ran.map(\.path)) {
            if let i = byPath[CourseSite.standardized(path)] {
                guard let notebook = ran[i].notebook else { continue }
                position[i] = members.count
                members.append(.init(notebook: notebook, page: names[i], result: ran[i].result))
            } else if let notebook = try? NotebookReader.read(path: path, defaults: course.course.defaults) {
                // Not run this time, but part of the course: its equations and headings can be referred to.
                members.append(.init(notebook: notebook, page: course.pageName(for: path), result: nil))
            }
        }
        let (site, siteDiagnostics) = SiteContext.build(members, root: course.root)
        let typesetter = course.course.macros.isEmpty ? self.typesetter : MacroTypesetter(base: self.typesetter, macros: course.course.macros)
        let results = Mutex([Processed?](repeating: nil, count: ran.count))
        let memberIndex = position
        DispatchQueue.concurrentPerform(iterations: ran.count) { i in
            let item = ran[i]
            guard let notebook = item.notebook else {
                let report = NotebookReport(path: item.path, notebook: nil, result: item.result, readError: item.readError)
                results.withLock { $0[i] = Processed(report: report, body: nil, page: names[i]) }
                return
            }
            var result = item.result
            var cells = CellHTMLRenderer(typesetter: typesetter, digits: notebook.frontMatter.digits ?? 4, site: site, page: names[i])
            cells.namedLines = Set(result.cells.flatMap(\.checks).flatMap { [$0] + $0.children }.flatMap(\.namedLines))
            let body = MarkdownHTMLRenderer(typesetter: typesetter, unsafeHTML: unsafeHTML, site: site, page: names[i]).render(notebook) { cell in
                cells.render(cell, result: result.cells.indices.contains(cell.index) ? result.cells[cell.index] : nil, notebook: notebook)
            }
            let fromSite = memberIndex[i].map { siteDiagnostics[$0] } ?? []
            result.diagnostics = notebook.diagnostics + body.diagnostics + fromSite + result.diagnostics
            let processed = Processed(report: NotebookReport(path: item.path, notebook: notebook, result: result), body: body, page: names[i])
            results.withLock { $0[i] = processed }
        }
        return Outcome(processed: results.withLock { $0.compactMap { $0 } }, site: site, course: course)
    }

    /// `derive check`: no files written.
    public func check(paths: [String]) -> RunReport {
        processCourse(paths: paths).report
    }
}
