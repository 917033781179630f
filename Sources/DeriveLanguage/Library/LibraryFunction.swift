import DeriveEngine
import Foundation

/// One name of the library: its signature, a sentence and an example for the reference, and its
/// implementation. The compiler checks calls against the signature; the did-you-mean hints and
/// the reference read the same entries, so a function cannot exist without its entry.
struct LibraryFunction: @unchecked Sendable {
    enum Group: String, CaseIterable, Sendable {
        case make, shape, elementwise, reductions, linearAlgebra, layers, calculus, checks, networks, output, sequences, numbers, data
    }

    struct Parameter: Sendable {
        /// The label callers write; nil for an unlabeled parameter.
        var label: String?
        /// What it is, for messages ("zeros is missing its columns argument").
        var name: String
        var isOptional: Bool
        /// Takes every unlabeled argument left (`gradient(at: x, y, in: f)`, `print(a, b)`).
        var isVariadic: Bool
    }

    let name: String
    /// As the reference shows it: `zeros(_ rows, _ columns)`; `?` marks an optional parameter,
    /// `...` a variadic one, `= v` a default.
    let signature: String
    let parameters: [Parameter]
    let group: Group
    let summary: String
    let example: String
    let body: (inout Arguments, Runtime) throws -> Value

    init(_ signature: String, _ group: Group, _ summary: String, example: String, _ body: @escaping (inout Arguments, Runtime) throws -> Value) {
        self.signature = signature
        self.group = group
        self.summary = summary
        self.example = example
        self.body = body
        let open = signature.firstIndex(of: "(")!
        name = String(signature[..<open])
        let inside = signature[signature.index(after: open)..<signature.lastIndex(of: ")")!]
        parameters = inside.split(separator: ",").map { part in
            var text = part.trimmingCharacters(in: .whitespaces)
            var optional = false, variadic = false
            if let eq = text.firstIndex(of: "=") {
                text = text[..<eq].trimmingCharacters(in: .whitespaces)
                optional = true
            }
            if text.hasSuffix("?") { text.removeLast(); optional = true }
            if text.hasSuffix("...") { text.removeLast(3); variadic = true; optional = true }
            let words = text.split(separator: " ").map(String.init)
            let label = words[0] == "_" ? nil : words[0]
            return Parameter(label: label, name: words.count > 1 ? words[1] : words[0], isOptional: optional, isVariadic: variadic)
        }
    }

    /// What is wrong with a call's labels, if anything, in the words of Swift's own messages.
    func mismatch(labels: [String?]) -> Binder.Mismatch? {
        var filled = Set<Int>()
        let known = parameters.compactMap(\.label)
        var unlabeledLeft = labels.filter { $0 == nil }.count
        for (k, label) in labels.enumerated() {
            if let label {
                guard let p = parameters.indices.first(where: { parameters[$0].label == label && !filled.contains($0) }) else {
                    let hint = EditDistanceHint.closest(to: label, in: known).map { "did you mean '\($0):'?" }
                        ?? (known.isEmpty ? nil : "its labels are \(known.map { "'\($0):'" }.joined(separator: ", "))")
                    return Binder.Mismatch(message: "\(name) has no argument labeled '\(label):'", argument: k, hint: hint)
                }
                filled.insert(p)
            } else {
                // As Swift does: an optional parameter is passed over when the arguments left are
                // needed for the required ones after it (`checkChainRule(at: x) { … }`).
                let candidates = parameters.indices.filter { parameters[$0].label == nil && (!filled.contains($0) || parameters[$0].isVariadic) }
                let chosen = candidates.first { p in
                    let requiredAfter = candidates.filter { $0 > p && !parameters[$0].isOptional }.count
                    return !parameters[p].isOptional || parameters[p].isVariadic || requiredAfter < unlabeledLeft
                }
                unlabeledLeft -= 1
                guard let p = chosen else {
                    // An unlabeled argument where a labelled one belongs: name the label it needs.
                    if let p = parameters.indices.first(where: { parameters[$0].label != nil && !filled.contains($0) }) {
                        return Binder.Mismatch(message: "\(name) is missing the label '\(parameters[p].label!):' here", argument: k)
                    }
                    return Binder.Mismatch(message: "\(name) takes no further unlabeled argument here", argument: k)
                }
                filled.insert(p)
            }
        }
        for (p, parameter) in parameters.enumerated() where !parameter.isOptional && !filled.contains(p) {
            let what = parameter.label.map { "'\($0):'" } ?? parameter.name
            return Binder.Mismatch(message: "\(name) is missing its \(what) argument", argument: nil)
        }
        return nil
    }

    /// Checks a call made through a function value (whose labels were not known when it compiled).
    func validate(_ args: inout Arguments) throws {
        if let m = mismatch(labels: args.items.map(\.label)) {
            throw CellError(m.message, at: m.argument.map { args.items[$0].span } ?? args.call, hint: m.hint)
        }
    }

    func invoke(_ args: inout Arguments, _ rt: Runtime) throws -> Value {
        do {
            let value = try body(&args, rt)
            try rt.account(value, at: args.call)
            if case .tensor(let v) = value { rt.stamp(v, args.site) }
            return value
        } catch let error as EngineError {
            throw rt.cellError(error, at: args.call)
        }
    }
}

/// The library: every name a cell can call without declaring it, in one table.
enum Library {
    static let all: [LibraryFunction] = Construction.entries + TensorFunctions.entries + MoreFunctions.entries + Calculus.entries
        + CheckFunctions.entries + Miscellaneous.entries + DataFiles.entries

    static let byName: [String: LibraryFunction] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    static let names = Set(byName.keys)

    static func binding(_ name: String) -> Binding? {
        byName[name].map { Binding(name, .library($0), constant: true, owner: nil, line: 0) }
    }

    static var repeating: LibraryFunction { byName["Array"]! }
}
