import Foundation
import Testing

/// The built `derive` executable, run as a user would.
enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/derive")

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["DERIVE_CACHE"] = FileManager.default.temporaryDirectory.appendingPathComponent("derive-cli-cache").path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("derive-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite(.serialized) struct CLITests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build first: swift build")
    }

    @Test func exitZeroWhenEverythingPasses() throws {
        let result = try CLI.run(["check", Fixtures.path("checks/right.md")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("checks passed"))
    }

    @Test func exitOneWhenACheckFails() throws {
        let result = try CLI.run(["check", Fixtures.path("checks/wrong.md")])
        #expect(result.status == 1)
        #expect(result.stdout.contains("wrong.md:17:1: error: check failed: ∇ₓ — transposed"))
    }

    @Test func versionAndHelp() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0 && version.stdout == "0.1.0\n")
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(["render", "check", "preview", "export", "new"].allSatisfy { help.stdout.contains("  \($0) ") })
    }

    @Test func exitTwoForBadUsageAndUnreadableInput() throws {
        #expect(try CLI.run(["check", "no/such/notebook.md"]).status == 2)
        #expect(try CLI.run(["check", "--format", "yaml", Fixtures.path("checks/right.md")]).status == 2)
        #expect(try CLI.run(["frobnicate"]).status == 2)
        let folder = try CLI.temporaryDirectory()
        let binary = folder.appendingPathComponent("latin1.md")
        try Data([0x23, 0x20, 0xE9, 0x0A]).write(to: binary)
        let result = try CLI.run(["check", binary.path])
        #expect(result.status == 2)
        #expect(result.stdout.contains("is not UTF-8 text"))
    }

    @Test func everyFormat() throws {
        let json = try CLI.run(["check", "--format", "json", Fixtures.path("checks/wrong.md")])
        #expect(json.status == 1)
        #expect(json.stdout.hasPrefix("{\"version\":1,\"summary\":{\"notebooks\":1,"))
        let junit = try CLI.run(["check", "--format", "junit", Fixtures.path("checks/wrong.md")])
        #expect(junit.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"derive\""))
        let github = try CLI.run(["check", "--format", "github", Fixtures.path("checks/wrong.md")])
        let lines = github.stdout.split(separator: "\n")
        #expect(lines.count == 10)
        #expect(lines.allSatisfy { $0.hasPrefix("::error file=") && $0.contains(",line=") })
    }

    @Test func renderWritesEveryPageEvenWhenChecksFailThenExitsOne() throws {
        let out = try CLI.temporaryDirectory().appendingPathComponent("site")
        let result = try CLI.run(["render", Fixtures.path("checks/right.md"), Fixtures.path("checks/wrong.md"), "--out", out.path])
        #expect(result.status == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == [".derive-site", "index.html", "katex", "reference.html", "right.html", "style.css", "wrong.html"])
    }

    @Test func renderRefusesToReplaceAFolderItDidNotWrite() throws {
        let folder = try CLI.temporaryDirectory()
        try Data("keep me".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let result = try CLI.run(["render", Fixtures.path("checks/right.md"), "--out", folder.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("was not written by derive"))
        #expect(try String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")
    }
}

/// The sandbox's limits through the command line: each runaway notebook ends with its own located
/// error, within the default limits, and the notebook after them still runs and passes.
@Suite struct RunawayNotebookTests {
    @Test func eachRunawayEndsWithItsOwnErrorAndTheNextNotebookRuns() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build first: swift build")
        let started = ContinuousClock.now
        let result = try CLI.run(["check", Fixtures.path("runaway"), "--format", "json"])
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 1)
        // The slow loop runs to the 10 s clock; nothing runs much past it.
        #expect(elapsed < .seconds(20), "took \(elapsed)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let notebooks = try #require(json["notebooks"] as? [[String: Any]])
        func error(_ index: Int) -> (message: String, line: Int) {
            let cell = (notebooks[index]["cells"] as? [[String: Any]])?.first
            let error = cell?["error"] as? [String: Any]
            return (error?["message"] as? String ?? "no error", error?["line"] as? Int ?? 0)
        }
        #expect(notebooks.count == 5)
        #expect(error(0).message == "the cell took more than 50,000,000 steps (loop iterations and calls); is there an endless loop?")
        #expect(error(0).line == 8)
        #expect(error(1).message == "a 1000000×1000000 tensor has more than 4000000 entries, the limit for a cell")
        #expect(error(1).line == 8)
        #expect(error(2).message == "calls nested deeper than 256 levels; is there a runaway recursion?")
        #expect(error(2).line == 8)
        #expect(error(3).message == "the cell ran longer than its time limit of 10.0 seconds")
        #expect(error(3).line == 10)
        #expect(notebooks[4]["passed"] as? Bool == true)
    }
}

/// `derive export` and `derive new` as a user runs them: what they write, their exit codes, and
/// that neither ever replaces a file it should not.
@Suite struct AuthoringCommandTests {
    @Test func exportWritesBesideTheNotebookOrWhereAsked() throws {
        let folder = try CLI.temporaryDirectory()
        let notebook = folder.appendingPathComponent("lesson.md")
        try FileManager.default.copyItem(atPath: Fixtures.path("checks/right.md"), toPath: notebook.path)
        let beside = try CLI.run(["export", notebook.path, "--to", "ipynb"])
        #expect(beside.status == 0)
        let written = folder.appendingPathComponent("lesson.ipynb")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: written)) as? [String: Any]
        #expect(json?["nbformat"] as? Int == 4 && json?["nbformat_minor"] as? Int == 5)

        let elsewhere = folder.appendingPathComponent("out/copy.ipynb")
        try FileManager.default.createDirectory(at: elsewhere.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(try CLI.run(["export", notebook.path, "--to", "ipynb", "-o", elsewhere.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: elsewhere.path))
    }

    @Test func exportRefusesToOverwriteANotebookAndReportsFailures() throws {
        let folder = try CLI.temporaryDirectory()
        let notebook = folder.appendingPathComponent("lesson.md")
        try FileManager.default.copyItem(atPath: Fixtures.path("checks/wrong.md"), toPath: notebook.path)
        let before = try Data(contentsOf: notebook)
        let slip = try CLI.run(["export", notebook.path, "--to", "ipynb", "-o", notebook.path])
        #expect(slip.status == 2)
        #expect(slip.stderr == "error: will not write \(notebook.path): an export goes to a file ending in .ipynb\n")
        #expect(try Data(contentsOf: notebook) == before)
        // A failing notebook is still exported (its failures are in the outputs), with exit 1.
        #expect(try CLI.run(["export", notebook.path, "--to", "ipynb"]).status == 1)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("lesson.ipynb").path))
        #expect(try CLI.run(["export", folder.appendingPathComponent("missing.md").path, "--to", "ipynb"]).status == 2)
        #expect(try CLI.run(["export", notebook.path, "--to", "pdf"]).status == 2)
    }

    @Test func newWritesALessonThatPassesAndNeverReplacesOne() throws {
        let folder = try CLI.temporaryDirectory()
        let created = try CLI.run(["new", "03-softmax-gradients"], in: folder)
        #expect(created.status == 0)
        let lesson = folder.appendingPathComponent("03-softmax-gradients.md")
        let text = try String(contentsOf: lesson, encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"Softmax gradients\"\n"))
        #expect(try CLI.run(["check", lesson.path]).status == 0)

        try Data("my own words\n".utf8).write(to: lesson)
        let again = try CLI.run(["new", "03-softmax-gradients"], in: folder)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOf: lesson, encoding: .utf8) == "my own words\n")
    }
}

/// `derive reference`: the library from its table; an unknown name is bad usage with a did-you-mean.
@Suite struct ReferenceCommandTests {
    @Test func oneNameAllNamesAndAMisspeltOne() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build first: swift build")
        let one = try CLI.run(["reference", "conv1d"])
        #expect(one.status == 0)
        #expect(one.stdout.hasPrefix("conv1d(_ x, _ w, stride?, padding?)\n"))
        #expect(one.stdout.contains("example: conv1d([1, 2, 3, 4], [1, 0, -1])"))
        let all = try CLI.run(["reference"])
        #expect(all.status == 0)
        #expect(all.stdout.contains("Linear algebra\n") && all.stdout.contains("  readCSV(_ path)\n"))
        let wrong = try CLI.run(["reference", "conv1"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr == "error: 'conv1' is not in the library; did you mean 'conv1d'?\n")
    }
}
