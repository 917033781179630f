import DeriveDocument
import Foundation
import Testing
@testable import DerivePipeline

/// Forged reports, numbers shown wrong, and the preview's paths (issue 16).
@Suite struct ReportHostileTests {
    // 14. CR LF in a file name was one Character to Swift, so escaping missed it and a name
    // could forge a workflow command of its own.
    @Test func aFileNameCannotForgeAWorkflowCommand() {
        let forged = "evil\r\n::error file=README.md,line=1::forged\r\n.md"
        let report = RunReport(notebooks: [NotebookReport(path: forged, notebook: nil, result: NotebookResult(cells: []), readError: "cannot read it\r\nreally")])
        let output = GitHubReport.render(report)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.count == 1)
        #expect(!output.contains("\r"))
        #expect(lines.first?.hasPrefix("::error file=evil%0D%0A%3A%3Aerror file=README.md%2Cline=1%3A%3Aforged%0D%0A.md::cannot read it%0D%0Areally") == true)
        // JUnit: a CR is not allowed in XML, nor U+FFFE.
        let junit = JUnitReport.render(report)
        #expect(!junit.contains("\r") && !junit.contains("\u{FFFE}"))
    }

    // The text report: a carriage return or an escape sequence in a name cannot rewrite the terminal.
    @Test func theTextReportShowsControlCharactersAsReplacements() {
        let report = RunReport(notebooks: [NotebookReport(path: "a\r\u{1B}[2Kb.md", notebook: nil, result: NotebookResult(cells: []), readError: "x")])
        let text = TextReport.render(report)
        #expect(!text.contains("\r") && !text.contains("\u{1B}"))
        #expect(text.contains("a\u{FFFD}\u{FFFD}[2Kb.md"))
    }

    // 29. Messages showed `-nan`.
    @Test func notANumberIsNeverMinusNan() {
        #expect(formatError(-Double.nan) == "NaN")
        #expect(formatError(.nan) == "NaN")
        #expect(formatError(-.infinity) == "-inf")
        #expect(formatError(0.000123456) == "0.000123")
    }

    // 21. Preview did not percent-decode request paths: `space name.md` was linked but 404'd.
    @Test func previewServesPercentEncodedPaths() throws {
        let folder = try Bounded.folder(["space name.md": "# Spaced\n", "hash#tag.md": "# Hash\n"])
        let server = PreviewServer(pipeline: Fixtures.pipeline, paths: [folder.path])
        #expect(server.refresh())
        #expect(server.page("/space%20name.html").status == .ok)
        #expect(server.page("/hash%23tag.html").status == .ok)
        #expect(server.page("/..%2F..%2Fetc%2Fpasswd").status == .notFound)
        let index = String(decoding: server.state.withLock { $0.pages["index.html"] ?? Data() }, as: UTF8.self)
        #expect(index.contains("href=\"space%20name.html\"") && index.contains("href=\"hash%23tag.html\""))
    }

    // 17. `preview --out` rewrote the site empty when the notebook folder was deleted.
    @Test func previewKeepsTheWrittenSiteWhenTheNotebooksVanish() throws {
        let base = try Bounded.folder(["lessons/a.md": "# A\n"])
        let lessons = base.appendingPathComponent("lessons")
        let site = base.appendingPathComponent("site").path
        let server = PreviewServer(pipeline: Fixtures.pipeline, paths: [lessons.path], output: site)
        #expect(server.refresh())
        #expect(FileManager.default.fileExists(atPath: site + "/a.html"))
        try FileManager.default.removeItem(at: lessons)
        #expect(server.refresh())
        #expect(FileManager.default.fileExists(atPath: site + "/a.html"))
        // Back again: written as before.
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        try Data("# B\n".utf8).write(to: lessons.appendingPathComponent("b.md"))
        #expect(server.refresh())
        #expect(FileManager.default.fileExists(atPath: site + "/b.html") && !FileManager.default.fileExists(atPath: site + "/a.html"))
    }
}
