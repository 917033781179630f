import DeriveDocument
import Foundation
import Testing
@testable import DeriveLanguage

/// Every limit of the sandbox ends its cell with its own located error; the next cell still runs.
@Suite struct LimitsTests {
    let limits = Limits(steps: 200_000, tensorElements: 1_000_000, recursionDepth: 64, wallClock: .milliseconds(400))

    func runThenNext(_ cell: String, limits: Limits) -> (CellResult, CellResult, Duration) {
        let clock = ContinuousClock()
        var result: NotebookResult!
        let elapsed = clock.measure { result = run([cell, "let after = 1 + 1\nafter"], limits: limits).1 }
        return (result.cells[0], result.cells[1], elapsed)
    }

    @Test func endlessLoopHitsTheStepBudget() {
        var budget = limits
        budget.wallClock = .seconds(60)
        let (cell, next, _) = runThenNext("var i = 0\nwhile true { i += 1 }", limits: budget)
        #expect(cell.error?.message == "the cell took more than 200,000 steps (loop iterations and calls); is there an endless loop?")
        #expect(cell.error?.location.line == 7)  // the loop's line in the notebook
        #expect(describe(next) == ["value: 2"])
    }

    @Test func hugeTensorIsRefusedBeforeAllocation() {
        let (cell, next, elapsed) = runThenNext("let big = zeros(1000000, 1000000)", limits: .default)
        #expect(cell.error?.message == "a 1000000×1000000 tensor has more than 4000000 entries, the limit for a cell")
        #expect(elapsed < .seconds(2))
        #expect(next.passed)
    }

    @Test func runawayRecursionHitsTheDepthLimit() {
        let (cell, next, _) = runThenNext("func down(_ n: Double) -> Double { down(n + 1) }\ndown(0)", limits: limits)
        #expect(cell.error?.message == "calls nested deeper than 64 levels; is there a runaway recursion?")
        #expect(next.passed)
        // The default depth is reached without exhausting the native stack.
        let (deep, _, _) = runThenNext("func down(_ n: Double) -> Double { down(n + 1) }\ndown(0)", limits: .default)
        #expect(deep.error?.message == "calls nested deeper than 256 levels; is there a runaway recursion?")
    }

    @Test func slowLoopHitsTheWallClock() {
        var slow = limits
        slow.steps = .max
        let (cell, next, elapsed) = runThenNext("let A = randn(120, 120)\nvar B = A\nwhile true { B = A * B / 100 }", limits: slow)
        #expect(cell.error?.message == "the cell ran longer than its time limit of 0.4 seconds")
        #expect(elapsed < .seconds(3))
        #expect(next.passed)
    }

    @Test func keepingManyLargeTensorsAliveHitsTheMemoryLimit() throws {
        let resident = try #require(ResidentMemory.bytes())
        var tight = Limits.default
        tight.memoryBytes = resident + (400 << 20)
        // Each ones(1000, 1000) is 8 MB, touched (not lazily zero): a few hundred outgrow the limit.
        let (cell, next, _) = runThenNext("var kept: [Tensor] = []\nfor i in 0..<2000 { kept.append(ones(1000, 1000)) }", limits: tight)
        #expect(cell.error?.message.hasPrefix("the notebooks are using ") == true)
        #expect(cell.error?.message.hasSuffix("MiB of memory, more than the limit of \(tight.memoryBytes >> 20) MiB") == true)
        #expect(cell.error?.hint == "keep fewer large tensors alive (an array that grows in a loop?)")
        #expect(next.passed)
        // The same loop that keeps nothing stays under it.
        let (light, _, _) = runThenNext("var last = zeros(1, 1)\nfor i in 0..<200 { last = ones(1000, 1000) }", limits: tight)
        #expect(light.passed)
    }

    @Test func expectErrorPassesOnlyWithAnError() {
        let (_, result) = run(["let x = ones(2, 3) * ones(2, 3)", "let y = 1"], options: ["//| expect: error\n", "//| expect: error\n"])
        #expect(result.cells[0].passed)
        #expect(!result.cells[1].passed)
        #expect(result.cells[1].failureReason == "the cell is marked 'expect: error' but raised no error")
    }

    @Test func expectFailNeedsAFailingCheckAndNoError() {
        let (_, result) = run(["check(1 == 2)", "check(1 == 1)", "check(sigmod(1) == 1)"],
                              options: ["//| expect: fail\n", "//| expect: fail\n", "//| expect: fail\n"])
        #expect(result.cells.map(\.passed) == [true, false, false])
        #expect(result.cells[1].failureReason == "the cell is marked 'expect: fail' but all its checks passed")
    }
}
