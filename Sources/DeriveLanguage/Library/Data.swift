import DeriveEngine
import Foundation

/// `readCSV(path)`: the one thing a cell may read, a file of numbers inside the notebook's own
/// folder tree. The path is relative; it may not climb above the folder, and a symbolic link may
/// not lead out of it; the file must be a regular file of at most 64 MB.
enum DataFiles {
    static let maximumBytes = 64 << 20

    static let entries: [LibraryFunction] = [
        LibraryFunction("readCSV(_ path)", .data, "The numbers of a CSV file in the notebook's folder (a relative path), one row per line; a first line that is not numbers is a header and skipped.", example: "readCSV(\"data/points.csv\")") { args, rt in
            let a = try args.positional("path")
            try args.finish(expected: [])
            guard case .string(let path) = a.value else { throw CellError("readCSV takes a path, a string", at: a.span) }
            let url = try resolve(path, notebook: rt.notebook.path, at: a.span)
            rt.inputs.insert(url.path)
            return .tensor(try read(url, shown: path, at: a.span, rt))
        },
    ]

    /// The file `path` names, checked to lie inside the notebook's folder.
    static func resolve(_ path: String, notebook: String, at span: Span) throws -> URL {
        let hint = "name a file in the notebook's folder, such as \"data/x.csv\""
        guard !path.isEmpty, !path.hasPrefix("/"), !path.hasPrefix("~") else {
            throw CellError("readCSV takes a path relative to the notebook's folder, not '\(path)'", at: span, hint: hint)
        }
        var depth = 0
        for part in path.split(separator: "/") {
            if part == ".." { depth -= 1 } else if part != "." { depth += 1 }
            if depth < 0 { throw CellError("readCSV cannot read '\(path)': it leads out of the notebook's folder", at: span, hint: hint) }
        }
        let folder = URL(fileURLWithPath: notebook).deletingLastPathComponent().standardizedFileURL
        let file = folder.appendingPathComponent(path).standardizedFileURL
        let realFolder = folder.resolvingSymlinksInPath().path
        let realFile = file.resolvingSymlinksInPath().path
        guard realFile.hasPrefix(realFolder.hasSuffix("/") ? realFolder : realFolder + "/") else {
            throw CellError("readCSV cannot read '\(path)': a symbolic link leads out of the notebook's folder", at: span, hint: hint)
        }
        return URL(fileURLWithPath: realFile)
    }

    static func read(_ url: URL, shown path: String, at span: Span, _ rt: Runtime) throws -> Tensor {
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw CellError("readCSV cannot find '\(path)' in the notebook's folder", at: span) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw CellError("readCSV cannot read '\(path)': it is not a regular file", at: span) }
        guard Int(info.st_size) <= maximumBytes else {
            throw CellError("'\(path)' is \(Int(info.st_size) >> 20) MB, more than readCSV's limit of \(maximumBytes >> 20) MB", at: span)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw CellError("readCSV cannot read '\(path)'", at: span) }
        guard let text = String(data: data, encoding: .utf8) else { throw CellError("'\(path)' is not UTF-8 text", at: span) }
        var rows: [[Double]] = []
        var width: Int?
        var widthLine = 0
        for (k, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = fields.map { Double($0) }
            if numbers.contains(where: { $0 == nil }) {
                // Only the first line may be a header.
                if rows.isEmpty, width == nil, k == firstLine(text) { width = fields.count; widthLine = k + 1; continue }
                let bad = fields.first { Double($0) == nil } ?? ""
                throw CellError("line \(k + 1) of '\(path)' has '\(bad)', which is not a number", at: span)
            }
            if let width, width != fields.count {
                throw CellError("line \(k + 1) of '\(path)' has \(fields.count) values, but line \(widthLine) has \(width)", at: span)
            }
            if width == nil { (width, widthLine) = (fields.count, k + 1) }
            rows.append(numbers.map { $0! })
            try rt.checkSize(rows.count, fields.count, at: span)
        }
        guard let first = rows.first else { throw CellError("'\(path)' has no rows of numbers", at: span) }
        return Tensor(rows: rows.count, cols: first.count, storage: rows.flatMap { $0 })
    }

    /// The index of the first non-blank line.
    static func firstLine(_ text: String) -> Int {
        for (k, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty { return k }
        return 0
    }
}
