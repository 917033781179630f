/// Finds math spans by pandoc's rules (see the README's notebook format) before Markdown sees the text, and replaces each
/// with a placeholder of private-use characters, so that `_ * \\ |` inside math reach KaTeX
/// untouched, also inside lists, quotes and table cells. Line breaks are kept, so cmark's line
/// numbers stay the notebook's.
struct MathScanner {
    /// Opens a placeholder; the span's index follows in `digitBase`-offset characters.
    static let open: Unicode.Scalar = "\u{E000}"
    static let close: Unicode.Scalar = "\u{E001}"
    /// Starts each extra line a multi-line span covered; removed from text afterwards.
    static let continuation: Unicode.Scalar = "\u{E002}"
    /// Opens an escape: the notebook's own use of one of these characters, written as its offset
    /// from U+E000 in digits, then `close`, so no text can pass for a placeholder.
    static let escape: Unicode.Scalar = "\u{E003}"
    static let digitBase: UInt32 = 0xE010

    static func isPlaceholderCharacter(_ scalar: Unicode.Scalar) -> Bool {
        (0xE000...0xE003).contains(scalar.value) || (digitBase..<digitBase + 10).contains(scalar.value)
    }

    /// `scalar` as the scanner's output writes it: itself, or its escape.
    static func append(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        guard isPlaceholderCharacter(scalar) else { out.append(scalar); return }
        out.append(escape)
        appendDigits(Int(scalar.value - 0xE000), to: &out)
        out.append(close)
    }

    static func appendDigits(_ number: Int, to out: inout String.UnicodeScalarView) {
        for digit in String(number).unicodeScalars {
            out.append(Unicode.Scalar(digitBase + digit.value - 48)!)
        }
    }

    var spans: [MathSpan] = []
    /// The original text of each span, delimiters included, to restore inside code.
    var originals: [String] = []
    var warnings: [(message: String, location: SourceLocation)] = []

    /// The text with math replaced by placeholders.
    mutating func scan(_ text: String) -> String {
        let chars = Array(text.unicodeScalars)
        var ahead = Lookahead(chars)
        var out = String.UnicodeScalarView()
        var i = 0, line = 1, column = 1
        var fence: (char: Unicode.Scalar, length: Int)?
        var atLineStart = true

        func advance(_ n: Int) {
            for k in i..<min(i + n, chars.count) {
                Self.append(chars[k], to: &out)
                if chars[k] == "\n" { line += 1; column = 1 } else { column += 1 }
            }
            i = min(i + n, chars.count)
        }

        while i < chars.count {
            if atLineStart {
                atLineStart = false
                let (fenceChar, length, contentStart) = Self.fenceAt(chars, i)
                if let open = fence {
                    if fenceChar == open.char, length >= open.length, Self.restIsBlank(chars, contentStart + length) { fence = nil }
                    advance(Self.lineLength(chars, i))
                    atLineStart = true
                    continue
                }
                if let fenceChar, length >= 3 {
                    fence = (fenceChar, length)
                    advance(Self.lineLength(chars, i))
                    atLineStart = true
                    continue
                }
            }
            let c = chars[i]
            if c == "\n" { advance(1); atLineStart = true; continue }
            if c == "`" {
                advance(ahead.codeSpanLength(at: i))
                continue
            }
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if next == "(" || next == "[" {
                    if let end = ahead.close(from: i + 2, closer: next == "(" ? .parenthesis : .bracket) {
                        emit(chars, from: i, to: end + 2, texRange: (i + 2)..<end, display: next == "[", &out, &i, &line, &column)
                        continue
                    }
                }
                advance(2)  // an escape, `\$` among them: never a delimiter
                continue
            }
            if c == "$" {
                if i + 1 < chars.count, chars[i + 1] == "$" {
                    if let end = ahead.close(from: i + 2, closer: .dollars) {
                        emit(chars, from: i, to: end + 2, texRange: (i + 2)..<end, display: true, &out, &i, &line, &column)
                    } else {
                        warnings.append(("unterminated display math: '$$' has no closing '$$' in this paragraph; shown as text",
                                         SourceLocation(line: line, column: column)))
                        advance(2)
                    }
                    continue
                }
                if let end = ahead.inlineClose(from: i + 1) {
                    emit(chars, from: i, to: end + 1, texRange: (i + 1)..<end, display: false, &out, &i, &line, &column)
                    continue
                }
            }
            advance(1)
        }
        return String(out)
    }

    private mutating func emit(
        _ chars: [Unicode.Scalar], from start: Int, to end: Int, texRange: Range<Int>, display: Bool,
        _ out: inout String.UnicodeScalarView, _ i: inout Int, _ line: inout Int, _ column: inout Int
    ) {
        let index = spans.count
        var tex = String.UnicodeScalarView()
        tex.append(contentsOf: chars[texRange])
        spans.append(MathSpan(tex: String(tex).trimmingWhitespace(), display: display, location: SourceLocation(line: line, column: column)))
        var original = String.UnicodeScalarView()
        original.append(contentsOf: chars[start..<end])
        originals.append(String(original))
        out.append(Self.open)
        Self.appendDigits(index, to: &out)
        out.append(Self.close)
        for k in start..<end {
            if chars[k] == "\n" { out.append("\n"); out.append(Self.continuation); line += 1; column = 1 } else { column += 1 }
        }
        i = end
    }

    /// A fence (``` or ~~~) at the start of a line, after indentation and `>` / list markers.
    static func fenceAt(_ chars: [Unicode.Scalar], _ start: Int) -> (Unicode.Scalar?, Int, Int) {
        var k = start
        while k < chars.count, chars[k] == " " || chars[k] == "\t" || chars[k] == ">" { k += 1 }
        // A list marker before the fence: "- ", "* ", "+ ", "1. ", "1) ".
        var m = k
        while m < chars.count, ("0"..."9").contains(chars[m]) { m += 1 }
        if m < chars.count, (m > k && (chars[m] == "." || chars[m] == ")")) || (m == k && (chars[m] == "-" || chars[m] == "*" || chars[m] == "+")),
           m + 1 < chars.count, chars[m + 1] == " " {
            k = m + 1
            while k < chars.count, chars[k] == " " { k += 1 }
        }
        guard k < chars.count, chars[k] == "`" || chars[k] == "~" else { return (nil, 0, k) }
        var n = k
        while n < chars.count, chars[n] == chars[k] { n += 1 }
        return (chars[k], n - k, k)
    }

    static func restIsBlank(_ chars: [Unicode.Scalar], _ start: Int) -> Bool {
        var k = start
        while k < chars.count, chars[k] != "\n" {
            if chars[k] != " " && chars[k] != "\t" { return false }
            k += 1
        }
        return true
    }

    static func lineLength(_ chars: [Unicode.Scalar], _ start: Int) -> Int {
        var k = start
        while k < chars.count, chars[k] != "\n" { k += 1 }
        return k - start + (k < chars.count ? 1 : 0)
    }

    /// Splits text with placeholders into plain pieces and span indices.
    static func pieces(of text: String) -> [Piece] {
        var pieces: [Piece] = []
        var plain = String.UnicodeScalarView()
        var number: UInt32?
        var escaped = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case open, escape:
                number = 0
                escaped = scalar == escape
            case close where escaped:
                plain.append(Unicode.Scalar(0xE000 + (number ?? 0)) ?? "\u{FFFD}")
                number = nil
                escaped = false
            case close:
                if !plain.isEmpty { pieces.append(.text(String(plain))); plain = String.UnicodeScalarView() }
                pieces.append(.math(Int(number ?? 0)))
                number = nil
            case continuation:
                continue
            default:
                if let n = number, scalar.value >= digitBase, scalar.value < digitBase + 10 {
                    number = n * 10 + scalar.value - digitBase
                } else {
                    plain.append(scalar)
                }
            }
        }
        if !plain.isEmpty { pieces.append(.text(String(plain))) }
        return pieces
    }

    enum Piece: Equatable {
        case text(String)
        case math(Int)
    }

    /// Text with every placeholder put back as its original source (for code, where math is not math).
    /// A span's line breaks are in its source, so the breaks its placeholder kept go (cmark and the
    /// scanner can disagree on where code is, in hostile input).
    func restore(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == Self.continuation, kept.last == "\n" { kept.removeLast() }
            kept.append(scalar)
        }
        return Self.pieces(of: String(kept)).map { piece in
            switch piece {
            case .text(let s): s
            case .math(let index): originals.indices.contains(index) ? originals[index] : ""
            }
        }.joined()
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}

/// The scanner's look-ahead ("where does the span opened here close?"), answered in linear time
/// over the whole text. Scanning forward from every unterminated `$`, `\(`, `\[` or backtick to the
/// end of its paragraph is quadratic (60 KB of dollars took 17 s); instead each answer is computed
/// once for every position, from the end backwards, since the scan from k continues as the scan
/// from k + 1 or k + 2 does.
struct Lookahead {
    enum Closer: CaseIterable {
        case dollars, parenthesis, bracket

        var scalars: (Unicode.Scalar, Unicode.Scalar) {
            switch self {
            case .dollars: ("$", "$")
            case .parenthesis: ("\\", ")")
            case .bracket: ("\\", "]")
            }
        }
    }

    let chars: [Unicode.Scalar]
    /// The newlines that start a blank line (a paragraph ends there), in order.
    private let breaks: [Int]
    private let isBreak: [Bool]
    /// The start of every maximal run of backticks, by the run's length.
    private let runs: [Int: [Int]]
    /// Per position: where the scan from there finds its closer (-1: nowhere), computed on first use.
    private var closes: [Closer: [Int32]] = [:]
    private var inlineCloses: [Int32]?

    init(_ chars: [Unicode.Scalar]) {
        self.chars = chars
        var isBreak = [Bool](repeating: false, count: chars.count)
        var breaks: [Int] = []
        var runs: [Int: [Int]] = [:]
        var k = 0
        while k < chars.count {
            let c = chars[k]
            if c == "\n" {
                // Is the line after this newline blank?
                var j = k + 1
                while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
                if k + 1 < chars.count, j == chars.count || chars[j] == "\n" { isBreak[k] = true; breaks.append(k) }
                k += 1
                continue
            }
            if c == "`" {
                var e = k
                while e < chars.count, chars[e] == "`" { e += 1 }
                runs[e - k, default: []].append(k)
                k = e
                continue
            }
            k += 1
        }
        self.isBreak = isBreak
        self.breaks = breaks
        self.runs = runs
    }

    /// The first index in `sorted` that is at least `value` (`sorted.count` if none).
    private static func firstIndex(in sorted: [Int], atLeast value: Int) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// A run of backticks from `start` and, if a run of the same length closes it before the
    /// paragraph ends, the code span up to it: the number of characters it takes.
    func codeSpanLength(at start: Int) -> Int {
        var end = start
        while end < chars.count, chars[end] == "`" { end += 1 }
        let length = end - start
        let breakIndex = Self.firstIndex(in: breaks, atLeast: end)
        let paragraphEnd = breakIndex < breaks.count ? breaks[breakIndex] : chars.count
        guard let candidates = runs[length] else { return length }
        let i = Self.firstIndex(in: candidates, atLeast: end)
        guard i < candidates.count, candidates[i] < paragraphEnd else { return length }
        return candidates[i] + length - start
    }

    /// The index of a two-character closer before the paragraph ends, skipping escapes
    /// (a backslash escapes the next character unless the closer starts with one).
    mutating func close(from start: Int, closer: Closer) -> Int? {
        if closes[closer] == nil {
            let (first, second) = closer.scalars
            var result = [Int32](repeating: -1, count: chars.count + 2)
            for k in stride(from: chars.count - 2, through: 0, by: -1) {
                if isBreak[k] { continue }
                if chars[k] == first, chars[k + 1] == second {
                    result[k] = Int32(k)
                } else {
                    result[k] = chars[k] == "\\" && first != "\\" ? result[k + 2] : result[k + 1]
                }
            }
            closes[closer] = result
        }
        return Self.position(closes[closer]![max(0, start)])
    }

    /// Pandoc's inline rule: `$` then a non-space; the closing `$` follows a non-space and is not
    /// followed by a digit; no blank line between; no closing `$` hides in a code span.
    mutating func inlineClose(from start: Int) -> Int? {
        guard start < chars.count, !chars[start].properties.isWhitespace, chars[start] != "$" else { return nil }
        if inlineCloses == nil {
            var result = [Int32](repeating: -1, count: chars.count + 2)
            for k in stride(from: chars.count - 1, through: 0, by: -1) {
                let c = chars[k]
                if isBreak[k] { continue }
                switch c {
                case "\\": result[k] = result[k + 2]
                case "`": result[k] = result[k + codeSpanLength(at: k)]
                case "$":
                    let afterDigit = k + 1 < chars.count && ("0"..."9").contains(chars[k + 1])
                    result[k] = k > 0 && !chars[k - 1].properties.isWhitespace && !afterDigit ? Int32(k) : result[k + 1]
                default: result[k] = result[k + 1]
                }
            }
            inlineCloses = result
        }
        return Self.position(inlineCloses![start])
    }

    private static func position(_ value: Int32) -> Int? {
        value < 0 ? nil : Int(value)
    }
}
