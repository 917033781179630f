import DeriveDocument

/// One executable cell as HTML: its highlighted source and its outputs in place.
public struct CellHTMLRenderer: Sendable {
    public var typesetter: any MathTypesetter
    public var digits: Int
    /// Notebook lines some check's diagnosis names (see `CheckRow.namedLines`).
    public var namedLines: Set<Int> = []
    /// For the equations a cell verifies: their numbers and pages.
    public var site: SiteContext?
    /// This page's file name in the site.
    public var page: String

    public init(typesetter: any MathTypesetter, digits: Int = 4, site: SiteContext? = nil, page: String = "") {
        self.typesetter = typesetter
        self.digits = digits
        self.site = site
        self.page = page
    }

    /// The anchor id of a cell: its label, else `cell-N` (1-based).
    public static func anchor(_ cell: Cell) -> String {
        cell.options.label.map(HTML.slug) ?? "cell-\(cell.index + 1)"
    }

    /// How a cell is named to a reader: its label, else "cell N".
    public static func title(_ cell: Cell) -> String {
        cell.options.label ?? "cell \(cell.index + 1)"
    }

    /// "verifies (2), (1.3)", each linked to its equation.
    func verifies(_ cell: Cell) -> String? {
        guard !cell.options.verifies.isEmpty else { return nil }
        let links = cell.options.verifies.map { label -> String in
            guard let equation = site?.equations[label] else { return "<span class=\"equation-ref unknown\">\(HTML.escape(label))</span>" }
            let href = SiteContext.href(equation.page, label, from: page)
            return "<a class=\"equation-ref\" href=\"\(HTML.url(href))\">\(site!.referenceText(equation, from: page))</a>"
        }
        return "<span class=\"verifies\">verifies \(links.joined(separator: ", "))</span>"
    }

    public func render(_ cell: Cell, result: CellResult?, notebook: Notebook) -> String {
        // A cell's own `digits` option overrides the notebook's.
        if let own = cell.options.digits, own != digits {
            var renderer = self
            renderer.digits = own
            return renderer.render(cell, result: result, notebook: notebook)
        }
        let status = result.map { $0.ran ? ($0.passed ? "passed" : "failed") : "not-run" } ?? "not-run"
        var html = "<section class=\"cell \(status)\" id=\"\(Self.anchor(cell))\">\n"
        var badges: [String] = []
        if cell.options.expect != .pass { badges.append("<span class=\"badge expect\">expect: \(cell.options.expect.rawValue)</span>") }
        if !cell.options.eval { badges.append("<span class=\"badge\">not run</span>") }
        if let verifies = verifies(cell) { badges.append(verifies) }
        for tag in cell.options.tags { badges.append("<span class=\"badge tag\">\(HTML.escape(tag))</span>") }
        if let label = cell.options.label { badges.insert("<a class=\"cell-label\" href=\"#\(Self.anchor(cell))\">\(HTML.escape(label))</a>", at: 0) }
        if !badges.isEmpty { html += "<div class=\"cell-head\">\(badges.joined(separator: " "))</div>\n" }
        if cell.options.echo {
            html += "<pre class=\"cell-source\"><code>\(source(cell))</code></pre>\n"
        }
        if let result, cell.options.output {
            let outputs = result.outputs.map(output).joined()
            var extra = ""
            if !result.passed, let reason = result.failureReason { extra = "<p class=\"cell-failure\">✗ \(HTML.escape(reason))</p>\n" }
            if !outputs.isEmpty || !extra.isEmpty { html += "<div class=\"outputs\">\n\(outputs)\(extra)</div>\n" }
        }
        return html + "</section>\n"
    }

    /// The highlighted source; a line a diagnosis names is marked and can be linked to (`#L14`).
    func source(_ cell: Cell) -> String {
        let html = Highlighter.html(cell.source)
        let named = cell.lineStarts.map(\.line).filter(namedLines.contains)
        guard !named.isEmpty else { return html }
        return html.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { k, line in
            guard cell.lineStarts.indices.contains(k), namedLines.contains(cell.lineStarts[k].line) else { return String(line) }
            return "<span class=\"named-line\" id=\"L\(cell.lineStarts[k].line)\">\(line)</span>"
        }.joined(separator: "\n")
    }

    /// A diagnosis, with the lines it names linked to the source.
    func diagnosis(_ text: String, naming lines: [Int]) -> String {
        var html = HTML.escape(text)
        // `source` in a diagnosis is code.
        let parts = html.split(separator: "`", omittingEmptySubsequences: false)
        if parts.count > 2, parts.count % 2 == 1 {
            html = parts.enumerated().map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : String($0.element) }.joined()
        }
        for line in Set(lines).sorted() { html = html.replacingOccurrences(of: "(line \(line))", with: "(<a href=\"#L\(line)\">line \(line)</a>)") }
        return html
    }

    func output(_ output: CellOutput) -> String {
        switch output {
        case .text(let text): return "<pre class=\"stdout\">\(HTML.escape(text))</pre>\n"
        case .value(let value, let label):
            let name = label.map { "<span class=\"value-label\">\(HTML.escape($0))</span> " } ?? ""
            return "<div class=\"value\">\(name)\(self.value(value))</div>\n"
        case .check(let row): return check(row, nested: false)
        case .plot(let plot): return "<figure class=\"plot\">\(LineChart.svg(plot))</figure>\n"
        case .heatmap(let heatmap): return "<figure class=\"plot\">\(HeatmapChart.svg(heatmap))</figure>\n"
        case .error(let diagnostic):
            return "<pre class=\"error\">\(HTML.escape(diagnostic.formatted))</pre>\n"
        }
    }

    func value(_ value: DisplayValue) -> String {
        switch value {
        case .number(let x): return "<span class=\"number\">\(NumberFormat.plain(x, digits: digits))</span>"
        case .tensor(let rows, let cols, let values): return matrix(rows, cols, values)
        case .bool(let b): return "<span class=\"number\">\(b)</span>"
        case .string(let s): return "<span class=\"string\">\(HTML.escape(s))</span>"
        case .array(let items): return "<span class=\"array\">[" + items.map(self.value).joined(separator: ", ") + "]</span>"
        case .tuple(let items): return "<span class=\"tuple\">(" + items.map(self.value).joined(separator: ", ") + ")</span>"
        case .other(let text): return "<span class=\"other\">\(HTML.escape(text))</span>"
        }
    }

    /// A tensor as a KaTeX bmatrix with its shape; past 8 rows or columns, the middle is elided.
    func matrix(_ rows: Int, _ cols: Int, _ values: [Double]) -> String {
        let body = DisplayValue.shownIndices(rows).map { i in
            DisplayValue.shownIndices(cols).map { j -> String in
                switch (i, j) {
                case (nil, nil): "\\ddots"
                case (nil, _): "\\vdots"
                case (_, nil): "\\cdots"
                case let (i?, j?): NumberFormat.tex(values[i * cols + j], digits: digits)
                }
            }.joined(separator: " & ")
        }.joined(separator: " \\\\ ")
        let tex = "\\begin{bmatrix} \(body) \\end{bmatrix}"
        let shape = "<span class=\"shape\">\(rows)×\(cols)</span>"
        guard rows > 0, cols > 0, let html = try? typesetter.typeset(tex, display: false) else {
            return "<code>\(HTML.escape(values.map { NumberFormat.plain($0, digits: digits) }.joined(separator: ", ")))</code> \(shape)"
        }
        return "<span class=\"matrix\">\(html)</span> \(shape)"
    }

    /// A check row as HTML, for outputs shown outside a page (Jupyter).
    public static func checkHTML(_ row: CheckRow) -> String {
        CellHTMLRenderer(typesetter: PlainTypesetter()).check(row, nested: false)
    }

    func check(_ row: CheckRow, nested: Bool) -> String {
        let mark = row.passed ? "✓" : "✗"
        var errors: [String] = []
        if let a = row.maxAbsError { errors.append("max abs error \(NumberFormat.error(a))") }
        if let r = row.maxRelError { errors.append("max rel error \(NumberFormat.error(r))") }
        let title = row.label.map { "<span class=\"check-title\">\(HTML.escape($0))</span>" }
            ?? "<code class=\"check-title\">\(HTML.escape(row.source))</code>"
        var summary = "<span class=\"mark\">\(mark)</span> \(title)"
        if !errors.isEmpty { summary += " <span class=\"check-errors\">\(errors.joined(separator: " · "))</span>" }
        var detail = ""
        if !row.diagnosis.isEmpty {
            detail += "<ul class=\"diagnosis\">" + row.diagnosis.map { "<li>\(diagnosis($0, naming: row.namedLines))</li>" }.joined() + "</ul>"
        }
        if !row.worst.isEmpty {
            detail += "<table class=\"worst\"><thead><tr><th>entry</th><th>yours</th><th>reference</th></tr></thead><tbody>"
            for entry in row.worst {
                detail += "<tr><td>[\(entry.row), \(entry.col)]</td><td>\(NumberFormat.plain(entry.actual, digits: 6))</td><td>\(NumberFormat.plain(entry.reference, digits: 6))</td></tr>"
            }
            detail += "</tbody></table>"
        }
        if !row.notes.isEmpty { detail += "<ul class=\"notes\">" + row.notes.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>" }
        if let reference = row.reference { detail += "<p class=\"reference\">reference: \(HTML.escape(reference))</p>" }
        if !row.children.isEmpty { detail += "<div class=\"sub-checks\">" + row.children.map { check($0, nested: true) }.joined() + "</div>" }
        let classes = "check \(row.passed ? "pass" : "fail")\(nested ? " nested" : "")"
        if detail.isEmpty { return "<div class=\"\(classes)\"><div class=\"check-summary\">\(summary)</div></div>\n" }
        return "<details class=\"\(classes)\"\(row.passed ? "" : " open")><summary>\(summary)</summary><div class=\"check-detail\">\(detail)</div></details>\n"
    }
}

/// Shows TeX as itself, where no typesetting is wanted.
struct PlainTypesetter: MathTypesetter {
    func typeset(_ tex: String, display: Bool) throws(TeXError) -> String { HTML.escape(tex) }
}
