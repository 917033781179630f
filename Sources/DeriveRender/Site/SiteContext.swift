import DeriveDocument
import Foundation

/// What a page needs to know of the whole site: where each notebook's page is and which anchors
/// it has (for links between lessons), the numbered equations (for `@eq-name` and their
/// numbers), and which cells verify each equation (for the ✓/✗ badges).
public struct SiteContext: Sendable {
    public struct PageInfo: Sendable, Hashable {
        /// The page's file name in the site (`02-shape.html`).
        public var page: String
        /// 1-based position in the index: the p of `(p.n)`.
        public var lesson: Int
        /// The page's anchors: headings, cells and equations.
        public var ids: Set<String>
    }

    public struct Verifier: Sendable, Hashable {
        public var page: String
        /// The cell's anchor id.
        public var anchor: String
        /// The cell's label, else "cell N".
        public var title: String
        /// Whether the cell passed; nil when it did not run in this build (`eval: false`, or
        /// another lesson's cell when one lesson is checked alone).
        public var passed: Bool?
        /// The cell expects to fail (`expect: fail` or `error`): it shows the equation wrong.
        public var refutes = false
    }

    public struct Equation: Sendable, Hashable {
        public var label: String
        public var page: String
        public var lesson: Int
        public var number: Int
        /// Its index in its notebook's `math`.
        public var span: Int
        /// Its notebook and the line of its closing `$$`, for reports.
        public var path: String
        public var line: Int
        public var verifiers: [Verifier] = []
    }

    /// One notebook of the site, with its page and, when it ran, its results.
    public struct Member: Sendable {
        public var notebook: Notebook
        public var page: String
        public var result: NotebookResult?
        public init(notebook: Notebook, page: String, result: NotebookResult?) {
            self.notebook = notebook
            self.page = page
            self.result = result
        }
    }

    /// By standardized notebook path.
    public var pages: [String: PageInfo] = [:]
    /// By label: the first equation with it.
    public var equations: [String: Equation] = [:]
    /// Each page's equation numbers, by math span index.
    public var numbers: [String: [Int: Int]] = [:]
    /// The notebooks' folder: links may copy files from inside it only.
    public var root: String

    public init(root: String) {
        self.root = Self.standardized(root)
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The site of one notebook alone (what a page rendered by itself refers to).
    public static func single(_ notebook: Notebook, page: String = "") -> SiteContext {
        build([Member(notebook: notebook, page: page, result: nil)], root: (notebook.path as NSString).deletingLastPathComponent).context
    }

    /// Numbers every labelled equation per page in order and ties each `verifies` to its
    /// equation. Diagnostics, by member: a label used twice, a `verifies` naming no equation.
    public static func build(_ members: [Member], root: String) -> (context: SiteContext, diagnostics: [[Diagnostic]]) {
        var site = SiteContext(root: root.isEmpty ? "." : root)
        var diagnostics = Array(repeating: [Diagnostic](), count: members.count)
        for (position, member) in members.enumerated() {
            let notebook = member.notebook
            var ids = Set(MarkdownHTMLRenderer.headingIDs(notebook))
            ids.formUnion(notebook.cells.map(CellHTMLRenderer.anchor))
            var numbers: [Int: Int] = [:]
            for (index, span) in notebook.math.enumerated() {
                guard let label = span.label else { continue }
                numbers[index] = numbers.count + 1
                if let first = site.equations[label] {
                    let place = first.page == member.page ? "equation (\(first.number)) of this page" : "\(first.page), equation (\(first.lesson).\(first.number))"
                    diagnostics[position].append(notebook.diagnostic(.error, "duplicate equation label '\(label)': it already labels \(place)",
                                                                     at: SourceLocation(line: span.endLine, column: 1), hint: "labels must be unique in the site"))
                    continue
                }
                ids.insert(label)
                site.equations[label] = Equation(label: label, page: member.page, lesson: position + 1, number: numbers[index]!, span: index,
                                                 path: notebook.path, line: span.endLine)
            }
            site.numbers[member.page] = numbers
            site.pages[standardized(notebook.path)] = PageInfo(page: member.page, lesson: position + 1, ids: ids)
        }
        for (position, member) in members.enumerated() {
            for cell in member.notebook.cells {
                for label in cell.options.verifies {
                    guard site.equations[label] != nil else {
                        let hint = site.closestLabel(to: label).map { "did you mean '\($0)'?" }
                        diagnostics[position].append(member.notebook.diagnostic(
                            .error, "'verifies' names '\(label)', but no equation of the site has that label",
                            at: optionLocation(of: cell, in: member.notebook), hint: hint ?? "label an equation with $$ … $$ {#\(label)}"))
                        continue
                    }
                    let result = member.result.map { $0.cells.first { $0.index == cell.index } }
                    site.equations[label]!.verifiers.append(Verifier(
                        page: member.page, anchor: CellHTMLRenderer.anchor(cell), title: CellHTMLRenderer.title(cell),
                        passed: result.map { $0.map { $0.ran ? $0.passed : nil } ?? false } ?? nil,
                        refutes: cell.options.expect != .pass))
                }
            }
        }
        return (site, diagnostics)
    }

    /// The line of a cell's `//| verifies:` option.
    static func optionLocation(of cell: Cell, in notebook: Notebook) -> SourceLocation {
        var line = cell.fenceLine + 1
        while let text = notebook.line(line), text.contains("//|") {
            if text.contains("verifies") { return SourceLocation(line: line, column: (text.range(of: "verifies").map { text.unicodeScalars.distance(from: text.startIndex, to: $0.lowerBound) } ?? 0) + 1) }
            line += 1
        }
        return SourceLocation(line: cell.fenceLine, column: 1)
    }

    /// The label closest to a mistyped one, for a hint; not looked for among very many labels
    /// (each unknown reference would cost a pass over all of them).
    public func closestLabel(to label: String) -> String? {
        equations.count <= 2_000 ? EditDistance.closest(to: label, in: equations.keys) : nil
    }

    /// `(n)` on its own page, `(p.n)` on another.
    public func referenceText(_ equation: Equation, from page: String) -> String {
        equation.page == page ? "(\(equation.number))" : "(\(equation.lesson).\(equation.number))"
    }

    /// The href of an anchor on a page, seen from `page`.
    public static func href(_ target: String, _ anchor: String, from page: String) -> String {
        target == page ? "#\(anchor)" : "\(target)#\(anchor)"
    }

    /// The equations a cell verifies that exist, in its order.
    public func verified(by cell: Cell) -> [Equation] {
        cell.options.verifies.compactMap { equations[$0] }
    }
}

extension SiteContext {
    /// A link's destination as the page should have it, a file to copy into the site, or a
    /// warning (the link is then left as written).
    public struct Resolved: Sendable {
        public var href: String
        /// Site-relative path → the file to copy there.
        public var copy: (path: String, source: String)?
        public var warning: String?
        /// A file inside the folder that the link names but that does not exist (yet).
        public var missing: String?
    }

    /// A relative path, not a URL with a scheme, an absolute path or a fragment of this page.
    static func isRelative(_ destination: String) -> Bool {
        guard let first = destination.first, first != "#", first != "/", first != "?" else { return false }
        let scheme = destination.prefix { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "." || $0 == "-" }
        return !(first.isLetter && destination.dropFirst(scheme.count).hasPrefix(":"))
    }

    /// `02-shape.md#the-rule` → `02-shape.html#the-rule`; `img/net.png` → copied to the same
    /// path (relative to the notebooks' folder); anything else unchanged.
    public func resolve(_ destination: String, from notebook: Notebook) -> Resolved {
        guard Self.isRelative(destination) else { return Resolved(href: destination) }
        let hash = destination.firstIndex(of: "#")
        let fragment = hash.map { String(destination[destination.index(after: $0)...]) }
        let beforeHash = destination[..<(hash ?? destination.endIndex)]
        let path = String(beforeHash.prefix { $0 != "?" })
        let decoded = path.removingPercentEncoding ?? path
        let folder = Self.standardized((notebook.path as NSString).deletingLastPathComponent)
        let target = Self.standardized((folder as NSString).appendingPathComponent(decoded))
        if decoded.hasSuffix(".md") {
            guard let info = pages[target] else {
                return Resolved(href: destination, warning: "link to '\(path)': no such notebook in the site")
            }
            var href = info.page
            if let fragment, !fragment.isEmpty {
                href += "#" + fragment
                if !info.ids.contains(fragment.removingPercentEncoding ?? fragment) {
                    return Resolved(href: href, warning: "link to '\(path)#\(fragment)': \(path) has no heading (or cell, or equation) with that id")
                }
            }
            return Resolved(href: href)
        }
        let rootPrefix = root.hasSuffix("/") ? root : root + "/"
        let real = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
        let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        guard target.hasPrefix(rootPrefix), real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
            return Resolved(href: destination, warning: "'\(path)' is outside the notebooks' folder, so it is not copied into the site")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue {
            return Resolved(href: destination, warning: "'\(path)' is a folder; only files are copied into the site")
        }
        guard FileManager.default.fileExists(atPath: real) else {
            return Resolved(href: destination, warning: "'\(path)' does not exist (looked for \(target))", missing: target)
        }
        // The same path in the site; pages sit at its top, so the link is that path.
        let sitePath = String(target.dropFirst(rootPrefix.count))
        let suffix = destination[(beforeHash.firstIndex(of: "?") ?? beforeHash.endIndex)...]
        return Resolved(href: sitePath + suffix, copy: (sitePath, real))
    }
}
