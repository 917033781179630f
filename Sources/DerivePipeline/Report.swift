import Foundation
import DeriveDocument
import DeriveRender

/// What checking or rendering found for one notebook.
public struct NotebookReport: Sendable {
    public var path: String
    /// Nil when the file could not be read at all (`readError` says why).
    public var notebook: Notebook?
    public var result: NotebookResult
    /// Why the file could not be read (not UTF-8, missing, …): exit status 2.
    public var readError: String?

    public init(path: String, notebook: Notebook?, result: NotebookResult, readError: String? = nil) {
        self.path = path
        self.notebook = notebook
        self.result = result
        self.readError = readError
    }

    public var title: String { notebook?.title ?? path }
    public var passed: Bool { readError == nil && result.passed }

    /// Checks in cells that expect to pass (or forAll/plain cells), and failures there.
    public var checkCounts: CheckCounts {
        var counts = CheckCounts()
        for cell in result.cells {
            let expectFail = notebook.map { $0.cells[cell.index].options.expect == .fail } ?? false
            for row in cell.checks {
                if row.passed { counts.passed += 1 } else if expectFail { counts.expectedFailures += 1 } else { counts.failed += 1 }
            }
        }
        return counts
    }

    /// Cells that stopped on an error they did not expect, plus reader and TeX errors.
    public var errorCount: Int {
        let cellErrors = result.cells.filter { !$0.passed && $0.error != nil }.count
        let documentErrors = result.diagnostics.filter { $0.severity == .error }.count
        return cellErrors + documentErrors + (readError == nil ? 0 : 1)
    }
}

/// Check rows by outcome. A failing check in an `expect: fail` cell is what the author meant:
/// it is counted apart, not as a failure.
public struct CheckCounts: Sendable, Hashable {
    public var passed = 0
    public var failed = 0
    public var expectedFailures = 0
    public var total: Int { passed + failed + expectedFailures }

    public init() {}

    static func + (a: CheckCounts, b: CheckCounts) -> CheckCounts {
        var sum = a
        sum.passed += b.passed
        sum.failed += b.failed
        sum.expectedFailures += b.expectedFailures
        return sum
    }
}

/// The outcome of a `check` or `render` run over many notebooks.
public struct RunReport: Sendable {
    public var notebooks: [NotebookReport]
    /// The course file, when the folder has one (its diagnostics are the run's too).
    public var course: Course
    /// The site the notebooks make: numbered equations and the cells that verify them.
    public var site: SiteContext?

    public init(notebooks: [NotebookReport], course: Course = Course(), site: SiteContext? = nil) {
        self.notebooks = notebooks
        self.course = course
        self.site = site
    }

    public var checkCounts: CheckCounts { notebooks.map(\.checkCounts).reduce(CheckCounts(), +) }
    public var errorCount: Int {
        notebooks.map(\.errorCount).reduce(0, +) + course.diagnostics.filter { $0.severity == .error }.count
    }

    /// Exit status (see the README): 0 every notebook passed; 1 a check failed, a cell errored, a TeX error, or an
    /// error in the course file; 2 unreadable input (which wins, since the run could not see everything).
    public var exitCode: Int32 {
        if notebooks.contains(where: { $0.readError != nil }) { return 2 }
        return notebooks.allSatisfy(\.passed) && !course.diagnostics.contains { $0.severity == .error } ? 0 : 1
    }
}

extension CellResult {
    /// Every way the cell failed, as located diagnostics for text and annotation reports.
    func failures(in notebook: Notebook) -> [Diagnostic] {
        guard !passed else { return [] }
        let cell = notebook.cells[index]
        var out: [Diagnostic] = []
        if cell.options.expect != .error { out.append(contentsOf: errors) }
        if cell.options.expect == .pass {
            for row in checks where !row.passed {
                out.append(notebook.diagnostic(.error, row.failureMessage, at: row.location))
            }
        }
        if out.isEmpty {
            let reason = failureReason ?? (cell.options.expect == .error
                ? "the cell is marked 'expect: error' but raised no error"
                : "the cell is marked 'expect: fail' but all its checks passed")
            out.append(notebook.diagnostic(.error, reason, at: cell.notebookLocation(line: 1, column: 1)))
        }
        return out
    }
}

extension CheckRow {
    /// "check failed: label — diagnosis (max abs error …)".
    var failureMessage: String {
        var message = "check failed: \(title)"
        if !diagnosis.isEmpty { message += " — " + diagnosis.joined(separator: "; ") }
        if let maxAbsError { message += " (max abs error \(formatError(maxAbsError)))" }
        // A failing forAll names its trial and what was drawn, in every report.
        if let trial = (notes + children.flatMap(\.notes)).first(where: { $0.hasPrefix("fails in trial") }) { message += "; " + trial }
        return message
    }
}

func formatError(_ x: Double) -> String {
    // "\(x)" would print a NaN with its sign bit set as "-nan".
    x.isNaN ? "NaN" : x.isInfinite ? (x > 0 ? "inf" : "-inf") : String(format: "%.3g", x)
}
