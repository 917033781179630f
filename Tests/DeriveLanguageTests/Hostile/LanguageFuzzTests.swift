import DeriveDocument
import DeriveEngine
import Foundation
import Testing
@testable import DeriveLanguage

/// A seeded fuzzer for the cell language: cells of the lessons (and a few hostile snippets),
/// mutated at random — tokens deleted, duplicated, swapped, hostile tokens inserted — and run
/// under tight limits. Whatever a mutant does, it must end (an error is fine) without a crash
/// and within its time limit. `DERIVE_FUZZ_SECONDS` (default 3) and `DERIVE_FUZZ_SEED` steer it.
@Suite struct LanguageFuzzTests {
    static let snippets = [
        "let x = randn(3)\nlet g = gradient(at: x, in: { v in sum(v ⊙ v) })\ncheck(g ≈ 2 * x)",
        "var s = 0.0\nfor i in 0..<100 { s += Double(i) }\ns",
        "func f(_ n: Int) -> Int { n < 2 ? n : f(n - 1) + f(n - 2) }\nf(10)",
        "var A = zeros(4, 4)\nA[0..<2, ...] = ones(2, 4)\nA[3, 3] = 7\nA.sum(axis: 0)",
        "let net = MLP(sizes: [3, 2, 1])\nlet p = net.forward(randn(3))\np.z[1]",
        "let xs: [Double] = [3, 1, 2]\n(xs.sorted(), xs.min()!, xs.contains(2))",
        "checkHessian(at: [1.0, 2.0], in: { v in sum(v ⊙ v ⊙ v) }, equals: diag(6 * [1.0, 2.0]))",
        "var k = 0\nwhile k < 10 { k += 1; if k == 5 { break } }\nk",
    ]

    static let tokens = [
        "(", ")", "[", "]", "{", "}", ",", ":", "=", "+=", "*", "⊙", ".T", "$0", "..<", "...", "!", "-",
        "for i in 0..<3 {", "while true {", "}", "return", "let", "var", "x", "1e308", "-0.0", "Double.nan",
        "\"\\u{0}\"", "gradient(at: x, in: { v in", "sum(", "readCSV(\"../x.csv\")", "zeros(100000, 100000)",
        "func g() { g() }", "g()", "{ $0 }", "(1, 2)", "net.W[0]", "[[[[[[", "]]]]]]", "0..<999999999999999",
        "\"a\" + \"b\"", "hessian(at: x, in: sin)", "Int(x)", ".reshaped(2, 3)", "inverse(zeros(2, 2))",
    ]

    @Test func mutatedCellsEndCleanly() throws {
        let seconds = Double(ProcessInfo.processInfo.environment["DERIVE_FUZZ_SECONDS"] ?? "") ?? 3
        var random = RandomStream(seed: UInt64(ProcessInfo.processInfo.environment["DERIVE_FUZZ_SEED"] ?? "") ?? 11)
        var corpus = Self.snippets
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Notebooks").standardizedFileURL
        for file in (try? FileManager.default.contentsOfDirectory(atPath: lessons.path)) ?? [] where file.hasSuffix(".md") {
            if let notebook = try? NotebookReader.read(path: lessons.appendingPathComponent(file).path) {
                corpus += notebook.cells.map(\.source).filter { $0.utf8.count < 4000 }
            }
        }
        let limits = Limits(steps: 200_000, tensorElements: 200_000, collectionLength: 200_000, recursionDepth: 64,
                            wallClock: .milliseconds(500))
        let start = ContinuousClock.now
        var runs = 0, errors = 0
        while ContinuousClock.now - start < .seconds(seconds) {
            var lines = corpus[random.integer(in: 0...(corpus.count - 1))].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for _ in 0...random.integer(in: 0...3) { Self.mutate(&lines, &random) }
            let source = lines.joined(separator: "\n")
            let notebook = NotebookReader.parse("```swift\n\(source)\n```\n\n```swift\n1 + 1\n```\n", path: "fuzz.md")
            let began = ContinuousClock.now
            let result = NotebookRunner(limits: limits).run(notebook)
            let took = ContinuousClock.now - began
            runs += 1
            if result.cells.first?.error != nil { errors += 1 }
            #expect(took < .seconds(5), "took \(took):\n\(source)")
            // The cell after a mutant always runs.
            #expect(result.cells.count < 2 || describe(result.cells[1]) == ["value: 2"], "the next cell did not run after:\n\(source)")
        }
        let perMinute = Double(runs) / seconds * 60
        print("language fuzz: \(runs) inputs in \(seconds) s (\(Int(perMinute)) a minute), \(errors) ended in an error, none crashed")
        #expect(runs > 0)
    }

    static func mutate(_ lines: inout [String], _ random: inout RandomStream) {
        guard !lines.isEmpty else { lines = [tokens[random.integer(in: 0...(tokens.count - 1))]]; return }
        let k = random.integer(in: 0...(lines.count - 1))
        switch random.integer(in: 0...4) {
        case 0:
            // Delete a piece of a line.
            let line = Array(lines[k])
            guard !line.isEmpty else { return }
            let a = random.integer(in: 0...(line.count - 1)), b = random.integer(in: a...(line.count))
            lines[k] = String(line[..<a] + line[b...])
        case 1:
            lines.insert(lines[k], at: k)
        case 2:
            let j = random.integer(in: 0...(lines.count - 1))
            lines.swapAt(k, j)
        case 3:
            // A hostile token at a random place in a line.
            let line = Array(lines[k])
            let at = random.integer(in: 0...line.count)
            lines[k] = String(line[..<at]) + " " + tokens[random.integer(in: 0...(tokens.count - 1))] + " " + String(line[at...])
        default:
            lines.insert(tokens[random.integer(in: 0...(tokens.count - 1))], at: k)
        }
    }
}
