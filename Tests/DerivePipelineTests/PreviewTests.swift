import Foundation
import Testing
@testable import DerivePipeline

/// A minimal HTTP/1.1 client over a socket, enough to read a page and a server-sent event stream.
final class HTTPConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ path: String) {
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { Glibc.send(fd, $0, strlen($0), 0) }
    }

    /// Reads until `marker` has arrived (or the connection closes, or 10 s pass).
    func read(until marker: String) -> String {
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !String(decoding: received, as: UTF8.self).contains(marker) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            received.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func get(_ path: String, port: Int) throws -> String {
        let connection = try HTTPConnection(port: port)
        connection.send(path)
        return connection.read(until: "</html>")
    }
}

@Suite(.serialized) struct PreviewTests {
    /// Starts `derive preview FOLDER --port 0` and reads the port from its first line.
    static func startPreview(_ folder: URL) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["preview", folder.path, "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var banner = Data()
        while !String(decoding: banner, as: UTF8.self).contains("/ (Ctrl-C") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            banner.append(chunk)
        }
        let text = String(decoding: banner, as: UTF8.self)
        #expect(text.hasPrefix("Previewing \(folder.path) at http://127.0.0.1:"))
        guard let port = text.split(separator: ":").last.flatMap({ Int($0.prefix { $0.isNumber }) }) else {
            process.terminate()
            throw POSIXError(.EADDRNOTAVAIL)
        }
        return (process, port)
    }

    @Test func aBusyPortIsAClearErrorWithExitTwo() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path))
        let folder = try CLI.temporaryDirectory()
        try Data("---\ntitle: T\n---\n\nText.\n".utf8).write(to: folder.appendingPathComponent("t.md"))
        let (first, port) = try Self.startPreview(folder)
        defer { first.terminate(); first.waitUntilExit() }
        let second = try CLI.run(["preview", folder.path, "--port", "\(port)"])
        #expect(second.status == 2)
        #expect(second.stderr == "error: cannot listen on 127.0.0.1:\(port): the port is in use; choose another with --port, or --port 0 for a free one\n")
    }

    @Test func savingANotebookReloadsTheOpenPageWithTheNewContent() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path))
        let folder = try CLI.temporaryDirectory()
        let lesson = folder.appendingPathComponent("lesson.md")
        let template = try String(contentsOf: CLI.packageRoot.appendingPathComponent("Notebooks/07-counting-parameters-and-attention.md"), encoding: .utf8)
        try Data(template.utf8).write(to: lesson)

        let (process, port) = try Self.startPreview(folder)
        defer { process.terminate(); process.waitUntilExit() }

        let page = try HTTPConnection.get("/lesson.html", port: port)
        #expect(page.contains("HTTP/1.1 200"))
        #expect(page.contains("Counting parameters") && page.contains("new EventSource(\"/__derive/events\")"))

        let events = try HTTPConnection(port: port)
        events.send("/__derive/events")
        #expect(events.read(until: ": connected").contains("text/event-stream"))

        // Save a change: a new heading and a failing check.
        let edited = template.replacingOccurrences(of: "## A misread product", with: "## A misread product, edited\n\n```swift\ncheck(1 == 2, \"fresh failure\")\n```\n\n```swift\nlet y = sigmod(1.0)\n```\n")
        let saved = ContinuousClock.now
        try Data(edited.utf8).write(to: lesson)
        let event = events.read(until: "event: reload")
        let latency = ContinuousClock.now - saved
        #expect(event.contains("event: reload"))
        print("preview save-to-reload latency: \(latency)")

        let reloaded = try HTTPConnection.get("/lesson.html", port: port)
        #expect(reloaded.contains("A misread product, edited"))
        #expect(reloaded.contains("fresh failure") && reloaded.contains("check fail"))
        // An error shows in the page, in the cell where it happened.
        #expect(reloaded.contains("cannot find 'sigmod' in scope"))
        #expect(try HTTPConnection.get("/index.html", port: port).contains("✗ 2 failed"))
        #expect(try HTTPConnection.get("/nope.html", port: port).contains("404"))
        // Nothing was written next to the notebook.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["lesson.md"])
    }

    @Test func onlyChangedNotebooksRunAgainAndPagesFollowTheFolder() throws {
        let folder = try CLI.temporaryDirectory()
        func write(_ name: String, _ title: String, modified: Date) throws {
            let url = folder.appendingPathComponent(name)
            try Data("---\ntitle: \(title)\n---\n\n```swift\ncheck(1 + 1 == 2)\n```\n".utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
        }
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        try write("a.md", "Alpha", modified: start)
        try write("b.md", "Beta", modified: start)
        let server = PreviewServer(pipeline: Fixtures.pipeline, paths: [folder.path])
        func state() -> (runs: Int, version: Int, pages: [String]) {
            server.state.withLock { ($0.runs, $0.version, $0.pages.keys.filter { $0.hasSuffix(".html") }.sorted()) }
        }

        #expect(server.refresh())
        #expect(state().runs == 2 && state().pages == ["a.html", "b.html", "index.html", "reference.html"])
        #expect(!server.refresh())  // nothing changed: nothing runs, no reload
        #expect(state().runs == 2 && state().version == 1)

        try write("a.md", "Alpha, edited", modified: start.addingTimeInterval(1))
        #expect(server.refresh())
        #expect(state().runs == 3)  // only a.md ran again
        let index = String(decoding: server.state.withLock { $0.pages["index.html"] ?? Data() }, as: UTF8.self)
        #expect(index.contains("Alpha, edited") && index.contains("Beta"))

        try FileManager.default.removeItem(at: folder.appendingPathComponent("b.md"))
        #expect(server.refresh())
        #expect(state().runs == 3 && state().pages == ["a.html", "index.html", "reference.html"])

        try write("c.md", "Gamma", modified: start)
        #expect(server.refresh())
        #expect(state().runs == 4 && state().pages == ["a.html", "c.html", "index.html", "reference.html"])
    }

    @Test func writesTheSiteOnlyWhenAskedAndThenAsRenderDoes() throws {
        let folder = try CLI.temporaryDirectory()
        try Data("---\ntitle: One\n---\n\nText with $x^2$.\n".utf8).write(to: folder.appendingPathComponent("one.md"))
        let site = folder.appendingPathComponent("site").path
        let quiet = PreviewServer(pipeline: Fixtures.pipeline, paths: [folder.appendingPathComponent("one.md").path])
        #expect(quiet.refresh())
        #expect(!FileManager.default.fileExists(atPath: site))

        let writing = PreviewServer(pipeline: Fixtures.pipeline, paths: [folder.appendingPathComponent("one.md").path], output: site)
        #expect(writing.refresh())
        let page = try String(contentsOfFile: site + "/one.html", encoding: .utf8)
        #expect(page.contains("<h1 class=\"title\">One</h1>") && page.contains("class=\"katex\"") && !page.contains("<script"))
        #expect(FileManager.default.fileExists(atPath: site + "/katex/katex.min.css"))
        // What the browser is served carries the reload script; the file on disk does not.
        let served = String(decoding: writing.state.withLock { $0.pages["one.html"] ?? Data() }, as: UTF8.self)
        #expect(served.contains(PreviewServer.eventsPath))
    }
}
