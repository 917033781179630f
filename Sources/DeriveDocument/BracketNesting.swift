/// SwiftParser's lookahead for inline-array types (`[3 of Int]`) takes time exponential in the
/// nesting of `[`, and recurses deeply enough to overflow a stack: 16 levels take over a second,
/// 50 take minutes. The cell language and the highlighter both refuse deeper nesting before they
/// hand a cell to the parser.
///
/// The count must never be lower than the parser's, so it lexes as Swift does: line and (nested)
/// block comments, string literals with `#` delimiters (raw strings, where `\` escapes only when
/// followed by the same number of `#`), multi-line strings, and interpolations `\(…)`, in which
/// brackets count again. Where the lexing is ambiguous (a possible regex literal, a backquoted
/// identifier), `[` counts and `]` does not, so a mistake can only overcount.
public enum BracketNesting {
    public static let maximum = 10

    private enum Context {
        /// Code; `parens` counts open parentheses of an interpolation (nil at the top level).
        case code(parens: Int?)
        case string(hashes: Int, multiline: Bool)
        case comment(depth: Int)
    }

    /// The UTF-8 offset of the first `[` nested deeper than allowed, outside strings and comments.
    public static func firstTooDeep(in source: String) -> Int? {
        let bytes = Array(source.utf8)
        var stack: [Context] = [.code(parens: nil)]
        var depth = 0
        var previous: UInt8 = 0  // the last significant byte of code, to tell a regex from a division
        var i = 0
        func at(_ k: Int) -> UInt8 { k < bytes.count ? bytes[k] : 0 }
        func run(of byte: UInt8, from k: Int) -> Int {
            var n = 0
            while at(k + n) == byte { n += 1 }
            return n
        }
        func open() -> Int? {
            depth += 1
            return depth > maximum ? i : nil
        }
        while i < bytes.count {
            let c = bytes[i]
            switch stack[stack.count - 1] {
            case .comment(let level):
                if c == UInt8(ascii: "*"), at(i + 1) == UInt8(ascii: "/") {
                    stack[stack.count - 1] = .comment(depth: level - 1)
                    if level == 1 { stack.removeLast() }
                    i += 2
                } else if c == UInt8(ascii: "/"), at(i + 1) == UInt8(ascii: "*") {
                    stack[stack.count - 1] = .comment(depth: level + 1)
                    i += 2
                } else {
                    i += 1
                }
            case .string(let hashes, let multiline):
                if c == UInt8(ascii: "\\"), run(of: UInt8(ascii: "#"), from: i + 1) >= hashes {
                    let after = i + 1 + hashes
                    if at(after) == UInt8(ascii: "(") {
                        stack.append(.code(parens: 0))
                        previous = UInt8(ascii: "(")
                        i = after + 1
                    } else {
                        i = after + 1  // an escaped character (`\"`, `\\`, `\#n`); `\u{…}` needs no care
                    }
                } else if c == UInt8(ascii: "\"") {
                    let quotes = multiline ? 3 : 1
                    if run(of: UInt8(ascii: "\""), from: i) >= quotes, run(of: UInt8(ascii: "#"), from: i + quotes) >= hashes {
                        stack.removeLast()
                        previous = UInt8(ascii: "\"")
                        i += quotes + hashes
                    } else {
                        i += 1
                    }
                } else if c == UInt8(ascii: "\n"), !multiline {
                    stack.removeLast()  // unterminated: the lexer ends it here
                    i += 1
                } else {
                    i += 1
                }
            case .code(let parens):
                switch c {
                case UInt8(ascii: "/") where at(i + 1) == UInt8(ascii: "/"):
                    while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                case UInt8(ascii: "/") where at(i + 1) == UInt8(ascii: "*"):
                    stack.append(.comment(depth: 1))
                    i += 2
                case UInt8(ascii: "\""), UInt8(ascii: "#"):
                    let hashes = run(of: UInt8(ascii: "#"), from: i)
                    if at(i + hashes) == UInt8(ascii: "\"") {
                        let multiline = run(of: UInt8(ascii: "\""), from: i + hashes) >= 3
                        stack.append(.string(hashes: hashes, multiline: multiline))
                        i += hashes + (multiline ? 3 : 1)
                    } else if hashes > 0, at(i + hashes) == UInt8(ascii: "/") {
                        // `#/…/#`: an extended regex literal, up to `/` and as many `#`.
                        var k = i + hashes + 1
                        while k < bytes.count, !(bytes[k] == UInt8(ascii: "/") && run(of: UInt8(ascii: "#"), from: k + 1) >= hashes) {
                            if bytes[k] == UInt8(ascii: "[") { i = k; if let offset = open() { return offset } }
                            k += 1
                        }
                        i = k + 1 + hashes
                        previous = UInt8(ascii: "\"")
                    } else {
                        previous = c
                        i += max(1, hashes)
                    }
                case UInt8(ascii: "/") where mayStartRegex(after: previous) && at(i + 1) != UInt8(ascii: " ") && at(i + 1) != UInt8(ascii: "\n"):
                    // Maybe a regex literal up to the next `/` on the line: brackets in it open, never close.
                    var k = i + 1
                    while k < bytes.count, bytes[k] != UInt8(ascii: "/"), bytes[k] != UInt8(ascii: "\n") {
                        if bytes[k] == UInt8(ascii: "\\") { k += 2; continue }
                        if bytes[k] == UInt8(ascii: "[") { i = k; if let offset = open() { return offset } }
                        k += 1
                    }
                    previous = UInt8(ascii: "\"")
                    i = k + 1
                case UInt8(ascii: "`"):
                    // A backquoted identifier (raw identifiers may hold brackets): up to the next backquote.
                    var k = i + 1
                    while k < bytes.count, bytes[k] != UInt8(ascii: "`"), bytes[k] != UInt8(ascii: "\n") {
                        if bytes[k] == UInt8(ascii: "[") { i = k; if let offset = open() { return offset } }
                        k += 1
                    }
                    previous = UInt8(ascii: "a")
                    i = k + 1
                case UInt8(ascii: "["):
                    if let offset = open() { return offset }
                    previous = c
                    i += 1
                case UInt8(ascii: "]"):
                    depth = max(0, depth - 1)
                    previous = c
                    i += 1
                case UInt8(ascii: "("):
                    if let parens { stack[stack.count - 1] = .code(parens: parens + 1) }
                    previous = c
                    i += 1
                case UInt8(ascii: ")"):
                    if let parens {
                        if parens == 0 { stack.removeLast() } else { stack[stack.count - 1] = .code(parens: parens - 1) }
                    }
                    previous = c
                    i += 1
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    i += 1
                default:
                    previous = c
                    i += 1
                }
            }
        }
        return nil
    }

    /// A `/` after these ends no operand, so it may open a regex literal rather than divide.
    private static func mayStartRegex(after previous: UInt8) -> Bool {
        let isWord = (0x30...0x39).contains(previous) || (0x41...0x5A).contains(previous) || (0x61...0x7A).contains(previous)
            || previous == UInt8(ascii: "_") || previous >= 0x80
        return !(isWord || [UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "\""), UInt8(ascii: "!"), UInt8(ascii: "?")].contains(previous))
    }
}
