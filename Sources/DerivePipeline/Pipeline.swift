import DeriveDocument
import DeriveLanguage
import DeriveRender
import Foundation
import Synchronization

/// Reads, runs and renders notebooks: the work behind `derive check` and `derive render`.
/// Notebooks are independent, so they run in parallel on all cores; results come back in input order.
public struct Pipeline: Sendable {
    public var limits: Limits
    public var unsafeHTML: Bool
    public var typesetter: any MathTypesetter

    public init(limits: Limits = .default, unsafeHTML: Bool = false, typesetter: (any MathTypesetter)? = nil) {
        self.limits = limits
        self.unsafeHTML = unsafeHTML
        self.typesetter = typesetter ?? KaTeX.shared
    }

    /// One notebook read, run, and its page body rendered (which also typesets its math,
    /// so TeX errors are found by `check` too).
    public struct Processed: Sendable {
        public var report: NotebookReport
        public var body: RenderedMarkdown?
    }

    public func process(paths: [String]) -> [Processed] {
        let results = Mutex([Processed?](repeating: nil, count: paths.count))
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            let processed = process(path: paths[i])
            results.withLock { $0[i] = processed }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    public func process(path: String) -> Processed {
        let notebook: Notebook
        do {
            notebook = try NotebookReader.read(path: path)
        } catch {
            let report = NotebookReport(path: path, notebook: nil, result: NotebookResult(cells: []), readError: error.description)
            return Processed(report: report, body: nil)
        }
        var result = NotebookRunner(limits: limits).run(notebook)
        let cells = CellHTMLRenderer(typesetter: typesetter, digits: notebook.frontMatter.digits ?? 4)
        let body = MarkdownHTMLRenderer(typesetter: TeXBudget(typesetter), unsafeHTML: unsafeHTML).render(notebook) { cell in
            cells.render(cell, result: result.cells.indices.contains(cell.index) ? result.cells[cell.index] : nil, notebook: notebook)
        }
        result.diagnostics = notebook.diagnostics + body.diagnostics + result.diagnostics
        return Processed(report: NotebookReport(path: path, notebook: notebook, result: result), body: body)
    }

    /// `derive check`: no files written.
    public func check(paths: [String]) -> RunReport {
        RunReport(notebooks: process(paths: paths).map(\.report))
    }
}
