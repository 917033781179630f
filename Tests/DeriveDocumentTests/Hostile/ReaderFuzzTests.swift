import Foundation
import Testing
@testable import DeriveDocument

/// SplitMix64: a seeded stream, so a failing input can be made again from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A fuzzer for the reader without libFuzzer (which needs an instrumented build of everything):
/// inputs are drawn from a seeded stream, as pieces of the hostile reproductions of issue 16 and of
/// the lessons, spliced, repeated and mutated byte by byte. Each must read without a crash, within a
/// time bound, into a tree that stays shallow, with every diagnostic, span and cell line inside the
/// file. `DERIVE_FUZZ_SECONDS` sets how long it runs (default 3 s; CI runs it as part of the tests).
@Suite struct ReaderFuzzTests {
    static let corpus: [String] = {
        var pieces = [
            ">", "> ", "- ", "1. ", "* ", "*", "**", "_", "~~", "[", "](", ")", "![", "<", ">", "`", "``", "```", "~~~",
            "```swift\n", "```\n", "~~~swift\n", "    ", "\t", "\n", "\n\n", "\r\n", "\r", "\u{FEFF}", "\u{0}", "\u{E000}", "\u{E001}",
            "\u{E002}", "\u{E011}", "$", "$$", "$x$", "$$x$$", "\\(", "\\)", "\\[", "\\]", "\\", "\\$", "{", "}", "#", "## h\n",
            "---\n", "...\n", "seed: 3\n", "title: T\n", "a: &a [x, x, x]\n", "b: [*a, *a, *a]\n", "&a", "*a", "? ", ": ",
            "//| ", "//| label: a\n", "//| tags: [", "//| tags: [a, b]\n", "//| eval: false\n", "//| expect: fail\n", "//| seed: -1\n",
            "|a|b|\n|-|-|\n|1|2|\n", "<div>", "</div>", "<script>", "javascript:alert(1)", "&#9;", "é", "👍🏽", "\u{301}",
            "let x = [[[[[[[[[[[[1]]]]]]]]]]]]\n", "/* \" */", "#\"\\\"#", "\"\"\"\n", "\\(1)", "1 + ",
        ]
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Notebooks")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: lessons.path)) ?? [] where name.hasSuffix(".md") {
            if let text = try? String(contentsOf: lessons.appendingPathComponent(name), encoding: .utf8) {
                pieces += text.split(separator: "\n", omittingEmptySubsequences: false).prefix(400).map { $0 + "\n" }
            }
        }
        return pieces
    }()

    /// One input: pieces, sometimes a run of one repeated, sometimes bytes flipped (kept UTF-8).
    static func input(_ random: inout SeededGenerator) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 1...40, using: &random) {
            let piece = corpus.randomElement(using: &random)!
            // Long runs of short pieces (nesting, delimiters); a few repeats of long ones.
            let most = piece.utf8.count <= 8 ? 3000 : 20
            text += Int.random(in: 0..<10, using: &random) == 0 ? String(repeating: piece, count: Int.random(in: 2...most, using: &random)) : piece
        }
        if Int.random(in: 0..<4, using: &random) == 0, !text.isEmpty {
            var bytes = Array(text.utf8)
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...127, using: &random)
            }
            text = String(decoding: bytes, as: UTF8.self)
        }
        return text
    }

    /// The depth of a tree, walked without recursion.
    static func depth(_ node: MarkdownNode) -> Int {
        var deepest = 0
        var stack = [(node, 1)]
        while let (current, level) = stack.popLast() {
            deepest = max(deepest, level)
            stack += current.children.map { ($0, level + 1) }
        }
        return deepest
    }

    /// What must hold of any notebook the reader returns.
    static func problems(_ notebook: Notebook, _ text: String) -> [String] {
        var problems: [String] = []
        let lines = notebook.lines.count
        if depth(notebook.body) > MarkdownNode.maximumDepth + 4 { problems.append("tree \(depth(notebook.body)) deep") }
        for diagnostic in notebook.diagnostics where !(1...max(1, lines)).contains(diagnostic.location.line) || diagnostic.location.column < 1 {
            problems.append("diagnostic outside the file: \(diagnostic.location) \(diagnostic.message)")
        }
        for span in notebook.math where !(1...max(1, lines)).contains(span.location.line) {
            problems.append("math span outside the file: \(span.location)")
        }
        for cell in notebook.cells {
            if !(1...max(1, lines)).contains(cell.fenceLine) { problems.append("cell fence outside the file: \(cell.fenceLine)") }
            if cell.lineStarts.contains(where: { $0.line > lines || $0.column < 1 }) { problems.append("cell line outside the file") }
        }
        return problems
    }

    @Test func readerSurvivesRandomInput() {
        let budget = Double(ProcessInfo.processInfo.environment["DERIVE_FUZZ_SECONDS"] ?? "") ?? 3
        let seed = UInt64(ProcessInfo.processInfo.environment["DERIVE_FUZZ_SEED"] ?? "") ?? 16
        var random = SeededGenerator(state: seed)
        let start = ContinuousClock.now
        var inputs = 0, slowest = 0.0
        while ContinuousClock.now - start < .seconds(budget) {
            let text = Self.input(&random)
            var notebook: Notebook?
            let time = seconds { notebook = NotebookReader.parse(text, path: "fuzz.md") }
            slowest = max(slowest, time)
            inputs += 1
            let found = notebook.map { Self.problems($0, text) } ?? ["no notebook"]
            #expect(found.isEmpty, "input \(inputs) of seed \(seed): \(found) in \(text.prefix(300).debugDescription)")
            #expect(time < 5, "input \(inputs) of seed \(seed) took \(time) s: \(text.prefix(300).debugDescription)")
            if !found.isEmpty || time >= 5 {
                let saved = FileManager.default.temporaryDirectory.appendingPathComponent("derive-fuzz-\(seed)-\(inputs).md")
                try? Data(text.utf8).write(to: saved)
                print("reader fuzz: the input is saved in \(saved.path)")
                break
            }
        }
        let elapsed = ContinuousClock.now - start
        let perMinute = Double(inputs) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 60
        print("reader fuzz: \(inputs) inputs in \(elapsed) (\(Int(perMinute)) a minute), slowest \(slowest) s, seed \(seed)")
        #expect(inputs > 0)
    }
}
