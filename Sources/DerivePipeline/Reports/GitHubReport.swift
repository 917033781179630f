import DeriveDocument

/// `--format github`: one `::error file=…,line=…,col=…::message` workflow command per failure,
/// and `::warning` for warnings, so failures show on the pull request's lines.
public enum GitHubReport {
    /// `equations`: also a warning for each numbered equation that no cell verifies.
    public static func render(_ report: RunReport, equations: Bool = false) -> String {
        var lines = report.course.diagnostics.map { annotation($0, file: $0.file) }
        if equations { lines += EquationList.unverified(report).map { annotation($0, file: $0.file) } }
        for notebook in report.notebooks {
            if let readError = notebook.readError {
                lines.append("::error file=\(property(notebook.path))::\(data(readError))")
            }
            lines += TextReport.problems(in: notebook).map { annotation($0, file: notebook.path) }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    static func annotation(_ diagnostic: Diagnostic, file: String) -> String {
        let kind = diagnostic.severity == .warning ? "warning" : "error"
        var message = diagnostic.message
        if let hint = diagnostic.hint { message += " (\(hint))" }
        return "::\(kind) file=\(property(file)),line=\(diagnostic.location.line),col=\(diagnostic.location.column)::\(data(message))"
    }

    /// Workflow-command escaping: data escapes %, CR, LF; properties also `:` and `,`. Done on
    /// Unicode scalars: Swift takes "\r\n" as one Character, so a replace by Character misses it,
    /// and a file name with CR LF could start a workflow command of its own.
    static func data(_ s: String) -> String {
        escape(s, ["%": "%25", "\r": "%0D", "\n": "%0A"])
    }

    static func property(_ s: String) -> String {
        escape(s, ["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
    }

    private static func escape(_ s: String, _ table: [Unicode.Scalar: String]) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            if let replacement = table[scalar] { out.append(contentsOf: replacement.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }
}
