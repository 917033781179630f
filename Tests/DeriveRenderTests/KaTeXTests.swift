import DeriveDocument
import Foundation
import Testing
@testable import DeriveRender

/// A KaTeX with a cache of its own, so tests neither read nor fill the user's.
func testKaTeX() -> KaTeX {
    KaTeX(cacheDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("derive-test-katex-\(getpid())"))
}

@Suite struct KaTeXTests {
    @Test func typesetsInlineAndDisplay() throws {
        let katex = testKaTeX()
        let inline = try katex.typeset("x_1^2 + \\frac{a}{b}", display: false)
        #expect(inline.hasPrefix("<span class=\"katex\">"))
        #expect(inline.contains("<math"))
        let display = try katex.typeset("\\sum_i \\sigma'(z_i)", display: true)
        #expect(display.hasPrefix("<span class=\"katex-display\">"))
    }

    @Test func aTeXErrorCarriesKaTeXsMessage() {
        #expect(throws: TeXError.self) { try testKaTeX().typeset("\\frac{1}{", display: false) }
        do {
            _ = try testKaTeX().typeset("\\notacommand", display: false)
        } catch {
            #expect(error.message.contains("Undefined control sequence"))
        }
    }

    @Test func trustIsOff() throws {
        let html = try testKaTeX().typeset("\\href{javascript:alert(1)}{x}", display: false)
        #expect(!html.contains("href=\"javascript"))
        #expect(html.contains("color:#cc0000"))  // shown as an unsupported command, not a link
    }

    @Test func cacheServesTheSameHTMLAndSurvivesConcurrentWriters() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("derive-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try KaTeX(cacheDirectory: directory).typeset("e^{i\\pi}", display: false)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.count == 1)
        let cached = MathCache(directory: directory)
        #expect(cached.read(MathCache.key(tex: "e^{i\\pi}", display: false)) == first)
        // Many writers of the same key: the entry is always whole.
        DispatchQueue.concurrentPerform(iterations: 8) { _ in cached.write("k", first) }
        #expect(cached.read("k") == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }.isEmpty)
    }
}
