import DeriveDocument
import DeriveRender
import Foundation

/// `derive export NOTEBOOK --to ipynb`: nbformat 4.5 with the prose as markdown cells (math kept as
/// `$…$`), each Swift cell as a code cell with its outputs, and cell tags in metadata.
public enum NotebookExport {
    /// `site` and `page`: numbered equations become `\tag{n}` and `@eq-name` their number, as
    /// on the site (Jupyter has no labels of its own).
    public static func ipynb(_ notebook: Notebook, result: NotebookResult, site: SiteContext? = nil, page: String = "") -> String {
        let site = site ?? .single(notebook, page: page)
        let notebook = numbered(notebook, site: site, page: page)
        var cells: [JSONValue] = []
        var cursor = notebook.frontMatter.bodyStartLine  // 1-based line where prose resumes
        var executionCount = 0
        for cell in notebook.cells {
            let close = closingFence(after: cell.fenceLine, in: notebook)
            cells += markdownCell(notebook, from: cursor, to: cell.fenceLine - 1, id: "md-\(cell.index + 1)")
            let result = result.cells.indices.contains(cell.index) ? result.cells[cell.index] : nil
            var count: JSONValue = .null
            if result?.ran == true {
                executionCount += 1
                count = .int(executionCount)
            }
            cells.append(codeCell(cell, source: codeLines(cell, close: close, in: notebook), result: result, count: count))
            cursor = close + 1
        }
        cells += markdownCell(notebook, from: cursor, to: notebook.lines.count, id: "md-end")
        let root: JSONValue = .object([
            ("cells", .array(cells)),
            ("metadata", .object([
                ("kernelspec", .object([("display_name", .string("Swift (Derive)")), ("language", .string("swift")), ("name", .string("swift"))])),
                ("language_info", .object([("file_extension", .string(".swift")), ("mimetype", .string("text/x-swift")), ("name", .string("swift"))])),
                ("title", .string(notebook.title)),
            ])),
            ("nbformat", .int(4)),
            ("nbformat_minor", .int(5)),
        ])
        return root.serialized + "\n"
    }

    /// The notebook's lines with `$$ … $$ {#eq-name}` as `$$ … \tag{n} $$` and each `@eq-name` as
    /// `(n)` or `(p.n)`.
    static func numbered(_ notebook: Notebook, site: SiteContext, page: String) -> Notebook {
        var copy = notebook
        var lines = notebook.lines.map(String.init)
        for (index, span) in notebook.math.enumerated() {
            guard let label = span.label, let number = site.numbers[page]?[index], lines.indices.contains(span.endLine - 1) else { continue }
            let line = lines[span.endLine - 1]
            guard let tag = line.range(of: "{#\(label)}"), let close = line[..<tag.lowerBound].range(of: "$$", options: .backwards) else { continue }
            lines[span.endLine - 1] = String(line[..<close.lowerBound]) + "\\tag{\(number)} $$" + line[tag.upperBound...]
        }
        for (label, equation) in site.equations {
            let text = site.referenceText(equation, from: page)
            lines = lines.map { line in
                line.contains("@" + label) ? line.replacingOccurrences(of: "@\(label)(?![A-Za-z0-9_])", with: text, options: .regularExpression) : line
            }
        }
        copy.lines = lines.map { Substring($0) }
        return copy
    }

    /// Jupyter stores text as a list of lines, each but the last ending in a newline.
    static func lines(_ text: [String]) -> JSONValue {
        .array(text.enumerated().map { .string($0.element + ($0.offset < text.count - 1 ? "\n" : "")) })
    }

    static func markdownCell(_ notebook: Notebook, from start: Int, to end: Int, id: String) -> [JSONValue] {
        guard start <= end else { return [] }
        var text = (start...end).compactMap { notebook.line($0) }
        while text.first?.allSatisfy(\.isWhitespace) == true { text.removeFirst() }
        while text.last?.allSatisfy(\.isWhitespace) == true { text.removeLast() }
        guard !text.isEmpty else { return [] }
        return [.object([("cell_type", .string("markdown")), ("id", .string(id)), ("metadata", .object([])), ("source", lines(text))])]
    }

    /// The line of the fence that closes the cell opened at `line`.
    static func closingFence(after line: Int, in notebook: Notebook) -> Int {
        let opening = notebook.line(line) ?? "```"
        let fence = opening.drop { $0 == " " || $0 == ">" || $0 == "-" || $0 == "*" || $0.isNumber || $0 == "." }.prefix { $0 == "`" || $0 == "~" }
        var k = line + 1
        while let text = notebook.line(k) {
            let trimmed = text.drop { $0 == " " || $0 == ">" }
            if trimmed.hasPrefix(fence), trimmed.allSatisfy({ $0 == fence.first || $0 == " " }) { return k }
            k += 1
        }
        return notebook.lines.count
    }

    /// The cell's lines as written, options included, without the container's indentation.
    static func codeLines(_ cell: Cell, close: Int, in notebook: Notebook) -> [String] {
        guard close > cell.fenceLine + 1 else { return [] }
        let indent = (cell.lineStarts.first?.column ?? 1) - 1
        return (cell.fenceLine + 1..<close).compactMap { notebook.line($0) }.map { line in
            String(line.unicodeScalars.dropFirst(min(indent, line.unicodeScalars.prefix { $0 == " " || $0 == ">" }.count)))
        }
    }

    static func codeCell(_ cell: Cell, source: [String], result: CellResult?, count: JSONValue) -> JSONValue {
        var metadata: [(String, JSONValue)] = []
        if !cell.options.tags.isEmpty { metadata.append(("tags", .array(cell.options.tags.map { .string($0) }))) }
        var derive: [(String, JSONValue)] = [("expect", .string(cell.options.expect.rawValue))]
        if let label = cell.options.label { derive.append(("label", .string(label))) }
        if let result { derive.append(("passed", .bool(result.passed))) }
        metadata.append(("derive", .object(derive)))
        let outputs = (result?.outputs ?? []).enumerated().map { output($0.element, isLast: $0.offset == (result?.outputs.count ?? 0) - 1, count: count) }
        return .object([
            ("cell_type", .string("code")),
            ("execution_count", count),
            ("id", .string("cell-\(cell.index + 1)")),
            ("metadata", .object(metadata)),
            ("outputs", .array(outputs)),
            ("source", lines(source)),
        ])
    }

    static func output(_ output: CellOutput, isLast: Bool, count: JSONValue) -> JSONValue {
        func display(_ data: [(String, JSONValue)]) -> JSONValue {
            .object([("data", .object(data)), ("metadata", .object([])), ("output_type", .string("display_data"))])
        }
        switch output {
        case .text(let text):
            // Each printed line ends in a newline, as in a terminal.
            let printed = text.components(separatedBy: "\n").map { JSONValue.string($0 + "\n") }
            return .object([("name", .string("stdout")), ("output_type", .string("stream")), ("text", .array(printed))])
        case .value(let value, let label):
            var data: [(String, JSONValue)] = [("text/plain", .string((label.map { "\($0): " } ?? "") + ValueText.plain(value)))]
            if let tex = ValueText.latex(value) { data.insert(("text/latex", .string("$$" + tex + "$$")), at: 0) }
            guard isLast, label == nil else { return display(data) }
            return .object([("data", .object(data)), ("execution_count", count), ("metadata", .object([])), ("output_type", .string("execute_result"))])
        case .check(let row):
            return display([("text/html", .string(CellHTMLRenderer.checkHTML(row))), ("text/plain", .string(ValueText.check(row)))])
        case .plot(let plot):
            return display([("image/svg+xml", .string(LineChart.svg(plot, standalone: true))), ("text/plain", .string("plot: \(plot.title ?? "")"))])
        case .heatmap(let heatmap):
            return display([("image/svg+xml", .string(HeatmapChart.svg(heatmap, standalone: true))), ("text/plain", .string("heatmap: \(heatmap.title ?? "")"))])
        case .error(let diagnostic):
            return .object([("ename", .string("DeriveError")), ("evalue", .string(diagnostic.message)), ("output_type", .string("error")),
                            ("traceback", .array(diagnostic.formatted.components(separatedBy: "\n").map { .string($0) }))])
        }
    }
}

/// Values and check rows as plain text (for `text/plain` outputs).
enum ValueText {
    static func plain(_ value: DisplayValue) -> String {
        switch value {
        case .number(let x): return NumberFormat.plain(x)
        case .tensor(let rows, let cols, let values):
            let body = DisplayValue.shownIndices(rows).map { i in
                DisplayValue.shownIndices(cols).map { j in
                    guard let i else { return j == nil ? "⋱" : "⋮" }
                    return j.map { NumberFormat.plain(values[i * cols + $0]) } ?? "⋯"
                }.joined(separator: "  ")
            }
            return "\(rows)×\(cols)\n" + body.joined(separator: "\n")
        case .bool(let b): return "\(b)"
        case .string(let s): return s
        case .array(let items): return "[" + items.map(plain).joined(separator: ", ") + "]"
        case .tuple(let items): return "(" + items.map(plain).joined(separator: ", ") + ")"
        case .other(let text): return text
        }
    }

    static func latex(_ value: DisplayValue) -> String? {
        guard case .tensor(let rows, let cols, let values) = value, rows <= 12, cols <= 12 else { return nil }
        let body = (0..<rows).map { i in (0..<cols).map { NumberFormat.tex(values[i * cols + $0]) }.joined(separator: " & ") }
        return "\\begin{bmatrix}" + body.joined(separator: " \\\\ ") + "\\end{bmatrix}"
    }

    static func check(_ row: CheckRow) -> String {
        var text = "\(row.passed ? "✓" : "✗") \(row.title)"
        if let a = row.maxAbsError { text += "  (max abs error \(NumberFormat.error(a)))" }
        for d in row.diagnosis { text += "\n  \(d)" }
        return text
    }
}
