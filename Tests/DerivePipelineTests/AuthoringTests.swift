import DeriveDocument
import Foundation
import Testing
@testable import DerivePipeline

@Suite struct AuthoringTests {
    @Test func theTemplatePassesCheckAndShowsTheMainFeatures() throws {
        let folder = try CLI.temporaryDirectory()
        let path = folder.appendingPathComponent("05-my-lesson.md").path
        try LessonTemplate.create(at: path, title: LessonTemplate.title(fromName: "05-my-lesson"))
        let report = Fixtures.pipeline.check(paths: [path])
        #expect(report.exitCode == 0, "\(TextReport.render(report))")
        let notebook = try #require(report.notebooks.first?.notebook)
        #expect(notebook.title == "My lesson")
        #expect(!notebook.math.isEmpty)
        let outputs = report.notebooks[0].result.cells.flatMap(\.outputs)
        #expect(outputs.contains { if case .value = $0 { true } else { false } })
        #expect(outputs.contains { if case .check(let row) = $0 { row.kind == .gradient && row.passed } else { false } })
        #expect(outputs.contains { if case .plot = $0 { true } else { false } })
        #expect(throws: LessonTemplate.Failure.self) { try LessonTemplate.create(at: path, title: "again") }
    }

    @Test func destinationPrefersTheNotebooksFolder() throws {
        let folder = try CLI.temporaryDirectory()
        #expect(LessonTemplate.destination(for: "x", in: folder.path) == "x.md")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Notebooks"), withIntermediateDirectories: true)
        #expect(LessonTemplate.destination(for: "x", in: folder.path) == "Notebooks/x.md")
        #expect(LessonTemplate.destination(for: "a/b.md", in: folder.path) == "a/b.md")
    }

    @Test func ipynbHasMarkdownCodeOutputsAndTags() throws {
        let processed = Fixtures.pipeline.process(path: Fixtures.path("checks/right.md"))
        let notebook = try #require(processed.report.notebook)
        let text = NotebookExport.ipynb(notebook, result: processed.report.result)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["nbformat"] as? Int == 4 && json["nbformat_minor"] as? Int == 5)
        let language = (json["metadata"] as? [String: Any])?["language_info"] as? [String: Any]
        #expect(language?["name"] as? String == "swift")
        let cells = try #require(json["cells"] as? [[String: Any]])
        #expect(cells.first?["cell_type"] as? String == "markdown")
        #expect((cells.first?["source"] as? [String])?.first == "# Every check kind, right")
        let code = cells.filter { $0["cell_type"] as? String == "code" }
        #expect(code.count == notebook.cells.count)
        #expect(code.map { $0["execution_count"] as? Int } == Array(1...notebook.cells.count))
        #expect((code[0]["source"] as? [String])?.first == "//| label: check\n")
        let outputs = code.flatMap { $0["outputs"] as? [[String: Any]] ?? [] }
        let kinds = Set(outputs.flatMap { (($0["data"] as? [String: Any]) ?? [:]).keys })
        #expect(kinds.isSuperset(of: ["text/plain", "text/html"]))
        let ids = cells.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == cells.count)
    }

    @Test func mathStaysAsWrittenInMarkdownCells() throws {
        let notebook = NotebookReader.parse("Intro $x_1 * y$.\n\n```swift\nlet a = 1\n```\n\n$$\n\\sum_i a_i\n$$\n", path: "m.md")
        let text = NotebookExport.ipynb(notebook, result: NotebookResult(cells: [CellResult(index: 0, outputs: [.text("hi")], error: nil, passed: true)]))
        #expect(text.contains(#""source":["Intro $x_1 * y$."]"#))
        #expect(text.contains(#""source":["$$\n","\\sum_i a_i\n","$$"]"#))
        #expect(text.contains(#""name":"stdout","output_type":"stream","text":["hi\n"]"#))
    }
}
