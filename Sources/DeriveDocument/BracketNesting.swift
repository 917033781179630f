/// SwiftParser's lookahead for inline-array types (`[3 of Int]`) takes time exponential in the
/// nesting of `[`, and recurses deeply enough to overflow a stack: 16 levels take over a second,
/// 50 take minutes. The cell language and the highlighter both refuse deeper nesting before they
/// hand a cell to the parser.
public enum BracketNesting {
    public static let maximum = 10

    /// The UTF-8 offset of the first `[` nested deeper than allowed, outside strings and comments.
    public static func firstTooDeep(in source: String) -> Int? {
        var depth = 0
        var inString = false, inComment = false, escaped = false
        var previous: UInt8 = 0
        for (offset, byte) in source.utf8.enumerated() {
            defer { previous = byte }
            if inComment { if byte == UInt8(ascii: "\n") { inComment = false }; continue }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "/") where previous == UInt8(ascii: "/"): inComment = true
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["):
                depth += 1
                if depth > maximum { return offset }
            case UInt8(ascii: "]"): depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }
}
