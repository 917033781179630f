import Yams

/// Reads a cell's leading `//| key: value` lines (see the README's notebook format), as in Quarto.
enum CellOptionsParser {
    static let known = ["label", "tags", "echo", "output", "eval", "expect", "rtol", "atol", "trials", "seed", "steps", "digits", "verifies"]

    /// A warning or error at a line offset within the cell.
    struct Problem {
        var severity: Diagnostic.Severity = .warning
        var message: String
        var offset: Int
        var column = 1
        var hint: String?
    }

    /// The options, how many leading lines they take, and problems at their line offsets.
    /// Values are YAML read within `YAMLBudget`; the option lines together are limited to its
    /// size too, and the options past it are ignored (an error).
    static func parse(_ lines: [Substring]) -> (CellOptions, count: Int, problems: [Problem]) {
        var options = CellOptions()
        var problems: [Problem] = []
        var count = 0
        var bytes = 0
        var overBudget = false
        for (offset, line) in lines.enumerated() {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            guard trimmed.hasPrefix("//|") else { break }
            count = offset + 1
            bytes += line.utf8.count + 1
            if overBudget { continue }
            if bytes > YAMLBudget.maximumBytes {
                overBudget = true
                problems.append(Problem(severity: .error, message: "cell options are limited to \(YAMLBudget.maximumBytes / 1024) KB; this one and the rest are ignored", offset: offset))
                continue
            }
            let body = trimmed.dropFirst(3)
            guard let colon = body.firstIndex(of: ":") else {
                problems.append(Problem(message: "cell option '\(body.trimmingTrailingWhitespace())' needs the form 'key: value'", offset: offset))
                continue
            }
            let key = String(body[..<colon]).trimmingWhitespace()
            let rawValue = String(body[body.index(after: colon)...]).trimmingWhitespace()
            let value: Any?
            switch YAMLBudget.load(rawValue) {
            case .success(let loaded): value = loaded
            case .failure(let problem):
                // The value's column: after the key, the colon and the spaces before the value.
                let valueColumn = line.unicodeScalars.count - rawValue.unicodeScalars.count - trailingSpaces(line) + 1
                problems.append(Problem(severity: problem.malformed ? .warning : .error,
                                        message: problem.message(about: "cell option '\(key)'") + "; it is ignored",
                                        offset: offset, column: max(1, valueColumn + problem.column)))
                continue
            }
            if let problem = apply(key, value, rawValue, to: &options) {
                let hint = known.contains(key) ? nil : suggestion(for: key).map { "did you mean '\($0)'?" }
                problems.append(Problem(message: problem, offset: offset, hint: hint))
            }
        }
        return (options, count, problems)
    }

    private static func trailingSpaces(_ line: Substring) -> Int {
        line.unicodeScalars.reversed().prefix { $0.properties.isWhitespace }.count
    }

    /// Sets one option; returns a warning when the key is unknown or the value does not fit.
    static func apply(_ key: String, _ value: Any?, _ raw: String, to options: inout CellOptions) -> String? {
        func bool() -> Bool? { value as? Bool }
        func number() -> Double? { (value as? Double) ?? (value as? Int).map(Double.init) }
        switch key {
        case "label": options.label = raw.isEmpty ? nil : "\(value ?? raw)"
        case "tags":
            if let list = value as? [Any] { options.tags = list.map { "\($0)" } } else if !raw.isEmpty { options.tags = [raw] }
        case "echo": guard let b = bool() else { return "'echo' must be true or false" }; options.echo = b
        case "output": guard let b = bool() else { return "'output' must be true or false" }; options.output = b
        case "eval": guard let b = bool() else { return "'eval' must be true or false" }; options.eval = b
        case "expect":
            guard let e = CellOptions.Expectation(rawValue: raw) else { return "'expect' must be pass, fail or error, not '\(raw)'" }
            options.expect = e
        case "rtol", "atol":
            guard let x = number(), x >= 0 else { return "'\(key)' must be a non-negative number" }
            if key == "rtol" { options.rtol = x } else { options.atol = x }
        case "trials":
            guard let n = value as? Int, n > 0 else { return "'trials' must be a positive integer" }
            options.trials = n
        case "digits":
            guard let n = value as? Int, (1...17).contains(n) else { return "'digits' must be an integer from 1 to 17" }
            options.digits = n
        case "steps":
            guard let n = value as? Int, n > 0 else { return "'steps' must be a positive integer" }
            options.steps = n
        case "seed":
            guard let n = value as? Int, n >= 0 else { return "'seed' must be a non-negative integer" }
            options.seed = UInt64(n)
        case "verifies":
            let items = (value as? [Any]) ?? (value.map { [$0] } ?? [])
            let labels = items.compactMap { $0 as? String }
            guard !labels.isEmpty, labels.count == items.count else {
                return "'verifies' must list equation labels, as in 'verifies: [eq-delta]'"
            }
            options.verifies = labels
        default:
            return "unknown cell option '\(key)'; it is ignored"
        }
        return nil
    }

    static func suggestion(for key: String) -> String? {
        known.map { ($0, EditDistance.between(key, $0)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }
}

/// Levenshtein distance, for did-you-mean hints.
public enum EditDistance {
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The closest candidate within a distance that grows with the name's length.
    public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        // One edit for short names, two for longer ones (a swapped pair of letters is two).
        let limit = name.count <= 3 ? 1 : (name.count <= 8 ? 2 : 3)
        var best: (String, Int)?
        for candidate in candidates where candidate != name {
            let d = between(name, candidate)
            if d <= limit, best.map({ d < $0.1 || (d == $0.1 && candidate < $0.0) }) ?? true { best = (candidate, d) }
        }
        return best?.0
    }
}
