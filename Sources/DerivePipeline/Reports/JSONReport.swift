import DeriveDocument

/// `--format json`: one object, shaped as the README's reports section says.
public enum JSONReport {
    /// `equations`: also list the numbered equations and their checks (`check --equations`).
    public static func render(_ report: RunReport, equations: Bool = false) -> String {
        let counts = report.checkCounts
        let summary: JSONValue = .object([
            ("notebooks", .int(report.notebooks.count)),
            ("checks", .int(counts.total)),
            ("passed", .int(counts.passed)),
            ("failed", .int(counts.failed)),
            ("errors", .int(report.errorCount)),
            ("expectedFailures", .int(counts.expectedFailures)),
        ])
        var members: [(String, JSONValue)] = [
            ("version", .int(1)),
            ("summary", summary),
            ("notebooks", .array(report.notebooks.map(notebook))),
        ]
        if let path = report.course.path {
            members.append(("course", .object([
                ("path", .string(path)),
                ("title", .optional(report.course.title)),
                ("diagnostics", .array(report.course.diagnostics.map(diagnostic))),
            ])))
        }
        if equations, let site = report.site {
            members.append(("equations", .array(EquationList.entries(site, report).map(equation))))
        }
        return JSONValue.object(members).serialized + "\n"
    }

    /// `--equations`: a numbered equation with the cells that verify it.
    static func equation(_ entry: EquationList.Entry) -> JSONValue {
        .object([
            ("label", .string(entry.equation.label)),
            ("number", .string(entry.number)),
            ("path", .string(entry.path)),
            ("line", .int(entry.line)),
            ("verifiedBy", .array(entry.equation.verifiers.map { verifier in
                .object([("page", .string(verifier.page)), ("cell", .string(verifier.title)),
                         ("passed", verifier.passed.map { .bool($0) } ?? .null), ("refutes", .bool(verifier.refutes))])
            })),
        ])
    }

    static func notebook(_ report: NotebookReport) -> JSONValue {
        var cells: [JSONValue] = []
        if let notebook = report.notebook {
            cells = report.result.cells.map { cell($0, notebook.cells[$0.index]) }
        }
        return .object([
            ("path", .string(report.path)),
            ("title", .string(report.title)),
            ("passed", .bool(report.passed)),
            ("error", .optional(report.readError)),
            ("diagnostics", .array(report.result.diagnostics.map(diagnostic))),
            ("cells", .array(cells)),
        ])
    }

    static func cell(_ result: CellResult, _ cell: Cell) -> JSONValue {
        .object([
            ("index", .int(cell.index)),
            ("label", .optional(cell.options.label)),
            ("tags", .array(cell.options.tags.map { .string($0) })),
            ("verifies", .array(cell.options.verifies.map { .string($0) })),
            ("line", .int(cell.fenceLine)),
            ("expect", .string(cell.options.expect.rawValue)),
            ("passed", .bool(result.passed)),
            ("ran", .bool(result.ran)),
            ("error", result.error.map(diagnostic) ?? .null),
            ("errors", .array(result.errors.map(diagnostic))),
            ("failureReason", .optional(result.failureReason)),
            ("checks", .array(result.checks.map(check))),
        ])
    }

    static func check(_ row: CheckRow) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("label", .string(row.title)),
            ("kind", .string(row.kind.rawValue)),
            ("line", .int(row.location.line)),
            ("column", .int(row.location.column)),
            ("passed", .bool(row.passed)),
            ("maxAbsError", .optional(row.maxAbsError)),
            ("maxRelError", .optional(row.maxRelError)),
            ("reference", .optional(row.reference)),
            ("diagnosis", row.diagnosis.isEmpty ? .null : .string(row.diagnosis.joined(separator: "; "))),
        ]
        if !row.notes.isEmpty { members.append(("notes", .array(row.notes.map { .string($0) }))) }
        if !row.children.isEmpty { members.append(("steps", .array(row.children.map(check)))) }
        return .object(members)
    }

    static func diagnostic(_ d: Diagnostic) -> JSONValue {
        .object([
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
            ("line", .int(d.location.line)),
            ("column", .int(d.location.column)),
            ("hint", .optional(d.hint)),
        ])
    }
}
