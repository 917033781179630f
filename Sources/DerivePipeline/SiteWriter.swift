import Foundation

/// Writes a whole site at once: files go into a fresh folder beside the output, which then takes
/// the output's place. An interrupted render leaves the previous site whole. Derive replaces only
/// what it wrote: the output's marker lists every file of the site, and a folder holding anything
/// else (a notebook, a file the user added) is never replaced, so a mistyped `--out` cannot lose
/// a user's files. Renders into the same folder take turns (a lock on the folder's parent), so
/// two at once never mix their files.
public struct SiteWriter {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Marks a folder as written by Derive (and so safe to replace), listing the files it wrote.
    public static let marker = ".derive-site"
    static let markerHeader = "# Written by derive, which replaces this folder on the next render; it holds these files:"

    public let output: URL
    private let staging: URL
    private let previous: URL

    public init(output: String) {
        self.output = URL(fileURLWithPath: output).standardizedFileURL
        let parent = self.output.deletingLastPathComponent()
        let name = self.output.lastPathComponent
        staging = parent.appendingPathComponent(".\(name).derive-new")
        previous = parent.appendingPathComponent(".\(name).derive-old")
    }

    /// Writes `files` (relative path → bytes) and copies `assets` (relative path → source file),
    /// then swaps the new site in.
    public func write(files: [String: Data], assets: [String: URL]) throws(Failure) {
        let fm = FileManager.default
        try refuseEnclosingFolders()
        let parent = output.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot write the site to \(output.path): \(Self.reason(error))")
        }
        try Self.withLock(on: parent) { () throws(Failure) in
            do {
                try recoverInterruptedSwap()
                try checkReplaceable()
                try remove(staging, what: "an unfinished render's folder")
                try fm.createDirectory(at: staging, withIntermediateDirectories: true)
                for (path, data) in files.sorted(by: { $0.key < $1.key }) {
                    let url = staging.appendingPathComponent(path)
                    try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try data.write(to: url)
                }
                for (path, source) in assets.sorted(by: { $0.key < $1.key }) {
                    let url = staging.appendingPathComponent(path)
                    try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try fm.copyItem(at: source, to: url)
                }
                let manifest = ([Self.markerHeader] + (Array(files.keys) + Array(assets.keys)).sorted()).joined(separator: "\n") + "\n"
                try Data(manifest.utf8).write(to: staging.appendingPathComponent(Self.marker))
                try swap()
            } catch let failure as Failure {
                throw failure
            } catch {
                try? fm.removeItem(at: staging)
                throw Failure(description: "cannot write the site to \(output.path): \(Self.reason(error))")
            }
        }
    }

    /// The root, the current folder and the folders above it are never an output: replacing
    /// them would pull the ground from under the shell (`--out ""` or `--out .` inside a site).
    private func refuseEnclosingFolders() throws(Failure) {
        let target = output.resolvingSymlinksInPath().path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().path
        if target == "/" || current == target || current.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
            throw Failure(description: "will not write the site to \(output.path): it is the current folder or encloses it; choose a folder of its own for --out")
        }
    }

    /// Two renames: the old site steps aside, the new one takes its name. Between them the
    /// old site sits at `previous`, and `recoverInterruptedSwap` puts it back on the next run.
    private func swap() throws {
        let fm = FileManager.default
        try remove(previous, what: "the site an earlier render replaced")
        if fm.fileExists(atPath: output.path) {
            try fm.moveItem(at: output, to: previous)
        }
        do {
            try fm.moveItem(at: staging, to: output)
        } catch {
            try? fm.moveItem(at: previous, to: output)
            throw error
        }
        try remove(previous, what: "the site this render replaced")
    }

    private func recoverInterruptedSwap() throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: output.path), fm.fileExists(atPath: previous.path) {
            try fm.moveItem(at: previous, to: output)
        }
    }

    /// Removes one of Derive's own folders, or says which one is in the way and why.
    private func remove(_ url: URL, what: String) throws(Failure) {
        guard FileManager.default.fileExists(atPath: url.path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil else { return }
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw Failure(description: "cannot remove \(url.path) (\(what)): \(Self.reason(error)); remove it and render again")
        }
    }

    /// The output may be replaced if it does not exist, is empty, or holds only what the last
    /// render wrote; every folder in it must be writable, or the old site could not be removed.
    private func checkReplaceable() throws(Failure) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw Failure(description: "\(output.path) is a file, not a folder; choose another --out")
        }
        let top = (try? fm.contentsOfDirectory(atPath: output.path)) ?? []
        if !top.isEmpty, !top.contains(Self.marker) {
            throw Failure(description: "\(output.path) is not empty and was not written by derive; "
                + "refusing to replace it (choose an empty or new folder for --out)")
        }
        let written = top.isEmpty ? [] : Self.manifest(at: output.appendingPathComponent(Self.marker))
        var folders = [output.path]
        let walker = fm.enumerator(atPath: output.path)
        while let relative = walker?.nextObject() as? String {
            let path = output.appendingPathComponent(relative).path
            let type = (try? fm.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            if type == .typeDirectory {
                folders.append(path)
                continue
            }
            guard relative != Self.marker, !(written.map { $0.contains(relative) } ?? Self.writtenByEarlierDerive(relative)) else { continue }
            throw Failure(description: "refusing to replace \(output.path): \(path) is in it but was not written by derive "
                + "(move it out of the folder, or choose another --out)")
        }
        for folder in folders where access(folder, W_OK) != 0 {
            throw Failure(description: "cannot replace \(output.path): the folder \(folder) is read-only, so the old site could not be removed; "
                + "make it writable (chmod u+w) or choose another --out")
        }
    }

    /// The files a marker lists; nil for the empty marker of Derive before it listed them.
    static func manifest(at url: URL) -> Set<String>? {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        return text.isEmpty ? nil : Set(lines)
    }

    /// What a site written before markers listed their files can hold.
    static func writtenByEarlierDerive(_ relative: String) -> Bool {
        !relative.contains("/") ? relative.hasSuffix(".html") || relative.hasSuffix(".css") : relative.hasPrefix("katex/")
    }

    /// Runs `body` holding an exclusive lock on `folder` (released by the kernel if the process dies).
    static func withLock(on folder: URL, _ body: () throws(Failure) -> Void) throws(Failure) {
        let descriptor = open(folder.path, O_RDONLY)
        guard descriptor >= 0 else { return try body() }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0, errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        try body()
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }
}
