import DeriveDocument
import Foundation
import Testing
@testable import DerivePipeline

/// The corpus of issue 14: realistic wrong derivations, each of which must fail with the diagnosis
/// it names, and right ones, which must pass without raising anything (see the README's checks and diagnoses: a diagnosis is a
/// claim about the author's work, so it must be true).
///
/// A wrong derivation is a notebook under `Fixtures/diagnoses/wrong/`; each of its `expect: fail`
/// cells says what it must get in comment lines the harness reads:
///
///     // diagnosis: δ^2 is missing the factor σ′(z^2)     (in a failing check's diagnosis)
///     // note: fails in trial                             (in a failing check's notes)
///     // not: factor                                      (in no diagnosis of the cell)
///
@Suite struct DiagnosisCorpusTests {
    static let wrongDirectory = Fixtures.directory.appendingPathComponent("diagnoses/wrong")
    static let rightDirectory = Fixtures.directory.appendingPathComponent("diagnoses/right")

    static func notebooks(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".md") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    /// What a cell's comment lines ask for.
    struct Expectation {
        var diagnoses: [String] = []
        var notes: [String] = []
        var forbidden: [String] = []

        init(source: String) {
            for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
                let text = line.trimmingCharacters(in: .whitespaces)
                func value(_ key: String) -> String? {
                    text.hasPrefix("// \(key):") ? String(text.dropFirst(key.count + 4)).trimmingCharacters(in: .whitespaces) : nil
                }
                if let v = value("diagnosis") { diagnoses.append(v) }
                if let v = value("note") { notes.append(v) }
                if let v = value("not") { forbidden.append(v) }
            }
        }
    }

    /// One corpus case: a cell, what it must get, what it got.
    struct Outcome {
        var name: String
        var expectation: Expectation
        var failures: [String]
        var seconds: Double
    }

    /// Runs one notebook alone (so its time is its own) and judges each cell.
    static func run(_ path: String, wrong: Bool) throws -> [Outcome] {
        let clock = ContinuousClock(), start = clock.now
        let report = Fixtures.pipeline.check(paths: [path])
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let notebook = try #require(report.notebooks.first?.notebook, "\(path) did not read")
        let result = report.notebooks[0].result
        let file = URL(fileURLWithPath: path).lastPathComponent
        var outcomes: [Outcome] = []
        for (cell, cellResult) in zip(notebook.cells, result.cells) {
            let expectation = Expectation(source: cell.source)
            let name = "\(file)#\(cell.options.label ?? String(cell.index))"
            var failures: [String] = []
            if let error = cellResult.error { failures.append("raised an error: \(error.message)") }
            let failing = cellResult.checks.filter { !$0.passed }
            let diagnoses = failing.flatMap { $0.diagnosis }
            let notes = failing.flatMap { $0.notes }
            if wrong && cell.options.expect == .fail {
                if failing.isEmpty { failures.append("no check failed") }
                for d in expectation.diagnoses where !diagnoses.contains(where: { $0.contains(d) }) {
                    failures.append("expected the diagnosis “\(d)”, got \(diagnoses.isEmpty ? "none" : diagnoses.map { "“\($0)”" }.joined(separator: ", "))")
                }
                for n in expectation.notes where !notes.contains(where: { $0.contains(n) }) {
                    failures.append("expected a note “\(n)”, got \(notes)")
                }
                for f in expectation.forbidden where diagnoses.contains(where: { $0.contains(f) }) {
                    failures.append("a diagnosis that is not true here (“\(f)”): \(diagnoses)")
                }
                if expectation.diagnoses.isEmpty && expectation.forbidden.isEmpty {
                    failures.append("the fixture names no diagnosis to expect")
                }
            } else {
                // Right derivations (and a wrong notebook's set-up cells): nothing fails, nothing is said.
                for row in failing { failures.append("check “\(row.title)” failed: \(row.diagnosis.joined(separator: "; "))") }
                let said = cellResult.checks.flatMap { $0.diagnosis }
                if failing.isEmpty, !said.isEmpty { failures.append("a passing check raised \(said)") }
            }
            outcomes.append(Outcome(name: name, expectation: expectation, failures: failures, seconds: seconds))
        }
        return outcomes
    }

    @Test func wrongDerivationsGetTheirSpecificDiagnosis() throws {
        let paths = Self.notebooks(in: Self.wrongDirectory)
        #expect(paths.count >= 25)
        var outcomes: [Outcome] = []
        for path in paths { outcomes += try Self.run(path, wrong: true) }
        let cases = outcomes.filter { $0.expectation.diagnoses.count + $0.expectation.forbidden.count > 0 }
        #expect(cases.count >= 25)
        let diagnosed = cases.filter { $0.failures.isEmpty }
        let slowest = outcomes.max { $0.seconds < $1.seconds }
        print("diagnosis corpus, wrong derivations: \(diagnosed.count)/\(cases.count) get their specific diagnosis"
            + "; slowest \(slowest.map { "\($0.name) \(String(format: "%.2f", $0.seconds)) s" } ?? "none")")
        for outcome in outcomes where !outcome.failures.isEmpty {
            print("  ✗ \(outcome.name): \(outcome.failures.joined(separator: "; "))")
        }
        for outcome in outcomes {
            // Every failing check stays fast (see the README's checks and diagnoses); the budget is generous for a loaded debug machine.
            #expect(outcome.seconds < 3, "\(outcome.name) took \(outcome.seconds) s")
            guard !outcome.failures.isEmpty else { continue }
            Issue.record("\(outcome.name): \(outcome.failures.joined(separator: "; "))")
        }
    }

    @Test func rightDerivationsRaiseNothing() throws {
        let paths = Self.notebooks(in: Self.rightDirectory)
        #expect(paths.count >= 15)
        var outcomes: [Outcome] = []
        for path in paths { outcomes += try Self.run(path, wrong: false) }
        let raised = outcomes.filter { !$0.failures.isEmpty }
        print("diagnosis corpus, right derivations: \(raised.count)/\(paths.count) raise anything")
        for outcome in raised { Issue.record("\(outcome.name): \(outcome.failures.joined(separator: "; "))") }
    }
}
