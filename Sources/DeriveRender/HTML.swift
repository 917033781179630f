/// Escaping for text and attribute values: everything a notebook says reaches the page escaped.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A URL for href/src: script schemes are dropped.
    public static func url(_ destination: String) -> String {
        let scheme = destination.lowercased().prefix { $0 != ":" && $0 != "/" && $0 != "?" && $0 != "#" }
        if destination.contains(":"), ["javascript", "vbscript", "data"].contains(String(scheme)),
           !destination.lowercased().hasPrefix("data:image/") {
            return "#"
        }
        return escape(destination)
    }

    /// A fragment id from heading text: lowercase letters and digits (any script), dashes between words.
    public static func slug(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash, !out.isEmpty { out += "-" }
                out.append(character)
                pendingDash = false
            } else {
                pendingDash = true
            }
        }
        return out.isEmpty ? "section" : out
    }
}
