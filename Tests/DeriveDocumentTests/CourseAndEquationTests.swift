import Testing
@testable import DeriveDocument

@Suite struct EquationMarkupTests {
    func labels(_ text: String) -> [String?] { NotebookReader.parse(text, path: "n.md").math.map(\.label) }

    @Test func aLabelAfterTheClosingDollarsNumbersTheEquation() {
        let notebook = NotebookReader.parse("Intro.\n\n$$ a = b $$ {#eq-ab}\n\n$$\nc\n= d\n$$ {#eq-cd} and more\n", path: "n.md")
        #expect(notebook.math.map(\.label) == ["eq-ab", "eq-cd"])
        #expect(notebook.math.map(\.endLine) == [3, 8])
        // The label is gone from the prose; what follows it stays.
        #expect(!notebook.body.plainText.contains("{#eq"))
        #expect(notebook.body.plainText.contains("and more"))
    }

    @Test func notALabelOnAnotherLineOrAfterInlineMathOrMalformed() {
        #expect(labels("$$ a $$\n{#eq-next-line}") == [nil])
        #expect(labels("$a$ {#eq-inline}") == [nil])
        #expect(labels("$$ a $$ {#fig-x}") == [nil])
        #expect(labels("$$ a $$ {#eq-}") == [nil])
        #expect(labels("$$ a $$ {#eq-with_under_score}") == ["eq-with_under_score"])
    }

    @Test func referencesSplitTextButAddressesDoNot() {
        let notebook = NotebookReader.parse("# T\n\nBy @eq-delta. Mail me@eq-x.org or see\n(@eq-two_parts).\n", path: "n.md")
        var references: [(String, Int)] = []
        func visit(_ node: MarkdownNode) {
            if case .equationReference(let label) = node.kind { references.append((label, node.line)) }
            node.children.forEach(visit)
        }
        visit(notebook.body)
        #expect(references.map(\.0) == ["eq-delta", "eq-two_parts"])
        #expect(references.map(\.1) == [3, 4])
        #expect(notebook.body.plainText.contains("me@eq-x.org"))
        // Inside a link's text a reference would be a link in a link: it stays text.
        #expect(!"\(NotebookReader.parse("[see @eq-a](#x)", path: "n.md").body)".contains("equationReference"))
    }

    @Test func verifiesIsAListOfLabelsAndAnythingElseWarns() {
        let good = NotebookReader.parse("```swift\n//| verifies: [eq-a, eq-b]\ncheck(true)\n```\n```swift\n//| verifies: eq-c\ncheck(true)\n```", path: "n.md")
        #expect(good.cells.map(\.options.verifies) == [["eq-a", "eq-b"], ["eq-c"]])
        #expect(good.diagnostics.isEmpty)
        let bad = NotebookReader.parse("```swift\n//| verifies: [1, 2]\ncheck(true)\n```", path: "n.md")
        #expect(bad.diagnostics.map(\.message) == ["'verifies' must list equation labels, as in 'verifies: [eq-delta]'"])
        #expect(bad.diagnostics.first?.location.line == 2)
    }
}

@Suite struct CourseFileTests {
    @Test func titleOrderMacrosAndDefaults() {
        let text = "title: Deep learning, checked\nlessons:\n  - 02-b.md\n  - 01-a.md\nmacros:\n  \"\\\\R\": \"\\\\mathbb{R}\"\nseed: 7\ndigits: 3\nrtol: 1e-5\n"
        let course = Course.parse(text, path: "N/derive.yml") { _ in true }
        #expect(course.diagnostics.isEmpty)
        #expect(course.title == "Deep learning, checked")
        #expect(course.lessons == ["02-b.md", "01-a.md"])
        #expect(course.macros == ["\\R": "\\mathbb{R}"])
        #expect(course.defaults.seed == 7 && course.defaults.digits == 3 && course.defaults.rtol == 1e-5 && course.defaults.title == nil)
        #expect(course.ordered(["N/01-a.md", "N/03-c.md", "N/02-b.md"], folder: "N") == ["N/02-b.md", "N/01-a.md", "N/03-c.md"])
    }

    @Test func frontMatterOverridesTheCourseDefaults() {
        var defaults = FrontMatter()
        defaults.seed = 7
        defaults.digits = 3
        let notebook = NotebookReader.parse("---\nseed: 2\n---\n# A\n", path: "a.md", defaults: defaults)
        #expect(notebook.frontMatter.seed == 2 && notebook.frontMatter.digits == 3)
        #expect(NotebookReader.parse("# B\n", path: "b.md", defaults: defaults).frontMatter.seed == 7)
    }

    @Test func unknownKeysWarnAndMissingLessonsAreErrorsAtTheirLines() {
        let text = "---\ntitel: Oops\nlessons:\n  - 01-a.md\n  - 09-gone.md\ndigits: 0\n"
        let course = Course.parse(text, path: "N/derive.yml") { $0 == "01-a.md" }
        #expect(course.diagnostics.map { "\($0.severity.rawValue) \($0.location.line): \($0.message)" }.sorted() == [
            "error 5: lesson '09-gone.md' does not exist",
            "error 6: 'digits' must be a positive integer",
            "warning 2: unknown key 'titel' in derive.yml; it is ignored",
        ])
        #expect(course.diagnostics.first { $0.severity == .warning }?.hint == "did you mean 'title'?")
        #expect(course.diagnostics.allSatisfy { $0.file == "N/derive.yml" && $0.sourceLine != nil })
        #expect(course.lessons == ["01-a.md"])
        #expect(Course.parse("title: A\n", path: "derive.yml") { _ in true }.diagnostics.isEmpty)
    }

    @Test func malformedYAMLIsAnErrorWithItsLine() {
        let course = Course.parse("title: A\nlessons: [a.md\n", path: "derive.yml") { _ in true }
        #expect(course.diagnostics.count == 1)
        #expect(course.diagnostics.first?.message.hasPrefix("malformed derive.yml") == true)
        let list = Course.parse("- a\n- b\n", path: "derive.yml") { _ in true }.diagnostics
        #expect(list.count == 1 && list[0].message.contains("must be a YAML mapping"))
        #expect(Course.parse("lessons: 3\n", path: "derive.yml") { _ in true }.diagnostics.map(\.message) == ["'lessons' must be a list of notebook paths"])
        #expect(Course.parse("lessons: [data.csv]\n", path: "derive.yml") { _ in true }.diagnostics.map(\.message) == ["lesson 'data.csv' is not a notebook (a .md file)"])
        #expect(Course.parse("lessons: [../x.md]\n", path: "derive.yml") { _ in true }.diagnostics.map(\.message) == ["lesson '../x.md' is not inside the course folder"])
    }
}
