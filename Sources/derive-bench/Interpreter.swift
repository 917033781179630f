import DeriveDocument
import DeriveLanguage
import Foundation

/// The cell language against CPython on the same three programs, each timed inside its own
/// process (compiling the cell included for Derive; CPython's code runs inside a function, its
/// fastest form). Prints both medians and their ratio: below 1 is faster than CPython.
enum InterpreterBench {
    struct Program {
        var name: String
        var swift: String
        var python: String
    }

    static let programs = [
        Program(name: "loop_3M", swift: """
            var s = 0
            for i in 0..<3000000 { s += i }
            print(s)
            """, python: """
            def run():
                s = 0
                for i in range(3000000):
                    s += i
                return s
            """),
        Program(name: "fib_25", swift: """
            func fib(_ n: Int) -> Int { n < 2 ? n : fib(n - 1) + fib(n - 2) }
            print(fib(25))
            """, python: """
            def fib(n):
                return n if n < 2 else fib(n - 1) + fib(n - 2)
            def run():
                return fib(25)
            """),
        Program(name: "triple_loop_60", swift: """
            let n = 60
            let A = rand(n, n)
            let B = rand(n, n)
            var C = zeros(n, n)
            for i in 0..<n {
                for j in 0..<n {
                    var s = 0.0
                    for k in 0..<n { s += A[i, k] * B[k, j] }
                    C[i, j] = s
                }
            }
            print(C[0, 0])
            """, python: """
            import random
            def run():
                n = 60
                A = [[random.random() for _ in range(n)] for _ in range(n)]
                B = [[random.random() for _ in range(n)] for _ in range(n)]
                C = [[0.0] * n for _ in range(n)]
                for i in range(n):
                    for j in range(n):
                        s = 0.0
                        for k in range(n):
                            s += A[i][k] * B[k][j]
                        C[i][j] = s
                return C[0][0]
            """),
    ]

    static func run(runs: Int = 7) {
        let runner = NotebookRunner()
        for program in programs {
            let notebook = NotebookReader.parse("```swift\n\(program.swift)\n```\n", path: "\(program.name).md")
            var failed = false
            let derive = median(runs: runs) {
                let result = runner.run(notebook)
                failed = failed || !result.passed
            }
            let label = "interpreter_\(program.name)"
            guard !failed else {
                print("\(label): the cell failed")
                continue
            }
            if let python = pythonMedian(program.python, runs: runs) {
                print("\(label): \(String(format: "%.4f", derive)) s; CPython \(String(format: "%.4f", python)) s; ratio \(String(format: "%.2f", derive / python))×")
            } else {
                print("\(label): \(String(format: "%.4f", derive)) s (python3 not found)")
            }
        }
    }

    /// The median of `runs` timings of `run()` inside one python3 process, after a warm-up.
    static func pythonMedian(_ source: String, runs: Int) -> Double? {
        let script = source + """

            import time, statistics
            run()
            times = []
            for _ in range(\(runs)):
                t = time.perf_counter(); run(); times.append(time.perf_counter() - t)
            print(statistics.median(times))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
