import DeriveDocument
import Foundation
import Testing
@testable import DeriveLanguage

/// Hostile cells for the language: each ends with a located error (or the right value), fast,
/// and the next cell still runs.
@Suite struct LanguageHostileTests {
    func timed(_ cells: [String], limits: Limits = .default) -> (NotebookResult, Duration) {
        var result: NotebookResult!
        let elapsed = ContinuousClock().measure { result = run(cells + ["1 + 1"], limits: limits).1 }
        #expect(describe(result.cells.last!) == ["value: 2"], "the next cell still runs")
        return (result, elapsed)
    }

    /// A long chain of `+` (the reader caps a cell at 32 KB, about 16,000 terms): a located error
    /// past 4,000 levels, quickly, instead of a stack overflow; a few thousand terms just work.
    @Test func aLongExpression() {
        let (deep, deepTime) = timed(["let s = " + Array(repeating: "1", count: 6000).joined(separator: "+")])
        #expect(deep.cells[0].error?.message == "this expression is nested more than 4000 levels deep")
        #expect(deep.cells[0].error?.location.column == 9)
        #expect(deepTime < .seconds(5))
        let (fine, _) = timed(["let s = " + Array(repeating: "1", count: 3000).joined(separator: "+") + "\ns"])
        #expect(describe(fine.cells[0]) == ["value: 3000"])
    }

    /// A range is never built: a loop over 10¹⁵ numbers costs its iterations only.
    @Test func aHugeRange() {
        let (result, elapsed) = timed(["var n = 0\nfor i in 0..<999999999999999 { n += 1\n if n == 5 { break } }\nn", "for i in 0..<50_000_000 { break }"])
        #expect(describe(result.cells[0]) == ["value: 5"])
        #expect(result.cells[1].error == nil)
        #expect(elapsed < .seconds(2))
    }

    /// Strings and arrays stop at their cap before the memory does.
    @Test func growingStringsAndArrays() {
        let (result, elapsed) = timed([
            "var s = \"a\"\nfor i in 0..<64 { s = s + s }",
            "var xs: [Double] = [1]\nfor i in 0..<64 { xs = xs + xs }",
            "var parts = [\"a\"]\nfor i in 0..<64 { parts = parts + parts }",
        ])
        #expect(result.cells[0].error?.message == "a string of 16,777,216 bytes is longer than the limit of 16,000,000")
        #expect(result.cells[1].error?.message == "an array of 16,777,216 elements is longer than the limit of 16,000,000")
        #expect(result.cells[2].error?.message == "an array of 16,777,216 elements is longer than the limit of 16,000,000")
        #expect(elapsed < .seconds(10))
    }

    /// Memory kept by earlier cells counts: cells that each keep a large tensor alive stop at the
    /// limit, each with its own error, and none of them crashes the process.
    @Test func memoryAcrossCells() throws {
        _ = try #require(ResidentMemory.bytes())
        // Any process is over this limit: what matters is when memory is measured. Each cell makes
        // 4,000,000 entries (32 MB) and keeps them in a global of its own; no single cell makes
        // the 32M entries between two measurements, but the ninth cell's total does.
        var tight = Limits.default
        tight.memoryBytes = 1
        let cells = (0..<10).map { "let kept\($0) = full(2000, 2000, \($0))" }
        let (_, result) = run(cells, limits: tight)
        #expect(result.cells.firstIndex { $0.error != nil } == 8)
        #expect(result.cells[8].error?.message.hasPrefix("the notebooks are using ") == true)
        #expect(result.cells[8].error?.hint == "keep fewer large tensors alive (an array that grows in a loop?)")
    }

    /// The time limit holds inside an engine operation: three products of 2000×2000 matrices
    /// (seconds each) stop at the deadline, not after them.
    @Test func theClockInsideLongOperations() {
        var quick = Limits.default
        quick.wallClock = .milliseconds(300)
        let (result, elapsed) = timed(["let A = ones(2000, 2000)\nlet B = A * A * A"], limits: quick)
        #expect(result.cells[0].error?.message == "the cell ran longer than its time limit of 0.3 seconds")
        #expect(result.cells[0].error?.location.line == 7)
        #expect(elapsed < .seconds(3))
    }

    /// Escapes are Swift's: `\0`, `\r`, `\u{…}` are their characters, not their spelling.
    @Test func stringEscapes() {
        let (result, _) = timed(["\"a\\0b\\r\\u{1F600}\".count"])
        #expect(describe(result.cells[0]) == ["value: 5"])
    }
}
