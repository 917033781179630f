import SwiftSyntax

/// A call's evaluated arguments, taken by position or label. Whatever is left over when the
/// callee is done is an error naming the unexpected label (with a did-you-mean).
struct Arguments {
    struct Argument {
        var label: String?
        var value: Value
        var node: Syntax
    }

    var items: [Argument]
    let call: Syntax
    let function: String
    private var used: Set<Int> = []

    init(_ items: [Argument], call: some SyntaxProtocol, function: String) {
        self.items = items
        self.call = Syntax(call)
        self.function = function
    }

    var count: Int { items.count }

    /// The next unlabeled argument not yet taken.
    mutating func positional(_ what: String) throws -> Argument {
        guard let i = items.indices.first(where: { items[$0].label == nil && !used.contains($0) }) else {
            throw CellError("\(function) is missing its \(what) argument", at: call)
        }
        used.insert(i)
        return items[i]
    }

    mutating func optionalPositional() -> Argument? {
        guard let i = items.indices.first(where: { items[$0].label == nil && !used.contains($0) }) else { return nil }
        used.insert(i)
        return items[i]
    }

    mutating func labeled(_ label: String) throws -> Argument {
        guard let argument = optional(label) else {
            // A misspelt label is the likelier story than a missing argument.
            if let i = items.indices.first(where: { !used.contains($0) && items[$0].label.map { EditDistanceHint.closest(to: $0, in: [label]) != nil } == true }) {
                throw CellError("\(function) has no argument labeled '\(items[i].label ?? ""):'", at: items[i].node, hint: "did you mean '\(label):'?")
            }
            throw CellError("\(function) is missing its '\(label):' argument", at: call)
        }
        return argument
    }

    mutating func optional(_ label: String) -> Argument? {
        guard let i = items.indices.first(where: { items[$0].label == label && !used.contains($0) }) else { return nil }
        used.insert(i)
        return items[i]
    }

    /// Every argument left, in order (variadic positions such as `gradient(at: x, y, …)`).
    mutating func rest() -> [Argument] {
        let left = items.indices.filter { !used.contains($0) && items[$0].label == nil }
        used.formUnion(left)
        return left.map { items[$0] }
    }

    /// Fails on an argument nobody took.
    func finish(expected labels: [String]) throws {
        guard let i = items.indices.first(where: { !used.contains($0) }) else { return }
        let argument = items[i]
        if let label = argument.label {
            let hint = EditDistanceHint.closest(to: label, in: labels).map { "did you mean '\($0):'?" }
            throw CellError("\(function) has no argument labeled '\(label):'", at: argument.node, hint: hint ?? (labels.isEmpty ? nil : "its labels are \(labels.map { "'\($0):'" }.joined(separator: ", "))"))
        }
        throw CellError("\(function) takes no further unlabeled argument here", at: argument.node)
    }
}
