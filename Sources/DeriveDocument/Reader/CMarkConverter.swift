import CCmarkGFM

/// Parses Markdown with cmark-gfm (the only place that touches C) and converts its tree into
/// `MarkdownNode`s, turning math placeholders into math nodes and swift fences into cells.
struct CMarkConverter {
    var math: MathScanner
    /// Called for each executable fence: (info, literal, fence line, fence column) → cell index.
    var makeCell: (String, String, Int, Int) -> Int

    static let extensions = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

    /// Registering the extensions is not thread-safe; a static is initialized exactly once.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    mutating func convert(_ markdown: String) -> MarkdownNode {
        _ = Self.registered
        // UNSAFE keeps raw HTML as nodes; the renderer escapes it unless asked not to.
        guard let parser = cmark_parser_new(CMARK_OPT_UNSAFE) else { return MarkdownNode(.document) }
        defer { cmark_parser_free(parser) }
        for name in Self.extensions {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        var utf8 = Array(markdown.utf8)
        utf8.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parser_feed(parser, $0, buffer.count)
            }
        }
        guard let root = cmark_parser_finish(parser) else { return MarkdownNode(.document) }
        defer { cmark_node_free(root) }
        return convertTree(root)
    }

    /// Where nesting went past `MarkdownNode.maximumDepth` (the first such line), if it did.
    private(set) var flattenedAt: Int?

    /// A node being built: its kind (nil when it is flattened into its parent) and its children so far.
    private struct Frame {
        var node: OpaquePointer
        var kind: MarkdownNode.Kind?
        var line: Int
        var depth: Int
        var children: [MarkdownNode] = []
    }

    /// Walks cmark's tree with an explicit stack, so no nesting can overflow the call stack.
    /// Containers nested deeper than `MarkdownNode.maximumDepth` (quotes, lists, emphasis, links)
    /// are flattened into their parent: their content stays, their wrapping goes, and every later
    /// walk of the tree stays shallow.
    private mutating func convertTree(_ root: OpaquePointer) -> MarkdownNode {
        var stack = [Frame(node: root, kind: .document, line: 1, depth: 0)]
        var next = cmark_node_first_child(root)
        while true {
            if let node = next {
                // Only the depth: a copy of the frame would make each append copy its children.
                let parentDepth = stack[stack.count - 1].depth
                switch convert(node: node) {
                case .leaves(let nodes):
                    stack[stack.count - 1].children += nodes
                    next = cmark_node_next(node)
                case .container(let kind, let line):
                    var keep: MarkdownNode.Kind? = kind
                    if parentDepth >= MarkdownNode.maximumDepth, Self.flattenable(kind) {
                        keep = nil
                        if flattenedAt == nil { flattenedAt = line }
                    }
                    stack.append(Frame(node: node, kind: keep, line: line, depth: parentDepth + (keep == nil ? 0 : 1)))
                    next = cmark_node_first_child(node)
                }
                continue
            }
            let frame = stack.removeLast()
            var built: [MarkdownNode]
            if let kind = frame.kind {
                var children = frame.children
                // An image's description nested past the limit keeps only its text.
                if case .image = kind, frame.depth > MarkdownNode.maximumDepth {
                    children = [MarkdownNode(.text(children.map(\.plainText).joined()), line: frame.line)]
                }
                built = [MarkdownNode(kind, children: children, line: frame.line)]
            } else {
                built = frame.children
            }
            guard !stack.isEmpty else { return built.first ?? MarkdownNode(.document) }
            stack[stack.count - 1].children += built
            next = cmark_node_next(frame.node)
        }
    }

    /// Wrappers whose content reads on without them; tables, paragraphs and headings are kept.
    private static func flattenable(_ kind: MarkdownNode.Kind) -> Bool {
        switch kind {
        case .blockQuote, .list, .item, .emphasis, .strong, .strikethrough, .link: true
        default: false
        }
    }

    private enum Converted {
        /// Nodes complete in themselves (text splits around math; a swift fence becomes a cell).
        case leaves([MarkdownNode])
        /// A node whose children follow.
        case container(MarkdownNode.Kind, line: Int)
    }

    private mutating func convert(node: OpaquePointer) -> Converted {
        let line = Int(cmark_node_get_start_line(node))
        let kind: MarkdownNode.Kind
        let typeName = String(cString: cmark_node_get_type_string(node))
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: kind = .document
        case CMARK_NODE_PARAGRAPH: kind = .paragraph
        case CMARK_NODE_HEADING: kind = .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_BLOCK_QUOTE: kind = .blockQuote
        case CMARK_NODE_LIST:
            kind = .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                         start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0)
        case CMARK_NODE_ITEM:
            kind = .item(task: typeName == "tasklist" ? cmark_gfm_extensions_get_tasklist_item_checked(node) : nil)
        case CMARK_NODE_CODE_BLOCK:
            let info = math.restore(string(cmark_node_get_fence_info(node)))
            let code = math.restore(string(cmark_node_get_literal(node)))
            var (length, offset, fenceChar): (Int32, Int32, CChar) = (0, 0, 0)
            let fenced = cmark_node_get_fenced(node, &length, &offset, &fenceChar) != 0
            if fenced, info.split(separator: " ").first == "swift" {
                let column = Int(cmark_node_get_start_column(node))
                return .leaves([MarkdownNode(.cell(index: makeCell(info, code, line, column)), line: line)])
            }
            return .leaves([MarkdownNode(.codeBlock(info: info, code: code), line: line)])
        case CMARK_NODE_HTML_BLOCK: return .leaves([MarkdownNode(.htmlBlock(math.restore(string(cmark_node_get_literal(node)))), line: line)])
        case CMARK_NODE_THEMATIC_BREAK: kind = .thematicBreak
        case CMARK_NODE_TEXT:
            return .leaves(MathScanner.pieces(of: string(cmark_node_get_literal(node))).map { piece in
                switch piece {
                case .text(let s): MarkdownNode(.text(s), line: line)
                case .math(let index): MarkdownNode(.math(index: index), line: math.spans.indices.contains(index) ? math.spans[index].location.line : line)
                }
            })
        case CMARK_NODE_SOFTBREAK: kind = .softBreak
        case CMARK_NODE_LINEBREAK: kind = .lineBreak
        case CMARK_NODE_CODE: return .leaves([MarkdownNode(.code(math.restore(string(cmark_node_get_literal(node)))), line: line)])
        case CMARK_NODE_HTML_INLINE: return .leaves([MarkdownNode(.inlineHTML(math.restore(string(cmark_node_get_literal(node)))), line: line)])
        case CMARK_NODE_EMPH: kind = .emphasis
        case CMARK_NODE_STRONG: kind = .strong
        case CMARK_NODE_LINK: kind = .link(destination: math.restore(string(cmark_node_get_url(node))), title: math.restore(string(cmark_node_get_title(node))))
        case CMARK_NODE_IMAGE: kind = .image(source: math.restore(string(cmark_node_get_url(node))), title: math.restore(string(cmark_node_get_title(node))))
        default:
            switch typeName {
            case "table": kind = .table(alignments: alignments(node))
            case "table_header": kind = .tableRow(header: true)
            case "table_row": kind = .tableRow(header: false)
            case "table_cell": kind = .tableCell
            case "strikethrough": kind = .strikethrough
            default: kind = .paragraph
            }
        }
        return .container(kind, line: line)
    }

    private func alignments(_ table: OpaquePointer) -> [MarkdownNode.Alignment] {
        let count = Int(cmark_gfm_extensions_get_table_columns(table))
        guard let raw = cmark_gfm_extensions_get_table_alignments(table) else { return Array(repeating: .none, count: count) }
        return (0..<count).map { i in
            switch raw[i] {
            case UInt8(ascii: "l"): .left
            case UInt8(ascii: "c"): .center
            case UInt8(ascii: "r"): .right
            default: .none
            }
        }
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}
