import DeriveDocument
import Foundation
import Synchronization
import Testing
@testable import DerivePipeline

/// Hostile input through the command line (issue 16): every case ends as a located error, a
/// warning, exit 2 or success, within bounds of time and memory far below the limits; none
/// crashes, hangs or loses a file.
@Suite(.serialized) struct CLIHostileTests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build first: swift build")
    }

    func expectBounded(_ run: Bounded.Run, seconds: Double = 20, megabytes: Double = 300, _ comment: Comment? = nil) {
        #expect(run.signal == nil, "killed by signal \(run.signal ?? 0) \(comment ?? "")")
        #expect(run.seconds < seconds, "took \(run.seconds) s \(comment ?? "")")
        #expect(run.peakMegabytes < megabytes, "peaked at \(run.peakMegabytes) MB \(comment ?? "")")
    }

    // 1. Deep Markdown crashed check, render and preview with signal 11.
    @Test func deepMarkdownIsAWarningNotACrash() throws {
        let folder = try Bounded.folder(["quotes.md": String(repeating: ">", count: 1500) + " x\n",
                                         "lists.md": String(repeating: "- ", count: 1000) + "x\n"])
        let check = try Bounded.run(["check", folder.path])
        expectBounded(check)
        #expect(check.status == 0)
        #expect(check.stdout.components(separatedBy: "warning: Markdown nested more than 64 levels deep").count == 3)
        let render = try Bounded.run(["render", folder.path, "--out", folder.appendingPathComponent("site").path])
        expectBounded(render)
        #expect(render.status == 0)
        #expect(try String(contentsOf: folder.appendingPathComponent("site/quotes.html"), encoding: .utf8).contains("x"))
    }

    // 5. `--time-limit nan|inf|1e18` trapped converting a Double to Int; 20. 0 and -1 were accepted.
    @Test(arguments: ["nan", "inf", "1e18", "0", "-1", "-0.5"])
    func aBadTimeLimitIsBadUsage(_ value: String) throws {
        let folder = try Bounded.folder(["a.md": "# A\n"])
        let run = try Bounded.run(["check", folder.appendingPathComponent("a.md").path, "--time-limit=\(value)"])
        expectBounded(run)
        #expect(run.status == 2)
        #expect(run.stderr.contains("--time-limit must be a number of seconds above 0"))
    }

    // 20. `--port -1` exited 1, `99999` served on 34463, `65536` picked a random port.
    @Test(arguments: ["-1", "65536", "99999"])
    func aPortOutOfRangeIsBadUsage(_ port: String) throws {
        let folder = try Bounded.folder(["a.md": "# A\n"])
        let run = try Bounded.run(["preview", folder.path, "--port=\(port)"], timeout: 20)
        expectBounded(run)
        #expect(run.status == 2)
        #expect(run.stderr.contains("--port must be 0 (a free port) or 1…65535"))
    }

    // 22. Inside a site, `--out ""` replaced the current folder and printed "wrote /".
    @Test func theCurrentFolderIsNeverTheOutput() throws {
        let folder = try Bounded.folder(["a.md": "# A\n"])
        let site = folder.appendingPathComponent("site")
        #expect(try Bounded.run(["render", "a.md", "--out", "site"], in: folder).status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: site.path).sorted()
        for out in ["", " ", ".", "./", "..", "/"] {
            let run = try Bounded.run(["render", "../a.md", "--out", out], in: site)
            expectBounded(run)
            #expect(run.status == 2, "--out '\(out)'")
            #expect(!run.stdout.contains("wrote"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path).sorted() == before)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.md").path))
    }

    // 15. Notebooks inside `--out` were deleted, and the render exited 0.
    @Test func nothingDeriveDidNotWriteIsReplaced() throws {
        let folder = try Bounded.folder(["a.md": "# A\n"])
        let site = folder.appendingPathComponent("site")
        #expect(try Bounded.run(["render", folder.appendingPathComponent("a.md").path, "--out", site.path]).status == 0)
        let lessons = site.appendingPathComponent("lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        try Data("# Lesson\n".utf8).write(to: lessons.appendingPathComponent("l.md"))
        let run = try Bounded.run(["render", lessons.path, "--out", site.path])
        expectBounded(run)
        #expect(run.status == 2)
        #expect(run.stderr.contains("lessons/l.md is in it but was not written by derive"))
        #expect(FileManager.default.fileExists(atPath: lessons.appendingPathComponent("l.md").path))
        // A file the user added beside the pages is just as safe.
        try FileManager.default.removeItem(at: lessons)
        try Data("example.org".utf8).write(to: site.appendingPathComponent("CNAME"))
        #expect(try Bounded.run(["render", folder.appendingPathComponent("a.md").path, "--out", site.path]).status == 2)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("CNAME").path))
    }

    @Test func aSiteFromBeforeMarkersListedTheirFilesIsStillReplaced() throws {
        let folder = try Bounded.folder(["a.md": "# A\n", "site/.derive-site": "", "site/old.html": "<p>old</p>", "site/katex/fonts/x.woff2": "x"])
        let run = try Bounded.run(["render", folder.appendingPathComponent("a.md").path, "--out", folder.appendingPathComponent("site").path])
        #expect(run.status == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("site/old.html").path))
        let marker = try String(contentsOf: folder.appendingPathComponent("site/.derive-site"), encoding: .utf8)
        #expect(marker.contains("\na.html\n") && marker.contains("\nindex.html\n"))
    }

    // 16. Two renders into one `--out` shared a staging folder: a mixed or incomplete site, both exit 0.
    @Test func concurrentRendersTakeTurns() throws {
        let folder = try Bounded.folder(["one/a.md": "# One\n\n```swift\nlet A = randn(60, 60)\nvar B = A\nfor i in 0..<150 { B = A * B / 100 }\n```\n",
                                         "two/b.md": "# Two\n\n```swift\nlet A = randn(60, 60)\nvar B = A\nfor i in 0..<150 { B = A * B / 100 }\n```\n"])
        let site = folder.appendingPathComponent("site").path
        for _ in 0..<3 {
            let statuses = Mutex([Int32?](repeating: nil, count: 2))
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                let run = try? Bounded.run(["render", folder.appendingPathComponent(k == 0 ? "one" : "two").path, "--out", site])
                statuses.withLock { $0[k] = run?.status }
            }
            #expect(statuses.withLock { $0 } == [0, 0])
            // One render's site, whole: exactly the files its marker lists.
            let listed = SiteWriter.manifest(at: URL(fileURLWithPath: site).appendingPathComponent(SiteWriter.marker)) ?? []
            var present = Set<String>()
            let walker = FileManager.default.enumerator(atPath: site)
            while let relative = walker?.nextObject() as? String {
                let type = (try? FileManager.default.attributesOfItem(atPath: site + "/" + relative))?[.type] as? FileAttributeType
                if type != .typeDirectory, relative != SiteWriter.marker { present.insert(relative) }
            }
            #expect(present == listed)
            #expect(listed.contains("a.html") != listed.contains("b.html"))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("derive-") }
            #expect(leftovers.isEmpty)
        }
    }

    // 19. A symbolic link to a folder found no notebooks.
    @Test func aLinkToAFolderIsFollowed() throws {
        let folder = try Bounded.folder(["real/a.md": "# A\n"])
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link").path, withDestinationPath: "real")
        let run = try Bounded.run(["check", "link"], in: folder)
        #expect(run.status == 0)
        #expect(run.stdout.contains("link/a.md"))
    }

    // 26. A FIFO (which used to block or say "You don't have permission") is unreadable input.
    @Test func aFIFOIsUnreadableInput() throws {
        let folder = try Bounded.folder(["a.md": "# A\n"])
        #expect(mkfifo(folder.appendingPathComponent("pipe.md").path, 0o600) == 0)
        let run = try Bounded.run(["check", folder.path], timeout: 20)
        expectBounded(run)
        #expect(run.status == 2)
        #expect(run.stdout.contains("it is a named pipe (FIFO), not a notebook file"))
    }

    // 10, 11, 12. Quadratic math scanning, unbounded KaTeX and a 1 MB cell took minutes.
    @Test func largeMathAndCellsAreBounded() throws {
        let folder = try Bounded.folder([
            "dollars.md": String(repeating: "$a ", count: 70_000) + "\n",
            "formula.md": "# F\n\nText.\n\n$$" + String(repeating: "x+", count: 30_000) + "x$$\n",
            "array.md": "# A\n\n$$\\begin{array}{" + String(repeating: "c", count: 5000) + "}" + Array(repeating: "a", count: 5000).joined(separator: "&") + "\\end{array}$$\n",
            "cell.md": "# C\n\n```swift\n//| eval: false\n" + String(repeating: "let x = 1 + 2 * 3\n", count: 60_000) + "```\n",
        ])
        let run = try Bounded.run(["check", "--format", "json", folder.path])
        expectBounded(run, seconds: 30)
        #expect(run.status == 1)
        #expect(run.stdout.contains("\"message\":\"TeX error: this formula is 60001 bytes long; a formula is limited to 4096 bytes\",\"line\":5,\"column\":1"))
        #expect(run.stdout.contains("\"message\":\"TeX error: this formula is 150"))
        #expect(run.stdout.contains("\"message\":\"this cell is 1054 KB; a cell is limited to 32 KB, so it is not run\",\"line\":3,\"column\":1"))
        #expect(run.stdout.contains("\"path\":\"\(folder.path)/dollars.md\",\"title\":\"dollars\",\"passed\":true"))
    }

    // 13, 21. `javascript:alert(1).md` became a clickable script link; `#`, `?`, `%`, spaces broke links.
    @Test func pageLinksArePercentEncoded() throws {
        let names = ["javascript:alert(1).md", "space name.md", "hash#tag.md", "what?.md", "100%.md"]
        let folder = try Bounded.folder(Dictionary(uniqueKeysWithValues: names.map { ($0, "# \($0)\n") }))
        let site = folder.appendingPathComponent("site")
        #expect(try Bounded.run(["render", folder.path, "--out", site.path]).status == 0)
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        for href in ["javascript%3Aalert%281%29.html", "space%20name.html", "hash%23tag.html", "what%3F.html", "100%25.html"] {
            #expect(index.contains("href=\"\(href)\""), "\(href)")
            // The link finds its page: the file is named as the link decodes.
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(href.removingPercentEncoding!).path))
        }
        #expect(!index.contains("href=\"javascript:"))
        let page = try String(contentsOf: site.appendingPathComponent("hash#tag.html"), encoding: .utf8)
        #expect(page.contains("href=\"javascript%3Aalert%281%29.html\"") || page.contains("href=\"space%20name.html\""))
    }

    // 28. A read-only site left `.site.derive-old` behind, then every render failed not naming it.
    @Test func aReadOnlySiteIsNamedAndLeftWhole() throws {
        let folder = try Bounded.folder(["a.md": "# A\n"])
        let nobody: uid_t = 65534
        let asRoot = getuid() == 0
        if asRoot {
            // Root may write anywhere; the check needs an ordinary user, so run as nobody.
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
            try FileManager.default.setAttributes([.ownerAccountID: nobody], ofItemAtPath: folder.path)
        }
        func render() throws -> Int32 {
            let process = Process()
            let derive = [CLI.binary.path, "render", "a.md", "--out", "site"]
            process.executableURL = URL(fileURLWithPath: asRoot ? "/usr/bin/setpriv" : CLI.binary.path)
            process.arguments = asRoot ? ["--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups"] + derive : Array(derive.dropFirst())
            process.currentDirectoryURL = folder
            process.environment = ["DERIVE_CACHE": folder.appendingPathComponent(".cache").path, "PATH": "/usr/bin:/bin"]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 2 { #expect(message.contains("the folder \(folder.path)/site is read-only"), "\(message)") }
            return process.terminationStatus
        }
        #expect(try render() == 0)
        let site = folder.appendingPathComponent("site").path
        #expect(chmod(site, 0o555) == 0)
        #expect(try render() == 2)
        #expect(try render() == 2)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".site.derive-old").path))
        #expect(FileManager.default.fileExists(atPath: site + "/a.html"))
        #expect(chmod(site, 0o755) == 0)
        #expect(try render() == 0)
    }
}
