import Foundation
import Yams

/// The course file, `derive.yml`, in a folder of notebooks: the site's title, the lessons' order,
/// KaTeX macros for every page, and defaults that each notebook's front matter overrides.
public struct Course: Sendable, Hashable {
    public static let fileName = "derive.yml"
    static let keys = ["title", "lessons", "macros", "seed", "rtol", "atol", "trials", "digits"]

    /// The site's title (nil: "Lessons").
    public var title: String?
    /// Notebook paths relative to the folder, in the order of the index and of previous/next.
    public var lessons: [String] = []
    /// KaTeX macros, `\R` → `\mathbb{R}`.
    public var macros: [String: String] = [:]
    /// `seed`, `rtol`, `atol`, `trials`, `digits` for every notebook.
    public var defaults = FrontMatter()
    /// The course file's path, when there is one.
    public var path: String?
    /// Its errors (malformed YAML, a listed lesson that does not exist) and warnings (unknown keys).
    public var diagnostics: [Diagnostic] = []

    public init() {}

    /// The course of a folder: its `derive.yml`, or an empty course when there is none.
    public static func read(folder: String) -> Course {
        let path = folder.hasSuffix("/") ? folder + fileName : folder + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return Course() }
        guard let text = String(validating: data, as: UTF8.self) else {
            var course = Course()
            course.path = path
            course.diagnostics = [Diagnostic(.error, "\(fileName) is not UTF-8 text", file: path, at: SourceLocation(line: 1, column: 1))]
            return course
        }
        return parse(text, path: path) { lesson in
            FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(lesson))
        }
    }

    /// `exists` says whether a lesson path (relative to the course folder) names a file.
    public static func parse(_ text: String, path: String, exists: (String) -> Bool) -> Course {
        var course = Course()
        course.path = path
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        func diagnose(_ severity: Diagnostic.Severity, _ message: String, line: Int, hint: String? = nil) {
            let source = lines.indices.contains(line - 1) ? String(lines[line - 1]) : nil
            course.diagnostics.append(Diagnostic(severity, message, file: path, at: SourceLocation(line: max(line, 1), column: 1), sourceLine: source, hint: hint))
        }
        func lineOf(key: String) -> Int { (lines.firstIndex { $0.hasPrefix(key + ":") } ?? 0) + 1 }

        // The same keys and rules as a notebook's front matter (its lines are one further down there).
        let (settings, _, problems) = FrontMatterParser.parse(["---"] + lines.map { $0 == "---" || $0 == "..." ? "" : $0 } + ["---"], path: path)
        for (message, location) in problems {
            diagnose(.error, message.replacingOccurrences(of: "front matter", with: fileName), line: location.line - 1)
        }
        guard let map = (try? Yams.load(yaml: lines.joined(separator: "\n"))) as? [String: Any] else {
            if problems.isEmpty, !lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
                diagnose(.error, "\(fileName) must be a YAML mapping of keys to values", line: 1)
            }
            return course
        }
        course.title = settings.title
        course.defaults = settings
        course.defaults.title = nil
        course.defaults.extra = [:]
        course.defaults.bodyStartLine = 1

        for key in map.keys.sorted() where !keys.contains(key) {
            let hint = EditDistance.closest(to: key, in: keys).map { "did you mean '\($0)'?" }
            diagnose(.warning, "unknown key '\(key)' in \(fileName); it is ignored", line: lineOf(key: key), hint: hint)
        }
        if let lessons = map["lessons"] {
            let listed = (lessons as? [Any])?.compactMap { $0 as? String }
            if let listed, listed.count == (lessons as? [Any])?.count {
                let start = lineOf(key: "lessons")
                for lesson in listed {
                    let line = EquationMarkup.lineOf(lesson, from: start, in: lines)
                    if lesson.hasPrefix("/") || lesson.split(separator: "/").contains("..") {
                        diagnose(.error, "lesson '\(lesson)' is not inside the course folder", line: line)
                    } else if !lesson.hasSuffix(".md") {
                        diagnose(.error, "lesson '\(lesson)' is not a notebook (a .md file)", line: line)
                    } else if !exists(lesson) {
                        diagnose(.error, "lesson '\(lesson)' does not exist", line: line)
                    } else {
                        course.lessons.append(lesson)
                    }
                }
            } else {
                diagnose(.error, "'lessons' must be a list of notebook paths", line: lineOf(key: "lessons"))
            }
        }
        if let macros = map["macros"] {
            if let table = macros as? [String: Any], table.values.allSatisfy({ $0 is String }) {
                course.macros = table.compactMapValues { $0 as? String }
            } else {
                diagnose(.error, "'macros' must map TeX commands to their definitions, as in \"\\\\R\": \"\\\\mathbb{R}\"", line: lineOf(key: "macros"))
            }
        }
        return course
    }

    /// Notebook paths in the course's order: the listed lessons first, as listed, then the rest in
    /// name order. `folder` is the course folder the lessons are relative to.
    public func ordered(_ paths: [String], folder: String) -> [String] {
        let standard = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
        let rank = Dictionary(lessons.enumerated().map { (standard((folder as NSString).appendingPathComponent($1)), $0) }, uniquingKeysWith: min)
        let listed = paths.filter { rank[standard($0)] != nil }.sorted { rank[standard($0)]! < rank[standard($1)]! }
        return listed + paths.filter { rank[standard($0)] == nil }
    }
}
