import DeriveDocument
import Foundation
import Testing
@testable import DerivePipeline

/// The lessons verify every claim of DERIVATIONS.md, and show each wrong claim failing before
/// its correction passes.
@Suite struct LessonCoverageTests {
    static let derivations = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/DERIVATIONS.md")

    /// A fresh clone has no ../shared: the test skips and says so.
    static let present = FileManager.default.fileExists(atPath: derivations.path)

    @Test(.enabled(if: present, "skipped: the course notes (../shared/DERIVATIONS.md) are not beside this repository"))
    func everyClaimIsTaggedOnACellWithChecksThatPass() throws {
        let text = try String(contentsOf: Self.derivations, encoding: .utf8)
        let lines = text.split(separator: "\n")
        let ids = lines.compactMap { line -> String? in
            guard line.hasPrefix("- "), let id = line.dropFirst(2).split(separator: " ").first, id.contains(".") else { return nil }
            return "seed-" + id
        }
        let wrong = lines.filter { $0.hasPrefix("- ") && $0.contains("**wrong**") }.compactMap { $0.dropFirst(2).split(separator: " ").first.map { "seed-" + $0 } }
        #expect(ids.count == 50)
        #expect(wrong.count == 4)

        let paths = try NotebookDiscovery.notebooks(in: [CLI.packageRoot.appendingPathComponent("Notebooks").path])
        let report = Fixtures.pipeline.check(paths: paths)
        #expect(report.exitCode == 0, "\(TextReport.render(report))")
        var passing: Set<String> = [], expectedFailures: Set<String> = []
        for notebook in report.notebooks {
            for result in notebook.result.cells {
                guard let cell = notebook.notebook?.cells[result.index], result.passed else { continue }
                for tag in cell.options.tags {
                    if cell.options.expect == .pass, !result.checks.isEmpty { passing.insert(tag) }
                    if cell.options.expect != .pass { expectedFailures.insert(tag) }
                }
            }
        }
        #expect(Set(ids).subtracting(passing).isEmpty, "claims without a passing check: \(Set(ids).subtracting(passing).sorted())")
        #expect(Set(wrong).subtracting(expectedFailures).isEmpty, "wrong claims without an expected failure: \(Set(wrong).subtracting(expectedFailures).sorted())")
    }
}
