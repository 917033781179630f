import Foundation
import Testing
@testable import DeriveDocument

/// Seconds `body` takes.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// Hostile input to the reader (issue 16): each ends as a located error, a warning or success,
/// in bounded time; never a crash or a hang.
@Suite struct ReaderHostileTests {
    func diagnostics(_ notebook: Notebook, _ severity: Diagnostic.Severity) -> [Diagnostic] {
        notebook.diagnostics.filter { $0.severity == severity }
    }

    func depth(_ node: MarkdownNode) -> Int { ReaderFuzzTests.depth(node) }

    // 1. Deep nesting used to overflow the stack in the tree conversion (signal 11).
    @Test(arguments: [String(repeating: ">", count: 1500) + " x", String(repeating: "- ", count: 1000) + "x",
                      String(repeating: "*a ", count: 3000) + "x", String(repeating: "[", count: 3000) + "x",
                      String(repeating: "![", count: 2000) + "x", String(repeating: "> - ", count: 20000) + "x"])
    func deepMarkdownIsFlattenedWithAWarning(_ text: String) throws {
        var notebook: Notebook?
        let time = seconds { notebook = NotebookReader.parse(text + "\n\nafter\n", path: "deep.md") }
        let read = try #require(notebook)
        #expect(time < 5)
        #expect(depth(read.body) <= MarkdownNode.maximumDepth + 4)
        #expect(read.body.plainText.contains("x") && read.body.plainText.contains("after"))
        if text.hasPrefix(">") || text.hasPrefix("-") {
            #expect(diagnostics(read, .warning).map(\.location.line) == [1])
            #expect(diagnostics(read, .warning).first?.message.contains("nested more than 64 levels") == true)
        }
    }

    @Test func ordinaryNestingIsKept() {
        let notebook = NotebookReader.parse("> > - *a **b** c*\n", path: "n.md")
        #expect(notebook.diagnostics.isEmpty)
        #expect(depth(notebook.body) == 9)  // document, quote, quote, list, item, paragraph, emphasis, strong, text
    }

    // 6. "Billion laughs": 399 bytes of front matter stood for 5 GB and never finished.
    static let laughs = (1...9).map { k -> String in
        let name = Character(UnicodeScalar(UInt8(96 + k)))
        let items = k == 1 ? Array(repeating: "\"lol\"", count: 9) : Array(repeating: "*\(Character(UnicodeScalar(UInt8(95 + k))))", count: 9)
        return "\(name): &\(name) [\(items.joined(separator: ","))]"
    }

    @Test func aliasBombInTheFrontMatterIsAnErrorAtItsLine() throws {
        let text = "---\n" + Self.laughs.joined(separator: "\n") + "\nseed: 3\n---\n# Laughs\n"
        var notebook: Notebook?
        #expect(seconds { notebook = NotebookReader.parse(text, path: "bomb.md") } < 2)
        let error = try #require(notebook.map { diagnostics($0, .error) }?.first)
        #expect(error.message.contains("expands to more than 10000 values through its aliases"))
        #expect(error.location.line == 6)  // e: nine d's of 820 values each
        #expect(notebook?.title == "Laughs")
    }

    @Test func aliasBombOnAnOptionLineIsAnErrorAndIgnored() throws {
        let tags = "[&a [a,a,a,a,a,a,a,a,a], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], "
            + "&d [*c,*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d,*d], [*e,*e,*e,*e,*e,*e,*e,*e]]"
        var notebook: Notebook?
        #expect(seconds { notebook = NotebookReader.parse("# T\n\n```swift\n//| tags: \(tags)\n1\n```\n", path: "o.md") } < 2)
        let error = try #require(notebook.map { diagnostics($0, .error) }?.first)
        #expect(error.message.hasPrefix("cell option 'tags' expands to more than 10000 values"))
        #expect(error.location.line == 4 && error.location.column > 11)
        #expect(notebook?.cells.first?.options.tags == [])
    }

    @Test func aliasesWithinTheBudgetAreFine() {
        let notebook = NotebookReader.parse("---\nbase: &b {x: 1}\ncopy: *b\ntitle: Ok\n---\n", path: "a.md")
        #expect(notebook.diagnostics.isEmpty && notebook.title == "Ok")
    }

    @Test func frontMatterPast64KBAndDeepNestingAreErrors() throws {
        let big = NotebookReader.parse("---\ntitle: x\nnote: \"" + String(repeating: "a", count: 70_000) + "\"\n---\n", path: "big.md")
        #expect(diagnostics(big, .error).first?.message.hasPrefix("front matter is 70") == true)
        #expect(diagnostics(big, .error).first?.location.line == 2)
        let deep = NotebookReader.parse("---\nx: " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "\n---\n", path: "deep.md")
        #expect(diagnostics(deep, .error).first?.message.contains("nests lists and mappings more than 64 deep") == true)
        let unclosed = NotebookReader.parse("---\nx: " + String(repeating: "[", count: 50_000) + "\n---\n", path: "deep.md")
        #expect(diagnostics(unclosed, .error).first?.message.hasPrefix("malformed front matter") == true)
        let options = NotebookReader.parse("```swift\n" + String(repeating: "//| tags: [" + String(repeating: "t,", count: 500) + "t]\n", count: 70) + "1\n```\n", path: "o.md")
        #expect(diagnostics(options, .error).map(\.message) == ["cell options are limited to 64 KB; this one and the rest are ignored"])
    }

    // 24. A malformed option value silently became the literal tag.
    @Test func malformedOptionYAMLIsAWarningAtTheValue() throws {
        let notebook = NotebookReader.parse("```swift\n//| tags: [[[[\n1\n```\n", path: "m.md")
        let warning = try #require(diagnostics(notebook, .warning).first)
        #expect(warning.message.hasPrefix("malformed cell option 'tags': "))
        #expect(warning.message.hasSuffix("; it is ignored"))
        #expect(warning.location.line == 2 && warning.location.column >= 11)
        #expect(notebook.cells.first?.options.tags == [])
    }

    // 7. A `"` inside `/* */`, or a backslash in a raw string, hid the brackets after it.
    @Test func bracketNestingSeesThroughCommentsAndRawStrings() {
        let deep = String(repeating: "[", count: 24) + "1" + String(repeating: "]", count: 24)
        for prefix in ["/* \" */ ", "let s = #\"\\\"# ; ", "/* /* \" */ \" */ ", "let s = \"\"\"\n\\\\\n\"\"\"\n", "let s = \"a\\(1)\" ; ",
                       "let s = ##\"\\#\"\"## ; ", "x = y / 2 ; ", "#if false\n#endif\n"] {
            #expect(BracketNesting.firstTooDeep(in: prefix + deep) != nil, "\(prefix)")
        }
        // Brackets inside an interpolation count; inside strings and comments they do not.
        #expect(BracketNesting.firstTooDeep(in: "\"\\(" + deep + ")\"") != nil)
        #expect(BracketNesting.firstTooDeep(in: "let s = \"" + deep + "\"") == nil)
        #expect(BracketNesting.firstTooDeep(in: "// " + deep + "\n/* " + deep + " */ #\"" + deep + "\"#") == nil)
        // A closing bracket in a possible regex literal never lowers the count.
        #expect(BracketNesting.firstTooDeep(in: "[[[[[ /]]]]]/ " + String(repeating: "[", count: 8)) != nil)
        #expect(BracketNesting.firstTooDeep(in: "let a = [[1, 2], [3, 4]]\nlet b = a[0][1] / a[1][0]\n" + String(repeating: "[", count: 10)) == nil)
    }

    // 10. The math scanner was quadratic on unterminated `$`, `\(`, `\[`: 60 KB took 17 s.
    @Test(arguments: ["$a ", "\\(", "\\[", "$$", "`` ` ", "$x`y ", "\\\\$a "])
    func unterminatedMathIsLinear(_ unit: String) {
        let text = String(repeating: unit, count: 200_000 / unit.count)
        var notebook: Notebook?
        #expect(seconds { notebook = NotebookReader.parse(text, path: "m.md") } < 5)
        #expect(notebook != nil)
    }

    // 12. A 1 MB cell spent 17 s in the parser, even with `eval: false`.
    @Test func aCellPastTheCapIsAnErrorAndNotRun() throws {
        let body = String(repeating: "let x = 1 + 2 * 3\n", count: 60_000)
        var notebook: Notebook?
        #expect(seconds { notebook = NotebookReader.parse("# Big\n\n```swift\n\(body)```\n", path: "big.md") } < 5)
        let error = try #require(notebook.map { diagnostics($0, .error) }?.first)
        #expect(error.message == "this cell is 1054 KB; a cell is limited to 32 KB, so it is not run")
        #expect(error.location == SourceLocation(line: 3, column: 1))
        #expect(notebook?.cells.first?.options.eval == false)
    }

    // 18. A BOM before `---` dropped the front matter silently.
    @Test func aByteOrderMarkBeforeTheFrontMatterIsIgnored() {
        let notebook = NotebookReader.parse("\u{FEFF}---\nseed: 5\ntitle: BOM\n---\n# x\n", path: "b.md")
        #expect(notebook.frontMatter.seed == 5 && notebook.title == "BOM")
        #expect(notebook.diagnostics.isEmpty)
    }

    // 23. Duplicate labels gave duplicate ids with no warning.
    @Test func duplicateLabelsWarnAtTheSecondLabel() throws {
        let text = "```swift\n//| label: a\n1\n```\n\n```swift\n//| echo: true\n//| label: a\n2\n```\n"
        let warning = try #require(NotebookReader.parse(text, path: "d.md").diagnostics.first)
        #expect(warning.severity == .warning)
        #expect(warning.message == "duplicate cell label 'a': the cell at line 1 has it too; this one's anchor gets a suffix")
        #expect(warning.location.line == 8)
    }

    // 26. A FIFO or a link to /dev/zero named `.md` said "You don't have permission" (or blocked).
    @Test func onlyRegularFilesAreRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("derive-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe.md").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let zero = folder.appendingPathComponent("zero.md").path
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        for (path, kind) in [(fifo, "a named pipe (FIFO)"), (zero, "a character device"), (folder.path, "a folder")] {
            #expect(throws: ReadError.self) { _ = try NotebookReader.read(path: path) }
            do { _ = try NotebookReader.read(path: path) } catch {
                #expect(error.description == "cannot read \(path): it is \(kind), not a notebook file")
            }
        }
    }

    // 27. A NUL inside math cut the TeX error message short (C strings end at NUL).
    @Test func nulBecomesTheReplacementCharacter() {
        let notebook = NotebookReader.parse("a $x\u{0}y$ b\n\n```swift\nlet s = \"\u{0}\"\n```\n", path: "n.md")
        #expect(notebook.math.map(\.tex) == ["x\u{FFFD}y"])
        #expect(notebook.cells.first?.source == "let s = \"\u{FFFD}\"")
    }

    // Found by the fuzzer: the scanner's placeholder characters in the notebook itself passed for
    // placeholders, pasting a math span's source into a code block (lines past the end of the file).
    @Test func placeholderCharactersInTheNotebookStayThemselves() {
        let own = "\u{E000}\u{E011}\u{E001}\u{E002}\u{E003}"
        let text = "\\( a\nb \\) and \(own) text\n\n    code \(own)\n\n```swift\nlet s = \"\(own)\"\n```\n"
        let notebook = NotebookReader.parse(text, path: "p.md")
        #expect(notebook.math.map(\.tex) == ["a\nb"])
        #expect(notebook.body.plainText.contains("and \(own) text"))
        #expect(notebook.body.children.contains { $0.kind == .codeBlock(info: "", code: "code \(own)\n") })
        #expect(notebook.cells.first?.source == "let s = \"\(own)\"")
        #expect(notebook.cells.first?.lineStarts == [SourceLocation(line: 7, column: 1)])
    }

    // Found by the fuzzer: where cmark took as code what the scanner took as math, restoring the
    // span doubled its line breaks, and the cell's lines ran past the end of the file.
    @Test func restoringASpanKeepsItsLineBreaksOnce() {
        var scanner = MathScanner()
        let protected = scanner.scan("a $$x\ny$$ b")
        #expect(protected.filter { $0 == "\n" }.count == 1)
        #expect(scanner.restore(protected) == "a $$x\ny$$ b")
    }

    // A megabyte-long line was echoed whole under every message about it.
    @Test func aLongSourceLineIsShownAroundTheCaret() {
        let line = String(repeating: "a", count: 5000) + "X" + String(repeating: "b", count: 5000)
        let diagnostic = Diagnostic(.warning, "here", file: "l.md", at: SourceLocation(line: 1, column: 5001), sourceLine: line)
        let shown = diagnostic.formatted.split(separator: "\n")
        #expect(shown[1].count < 200 && shown[1].hasPrefix("  …") && shown[1].hasSuffix("…"))
        let caret = shown[2].firstIndex(of: "^").map { shown[2].distance(from: shown[2].startIndex, to: $0) }
        let x = shown[1].firstIndex(of: "X").map { shown[1].distance(from: shown[1].startIndex, to: $0) }
        #expect(caret != nil && caret == x)
    }

    // Found by libFuzzer: Yams stops the process (a forced unwrap) on a list or mapping as a key.
    @Test func aCollectionAsAKeyIsMalformedNotACrash() throws {
        let front = NotebookReader.parse("---\n? [a]\n: b\n---\n# x\n", path: "k.md")
        #expect(diagnostics(front, .error).first?.message == "malformed front matter: a list or mapping is used as a key, which Derive cannot read")
        #expect(diagnostics(front, .error).first?.location.line == 2)
        let option = NotebookReader.parse("```swift\n//| tags: [&x [1], {*x: 2}, {{a: 1}: 2}]\n1\n```\n", path: "k.md")
        #expect(diagnostics(option, .warning).first?.message.hasPrefix("malformed cell option 'tags': a list or mapping is used as a key") == true)
        // An alias to a scalar is a fine key.
        #expect(NotebookReader.parse("---\nbase: &k key\n*k : 2\n---\n", path: "k.md").diagnostics.isEmpty)
    }

    // A million problems cost little each: at most 1000 are kept, and a long line is not copied whole.
    @Test func manyProblemsAndLongLinesAreBounded() throws {
        var notebook: Notebook?
        #expect(seconds { notebook = NotebookReader.parse(String(repeating: "$$ x\n\n", count: 200_000), path: "w.md") } < 10)
        let read = try #require(notebook)
        #expect(read.diagnostics.count == NotebookReader.maximumDiagnostics + 1)
        #expect(read.diagnostics.last?.message == "199000 more problems in this notebook are not shown")
        let long = String(repeating: "a", count: 1_000_000)
        let late = NotebookReader.parse(long + " $$ x", path: "l.md").diagnostics.first
        #expect(late?.location.column == 1_000_002 && late?.sourceLine == nil)
        let early = NotebookReader.parse("$$ x " + long, path: "l.md").diagnostics.first
        #expect(early?.sourceLine?.count == 201)
    }
}
