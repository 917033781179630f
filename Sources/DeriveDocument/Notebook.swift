/// A notebook read from disk: front matter, the Markdown tree with math and cells in place,
/// the executable cells, and what the reader had to say.
public struct Notebook: Sendable, Hashable {
    /// The path as the user named it (used in every diagnostic and report).
    public var path: String
    public var frontMatter: FrontMatter
    /// `title` from the front matter, else the first heading's text, else the file name.
    public var title: String
    /// The whole document; executable cells appear as `.cell(index:)` nodes.
    public var body: MarkdownNode
    /// Executable cells in document order; `cells[i].index == i`.
    public var cells: [Cell]
    /// Every math span in document order.
    public var math: [MathSpan]
    /// Reader errors and warnings (malformed front matter, unknown cell options, unterminated math).
    public var diagnostics: [Diagnostic]
    /// The notebook's lines, to quote a line under a diagnostic.
    public var lines: [Substring]

    public init(
        path: String, frontMatter: FrontMatter, title: String, body: MarkdownNode,
        cells: [Cell], math: [MathSpan], diagnostics: [Diagnostic], lines: [Substring]
    ) {
        self.path = path
        self.frontMatter = frontMatter
        self.title = title
        self.body = body
        self.cells = cells
        self.math = math
        self.diagnostics = diagnostics
        self.lines = lines
    }

    /// The text of a 1-based notebook line, or nil past the end.
    public func line(_ number: Int) -> String? {
        lines.indices.contains(number - 1) ? String(lines[number - 1]) : nil
    }

    /// A diagnostic at a notebook location, with its file and source line filled in.
    public func diagnostic(
        _ severity: Diagnostic.Severity = .error, _ message: String, at location: SourceLocation,
        length: Int = 1, hint: String? = nil
    ) -> Diagnostic {
        Diagnostic(severity, message, file: path, at: location, length: length,
                   sourceLine: line(location.line), hint: hint)
    }
}

/// The YAML front matter. Unknown keys are kept (as their YAML text) and ignored.
public struct FrontMatter: Sendable, Hashable {
    public var title: String?
    public var seed: UInt64 = 0
    public var rtol: Double?
    public var atol: Double?
    public var trials: Int?
    public var digits: Int?
    public var extra: [String: String] = [:]
    /// The line after the closing `---`, or 1 when there is no front matter.
    public var bodyStartLine: Int = 1

    public init() {}
}

extension Notebook {
    /// The first line at or after `line` that contains `needle`, else `line` (inline nodes know
    /// only the line where their block starts).
    public func line(containing needle: String, from line: Int) -> Int {
        EquationMarkup.lineOf(needle, from: line, in: lines)
    }
}
