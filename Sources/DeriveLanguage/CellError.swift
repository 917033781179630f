import DeriveDocument
import DeriveEngine
import SwiftSyntax

/// Where a compiled node came from: a byte range of one cell's source. Compiled code keeps spans,
/// never syntax nodes; a span becomes a notebook line and column only when something is reported.
struct Span: Hashable, Sendable {
    var cell: Int32
    var start: Int32
    var length: Int32

    static let none = Span(cell: -1, start: 0, length: 0)
}

/// An error raised by a cell, at a span of its source. `trace` is the chain of calls it came
/// through, innermost first (`in 'layer', called at line 30`).
struct CellError: Error {
    var message: String
    var span: Span?
    var hint: String?
    var trace: [String] = []
    /// False for errors whose call chain says nothing more (a runaway recursion).
    var traceable = true

    init(_ message: String, at span: Span?, hint: String? = nil) {
        self.message = message
        self.span = span
        self.hint = hint
    }
}

/// The step budget ran out. Loops that the error passes through add what they know, so the
/// message can tell a long computation from an endless one.
struct BudgetExhausted: Error {
    var span: Span
    /// The outermost enclosing loop over a known number of elements: where it was, how far it got.
    var finiteLoop: (span: Span, iteration: Int, count: Int)?
    /// Whether a `while` loop (or a loop of unknown length) encloses the point where it ran out.
    var openEnded = false
}

/// How a statement ends: on to the next one, or out of a loop or function.
enum Flow {
    case next, breakLoop, continueLoop, returned
}

typealias Eval = (Runtime) throws -> Value
typealias Exec = (Runtime) throws -> Flow

/// Turns spans of a cell's source into notebook locations and diagnostics.
struct SourceMap {
    let notebook: Notebook
    let cell: Cell
    let converter: SourceLocationConverter
    let sourceLines: [Substring]

    init(notebook: Notebook, cell: Cell, tree: some SyntaxProtocol) {
        self.notebook = notebook
        self.cell = cell
        converter = SourceLocationConverter(fileName: notebook.path, tree: tree)
        sourceLines = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func diagnostic(_ message: String, at span: Span?, hint: String? = nil, severity: Diagnostic.Severity = .error) -> Diagnostic {
        guard let span, span.cell >= 0 else {
            return notebook.diagnostic(severity, message, at: cell.notebookLocation(line: 1, column: 1), hint: hint)
        }
        return diagnostic(message, at: AbsolutePosition(utf8Offset: Int(span.start)), length: Int(span.length), hint: hint, severity: severity)
    }

    func diagnostic(_ message: String, at position: AbsolutePosition, length: Int, hint: String? = nil, severity: Diagnostic.Severity = .error) -> Diagnostic {
        let location = location(of: position)
        // Underline only up to the end of the first line.
        let lineText = notebook.line(location.line) ?? ""
        let room = max(1, lineText.unicodeScalars.count - location.column + 1)
        return notebook.diagnostic(severity, message, at: location, length: min(max(1, length), room), hint: hint)
    }

    func location(of position: AbsolutePosition) -> DeriveDocument.SourceLocation {
        let l = converter.location(for: position)
        // swift-syntax counts columns in UTF-8 bytes; notebooks count characters.
        let lineIndex = l.line - 1
        var column = l.column
        if sourceLines.indices.contains(lineIndex) {
            let prefix = sourceLines[lineIndex].utf8.prefix(max(0, l.column - 1))
            column = (String(decoding: prefix, as: UTF8.self)).unicodeScalars.count + 1
        }
        return cell.notebookLocation(line: l.line, column: column)
    }

    func location(of span: Span) -> DeriveDocument.SourceLocation {
        location(of: AbsolutePosition(utf8Offset: Int(span.start)))
    }

    /// The source text a span covers.
    func text(of span: Span) -> String {
        let utf8 = cell.source.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: Int(span.start), limitedBy: utf8.endIndex) ?? utf8.endIndex
        let end = utf8.index(start, offsetBy: Int(span.length), limitedBy: utf8.endIndex) ?? utf8.endIndex
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }
}
