import DeriveDocument
import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Cell sources as HTML, coloured by swift-syntax's own classification (no script on the page).
public enum Highlighter {
    public static func html(_ source: String) -> String {
        // Too deep for the parser to classify in good time: shown plain (the cell reports the error).
        if BracketNesting.firstTooDeep(in: source) != nil { return HTML.escape(source) }
        let tree = Parser.parse(source: source)
        let bytes = Array(source.utf8)
        var out = ""
        var position = 0
        for range in tree.classifications {
            let start = range.range.lowerBound.utf8Offset, end = range.range.upperBound.utf8Offset
            guard start >= position, end <= bytes.count, start <= end else { continue }
            if start > position { out += HTML.escape(String(decoding: bytes[position..<start], as: UTF8.self)) }
            let text = HTML.escape(String(decoding: bytes[start..<end], as: UTF8.self))
            if let css = cssClass(range.kind) {
                // A token never spans a line break, so the source can be cut into lines.
                out += text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "<span class=\"tok-\(css)\">\($0)</span>" }.joined(separator: "\n")
            } else {
                out += text
            }
            position = end
        }
        if position < bytes.count { out += HTML.escape(String(decoding: bytes[position...], as: UTF8.self)) }
        return out
    }

    /// Every class `cssClass` gives (`tok-…`); the stylesheet colours each.
    public static let tokenClasses = ["keyword", "type", "string", "number", "comment", "operator", "label", "dollar"]

    static func cssClass(_ kind: SyntaxClassification) -> String? {
        switch kind {
        case .keyword: "keyword"
        case .type: "type"
        case .stringLiteral: "string"
        case .integerLiteral, .floatLiteral: "number"
        case .lineComment, .blockComment, .docLineComment, .docBlockComment: "comment"
        case .operator: "operator"
        case .argumentLabel: "label"
        case .dollarIdentifier: "dollar"
        default: nil
        }
    }
}
