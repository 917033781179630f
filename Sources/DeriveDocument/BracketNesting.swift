/// SwiftParser's lookahead for inline-array types (`[3 of Int]`) takes time exponential in the
/// nesting of `[`, and recurses deeply enough to overflow a stack: 16 levels take over a second,
/// 50 take minutes. The cell language and the highlighter both refuse deeper nesting before they
/// hand a cell to the parser.
public enum BracketNesting {
    public static let maximum = 10

    /// The UTF-8 offset of the first `[` nested deeper than allowed, outside strings and comments.
    public static func firstTooDeep(in source: String) -> Int? {
        enum Context { case code, string, escape, comment }
        var context = Context.code
        var depth = 0
        var previous: UInt8 = 0
        for (offset, byte) in source.utf8.enumerated() {
            defer { previous = byte }
            switch (context, byte) {
            case (.comment, UInt8(ascii: "\n")), (.string, UInt8(ascii: "\"")), (.string, UInt8(ascii: "\n")): context = .code
            case (.string, UInt8(ascii: "\\")): context = .escape
            case (.escape, _): context = .string
            case (.comment, _), (.string, _): continue
            case (.code, UInt8(ascii: "/")) where previous == UInt8(ascii: "/"): context = .comment
            case (.code, UInt8(ascii: "\"")): context = .string
            case (.code, UInt8(ascii: "[")):
                depth += 1
                if depth > maximum { return offset }
            case (.code, UInt8(ascii: "]")): depth = max(0, depth - 1)
            case (.code, _): continue
            }
        }
        return nil
    }
}
