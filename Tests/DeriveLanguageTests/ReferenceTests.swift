import DeriveDocument
import Foundation
import Testing
@testable import DeriveLanguage

/// The reference is the library's table: every name has an entry, and every entry's example runs.
@Suite struct ReferenceTests {
    @Test func everyNameHasAnEntryWithASummaryAndAnExample() {
        let listed = Reference.sections.flatMap(\.entries)
        #expect(Set(listed.map(\.name)) == Library.names)
        #expect(listed.count == Library.all.count, "a name is listed twice")
        for entry in listed {
            #expect(!entry.summary.isEmpty, "\(entry.name)")
            #expect(entry.example.contains(entry.name), "\(entry.name)'s example does not use it")
            #expect(entry.signature.hasPrefix(entry.name + "("), "\(entry.name)")
        }
    }

    @Test func everyExampleRuns() throws {
        // In a folder with the file readCSV's example reads.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("derive-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "x,y\n1,2\n3,4\n".write(to: folder.appendingPathComponent("data/points.csv"), atomically: true, encoding: .utf8)
        for entry in Reference.sections.flatMap(\.entries) {
            let notebook = NotebookReader.parse("```swift\n\(entry.example)\n```\n", path: folder.appendingPathComponent("example.md").path)
            let cell = NotebookRunner().run(notebook).cells[0]
            #expect(cell.error == nil, "\(entry.name): \(entry.example) → \(cell.error?.message ?? "")")
            #expect(cell.passed, "\(entry.name): \(entry.example) → \(describe(cell))")
        }
    }

    @Test func oneNameAndTheClosestToAMisspeltOne() {
        #expect(Reference.entry("det")?.signature == "det(_ A)")
        #expect(Reference.entry("dett") == nil)
        #expect(Reference.suggestion(for: "dett") == "det")
        #expect(Reference.text().contains("Linear algebra\n"))
        #expect(Reference.text().contains("  det(_ A)\n"))
    }
}
