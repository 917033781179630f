import DeriveDocument
import DeriveEngine
import SwiftSyntax

/// An error raised while running a cell, at a node of the cell's source.
struct CellError: Error {
    var message: String
    /// The node the error points at; nil for the whole cell.
    var node: Syntax?
    var hint: String?

    init(_ message: String, at node: (any SyntaxProtocol)? = nil, hint: String? = nil) {
        self.message = message
        self.node = node.map { Syntax($0) }
        self.hint = hint
    }
}

/// How evaluation leaves a loop or a function early.
enum ControlFlow: Error {
    case breakLoop
    case continueLoop
    case returnValue(Value)
}

/// Turns positions in a cell's source into notebook diagnostics.
struct SourceMap {
    let notebook: Notebook
    let cell: Cell
    let converter: SourceLocationConverter

    func diagnostic(_ message: String, at node: Syntax?, hint: String? = nil, severity: Diagnostic.Severity = .error) -> Diagnostic {
        guard let node else {
            return notebook.diagnostic(severity, message, at: cell.notebookLocation(line: 1, column: 1), hint: hint)
        }
        return diagnostic(message, at: node.positionAfterSkippingLeadingTrivia, length: node.trimmedLength.utf8Length, hint: hint, severity: severity)
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
        let sourceLines = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
        var column = l.column
        if sourceLines.indices.contains(lineIndex) {
            let prefix = sourceLines[lineIndex].utf8.prefix(max(0, l.column - 1))
            column = (String(decoding: prefix, as: UTF8.self)).unicodeScalars.count + 1
        }
        return cell.notebookLocation(line: l.line, column: column)
    }

    func location(of node: some SyntaxProtocol) -> DeriveDocument.SourceLocation {
        location(of: node.positionAfterSkippingLeadingTrivia)
    }
}

extension Interpreter {
    /// Runs engine code, turning its errors into errors at `node`.
    func engine<T>(_ node: some SyntaxProtocol, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as EngineError {
            throw CellError(error.message, at: node)
        }
    }
}
