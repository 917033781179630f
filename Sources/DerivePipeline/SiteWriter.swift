import Foundation

/// Writes a whole site at once: files go into a fresh folder beside the output, which then takes
/// the output's place. An interrupted render leaves the previous site whole; a folder that is not
/// a Derive site is never replaced, so a mistyped `--out` cannot lose a user's files.
public struct SiteWriter {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Marks a folder as written by Derive (and so safe to replace).
    public static let marker = ".derive-site"

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
        do {
            try recoverInterruptedSwap()
            try checkReplaceable()
            try? fm.removeItem(at: staging)
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
            try Data().write(to: staging.appendingPathComponent(Self.marker))
            try swap()
        } catch let failure as Failure {
            throw failure
        } catch {
            try? fm.removeItem(at: staging)
            throw Failure(description: "cannot write the site to \(output.path): \(error.localizedDescription)")
        }
    }

    /// Two renames: the old site steps aside, the new one takes its name. Between them the
    /// old site sits at `previous`, and `recoverInterruptedSwap` puts it back on the next run.
    private func swap() throws {
        let fm = FileManager.default
        try? fm.removeItem(at: previous)
        if fm.fileExists(atPath: output.path) {
            try fm.moveItem(at: output, to: previous)
        }
        try fm.moveItem(at: staging, to: output)
        try? fm.removeItem(at: previous)
    }

    private func recoverInterruptedSwap() throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: output.path), fm.fileExists(atPath: previous.path) {
            try fm.moveItem(at: previous, to: output)
        }
    }

    private func checkReplaceable() throws(Failure) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw Failure(description: "\(output.path) is a file, not a folder; choose another --out")
        }
        let contents = (try? fm.contentsOfDirectory(atPath: output.path)) ?? []
        if !contents.isEmpty, !contents.contains(Self.marker) {
            throw Failure(description: "\(output.path) is not empty and was not written by derive; "
                + "refusing to replace it (choose an empty or new folder for --out)")
        }
    }
}
