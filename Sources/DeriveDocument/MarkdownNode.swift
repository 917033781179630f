/// The Markdown tree of a notebook, converted from cmark-gfm's so that nothing past the reader
/// touches C. Math spans and executable cells are nodes of their own.
public struct MarkdownNode: Sendable, Hashable {
    public enum Alignment: Sendable, Hashable { case none, left, center, right }

    public enum Kind: Sendable, Hashable {
        // Blocks
        case document
        case paragraph
        case heading(level: Int)
        case blockQuote
        case list(ordered: Bool, start: Int, tight: Bool)
        /// `task` is nil for a plain item, else whether the box is checked.
        case item(task: Bool?)
        /// A fence or indented block that is not an executable cell: shown, not run.
        case codeBlock(info: String, code: String)
        /// An executable cell: `Notebook.cells[index]`.
        case cell(index: Int)
        /// Raw HTML block: escaped unless the site is rendered with `--unsafe-html`.
        case htmlBlock(String)
        case thematicBreak
        case table(alignments: [Alignment])
        case tableRow(header: Bool)
        case tableCell
        // Inlines
        case text(String)
        case softBreak
        case lineBreak
        case code(String)
        case emphasis
        case strong
        case strikethrough
        case link(destination: String, title: String)
        case image(source: String, title: String)
        case inlineHTML(String)
        /// `MathSpan` index into `Notebook.math`.
        case math(index: Int)
        /// `@eq-name` in prose: a reference to a numbered equation, on this page or another.
        case equationReference(label: String)
    }

    public var kind: Kind
    public var children: [MarkdownNode]
    /// The notebook line where the node starts (0 when not known).
    public var line: Int

    public init(_ kind: Kind, children: [MarkdownNode] = [], line: Int = 0) {
        self.kind = kind
        self.children = children
        self.line = line
    }

    /// The plain text of the node (for headings' anchors and the table of contents).
    public var plainText: String {
        switch kind {
        case .text(let s), .code(let s): return s
        case .equationReference(let label): return "@" + label
        case .softBreak, .lineBreak: return " "
        default: return children.map(\.plainText).joined()
        }
    }
}

/// A math span found by pandoc's rules, kept verbatim.
public struct MathSpan: Sendable, Hashable {
    public var tex: String
    public var display: Bool
    /// Where the opening delimiter is in the notebook.
    public var location: SourceLocation
    /// `eq-name` from `$$ … $$ {#eq-name}`: a numbered display equation.
    public var label: String?
    /// The line of the closing delimiter (where `{#eq-name}` stands).
    public var endLine: Int

    public init(tex: String, display: Bool, location: SourceLocation, label: String? = nil, endLine: Int? = nil) {
        self.tex = tex
        self.display = display
        self.location = location
        self.label = label
        self.endLine = endLine ?? location.line
    }
}
