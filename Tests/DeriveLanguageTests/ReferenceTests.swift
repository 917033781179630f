import DeriveDocument
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

    @Test func everyExampleRuns() {
        for entry in Reference.sections.flatMap(\.entries) {
            let (_, result) = run([entry.example])
            let cell = result.cells[0]
            #expect(cell.error == nil, "\(entry.name): \(entry.example) → \(cell.error?.message ?? "")")
            #expect(cell.passed, "\(entry.name): \(entry.example) → \(describe(cell))")
        }
    }

    @Test func oneNameAndTheClosestToAMisspeltOne() {
        #expect(Reference.entry("det")?.signature == "det(_ A)")
        #expect(Reference.entry("dett") == nil)
        #expect(Reference.suggestion(for: "dett") == "det")
        #expect(Reference.text().contains("Linear algebra\n\n  det(_ A)"))
    }
}
