import DeriveDocument
import Foundation
import Testing
@testable import DerivePipeline

@Suite struct ExitCodeTests {
    @Test func allPassingIsZero() {
        #expect(RunReport(notebooks: [ReportFixtures.passing]).exitCode == 0)
    }

    @Test func aFailureIsOne() {
        #expect(RunReport(notebooks: [ReportFixtures.passing, ReportFixtures.failing]).exitCode == 1)
    }

    @Test func unreadableInputIsTwo() {
        #expect(RunReport(notebooks: [ReportFixtures.failing, ReportFixtures.unreadable]).exitCode == 2)
    }

    @Test func expectedFailuresAreCountedApart() {
        let counts = ReportFixtures.failing.checkCounts
        #expect(counts == { var c = CheckCounts(); c.failed = 1; c.expectedFailures = 1; return c }())
        // The cell error and the TeX error.
        #expect(ReportFixtures.failing.errorCount == 2)
    }
}

@Suite struct JSONReportTests {
    func object(_ report: RunReport) throws -> [String: Any] {
        let text = JSONReport.render(report)
        return try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func hasTheShapeOfSpec7() throws {
        let json = try object(RunReport(notebooks: [ReportFixtures.passing, ReportFixtures.failing]))
        #expect(json["version"] as? Int == 1)
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["notebooks"] as? Int == 2)
        #expect(summary["checks"] as? Int == 3)
        #expect(summary["passed"] as? Int == 1)
        #expect(summary["failed"] as? Int == 1)
        #expect(summary["errors"] as? Int == 2)
        let notebooks = try #require(json["notebooks"] as? [[String: Any]])
        let wrong = notebooks[1]
        #expect(wrong["path"] as? String == "Notebooks/02-wrong.md")
        #expect(wrong["passed"] as? Bool == false)
        let cells = try #require(wrong["cells"] as? [[String: Any]])
        #expect(cells[0]["label"] as? String == "dsdW")
        #expect(cells[0]["tags"] as? [String] == ["seed-002.9"])
        #expect(cells[0]["line"] as? Int == 2)
        #expect(cells[0]["expect"] as? String == "pass")
        let check = try #require((cells[0]["checks"] as? [[String: Any]])?.first)
        #expect(check["kind"] as? String == "gradient")
        #expect(check["line"] as? Int == 3)
        #expect(check["maxAbsError"] as? Double == 0.41)
        #expect((check["diagnosis"] as? String)?.hasPrefix("transposed:") == true)
        let error = try #require(cells[1]["error"] as? [String: Any])
        #expect(error["line"] as? Int == 6)
        #expect(error["hint"] as? String == "did you mean 'sigmoid'?")
        #expect(cells[2]["expect"] as? String == "fail")
        #expect(cells[2]["passed"] as? Bool == true)
    }

    @Test func keysComeInSpecOrderAndOutputIsStable() {
        let report = RunReport(notebooks: [ReportFixtures.failing])
        let text = JSONReport.render(report)
        #expect(text.hasPrefix(#"{"version":1,"summary":{"notebooks":1,"checks":2,"passed":0,"failed":1,"errors":2"#))
        #expect(text == JSONReport.render(report))
    }

    @Test func anUnreadableNotebookCarriesItsError() throws {
        let json = try object(RunReport(notebooks: [ReportFixtures.unreadable]))
        let notebook = try #require((json["notebooks"] as? [[String: Any]])?.first)
        #expect((notebook["error"] as? String)?.contains("not UTF-8") == true)
    }
}

@Suite struct GitHubReportTests {
    @Test func oneErrorLinePerFailure() {
        let lines = GitHubReport.render(RunReport(notebooks: [ReportFixtures.passing, ReportFixtures.failing]))
            .split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("::error file=Notebooks/02-wrong.md,line=") })
        #expect(lines.contains { $0.hasPrefix("::error file=Notebooks/02-wrong.md,line=6,col=9::cannot find 'sigmod' in scope (did you mean 'sigmoid'?)") })
        #expect(lines.contains { $0.hasPrefix("::error file=Notebooks/02-wrong.md,line=3,col=1::check failed: dsdW — transposed") })
    }

    @Test func escapesNewlinesAndPercent() {
        #expect(GitHubReport.data("50% off\nnext") == "50%25 off%0Anext")
        #expect(GitHubReport.property("a:b,c") == "a%3Ab%2Cc")
    }
}

@Suite struct TextReportTests {
    @Test func namesFileLineColumnWithACaret() {
        let text = TextReport.render(RunReport(notebooks: [ReportFixtures.passing, ReportFixtures.failing]))
        #expect(text.contains("✓ Notebooks/01-ok.md: 1 of 1 checks passed"))
        #expect(text.contains("Notebooks/02-wrong.md:6:9: error: cannot find 'sigmod' in scope\n  let y = sigmod(x)\n          ^~~~~~\n  hint: did you mean 'sigmoid'?"))
        #expect(text.contains("Notebooks/02-wrong.md:3:1: error: check failed: dsdW — transposed"))
        #expect(text.contains("Notebooks/02-wrong.md:11:1: error: TeX error"))
        #expect(text.hasSuffix("2 notebooks, 3 checks: 1 passed, 1 failed, 1 failed as expected, 2 errors\n"))
    }

    @Test func anExpectFailCellWhoseChecksPassIsReported() {
        let nb = ReportFixtures.notebook("n.md", cells: [ReportFixtures.cell(0, line: 1, expect: .fail)], lines: ["```swift", "check(true)", "```"])
        let report = NotebookReport(path: "n.md", notebook: nb, result: NotebookResult(cells: [
            CellResult(index: 0, outputs: [.check(ReportFixtures.row(true, line: 2))], error: nil, passed: false),
        ]))
        #expect(TextReport.render(RunReport(notebooks: [report])).contains("n.md:2:1: error: the cell is marked 'expect: fail' but all its checks passed"))
    }
}
