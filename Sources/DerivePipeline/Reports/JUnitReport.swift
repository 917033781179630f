import DeriveRender
import DeriveDocument

/// `--format junit`: a testsuite per notebook, a testcase per check. A cell that stops on an
/// unexpected error, or misses its `expect`, is a testcase of its own; so is each TeX or reader error.
public enum JUnitReport {
    public static func render(_ report: RunReport) -> String {
        // The course file's errors are a suite of their own, a testcase each.
        let course = report.course.path.flatMap { path in
            report.course.diagnostics.contains { $0.severity == .error }
                ? NotebookReport(path: path, notebook: nil, result: NotebookResult(cells: [], diagnostics: report.course.diagnostics)) : nil
        }
        let suites = ((course.map { [$0] } ?? []) + report.notebooks).map(suite)
        let tests = suites.map(\.tests).reduce(0, +)
        let failures = suites.map(\.failures).reduce(0, +)
        let errors = suites.map(\.errors).reduce(0, +)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"derive\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for suite in suites { xml += suite.xml }
        xml += "</testsuites>\n"
        return xml
    }

    private struct Case {
        var name: String
        var classname: String
        var failure: (type: String, message: String, detail: String)?
    }

    private struct Suite {
        var tests = 0, failures = 0, errors = 0
        var xml = ""
    }

    private static func suite(_ report: NotebookReport) -> Suite {
        var cases: [Case] = []
        let classname = report.path
        if let readError = report.readError {
            cases.append(Case(name: "read", classname: classname, failure: ("error", readError, readError)))
        }
        for diagnostic in report.result.diagnostics where diagnostic.severity == .error {
            cases.append(Case(name: "line \(diagnostic.location.line)", classname: classname,
                              failure: ("error", diagnostic.message, diagnostic.formatted)))
        }
        if let notebook = report.notebook {
            for result in report.result.cells {
                cases += cellCases(result, notebook: notebook)
            }
        }
        var suite = Suite()
        suite.tests = cases.count
        suite.failures = cases.filter { $0.failure?.type == "failure" }.count
        suite.errors = cases.filter { $0.failure?.type == "error" }.count
        suite.xml = "  <testsuite name=\"\(escape(report.path))\" tests=\"\(suite.tests)\" failures=\"\(suite.failures)\" errors=\"\(suite.errors)\">\n"
        for c in cases {
            let open = "    <testcase name=\"\(escape(c.name))\" classname=\"\(escape(c.classname))\""
            if let failure = c.failure {
                suite.xml += open + ">\n"
                suite.xml += "      <\(failure.type) message=\"\(escape(failure.message))\">\(escape(failure.detail))</\(failure.type)>\n"
                suite.xml += "    </testcase>\n"
            } else {
                suite.xml += open + "/>\n"
            }
        }
        suite.xml += "  </testsuite>\n"
        return suite
    }

    private static func cellCases(_ result: CellResult, notebook: Notebook) -> [Case] {
        let cell = notebook.cells[result.index]
        let classname = "\(notebook.path).\(cell.options.label ?? "cell-\(cell.index + 1)")"
        // A failing check inside an `expect: fail` cell is the lesson working as meant.
        let checksMustPass = cell.options.expect == .pass
        var cases = result.checks.map { row in
            Case(name: "line \(row.location.line): \(row.title)", classname: classname,
                 failure: row.passed || !checksMustPass ? nil : ("failure", row.failureMessage, detail(row)))
        }
        let checkFailures = cases.contains { $0.failure != nil }
        if !result.passed, !checkFailures, let failure = result.failures(in: notebook).first {
            let type = result.error != nil ? "error" : "failure"
            cases.append(Case(name: "line \(cell.fenceLine): cell", classname: classname,
                              failure: (type, failure.message, failure.formatted)))
        }
        return cases
    }

    private static func detail(_ row: CheckRow) -> String {
        var lines = [row.failureMessage]
        if let reference = row.reference { lines.append("reference: \(reference)") }
        lines += row.notes
        lines += row.children.filter { !$0.passed }.map { "  " + $0.failureMessage }
        return lines.joined(separator: "\n")
    }

    /// HTML's escaping, plus what XML 1.0 adds: most control characters are forbidden even
    /// escaped, and a newline inside an attribute must be a character reference.
    static func escape(_ s: String) -> String {
        let allowed = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 && $0 != "\t" && $0 != "\n" ? "?" : $0 }))
        return HTML.escape(allowed).replacingOccurrences(of: "\n", with: "&#10;")
    }
}
