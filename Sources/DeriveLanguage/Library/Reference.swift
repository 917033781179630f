/// The library as its users read it: `derive reference` and the site's `reference.html` both
/// come from the one table the cell language dispatches on, so nothing can be listed that does
/// not exist, and nothing can exist unlisted.
public enum Reference {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var signature: String
        public var summary: String
        public var example: String
    }

    public struct Section: Sendable, Hashable {
        public var title: String
        public var entries: [Entry]
    }

    /// Every library name, grouped by kind, in the table's order.
    public static let sections: [Section] = LibraryFunction.Group.allCases.compactMap { group in
        let entries = Library.all.filter { $0.group == group }
            .map { Entry(name: $0.name, signature: $0.signature, summary: $0.summary, example: $0.example) }
        return entries.isEmpty ? nil : Section(title: group.title, entries: entries)
    }

    /// Methods of values, by receiver (a reduction method is the library function with the receiver first).
    public static let methods: [(receiver: String, names: [String])] = [
        ("tensors", Members.tensorProperties + Members.tensorMethods + Members.reductionMethods),
        ("arrays", Members.arrayProperties + Members.arrayMethods),
        ("networks (MLP)", Members.networkProperties + Members.networkMethods),
        ("forward passes", Members.passProperties),
    ]

    public static func entry(_ name: String) -> Entry? {
        sections.lazy.flatMap(\.entries).first { $0.name == name }
    }

    /// The closest library name, for a did-you-mean.
    public static func suggestion(for name: String) -> String? {
        EditDistanceHint.closest(to: name, in: Library.names)
    }

    /// One entry as the terminal shows it.
    public static func text(_ entry: Entry) -> String {
        "\(entry.signature)\n    \(entry.summary)\n    example: \(entry.example)"
    }

    /// The whole reference as the terminal shows it.
    public static func text() -> String {
        var out = ""
        for section in sections {
            out += "\(section.title)\n\n"
            for entry in section.entries { out += "  " + text(entry).replacingOccurrences(of: "\n", with: "\n  ") + "\n\n" }
        }
        out += "Methods and properties\n\n"
        for (receiver, names) in methods { out += "  of \(receiver): " + names.map { ".\($0)" }.joined(separator: " ") + "\n" }
        return out
    }
}

extension LibraryFunction.Group {
    var title: String {
        switch self {
        case .make: "Making tensors"
        case .shape: "Shapes and stacking"
        case .elementwise: "Elementwise functions"
        case .reductions: "Reductions"
        case .linearAlgebra: "Linear algebra"
        case .layers: "Layers"
        case .calculus: "Calculus"
        case .checks: "Checks"
        case .networks: "Networks"
        case .output: "Output"
        case .sequences: "Sequences"
        case .numbers: "Numbers"
        case .data: "Data"
        }
    }
}
