import DeriveDocument

/// The default `check` output: a line per notebook, then every problem as
/// `file:line:column: error: …` with the source line and a caret, then a summary.
public enum TextReport {
    public static func render(_ report: RunReport) -> String {
        var out = ""
        for problem in report.course.diagnostics { out += problem.formatted + "\n" }
        for notebook in report.notebooks {
            let counts = notebook.checkCounts
            let mark = notebook.passed ? "✓" : "✗"
            var line = "\(mark) \(notebook.path): \(counts.passed) of \(counts.total - counts.expectedFailures) checks passed"
            if counts.expectedFailures > 0 { line += ", \(counts.expectedFailures) failed as expected" }
            out += line + "\n"
            if let readError = notebook.readError { out += "\(notebook.path): error: \(readError)\n" }
            for problem in problems(in: notebook) { out += problem.formatted + "\n" }
        }
        let counts = report.checkCounts
        out += "\n\(count(report.notebooks.count, "notebook")), \(count(counts.total, "check")): \(counts.passed) passed, "
            + "\(counts.failed) failed, \(counts.expectedFailures) failed as expected, \(count(report.errorCount, "error"))\n"
        return out
    }

    /// "1 notebook", "2 notebooks".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// Reader and TeX diagnostics (warnings included), then each failing cell's failures.
    static func problems(in report: NotebookReport) -> [Diagnostic] {
        guard let notebook = report.notebook else { return [] }
        var all = report.result.diagnostics
        for cell in report.result.cells {
            all += cell.failures(in: notebook)
        }
        return all
    }
}
