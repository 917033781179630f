import DeriveDocument
import Foundation

/// The course a run belongs to: the notebooks' folder, its `derive.yml`, and every notebook in
/// it, so that a lesson checked alone still resolves references to the others.
public struct CourseSite: Sendable {
    /// The folder named on the command line (or the folder of the first notebook named).
    public var root: String
    public var course: Course
    /// Every notebook in the folder, in the course's order.
    public var members: [String]

    public init(root: String, course: Course, members: [String]) {
        self.root = root
        self.course = course
        self.members = members
    }

    /// The course of the paths a command names; the first one decides the folder. The folder's
    /// other notebooks belong to it when it was named, or when it holds a `derive.yml` (a
    /// notebook named alone in a folder of unrelated files does not read them all).
    public static func load(for paths: [String]) -> CourseSite {
        guard let first = paths.first else { return CourseSite(root: ".", course: Course(), members: []) }
        var isDirectory: ObjCBool = false
        let named = FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory) && isDirectory.boolValue
        let folder = named ? first : (first as NSString).deletingLastPathComponent
        let root = folder.isEmpty ? "." : folder
        let course = Course.read(folder: root)
        let members = named || course.path != nil ? course.ordered(NotebookDiscovery.markdownFiles(under: root), folder: root) : []
        return CourseSite(root: root, course: course, members: members)
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The course's notebooks and the named ones outside it, in the site's order.
    public func notebooks(including paths: [String]) -> [String] {
        let known = Set(members.map(Self.standardized))
        return members + paths.filter { !known.contains(Self.standardized($0)) }
    }

    /// Page names over the whole course, so a lesson rendered alone keeps its name.
    public func pageNames(for paths: [String]) -> [String] {
        let all = notebooks(including: paths)
        let names = Dictionary(zip(all.map(Self.standardized), Pipeline.pageNames(for: all)), uniquingKeysWith: { a, _ in a })
        return paths.map { names[Self.standardized($0)] ?? Pipeline.pageNames(for: [$0])[0] }
    }

    public func pageName(for path: String) -> String {
        pageNames(for: [path])[0]
    }
}
