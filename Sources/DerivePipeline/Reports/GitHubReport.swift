import DeriveDocument

/// `--format github`: one `::error file=…,line=…,col=…::message` workflow command per failure,
/// and `::warning` for warnings, so failures show on the pull request's lines.
public enum GitHubReport {
    public static func render(_ report: RunReport) -> String {
        var lines: [String] = []
        for notebook in report.notebooks {
            if let readError = notebook.readError {
                lines.append("::error file=\(property(notebook.path))::\(data(readError))")
            }
            for diagnostic in TextReport.problems(in: notebook) {
                let kind = diagnostic.severity == .warning ? "warning" : "error"
                var message = diagnostic.message
                if let hint = diagnostic.hint { message += " (\(hint))" }
                lines.append("::\(kind) file=\(property(notebook.path)),line=\(diagnostic.location.line),col=\(diagnostic.location.column)::\(data(message))")
            }
        }
        return lines.map { $0 + "\n" }.joined()
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
