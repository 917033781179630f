/// Quarto's equation syntax, found in the converted tree: `$$ … $$ {#eq-name}` labels the display
/// equation it follows on its closing line, and `@eq-name` in prose refers to one. Both are
/// plain text to cmark, so this pass reads them from text nodes after conversion.
enum EquationMarkup {
    /// Characters of a label after `eq-` (pandoc's identifier characters).
    static func isLabelCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "-" || c == "_" || c == "." || c == ":"
    }

    /// `inLink`: inside a link's text, where a reference (itself a link) cannot go.
    static func apply(to node: inout MarkdownNode, spans: inout [MathSpan], originals: [String], lines: [Substring], inLink: Bool = false) {
        var inLink = inLink
        switch node.kind {
        case .codeBlock, .cell, .htmlBlock, .code, .inlineHTML: return
        case .link: inLink = true
        default: break
        }
        var children = mergingText(node.children)
        var k = 0
        while k < children.count {
            if case .math(let index) = children[k].kind, spans.indices.contains(index), spans[index].display {
                attachLabel(after: k, in: &children, span: &spans[index], original: originals.indices.contains(index) ? originals[index] : "")
            }
            if !inLink, case .text(let text) = children[k].kind {
                let pieces = references(in: text, line: children[k].line, lines: lines)
                children.replaceSubrange(k...k, with: pieces)
                k += pieces.count
                continue
            }
            apply(to: &children[k], spans: &spans, originals: originals, lines: lines, inLink: inLink)
            k += 1
        }
        node.children = children
    }

    /// cmark splits text at characters that might start markup (`@`, `_`); joined, a label reads
    /// whole. (Appended in place: a paragraph of many pieces stays linear.)
    static func mergingText(_ nodes: [MarkdownNode]) -> [MarkdownNode] {
        var out: [MarkdownNode] = []
        var pending: (text: String, line: Int)?
        func flush() {
            if let run = pending { out.append(MarkdownNode(.text(run.text), line: run.line)) }
            pending = nil
        }
        for node in nodes {
            if case .text(let next) = node.kind {
                if pending == nil { pending = (next, node.line) } else { pending!.text += next }
            } else {
                flush()
                out.append(node)
            }
        }
        flush()
        return out
    }

    /// `{#eq-name}` right after the closing `$$` (on its line) labels the span; the text is removed.
    static func attachLabel(after k: Int, in children: inout [MarkdownNode], span: inout MathSpan, original: String) {
        let newlines = original.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        span.endLine = span.location.line + newlines
        var j = k + 1, breaks = 0
        // The span's own line breaks come through as soft breaks after its placeholder.
        while j < children.count, breaks < newlines, children[j].kind == .softBreak || children[j].kind == .lineBreak {
            j += 1
            breaks += 1
        }
        guard j < children.count, case .text(let text) = children[j].kind else { return }
        let rest = text.drop { $0 == " " || $0 == "\t" }
        guard rest.hasPrefix("{#eq-"), let close = rest.firstIndex(of: "}") else { return }
        let label = String(rest[rest.index(after: rest.startIndex)..<close].dropFirst())
        guard label.count > 3, label.allSatisfy(isLabelCharacter) else { return }
        span.label = label
        let remainder = String(rest[rest.index(after: close)...])
        if remainder.isEmpty { children.remove(at: j) } else { children[j] = MarkdownNode(.text(remainder), line: children[j].line) }
    }

    /// Text split around `@eq-name` references (an `@` inside a word, as in an address, is not one).
    static func references(in text: String, line: Int, lines: [Substring]) -> [MarkdownNode] {
        var out: [MarkdownNode] = []
        var plain = ""
        var i = text.startIndex
        var previous: Character?
        // References come in order, so each is looked for from the line of the one before.
        var searchFrom = line
        while i < text.endIndex {
            let c = text[i]
            if c == "@", !(previous.map { $0.isLetter || $0.isNumber } ?? false), text[text.index(after: i)...].hasPrefix("eq-") {
                let start = text.index(after: i)
                var end = start
                while end < text.endIndex, isLabelCharacter(text[end]) { end = text.index(after: end) }
                var label = text[start..<end]
                // Sentence punctuation after a reference is not part of it.
                while let last = label.last, last == "." || last == ":" || last == "-" { label = label.dropLast() }
                if label.count > 3 {
                    if !plain.isEmpty { out.append(MarkdownNode(.text(plain), line: line)); plain = "" }
                    searchFrom = lineOf("@" + label, from: searchFrom, in: lines)
                    out.append(MarkdownNode(.equationReference(label: String(label)), line: searchFrom))
                    i = label.endIndex
                    previous = label.last
                    continue
                }
            }
            plain.append(c)
            previous = c
            i = text.index(after: i)
        }
        if !plain.isEmpty || out.isEmpty { out.append(MarkdownNode(.text(plain), line: line)) }
        return out
    }

    /// The first line at or after `line` that contains `needle` (text nodes know only where their
    /// block starts); looked for in the next 1,000 lines at most, so that a huge paragraph of
    /// such nodes stays fast.
    static func lineOf(_ needle: String, from line: Int, in lines: [Substring]) -> Int {
        var n = max(line, 1)
        while n <= min(lines.count, max(line, 1) + 1000) {
            if lines[n - 1].contains(needle) { return n }
            n += 1
        }
        return line
    }
}
