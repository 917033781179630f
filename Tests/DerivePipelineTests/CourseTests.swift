import DeriveDocument
import Foundation
import Testing
@testable import DerivePipeline

/// `Fixtures/course`: a derive.yml (title, order, a macro, seed and digits), two lessons whose
/// equations are numbered, referenced across pages and verified by cells, a lesson in a
/// subfolder, an image and a data file.
@Suite(.serialized) struct CourseTests {
    static let course = Fixtures.path("course")

    func page(_ site: URL, _ name: String) throws -> String {
        try String(contentsOf: site.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func theCourseFileOrdersTitlesAndSetsDefaults() throws {
        let site = try CLI.temporaryDirectory().appendingPathComponent("site")
        let report = try Fixtures.pipeline.render(paths: [Self.course], to: site.path)
        #expect(report.exitCode == 0, "\(TextReport.render(report))")
        #expect(report.notebooks.map { ($0.path as NSString).lastPathComponent } == ["02-chain.md", "01-squares.md", "03-more.md"])
        let index = try page(site, "index.html")
        #expect(index.contains("<h1>Calculus, checked</h1>"))
        #expect(index.range(of: "02-chain.html")!.lowerBound < index.range(of: "01-squares.html")!.lowerBound)
        #expect(index.contains("<span class=\"badge-equations ok\">2 of 2 equations verified</span>"))
        #expect(index.contains("<span class=\"badge-equations ok\">1 of 1 equation verified</span>"))
        let squares = try page(site, "01-squares.html")
        #expect(squares.contains("<title>Squares · Calculus, checked</title>") && squares.contains("← Calculus, checked</a>"))
        #expect(squares.contains("<a class=\"prev\" href=\"02-chain.html\">"))
        // digits: 3 from the course file; the macro \R typeset (KaTeX's own \R would also do, so see the source).
        #expect(squares.contains("−0.581") || squares.contains("-0.581"))
        #expect(report.notebooks[1].notebook?.frontMatter.seed == 7)
    }

    @Test func equationsAreNumberedReferencedAndVerifiedAcrossPages() throws {
        let site = try CLI.temporaryDirectory().appendingPathComponent("site")
        _ = try Fixtures.pipeline.render(paths: [Self.course], to: site.path)
        let squares = try page(site, "01-squares.html"), chain = try page(site, "02-chain.html")
        #expect(squares.contains("<span class=\"equation\" id=\"eq-square\">"))
        #expect(squares.contains("<a class=\"equation-ref\" href=\"#eq-square\">(1)</a>"))
        #expect(squares.contains("<a class=\"equation-ref\" href=\"02-chain.html#eq-chain\">(1.1)</a>"))
        // eq-square is verified by a cell on its page and by one on the other.
        #expect(squares.contains("<a class=\"equation-check pass\" href=\"02-chain.html#chain\" title=\"checked by chain\">✓</a><a class=\"equation-check pass\" href=\"#square\" title=\"checked by square\">✓</a>"))
        #expect(chain.contains("verifies <a class=\"equation-ref\" href=\"#eq-chain\">(1)</a>, <a class=\"equation-ref\" href=\"01-squares.html#eq-square\">(2.1)</a>"))
        #expect(try page(site, "03-more.html").contains("href=\"02-chain.html#eq-chain\">(1.1)</a>"))
    }

    @Test func linkedFilesAreCopiedAndLessonLinksBecomePages() throws {
        let site = try CLI.temporaryDirectory().appendingPathComponent("site")
        _ = try Fixtures.pipeline.render(paths: [Self.course], to: site.path)
        #expect(try Data(contentsOf: site.appendingPathComponent("img/net.png")) == Data(contentsOf: URL(fileURLWithPath: Self.course + "/img/net.png")))
        #expect(try String(contentsOf: site.appendingPathComponent("data/points.csv"), encoding: .utf8).hasPrefix("x,y"))
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("derive.yml").path))
        let squares = try page(site, "01-squares.html")
        #expect(squares.contains("<img src=\"img/net.png\" alt=\"A small network\""))
        #expect(squares.contains("<a href=\"02-chain.html#the-rule\">the first lesson</a>"))
        #expect(try page(site, "03-more.html").contains("<img src=\"img/net.png\""))
    }

    @Test func aLessonCheckedAloneStillResolvesTheOthers() throws {
        let outcome = Fixtures.pipeline.processCourse(paths: [Self.course + "/01-squares.md"])
        #expect(outcome.report.exitCode == 0, "\(TextReport.render(outcome.report))")
        let html = try #require(outcome.processed.first?.body?.html)
        #expect(html.contains("href=\"02-chain.html#eq-chain\">(1.1)</a>"))
        // The other lesson's cell did not run this time: its badge says so.
        #expect(html.contains("<a class=\"equation-check unknown\" href=\"02-chain.html#chain\""))
        #expect(outcome.processed.first?.page == "01-squares.html")
    }

    @Test func aLoneNotebookWithoutACourseFileIsASiteOfItsOwn() throws {
        let outcome = Fixtures.pipeline.processCourse(paths: [Fixtures.path("checks/right.md")])
        #expect(outcome.site.pages.count == 1 && outcome.course.members.isEmpty)
        let folder = Fixtures.pipeline.processCourse(paths: [Fixtures.path("checks")])
        #expect(folder.site.pages.count == folder.processed.count && folder.processed.count > 1)
    }

    /// A course folder written for a test.
    func folder(_ files: [String: String]) throws -> URL {
        let folder = try CLI.temporaryDirectory()
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    @Test func courseFileProblemsAreReportedAndAMissingLessonFails() throws {
        let folder = try folder([
            "derive.yml": "title: T\nlesons: []\nlessons:\n  - a.md\n  - gone.md\n",
            "a.md": "# A\n\n```swift\ncheck(true)\n```\n",
        ])
        let report = Fixtures.pipeline.check(paths: [folder.path])
        #expect(report.exitCode == 1)
        let text = TextReport.render(report)
        #expect(text.contains("derive.yml:5:1: error: lesson 'gone.md' does not exist"))
        #expect(text.contains("derive.yml:2:1: warning: unknown key 'lesons' in derive.yml; it is ignored"))
        #expect(text.contains("hint: did you mean 'lessons'?"))
        let json = JSONReport.render(report)
        #expect(json.contains("\"course\":{\"path\":") && json.contains("\"message\":\"lesson 'gone.md' does not exist\""))
        #expect(JUnitReport.render(report).contains("<testsuite name=\"\(folder.path)/derive.yml\" tests=\"1\" failures=\"0\" errors=\"1\">"))
        #expect(GitHubReport.render(report).contains("::error file=\(GitHubReport.property(folder.path + "/derive.yml")),line=5,col=1::lesson 'gone.md' does not exist"))
        // Without the missing lesson it passes, with the warning still shown.
        try Data("title: T\nlesons: []\n".utf8).write(to: folder.appendingPathComponent("derive.yml"))
        #expect(Fixtures.pipeline.check(paths: [folder.path]).exitCode == 0)
    }

    @Test func theJSONReportCarriesEachCellsVerifiesAndTheEquations() throws {
        let report = Fixtures.pipeline.check(paths: [Self.course])
        let object = try JSONSerialization.jsonObject(with: Data(JSONReport.render(report, equations: true).utf8)) as! [String: Any]
        let notebooks = object["notebooks"] as! [[String: Any]]
        let cells = notebooks.flatMap { $0["cells"] as! [[String: Any]] }
        #expect(cells.map { $0["verifies"] as! [String] } == [["eq-chain", "eq-square"], ["eq-square"], ["eq-sum-of-squares"]])
        let equations = object["equations"] as! [[String: Any]]
        #expect(equations.map { $0["label"] as! String } == ["eq-chain", "eq-square", "eq-sum-of-squares"])
        #expect(equations.map { $0["number"] as! String } == ["1.1", "2.1", "2.2"])
        #expect(JSONReport.render(report).contains("\"equations\"") == false)
    }

    @Test func anEquationNothingVerifiesIsAWarningOfCheckEquations() throws {
        let folder = try folder(["a.md": "# A\n\n$$ x = 1 $$ {#eq-one}\n\n$$ y = 2 $$ {#eq-two}\n\n```swift\n//| verifies: [eq-one]\ncheck(true)\n```\n"])
        let report = Fixtures.pipeline.check(paths: [folder.path])
        #expect(report.exitCode == 0)
        let listing = EquationList.render(report)
        for line in [
            "(1.1) eq-one  \(folder.path)/a.md:3  ✓ cell 1 (a.html)",
            "(1.2) eq-two  \(folder.path)/a.md:5  — verified by no cell",
            "a.md:5:1: warning: equation (1.2) 'eq-two' is verified by no cell",
            "2 numbered equations: 1 verified, 1 verified by no cell",
        ] {
            #expect(listing.contains(line))
        }
        #expect(GitHubReport.render(report, equations: true).contains("::warning file=\(GitHubReport.property(folder.path + "/a.md")),line=5,col=1::equation (1.2) 'eq-two' is verified by no cell"))
        #expect(!GitHubReport.render(report).contains("eq-two"))
    }

    @Test func thePreviewFollowsTheCourseFileAndImages() throws {
        let folder = try folder([
            "derive.yml": "title: First title\n",
            "a.md": "# A\n\n![pic](pic.png)\n\n```swift\ncheck(true)\n```\n",
            "b.md": "# B\n\n```swift\ncheck(true)\n```\n",
            "pic.png": "one",
        ])
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        func touch(_ name: String, _ seconds: Double) throws {
            try FileManager.default.setAttributes([.modificationDate: start.addingTimeInterval(seconds)], ofItemAtPath: folder.appendingPathComponent(name).path)
        }
        for name in ["derive.yml", "a.md", "b.md", "pic.png"] { try touch(name, 0) }
        let server = PreviewServer(pipeline: Fixtures.pipeline, paths: [folder.path])
        func state() -> (runs: Int, version: Int, index: String) {
            server.state.withLock { ($0.runs, $0.version, String(decoding: $0.pages["index.html"] ?? Data(), as: UTF8.self)) }
        }
        #expect(server.refresh())
        #expect(state().runs == 2 && state().index.contains("First title"))
        #expect(server.state.withLock { $0.files["pic.png"] }?.lastPathComponent == "pic.png")
        #expect(server.page("/pic.png").headers[.contentType] == "image/png")
        #expect(!server.refresh())

        // An image changed: the pages render again (a reload), nothing runs again.
        try Data("two".utf8).write(to: folder.appendingPathComponent("pic.png"))
        try touch("pic.png", 5)
        #expect(server.refresh())
        #expect(state().runs == 2 && state().version == 2)

        // The course file changed: its title shows, its order holds, and every lesson runs again
        // (its defaults reach them all).
        try Data("title: Second title\nlessons: [b.md, a.md]\n".utf8).write(to: folder.appendingPathComponent("derive.yml"))
        try touch("derive.yml", 10)
        #expect(server.refresh())
        let index = state().index
        #expect(state().runs == 4 && index.contains("Second title"))
        #expect(index.range(of: "b.html")!.lowerBound < index.range(of: "a.html")!.lowerBound)
        #expect(!server.refresh())

        // A missing image that appears: the page renders again and shows it, without its warning.
        try Data("# A\n\n![pic](pic.png) ![later](later.png)\n\n```swift\ncheck(true)\n```\n".utf8).write(to: folder.appendingPathComponent("a.md"))
        try touch("a.md", 20)
        #expect(server.refresh())
        #expect(server.state.withLock { $0.ran.values.contains { $0.path.hasSuffix("a.md") } })
        #expect(server.state.withLock { $0.files["later.png"] } == nil)
        try Data("png".utf8).write(to: folder.appendingPathComponent("later.png"))
        #expect(server.refresh())
        #expect(server.state.withLock { $0.files["later.png"] }?.lastPathComponent == "later.png")
        #expect(state().runs == 5)
    }

    @Test func anExportNumbersEquationsAsTheSiteDoes() throws {
        let outcome = Fixtures.pipeline.processCourse(paths: [Self.course + "/01-squares.md"])
        let item = outcome.processed[0]
        let json = NotebookExport.ipynb(item.report.notebook!, result: item.report.result, site: outcome.site, page: item.page)
        #expect(json.contains("$$ \\\\frac{d}{dx} x^2 = 2x \\\\tag{1} $$"))
        #expect(json.contains("By (1), and with the chain rule (1.1) of the first lesson"))
        #expect(!json.contains("{#eq-") && !json.contains("@eq-"))
    }

    @Test func checkEquationsOnTheCommandLine() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build first: swift build")
        let run = try CLI.run(["check", Self.course, "--equations"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Numbered equations:"))
        #expect(run.stdout.contains("(2.1) eq-square  \(Self.course)/01-squares.md:10  ✓ chain (02-chain.html), ✓ square (01-squares.html)"))
        #expect(run.stdout.contains("3 numbered equations: 3 verified, 0 verified by no cell"))
        #expect(!(try CLI.run(["check", Self.course])).stdout.contains("Numbered equations:"))
        let json = try CLI.run(["check", Self.course, "--equations", "--format", "json"])
        #expect(json.stdout.contains("\"equations\":[{\"label\":\"eq-chain\""))
    }
}
