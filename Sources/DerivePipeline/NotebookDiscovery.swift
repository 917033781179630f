import Foundation

/// Finds the notebooks a command names: a path is a notebook or a folder searched for `*.md`.
public enum NotebookDiscovery {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Notebook paths in a stable order: the paths in the order given, each folder's notebooks sorted.
    public static func notebooks(in paths: [String]) throws(Failure) -> [String] {
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Failure(description: "no such file or folder: \(path)")
            }
            if isDirectory.boolValue {
                found += markdownFiles(under: path)
            } else {
                found.append(path)
            }
        }
        var seen = Set<String>()
        return found.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }

    /// `*.md` below a folder, skipping hidden folders and the ones a render writes.
    static func markdownFiles(under folder: String) -> [String] {
        // A folder given through a symbolic link is walked where it points (the walker does not
        // follow a link, even the one it starts at); paths keep the name the user gave.
        let target = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: target) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") || name == "node_modules" {
                walker.skipDescendants()
                continue
            }
            if relative.hasSuffix(".md") {
                files.append(folder.hasSuffix("/") ? folder + relative : folder + "/" + relative)
            }
        }
        return files.sorted()
    }
}
