import Foundation
import Testing
@testable import DeriveEngine

/// The per-cell time limit reaches inside engine operations (issue 16, item 8).
@Suite struct CancellationTests {
    @Test func aHugeProductStopsAtTheDeadline() throws {
        let ones = Variable(Tensor(rows: 2000, cols: 2000, repeating: 1))
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: Cancellation.timeLimit) {
            try Cancellation.withDeadline(start + .milliseconds(100)) {
                _ = try Variable.matmul(try Variable.matmul(try Variable.matmul(ones, ones), ones), ones)
            }
        }
        // Unchecked, the three products take tens of seconds.
        #expect(clock.now - start < .seconds(3))
        #expect(Cancellation.timeLimit.message == "the cell ran longer than its time limit")
    }

    @Test func finiteDifferencesAndJacobianRowsStop() throws {
        let x = Tensor(rows: 300, cols: 300, repeating: 0.5)
        let past = ContinuousClock.now - .seconds(1)
        #expect(throws: Cancellation.timeLimit) {
            try Cancellation.withDeadline(past) { _ = try numericalGradient(at: x) { Tensor(scalar: $0.sum) } }
        }
        #expect(throws: Cancellation.timeLimit) {
            try Cancellation.withDeadline(past) { _ = try jacobian(at: Tensor(column: [1, 2]), in: sin) }
        }
        #expect(throws: Cancellation.timeLimit) {
            try Cancellation.withDeadline(past) { _ = try Checks.hessian(at: Tensor(column: [1, 2]), in: { sum(sin($0)) }, equals: Tensor(rows: 2, cols: 2)) }
        }
    }

    @Test func withoutADeadlineNothingStopsAndTheEarlierDeadlineWins() throws {
        try Cancellation.check()
        #expect(Cancellation.currentDeadline == nil)
        let soon = ContinuousClock.now + .seconds(60), later = soon + .seconds(60)
        try Cancellation.withDeadline(soon) {
            try Cancellation.withDeadline(later) { #expect(Cancellation.currentDeadline == soon) }
            try Cancellation.check()
        }
        #expect(Cancellation.currentDeadline == nil)
        // A small product under a distant deadline is unaffected.
        let a = Tensor(rows: 3, cols: 3, repeating: 1)
        #expect(try Cancellation.withDeadline(later) { try a.matmul(a) } == Tensor(rows: 3, cols: 3, repeating: 3))
    }

    @Test func aDeadlineHoldsOnAPlainThread() throws {
        // Cells run on a thread of their own, outside any task.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: EngineError?
        let thread = Thread {
            do {
                try Cancellation.withDeadline(ContinuousClock.now - .seconds(1)) {
                    _ = try Tensor(rows: 200, cols: 200, repeating: 1).matmul(Tensor(rows: 200, cols: 200, repeating: 1))
                }
            } catch let error as EngineError {
                outcome = error
            } catch {}
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(outcome == Cancellation.timeLimit)
    }
}
