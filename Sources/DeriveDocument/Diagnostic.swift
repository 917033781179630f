/// A message for a person about a place in a notebook: a reader error, a TeX error,
/// a cell error, a limit, or a warning (an unknown cell option).
public struct Diagnostic: Error, Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable {
        case error, warning, note
    }

    public var severity: Severity
    public var message: String
    /// The notebook path as the user named it; empty when not known yet.
    public var file: String
    public var location: SourceLocation
    /// How many columns the caret underline covers (at least 1).
    public var length: Int
    /// The text of the notebook line at `location.line`, shown under the message with a caret.
    public var sourceLine: String?
    /// A suggestion: `did you mean 'sigmoid'?`
    public var hint: String?

    public init(
        _ severity: Severity = .error, _ message: String, file: String = "",
        at location: SourceLocation, length: Int = 1, sourceLine: String? = nil, hint: String? = nil
    ) {
        self.severity = severity
        self.message = message
        self.file = file
        self.location = location
        self.length = max(1, length)
        self.sourceLine = sourceLine
        self.hint = hint
    }

    /// The source line to keep with a diagnostic at `column`: the line itself, or for a line of
    /// more than 4 KB (a megabyte of `>`) its first 200 characters when the column is among them,
    /// else none. Kept short so that many diagnostics on one long line cost little each.
    public static func sourceLine(_ line: Substring, column: Int) -> String? {
        guard line.utf8.count > 4096 else { return String(line) }
        return column <= 160 ? String(String.UnicodeScalarView(line.unicodeScalars.prefix(200))) + "…" : nil
    }

    /// `file:line:column: error: message`, then the source line, a caret, and the hint.
    public var formatted: String {
        var out = "\(file.isEmpty ? "<notebook>" : file):\(location.line):\(location.column): \(severity.rawValue): \(message)"
        if let sourceLine {
            // A long line (a megabyte of `>`) shows only the part around the caret.
            let scalars = Array(sourceLine.unicodeScalars)
            let width = 160
            if scalars.count > width {
                let start = min(max(0, location.column - 1 - width / 2), scalars.count - width)
                let shown = (start > 0 ? "…" : "") + String(String.UnicodeScalarView(scalars[start..<start + width])) + (start + width < scalars.count ? "…" : "")
                var shifted = self
                shifted.location.column = location.column - start + (start > 0 ? 1 : 0)
                out += "\n  \(shown)\n  " + shifted.caretLine(for: shown)
            } else {
                out += "\n  \(sourceLine)\n  " + caretLine(for: sourceLine)
            }
        }
        if let hint { out += "\n  hint: \(hint)" }
        return out
    }

    /// Spaces up to the column (tabs kept so the caret lines up), then `^` and `~`s.
    public func caretLine(for line: String) -> String {
        let prefix = line.unicodeScalars.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }
        return String(prefix.joined()) + "^" + String(repeating: "~", count: length - 1)
    }
}
