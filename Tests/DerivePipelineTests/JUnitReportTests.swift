import Foundation
import Testing
@testable import DerivePipeline
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct JUnitReportTests {
    /// Collects elements and attributes; fails on malformed XML.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            elements.append((name, attributes))
        }
    }

    func parse(_ xml: String) throws -> [(name: String, attributes: [String: String])] {
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
        return collector.elements
    }

    @Test func isWellFormedJUnitWithASuitePerNotebookAndACasePerCheck() throws {
        let xml = JUnitReport.render(RunReport(notebooks: [ReportFixtures.passing, ReportFixtures.failing, ReportFixtures.unreadable]))
        let elements = try parse(xml)
        #expect(elements.first?.name == "testsuites")
        let suites = elements.filter { $0.name == "testsuite" }
        #expect(suites.map { $0.attributes["name"] } == ["Notebooks/01-ok.md", "Notebooks/02-wrong.md", "Notebooks/03-binary.md"])
        // 02: TeX error, failing check, errored cell, expected failure (passes).
        #expect(suites[1].attributes["tests"] == "4")
        #expect(suites[1].attributes["failures"] == "1")
        #expect(suites[1].attributes["errors"] == "2")
        #expect(suites[2].attributes["errors"] == "1")
        #expect(elements.filter { $0.name == "testcase" }.allSatisfy { $0.attributes["name"] != nil && $0.attributes["classname"] != nil })
        #expect(elements.first?.attributes["tests"] == "6")
    }

    @Test func escapesMarkup() {
        #expect(JUnitReport.escape("a<b & \"c\"\n") == "a&lt;b &amp; &quot;c&quot;&#10;")
    }
}
