import DeriveDocument
import Foundation
import Testing
@testable import DeriveRender

/// The five source notes in ../shared/seeds render with every math span typeset.
@Suite struct SeedNotesTests {
    static let seedsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/seeds")

    static func seeds() -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: seedsDirectory, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "txt" }.sorted { $0.path < $1.path }
    }

    /// A fresh clone has no ../shared: the test skips and says so.
    static let present = FileManager.default.fileExists(atPath: seedsDirectory.path)

    @Test(.enabled(if: present, "skipped: the course notes (../shared/seeds) are not beside this repository"))
    func everyMathSpanIsTypeset() throws {
        let seeds = Self.seeds()
        try #require(seeds.count == 5, "the seeds are expected at \(Self.seedsDirectory.path)")
        let katex = testKaTeX()
        var total = 0
        for seed in seeds {
            // Copied to a .md, as a user would.
            let text = try String(contentsOf: seed, encoding: .utf8)
            let notebook = NotebookReader.parse(text, path: seed.deletingPathExtension().lastPathComponent + ".md")
            let rendered = MarkdownHTMLRenderer(typesetter: katex).render(notebook) { _ in "" }
            total += notebook.math.count
            // (Warnings are fine: note 004 shows images that are not among the notes.)
            let errors = rendered.diagnostics.filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(seed.lastPathComponent): \(errors.map(\.formatted))")
            #expect(!rendered.html.contains("math-error") && !rendered.html.contains("katex-error"))
            let prose = rendered.html.replacingOccurrences(of: #"<span class="katex[\s\S]*?</annotation>"#, with: "", options: .regularExpression)
            #expect(!prose.contains("$$"), "\(seed.lastPathComponent) has raw display math")
            // Chinese text survives.
            #expect(rendered.html.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) })
            if text.contains("|---") || text.contains("| ---") || text.contains("|:--") { #expect(rendered.html.contains("<table>")) }
        }
        print("seed math spans: \(total)")
        #expect(total > 500)
    }
}
