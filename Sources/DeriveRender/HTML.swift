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

    /// An author's URL for href/src, percent-encoded where a URL cannot hold a character as it is
    /// (spaces, quotes, control characters, non-ASCII), its `%XX` escapes, `#` and `?` kept.
    /// Script schemes are dropped, also when written with tabs, newlines or leading spaces, which
    /// browsers remove before they read the scheme.
    public static func url(_ destination: String) -> String {
        let scheme = scheme(of: destination)
        if let scheme, ["javascript", "vbscript", "data"].contains(scheme),
           !(scheme == "data" && destination.lowercased().drop(while: { $0 != ":" }).hasPrefix(":image/")) {
            return "#"
        }
        return escape(percentEncoded(destination, keeping: "!#$%&'()*+,-./:;=?@[]_~"))
    }

    /// A link Derive makes to a file of the site (a page named after its notebook): a relative path
    /// with every character but letters, digits, `-._~` and `/` percent-encoded, so no name can
    /// become a scheme (`javascript:alert(1).md`), a query or a fragment.
    public static func href(path: String) -> String {
        percentEncoded(path, keeping: "-._~/")
    }

    /// The URL's scheme as a browser reads it (lowercased), if it has one.
    public static func scheme(of url: String) -> String? {
        let cleaned = url.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.drop { $0.value <= 0x20 }
        guard let colon = cleaned.firstIndex(of: ":") else { return nil }
        let name = cleaned[..<colon]
        func letter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        guard let first = name.first, letter(first),
              name.allSatisfy({ letter($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) }) else { return nil }
        return String(String.UnicodeScalarView(name)).lowercased()
    }

    /// `text` with every UTF-8 byte percent-encoded except ASCII letters, digits and `keeping`;
    /// a `%` is kept only when two hex digits follow it (an escape already).
    static func percentEncoded(_ text: String, keeping: String) -> String {
        let kept = Set(keeping.utf8)
        let bytes = Array(text.utf8)
        var out = ""
        for (i, byte) in bytes.enumerated() {
            let alphanumeric = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            let escape = byte == UInt8(ascii: "%") && i + 2 < bytes.count && isHex(bytes[i + 1]) && isHex(bytes[i + 2])
            if alphanumeric || (kept.contains(byte) && (byte != UInt8(ascii: "%") || escape)) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
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

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
