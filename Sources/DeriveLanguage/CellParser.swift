import DeriveDocument
import SwiftDiagnostics
import SwiftOperators
import SwiftParser
import SwiftParserDiagnostics
import SwiftSyntax

/// Parses a cell with swift-syntax and folds its operators, Derive's own included.
enum CellParser {
    /// Swift's operators plus ⊙ ∘ .* (multiplicative), ≈ and the elementwise comparisons .< .<= .> .>= .== .!= (comparison).
    static let operators: OperatorTable = {
        var table = OperatorTable.standardOperators
        let declarations = """
        infix operator ⊙ : MultiplicationPrecedence
        infix operator ∘ : MultiplicationPrecedence
        infix operator .* : MultiplicationPrecedence
        infix operator ≈ : ComparisonPrecedence
        infix operator .< : ComparisonPrecedence
        infix operator .<= : ComparisonPrecedence
        infix operator .> : ComparisonPrecedence
        infix operator .>= : ComparisonPrecedence
        infix operator .== : ComparisonPrecedence
        infix operator .!= : ComparisonPrecedence
        """
        try? table.addSourceFile(Parser.parse(source: declarations))
        return table
    }()

    /// The folded tree, or the first syntax error as swift-syntax words it.
    static func parse(_ source: String) -> Result<SourceFileSyntax, SyntaxError> {
        if let offset = BracketNesting.firstTooDeep(in: source) {
            // A tree only to locate the error: with ( for [ it parses quickly and keeps every position.
            let stand_in = Parser.parse(source: String(source.map { $0 == "[" ? "(" : $0 == "]" ? ")" : $0 }))
            return .failure(SyntaxError(message: "brackets nested more than \(BracketNesting.maximum) levels deep",
                                        position: AbsolutePosition(utf8Offset: offset), tree: stand_in,
                                        fixIt: "name the inner parts with 'let'"))
        }
        let tree = Parser.parse(source: source)
        if let first = ParseDiagnosticsGenerator.diagnostics(for: tree).first(where: { $0.diagMessage.severity == .error }) {
            return .failure(SyntaxError(message: first.message, position: first.position, tree: tree,
                                        fixIt: first.fixIts.first?.message.message))
        }
        var foldError: OperatorError?
        let folded = operators.foldAll(tree) { error in if foldError == nil { foldError = error } }
        if let foldError {
            let diagnostic = foldError.asDiagnostic
            return .failure(SyntaxError(message: diagnostic.message, position: diagnostic.position, tree: tree, fixIt: nil))
        }
        guard let file = folded.as(SourceFileSyntax.self) else {
            return .failure(SyntaxError(message: "cannot read this cell", position: tree.position, tree: tree, fixIt: nil))
        }
        return .success(file)
    }

    struct SyntaxError: Error {
        var message: String
        var position: AbsolutePosition
        var tree: SourceFileSyntax
        var fixIt: String?
    }
}
