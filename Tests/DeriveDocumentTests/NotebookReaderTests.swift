import Foundation
import Testing
@testable import DeriveDocument

@Suite struct NotebookReaderTests {
    @Test func frontMatterAndTitle() {
        let notebook = NotebookReader.parse("---\ntitle: Chain rule\nseed: 7\nrtol: 1e-5\nauthor: me\n---\n# Heading\n", path: "n/01-x.md")
        #expect(notebook.title == "Chain rule")
        #expect(notebook.frontMatter.seed == 7)
        #expect(notebook.frontMatter.rtol == 1e-5)
        #expect(notebook.frontMatter.extra["author"] == "me")
        #expect(notebook.diagnostics.isEmpty)
        #expect(NotebookReader.parse("text\n\n## First *one*\n", path: "a.md").title == "First one")
        #expect(NotebookReader.parse("text", path: "dir/02-name.md").title == "02-name")
    }

    @Test func malformedFrontMatterIsAnErrorAtItsLine() {
        let notebook = NotebookReader.parse("---\ntitle: ok\nseed: [1, 2\n---\nbody", path: "bad.md")
        let error = try? #require(notebook.diagnostics.first)
        #expect(error?.severity == .error)
        #expect(error?.message.hasPrefix("malformed front matter") == true)
        #expect((3...4).contains(error?.location.line ?? 0))
        #expect(NotebookReader.parse("---\nseed: -3\n---\n", path: "b.md").diagnostics.first?.location.line == 2)
    }

    @Test func cellsWithOptionsAndPositions() throws {
        let text = """
        ---
        seed: 1
        ---
        Intro

        ```swift
        //| label: first
        //| tags: [seed-002.9, chain]
        //| expect: fail
        let x = 1
        x + 1
        ```

        ```python
        not a cell
        ```
        """
        let notebook = NotebookReader.parse(text, path: "c.md")
        #expect(notebook.cells.count == 1)
        let cell = notebook.cells[0]
        #expect(cell.options.label == "first")
        #expect(cell.options.tags == ["seed-002.9", "chain"])
        #expect(cell.options.expect == .fail)
        #expect(cell.source == "let x = 1\nx + 1")
        #expect(cell.fenceLine == 6)
        #expect(cell.notebookLocation(line: 2, column: 3) == SourceLocation(line: 11, column: 3))
        #expect(notebook.diagnostics.isEmpty)
    }

    @Test func anUnclosedFenceIsAWarningAtItsLine() {
        let notebook = NotebookReader.parse("Intro\n\n```swift\nlet a = 1\n\nMore prose.\n", path: "u.md")
        #expect(notebook.cells.count == 1)
        let warning = notebook.diagnostics.first
        #expect(warning?.severity == .warning)
        #expect(warning?.message == "this cell's fence is never closed, so the cell runs to the end of the file (or of its list item or quote)")
        #expect(warning?.location == SourceLocation(line: 3, column: 1))
        // Closed fences, in a quote, a list, or with tildes and a longer fence, are fine.
        for text in ["```swift\nlet a = 1\n```\n", "> ```swift\n> let a = 1\n> ```\n", "- x\n\n  ```swift\n  let a = 1\n  ```\n",
                     "~~~~swift\nlet a = 1\n~~~~\n", "```swift\n```\n"] {
            #expect(NotebookReader.parse(text, path: "c.md").diagnostics.isEmpty, "\(text)")
        }
    }

    @Test func windowsAndClassicMacLineEndingsKeepLineNumbers() {
        let text = "---\ntitle: T\n---\n\nProse $x$.\n\n```swift\nlet a = 1\nlet b = a\n```\n"
        for ending in ["\r\n", "\r"] {
            let notebook = NotebookReader.parse(text.replacingOccurrences(of: "\n", with: ending), path: "e.md")
            #expect(notebook.frontMatter.title == "T")
            #expect(notebook.cells.map(\.source) == ["let a = 1\nlet b = a"])
            #expect(notebook.cells.first?.notebookLocation(line: 2, column: 5) == SourceLocation(line: 9, column: 5))
            #expect(notebook.line(9) == "let b = a")
        }
    }

    @Test func cellsInsideListsAndQuotesMapToTheirColumns() {
        let text = "- step\n\n  ```swift\n  let a = 1\n  ```\n\n> ```swift\n> let b = 2\n> ```\n"
        let notebook = NotebookReader.parse(text, path: "l.md")
        #expect(notebook.cells.count == 2)
        #expect(notebook.cells[0].notebookLocation(line: 1, column: 5) == SourceLocation(line: 4, column: 7))
        #expect(notebook.cells[1].notebookLocation(line: 1, column: 5) == SourceLocation(line: 8, column: 7))
    }

    @Test func unknownOptionIsAWarningAtItsLine() {
        let notebook = NotebookReader.parse("```swift\n//| lable: x\n//| echo: maybe\n1\n```", path: "o.md")
        #expect(notebook.diagnostics.count == 2)
        #expect(notebook.diagnostics[0].severity == .warning)
        #expect(notebook.diagnostics[0].location == SourceLocation(line: 2, column: 1))
        #expect(notebook.diagnostics[0].hint == "did you mean 'label'?")
        #expect(notebook.diagnostics[1].message == "'echo' must be true or false")
    }

    @Test func notUTF8IsAReadError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("derive-latin1-\(getpid()).md")
        try Data([0x23, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: ReadError.self) { try NotebookReader.read(path: url.path) }
        do {
            _ = try NotebookReader.read(path: url.path)
        } catch {
            #expect(error.description.contains("is not UTF-8 text (invalid byte at offset 5)"))
        }
    }

    @Test func tablesAndTaskLists() {
        let notebook = NotebookReader.parse("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo", path: "t.md")
        let table = notebook.body.children[0]
        #expect(table.kind == .table(alignments: [.left, .right]))
        #expect(table.children.first?.kind == .tableRow(header: true))
        let list = notebook.body.children[1]
        #expect(list.children.map(\.kind) == [.item(task: true), .item(task: false)])
    }
}
