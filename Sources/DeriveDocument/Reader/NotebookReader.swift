import Foundation

/// Why a notebook file could not be read at all (exit status 2).
public struct ReadError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Reads notebooks (SPEC §2): front matter, Markdown with math kept verbatim, executable cells
/// with their options and the notebook position of every source line.
public enum NotebookReader {
    /// `defaults`: the course's settings (`derive.yml`), which the front matter overrides.
    public static func read(path: String, defaults: FrontMatter = FrontMatter()) throws(ReadError) -> Notebook {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReadError(description: "cannot read \(path): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let offset = firstInvalidUTF8Offset(data)
            throw ReadError(description: "\(path) is not UTF-8 text (invalid byte at offset \(offset)); notebooks must be UTF-8")
        }
        return parse(text, path: path, defaults: defaults)
    }

    /// Parses notebook text; never fails: problems become `Notebook.diagnostics`.
    public static func parse(_ text: String, path: String, defaults: FrontMatter = FrontMatter()) -> Notebook {
        // Windows (CRLF) and classic Mac (CR) line endings count lines as cmark-gfm does.
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        var diagnostics: [Diagnostic] = []
        func diagnose(_ severity: Diagnostic.Severity, _ message: String, _ location: SourceLocation, hint: String? = nil) {
            let line = lines.indices.contains(location.line - 1) ? String(lines[location.line - 1]) : nil
            diagnostics.append(Diagnostic(severity, message, file: path, at: location, sourceLine: line, hint: hint))
        }

        let (frontMatter, frontLines, problems) = FrontMatterParser.parse(lines, path: path, defaults: defaults)
        for (message, location) in problems { diagnose(.error, message, location) }
        // Blank out the front matter so cmark's line numbers are the file's.
        let body = String(repeating: "\n", count: frontLines) + lines.dropFirst(frontLines).joined(separator: "\n")

        var scanner = MathScanner()
        let protected = scanner.scan(body)
        for (message, location) in scanner.warnings { diagnose(.warning, message, location) }

        var cells: [Cell] = []
        var converter = CMarkConverter(math: scanner) { info, literal, fenceLine, _ in
            let cell = makeCell(index: cells.count, literal: literal, fenceLine: fenceLine, lines: lines)
            for (message, location, hint) in cell.warnings { diagnose(.warning, message, location, hint: hint) }
            cells.append(cell.cell)
            return cell.cell.index
        }
        var root = converter.convert(protected)
        var math = scanner.spans
        EquationMarkup.apply(to: &root, spans: &math, originals: scanner.originals, lines: lines)
        let title = frontMatter.title ?? firstHeading(root)?.plainText ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return Notebook(path: path, frontMatter: frontMatter, title: title, body: root, cells: cells,
                        math: math, diagnostics: diagnostics, lines: lines)
    }

    static func makeCell(index: Int, literal: String, fenceLine: Int, lines: [Substring]) -> (cell: Cell, warnings: [(String, SourceLocation, String?)]) {
        var sourceLines = literal.split(separator: "\n", omittingEmptySubsequences: false)
        if sourceLines.last == "" { sourceLines.removeLast() }
        let (options, optionCount, optionWarnings) = CellOptionsParser.parse(sourceLines)
        // Where each literal line sits: the literal is the file line minus its container prefix.
        let starts = sourceLines.indices.map { k -> SourceLocation in
            let fileLine = fenceLine + 1 + k
            let raw = lines.indices.contains(fileLine - 1) ? lines[fileLine - 1] : ""
            let column = raw.unicodeScalars.count - sourceLines[k].unicodeScalars.count + 1
            return SourceLocation(line: fileLine, column: max(1, column))
        }
        var warnings = optionWarnings.map { ($0.0, starts[$0.1], $0.hint) }
        // cmark ends an unclosed fence at the end of the file (or of its list item or quote),
        // silently taking the prose after it into the cell.
        let closing = fenceLine + 1 + sourceLines.count
        let after = lines.indices.contains(closing - 1) ? lines[closing - 1].drop(while: { $0 == " " || $0 == ">" || $0 == "\t" }) : ""
        if !after.hasPrefix("```") && !after.hasPrefix("~~~") {
            warnings.append(("this cell's fence is never closed, so the cell runs to the end of the file (or of its list item or quote)",
                             SourceLocation(line: fenceLine, column: 1), "close it with ``` on a line of its own"))
        }
        let source = sourceLines.dropFirst(optionCount).joined(separator: "\n")
        let cell = Cell(index: index, source: source, options: options, lineStarts: Array(starts.dropFirst(optionCount)), fenceLine: fenceLine)
        return (cell, warnings)
    }

    static func firstHeading(_ node: MarkdownNode) -> MarkdownNode? {
        if case .heading = node.kind { return node }
        for child in node.children { if let found = firstHeading(child) { return found } }
        return nil
    }

    static func firstInvalidUTF8Offset(_ data: Data) -> Int {
        var offset = 0
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): consumed += UTF8.width(scalar); offset = consumed
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
