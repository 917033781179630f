import DeriveDocument
import DeriveRender
import Foundation
import Testing
@testable import DerivePipeline

/// Fixture notebooks live beside this file.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static let pipeline = Pipeline(typesetter: KaTeX(cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("derive-test-katex-\(getpid())")))
}

/// A fixture notebook per check kind passes; its wrong variant fails with the right diagnosis in the JSON report.
@Suite struct CheckFixtureTests {
    func checks(_ name: String) throws -> [String: [String: Any]] {
        let report = Fixtures.pipeline.check(paths: [Fixtures.path(name)])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport.render(report).utf8)) as? [String: Any])
        let notebook = try #require((json["notebooks"] as? [[String: Any]])?.first)
        var byLabel: [String: [String: Any]] = [:]
        for cell in notebook["cells"] as? [[String: Any]] ?? [] {
            let label = cell["label"] as? String ?? ""
            byLabel[label] = (cell["checks"] as? [[String: Any]])?.first ?? ["error": cell["error"] ?? "none"]
        }
        return byLabel
    }

    @Test func everyKindPassesWhenRight() throws {
        let report = Fixtures.pipeline.check(paths: [Fixtures.path("checks/right.md")])
        #expect(report.exitCode == 0, "\(TextReport.render(report))")
        let kinds = Set(try checks("checks/right.md").values.compactMap { $0["kind"] as? String })
        #expect(kinds == ["check", "gradient", "jacobian", "derivative", "chainRule", "deltas", "parameterGradients"])
    }

    @Test func everyKindFailsWhenWrongWithItsDiagnosis() throws {
        let report = Fixtures.pipeline.check(paths: [Fixtures.path("checks/wrong.md")])
        #expect(report.exitCode == 1)
        #expect(report.notebooks[0].checkCounts.passed == 0)
        let rows = try checks("checks/wrong.md")
        func diagnosis(_ label: String) -> String { rows[label]?["diagnosis"] as? String ?? "" }
        #expect(rows.values.allSatisfy { $0["passed"] as? Bool == false })
        #expect(diagnosis("check").hasPrefix("off by a factor of 2"))
        #expect(diagnosis("gradient-transposed").hasPrefix("transposed: this is the Jacobian (numerator) layout; the shape convention wants x's shape"))
        #expect(diagnosis("gradient-sign") == "wrong sign: the result is the negative of the reference")
        #expect(diagnosis("gradient-mean") == "off by a factor of 6: a sum over 6 where the reference takes the mean?")
        #expect(diagnosis("jacobian-factor") == "off by a factor of 2")
        #expect(diagnosis("derivative-mask").hasPrefix("wrong mask (ReLU or max?): zero where the reference is not at [1]"))
        #expect(diagnosis("chain-rule").hasPrefix("local Jacobian wrong at step 2 (h)"))
        #expect(diagnosis("deltas") == "first wrong at layer 1 (going backward from the output); δ^L (the output layer) is right; "
            + "δ^1 is missing the transpose of W^2: it uses W^2 where the recursion needs W^2ᵀ")
        #expect(diagnosis("parameter-gradients").hasPrefix("wrong at layers 1, 2, 3; ∂C/∂W^2: transposed: this is the Jacobian (numerator) layout"))
        let forAll = rows["for-all"]
        #expect(forAll?["kind"] as? String == "gradient")
        #expect((forAll?["notes"] as? [String])?.contains { $0.hasPrefix("fails in trial") && $0.contains("randint →") } == true)
    }
}
