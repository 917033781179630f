import DeriveDocument
import DeriveRender

/// `derive check --equations`: every numbered equation of the checked lessons with the cells
/// that verify it; an equation that nothing verifies is a warning at its line.
public enum EquationList {
    struct Entry {
        var equation: SiteContext.Equation
        /// `3.2`: lesson 3, equation 2.
        var number: String
        var path: String
        var line: Int
    }

    /// The equations on the pages of the run's notebooks, in site order.
    static func entries(_ site: SiteContext, _ report: RunReport) -> [Entry] {
        let paths = Set(report.notebooks.map(\.path))
        return site.equations.values.filter { paths.contains($0.path) }
            .sorted { ($0.lesson, $0.number) < ($1.lesson, $1.number) }
            .map { Entry(equation: $0, number: "\($0.lesson).\($0.number)", path: $0.path, line: $0.line) }
    }

    /// The warnings: numbered equations that no cell verifies.
    public static func unverified(_ report: RunReport) -> [Diagnostic] {
        report.site.map { unverified($0, report) } ?? []
    }

    static func unverified(_ site: SiteContext, _ report: RunReport) -> [Diagnostic] {
        let notebooks = Dictionary(report.notebooks.compactMap { $0.notebook.map { ($0.path, $0) } }, uniquingKeysWith: { a, _ in a })
        return entries(site, report).filter(\.equation.verifiers.isEmpty).map { entry in
            let message = "equation (\(entry.number)) '\(entry.equation.label)' is verified by no cell"
            let hint = "add '//| verifies: [\(entry.equation.label)]' to the cell that checks it"
            return notebooks[entry.path]?.diagnostic(.warning, message, at: SourceLocation(line: entry.line, column: 1), hint: hint)
                ?? Diagnostic(.warning, message, file: entry.path, at: SourceLocation(line: entry.line, column: 1), hint: hint)
        }
    }

    public static func render(_ report: RunReport) -> String {
        guard let site = report.site else { return "" }
        let entries = entries(site, report)
        var out = "\nNumbered equations:\n"
        for entry in entries {
            let checks = entry.equation.verifiers.map { verifier in
                let mark = verifier.passed.map { $0 && !verifier.refutes ? "✓" : "✗" } ?? "?"
                return "\(mark) \(verifier.title) (\(verifier.page))"
            }
            out += "  (\(entry.number)) \(entry.equation.label)  \(entry.path):\(entry.line)  "
                + (checks.isEmpty ? "— verified by no cell" : checks.joined(separator: ", ")) + "\n"
        }
        for warning in unverified(site, report) { out += warning.formatted + "\n" }
        let verified = entries.filter { !$0.equation.verifiers.isEmpty }.count
        out += "\(TextReport.count(entries.count, "numbered equation")): \(verified) verified, \(entries.count - verified) verified by no cell\n"
        return out
    }
}
