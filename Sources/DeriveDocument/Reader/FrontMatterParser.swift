import Yams

/// The YAML between `---` lines at the very top of a notebook (see the README's notebook format).
enum FrontMatterParser {
    /// The front matter, the number of lines it takes (0 if none), and any error.
    static func parse(_ lines: [Substring], path: String, defaults: FrontMatter = FrontMatter()) -> (FrontMatter, lineCount: Int, problems: [(String, SourceLocation)]) {
        var frontMatter = defaults
        guard lines.first?.trimmingTrailingWhitespace() == "---",
              let end = lines.dropFirst().firstIndex(where: { $0.trimmingTrailingWhitespace() == "---" || $0.trimmingTrailingWhitespace() == "..." })
        else { return (frontMatter, 0, []) }
        frontMatter.bodyStartLine = end + 2
        let yaml = lines[1..<end].joined(separator: "\n")
        let loaded: Any?
        switch YAMLBudget.load(yaml) {
        case .success(let value): loaded = value
        case .failure(let problem):
            return (frontMatter, end + 1, [(problem.message(about: "front matter"), SourceLocation(line: problem.line + 2, column: problem.column + 1))])
        }
        guard let map = loaded as? [String: Any] else {
            if loaded == nil { return (frontMatter, end + 1, []) }
            return (frontMatter, end + 1, [("the front matter must be a YAML mapping of keys to values", SourceLocation(line: 2, column: 1))])
        }
        var problems: [(String, SourceLocation)] = []
        func lineOf(_ key: String) -> SourceLocation {
            let index = lines[1..<end].firstIndex { $0.hasPrefix(key + ":") } ?? 1
            return SourceLocation(line: index + 1, column: 1)
        }
        for (key, value) in map.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "title": frontMatter.title = "\(value)"
            case "seed":
                if let n = value as? Int, n >= 0 { frontMatter.seed = UInt64(n) } else { problems.append(("'seed' must be a non-negative integer", lineOf(key))) }
            case "rtol", "atol":
                if let x = (value as? Double) ?? (value as? Int).map(Double.init), x >= 0 {
                    if key == "rtol" { frontMatter.rtol = x } else { frontMatter.atol = x }
                } else { problems.append(("'\(key)' must be a non-negative number", lineOf(key))) }
            case "trials", "digits":
                if let n = value as? Int, n > 0 {
                    if key == "trials" { frontMatter.trials = n } else { frontMatter.digits = n }
                } else { problems.append(("'\(key)' must be a positive integer", lineOf(key))) }
            default:
                frontMatter.extra[key] = "\(value)"
            }
        }
        return (frontMatter, end + 1, problems)
    }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }
}
