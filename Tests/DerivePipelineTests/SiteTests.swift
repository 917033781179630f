import Foundation
import Testing
@testable import DerivePipeline

@Suite(.serialized) struct SiteTests {
    /// Every file under a folder with its bytes.
    func tree(_ root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: root.path)
        while let relative = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let url = root.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = try Data(contentsOf: url)
            }
        }
        return files
    }

    @Test func renderingTwiceGivesByteIdenticalTrees() throws {
        let base = try CLI.temporaryDirectory()
        let paths = [Fixtures.path("checks/right.md"), Fixtures.path("checks/wrong.md")]
        _ = try Fixtures.pipeline.render(paths: paths, to: base.appendingPathComponent("a").path)
        _ = try Fixtures.pipeline.render(paths: paths, to: base.appendingPathComponent("b").path)
        let (a, b) = (try tree(base.appendingPathComponent("a")), try tree(base.appendingPathComponent("b")))
        #expect(a.count > 10)
        #expect(a == b)
    }

    @Test func aKilledRenderLeavesThePreviousSiteWhole() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path))
        let base = try CLI.temporaryDirectory()
        let site = base.appendingPathComponent("site")
        _ = try Fixtures.pipeline.render(paths: [Fixtures.path("checks/right.md")], to: site.path)
        let before = try tree(site)
        // A notebook that keeps the render busy for seconds.
        let slow = base.appendingPathComponent("slow.md")
        try Data("# Slow\n\n```swift\nlet A = randn(150, 150)\nvar B = A\nfor i in 0..<100000 { B = A * B / 100 }\n```\n".utf8).write(to: slow)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["render", slow.path, "--out", site.path]
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        #expect(process.isRunning)
        process.interrupt()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try tree(site) == before)
    }

    @Test func pageNamesAreUnique() {
        #expect(Pipeline.pageNames(for: ["a/01-x.md", "b/01-x.md", "index.md"]) == ["01-x.html", "01-x-2.html", "index-2.html"])
    }
}
