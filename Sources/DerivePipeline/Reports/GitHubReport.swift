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

    /// Workflow-command escaping: data escapes %, CR, LF; properties also `:` and `,`.
    static func data(_ s: String) -> String {
        s.replacingAll("%", "%25").replacingAll("\r", "%0D").replacingAll("\n", "%0A")
    }

    static func property(_ s: String) -> String {
        data(s).replacingAll(":", "%3A").replacingAll(",", "%2C")
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
