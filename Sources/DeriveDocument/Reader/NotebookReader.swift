import Foundation

/// Why a notebook file could not be read at all (exit status 2).
public struct ReadError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Reads notebooks (see the README's notebook format): front matter, Markdown with math kept verbatim, executable cells
/// with their options and the notebook position of every source line.
public enum NotebookReader {
    /// Notebooks are text a person writes: a larger file is refused before it is read.
    public static let maximumFileBytes = 16 * 1024 * 1024
    /// How many reader diagnostics a notebook keeps.
    public static let maximumDiagnostics = 1000

    /// `defaults`: the course's settings (`derive.yml`), which the front matter overrides.
    public static func read(path: String, defaults: FrontMatter = FrontMatter()) throws(ReadError) -> Notebook {
        // Only a regular file (or a link to one) is read: a FIFO or a device would block or never end.
        var info = stat()
        if stat(path, &info) == 0 {
            let kinds: [mode_t: String] = [S_IFIFO: "a named pipe (FIFO)", S_IFCHR: "a character device", S_IFBLK: "a block device",
                                          S_IFSOCK: "a socket", S_IFDIR: "a folder"]
            if let kind = kinds[info.st_mode & S_IFMT] {
                throw ReadError(description: "cannot read \(path): it is \(kind), not a notebook file")
            }
            if info.st_size > maximumFileBytes {
                throw ReadError(description: "cannot read \(path): it is \(info.st_size / 1024 / 1024) MB; a notebook is limited to \(maximumFileBytes / 1024 / 1024) MB")
            }
        }
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
        // Windows (CRLF) and classic Mac (CR) line endings count lines as cmark-gfm does; a byte
        // order mark is not text (the front matter must still start the file), and NUL becomes
        // U+FFFD as CommonMark says (C strings would end at it, in cmark and in KaTeX's messages).
        var normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if normalized.unicodeScalars.first == "\u{FEFF}" { normalized.unicodeScalars.removeFirst() }
        if normalized.utf8.contains(0) { normalized = normalized.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        // At most `maximumDiagnostics` are kept (a million unterminated `$$` are a million warnings);
        // the rest are counted in one more at the end, an error if any of them was.
        var diagnostics: [Diagnostic] = []
        var dropped = (count: 0, errors: 0)
        func diagnose(_ severity: Diagnostic.Severity, _ message: String, _ location: SourceLocation, hint: String? = nil) {
            guard diagnostics.count < maximumDiagnostics else {
                dropped.count += 1
                if severity == .error { dropped.errors += 1 }
                return
            }
            let line = lines.indices.contains(location.line - 1) ? Diagnostic.sourceLine(lines[location.line - 1], column: location.column) : nil
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
            for problem in cell.problems { diagnose(problem.severity, problem.message, problem.location, hint: problem.hint) }
            cells.append(cell.cell)
            return cell.cell.index
        }
        var root = converter.convert(protected)
        var math = scanner.spans
        EquationMarkup.apply(to: &root, spans: &math, originals: scanner.originals, lines: lines)
        // A label is the cell's anchor and its name in reports: two cells cannot share one.
        var labelled: [String: Cell] = [:]
        for cell in cells {
            guard let label = cell.options.label else { continue }
            if let first = labelled[label] {
                // Point at the option line that sets it.
                let optionLine = (cell.fenceLine..<min(lines.count, cell.fenceLine + 64)).first { k in
                    let text = lines[k].drop { $0 == " " || $0 == "\t" || $0 == ">" }
                    return text.hasPrefix("//|") && text.dropFirst(3).drop { $0 == " " }.hasPrefix("label")
                }
                diagnose(.warning, "duplicate cell label '\(label)': the cell at line \(first.fenceLine) has it too; this one's anchor gets a suffix",
                         SourceLocation(line: (optionLine ?? cell.fenceLine - 1) + 1, column: 1), hint: "give each cell a label of its own")
            } else {
                labelled[label] = cell
            }
        }
        if let line = converter.flattenedAt {
            diagnose(.warning, "Markdown nested more than \(MarkdownNode.maximumDepth) levels deep (quotes, lists, emphasis or links); the deeper levels are shown flattened",
                     SourceLocation(line: line, column: 1))
        }
        if dropped.count > 0 {
            let errors = dropped.errors > 0 ? " (\(dropped.errors) of them errors)" : ""
            diagnostics.append(Diagnostic(dropped.errors > 0 ? .error : .warning, "\(dropped.count) more problems in this notebook\(errors) are not shown",
                                          file: path, at: SourceLocation(line: 1, column: 1)))
        }
        let title = frontMatter.title ?? firstHeading(root)?.plainText ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return Notebook(path: path, frontMatter: frontMatter, title: title, body: root, cells: cells,
                        math: math, diagnostics: diagnostics, lines: lines)
    }

    typealias Problem = (severity: Diagnostic.Severity, message: String, location: SourceLocation, hint: String?)

    static func makeCell(index: Int, literal: String, fenceLine: Int, lines: [Substring]) -> (cell: Cell, problems: [Problem]) {
        var sourceLines = literal.split(separator: "\n", omittingEmptySubsequences: false)
        if sourceLines.last == "" { sourceLines.removeLast() }
        var (options, optionCount, optionProblems) = CellOptionsParser.parse(sourceLines)
        // Where each literal line sits: the literal is the file line minus its container prefix.
        let starts = sourceLines.indices.map { k -> SourceLocation in
            let fileLine = fenceLine + 1 + k
            let raw = lines.indices.contains(fileLine - 1) ? lines[fileLine - 1] : ""
            let column = raw.unicodeScalars.count - sourceLines[k].unicodeScalars.count + 1
            return SourceLocation(line: fileLine, column: max(1, column))
        }
        var problems: [Problem] = optionProblems.map { problem in
            (problem.severity, problem.message, SourceLocation(line: starts[problem.offset].line, column: starts[problem.offset].column + problem.column - 1), problem.hint)
        }
        // cmark ends an unclosed fence at the end of the file (or of its list item or quote),
        // silently taking the prose after it into the cell.
        let closing = fenceLine + 1 + sourceLines.count
        let after = lines.indices.contains(closing - 1) ? lines[closing - 1].drop(while: { $0 == " " || $0 == ">" || $0 == "\t" }) : ""
        if !after.hasPrefix("```") && !after.hasPrefix("~~~") {
            problems.append((.warning, "this cell's fence is never closed, so the cell runs to the end of the file (or of its list item or quote)",
                             SourceLocation(line: fenceLine, column: 1), "close it with ``` on a line of its own"))
        }
        let source = sourceLines.dropFirst(optionCount).joined(separator: "\n")
        // Parsing and highlighting take time in proportion to the source (a megabyte: 17 s).
        if source.utf8.count > Cell.maximumSourceBytes {
            options.eval = false
            problems.append((.error, "this cell is \(source.utf8.count / 1024) KB; a cell is limited to \(Cell.maximumSourceBytes / 1024) KB, so it is not run",
                             SourceLocation(line: fenceLine, column: 1), "split it into several cells"))
        }
        let cell = Cell(index: index, source: source, options: options, lineStarts: Array(starts.dropFirst(optionCount)), fenceLine: fenceLine)
        return (cell, problems)
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
