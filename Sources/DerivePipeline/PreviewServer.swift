import DeriveDocument
import DeriveRender
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// `derive preview`: serves the rendered pages from memory on 127.0.0.1, watches the notebooks,
/// re-runs only the ones that changed, and tells open pages to reload (server-sent events).
/// It keeps serving the last pages while new ones render, and writes nothing to disk unless given
/// an output folder.
public final class PreviewServer: Sendable {
    /// What the server shows: the pages, and a version that moves on every change.
    struct State {
        var pages: [String: Data] = [:]
        /// Files served from disk: KaTeX's, and those the lessons link to.
        var files: [String: URL] = [:]
        var ran: [String: Pipeline.Ran] = [:]
        /// Modification times of the notebooks, the course file and the files the pages link to.
        var modified: [String: Date] = [:]
        /// The files the pages link to, present or missing: a change to one renders again.
        var linked: Set<String> = []
        var version = 0
        /// How many notebook runs the server has done, for tests: only changed notebooks re-run.
        var runs = 0
    }

    static let eventsPath = "/__derive/events"
    /// The few lines of script a preview page carries: reload when the server says so.
    static let reloadScript = "<script>new EventSource(\"\(eventsPath)\").addEventListener(\"reload\", () => location.reload());</script>\n"

    let pipeline: Pipeline
    let roots: [String]
    let state = Mutex(State())
    let pollInterval: Duration
    /// Where to write the site after each change, when asked (`--out`); nil: nothing is written.
    let output: String?
    /// KaTeX's CSS and fonts by site path, listed once rather than on every request.
    let assets = KaTeXAssets.files()

    public init(pipeline: Pipeline, paths: [String], output: String? = nil, pollInterval: Duration = .milliseconds(40)) {
        self.pipeline = pipeline
        roots = paths
        self.output = output
        self.pollInterval = pollInterval
    }

    /// Re-runs notebooks whose modification time changed (and picks up new and deleted ones),
    /// all of them when `derive.yml` changed (its defaults reach every notebook), and renders
    /// the site again when a file a page links to changed; returns whether anything changed.
    /// The new pages replace the old ones only when complete.
    @discardableResult
    public func refresh() -> Bool {
        let course = CourseSite.load(for: roots)
        let paths = course.course.ordered((try? NotebookDiscovery.notebooks(in: roots)) ?? [], folder: course.root)
        let (known, cached, linked) = state.withLock { ($0.modified, $0.ran, $0.linked) }
        let courseFile = (course.root as NSString).appendingPathComponent(Course.fileName)
        // The files a notebook's cells read (readCSV) are part of its input.
        let inputs = Set(cached.values.flatMap(\.result.inputs))
        let watched = paths + [courseFile] + linked.sorted() + inputs.sorted()
        let times = Dictionary(watched.map { ($0, Self.modificationDate($0)) }, uniquingKeysWith: { a, _ in a })
        guard watched.contains(where: { known[$0] != times[$0] }) || Set(watched) != Set(known.keys) else { return false }
        func inputChanged(_ path: String) -> Bool { cached[path]?.result.inputs.contains { known[$0] != times[$0] } ?? false }
        let changed = known[courseFile] != times[courseFile] ? paths : paths.filter { known[$0] != times[$0] || cached[$0] == nil || inputChanged($0) }
        var ran = cached.filter { paths.contains($0.key) }
        for (path, result) in zip(changed, pipeline.run(paths: changed, defaults: course.course.defaults)) { ran[path] = result }
        let outcome = pipeline.render(paths.compactMap { ran[$0] }, course: course)
        var (pages, files) = Pipeline.site(outcome, katex: assets)
        if let output {
            // The same site `derive render` writes (no reload script), swapped in atomically.
            do { try SiteWriter(output: output).write(files: pages, assets: files) } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            }
        }
        for (name, page) in pages where name.hasSuffix(".html") {
            pages[name] = Data(String(decoding: page, as: UTF8.self).replacingOccurrences(of: "</body>", with: Self.reloadScript + "</body>").utf8)
        }
        // Files linked for the first time are watched from now on (a missing one, for it to appear).
        let nowLinked = Set(outcome.processed.flatMap { ($0.body?.files.values.map { $0 } ?? []) + ($0.body?.missingFiles ?? []) })
        var newTimes = times
        for path in nowLinked.union(ran.values.flatMap(\.result.inputs)) where newTimes[path] == nil { newTimes[path] = Self.modificationDate(path) }
        state.withLock {
            $0.pages = pages
            $0.files = files
            $0.ran = ran
            $0.modified = newTimes
            $0.linked = nowLinked
            $0.version += 1
            $0.runs += changed.count
        }
        return true
    }

    static func modificationDate(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Serves until cancelled. `onListening` gets the bound port (useful with port 0).
    public func run(port: Int, onListening: @escaping @Sendable (Int) -> Void) async throws {
        do {
            try await serve(port: port, onListening: onListening)
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw Failure(description: "cannot listen on 127.0.0.1:\(port): the port is in use; choose another with --port, or --port 0 for a free one")
        }
    }

    func serve(port: Int, onListening: @escaping @Sendable (Int) -> Void) async throws {
        refresh()
        let router = Router()
        router.get(RouterPath(stringLiteral: Self.eventsPath)) { _, _ in self.events() }
        router.get("**") { request, _ in self.page(request.uri.path) }
        router.get("/") { _, _ in self.page("/index.html") }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "derive-preview"),
                              onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) }, logger: Self.quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: self.pollInterval)
                    self.refresh()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The server's own chatter stays out of the author's terminal; problems still show.
    static var quietLogger: Logger {
        var logger = Logger(label: "derive-preview")
        logger.logLevel = .warning
        return logger
    }

    func page(_ path: String) -> Response {
        let name = path.hasPrefix("/") ? String(path.dropFirst()) : path
        if let data = state.withLock({ $0.pages[name] }) {
            return Self.response(data, type: name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8")
        }
        if let file = state.withLock({ $0.files[name] }), let data = try? Data(contentsOf: file) {
            return Self.response(data, type: Self.contentType(name))
        }
        return Response(status: .notFound, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "no page \(path)\n")))
    }

    /// Enough types for KaTeX's files and the images and data lessons link to.
    static func contentType(_ name: String) -> String {
        let types = ["css": "text/css", "woff2": "font/woff2", "woff": "font/woff", "ttf": "font/ttf", "png": "image/png",
                     "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml", "webp": "image/webp",
                     "csv": "text/csv; charset=utf-8", "txt": "text/plain; charset=utf-8", "json": "application/json", "pdf": "application/pdf"]
        return types[(name as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
    }

    static func response(_ data: Data, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// One `reload` event each time the pages change. The stream ends when the server shuts down
    /// (Ctrl-C, SIGTERM): a graceful shutdown waits for open connections, and this one never ends.
    func events() -> Response {
        let start = state.withLock { $0.version }
        let interval = pollInterval
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: ": connected\n\n"))
            var seen = start
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                try await Task.sleep(for: interval / 2)
                let version = self.state.withLock { $0.version }
                if version != seen {
                    seen = version
                    try await writer.write(ByteBuffer(string: "event: reload\ndata: \(version)\n\n"))
                }
            }
            try await writer.finish(nil)
        })
    }
}
