/// A call's evaluated arguments, taken by position or label. Whatever is left over when the
/// callee is done is an error naming the unexpected label (with a did-you-mean).
struct Arguments {
    struct Argument {
        var label: String?
        var value: Value
        var span: Span
    }

    var items: [Argument]
    let call: Span
    let function: String
    /// The value site of the call's result (see `Runtime.sites`).
    var site = -1
    private var used: Set<Int> = []

    init(_ items: [Argument], call: Span, function: String) {
        self.items = items
        self.call = call
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
                throw CellError("\(function) has no argument labeled '\(items[i].label ?? ""):'", at: items[i].span, hint: "did you mean '\(label):'?")
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
            throw CellError("\(function) has no argument labeled '\(label):'", at: argument.span, hint: hint ?? (labels.isEmpty ? nil : "its labels are \(labels.map { "'\($0):'" }.joined(separator: ", "))"))
        }
        throw CellError("\(function) takes no further unlabeled argument here", at: argument.span)
    }
}

/// Matches a call's arguments to a compiled function's parameters, as Swift does: in order,
/// each labelled as its parameter is (closures take theirs by position). Nil marks a parameter
/// left to its default. Calls whose callee is known are matched the same way when they compile.
enum Binder {
    struct Mismatch: Error {
        var message: String
        /// Which argument it concerns; nil for the call as a whole.
        var argument: Int?
        var hint: String?
    }

    static func match(labels: [String?], to f: CompiledFunction) -> Result<[Int?], Mismatch> {
        var next = 0
        var positions: [Int?] = []
        for parameter in f.parameters {
            let laterLabels = f.parameters[(positions.count + 1)...].map(\.label)
            if next < labels.count, labels[next] == parameter.label || f.isClosure {
                positions.append(next)
                next += 1
            } else if parameter.defaultValue != nil, next >= labels.count || laterLabels.contains(labels[next]) {
                positions.append(nil)
            } else if next < labels.count {
                let expected = parameter.label.map { "'\($0):'" } ?? "no label"
                let got = labels[next].map { "'\($0):'" } ?? "no label"
                let hint = labels[next].flatMap { label in
                    EditDistanceHint.closest(to: label, in: f.parameters.compactMap(\.label)).map { "did you mean '\($0):'?" }
                }
                return .failure(Mismatch(message: "incorrect argument label in call to '\(f.name)': expected \(expected), got \(got)", argument: next, hint: hint))
            } else {
                let label = parameter.label.map { "'\($0):' " } ?? ""
                return .failure(Mismatch(message: "missing argument \(label)for parameter '\(parameter.name)' in call to '\(f.name)'", argument: nil))
            }
        }
        if next < labels.count, !f.ignoresExtraArguments {
            let n = f.parameters.count
            return .failure(Mismatch(message: "'\(f.name)' takes \(n) argument\(n == 1 ? "" : "s"), but was given \(labels.count)", argument: next))
        }
        return .success(positions)
    }

    /// The argument values in parameter order (nil: use the default), or the mismatch as an error.
    static func bind(_ items: [Arguments.Argument], to f: CompiledFunction, at span: Span) throws -> [Value?] {
        switch match(labels: items.map(\.label), to: f) {
        case .success(let positions): return positions.map { $0.map { items[$0].value } }
        case .failure(let m): throw CellError(m.message, at: m.argument.map { items[$0].span } ?? span, hint: m.hint)
        }
    }
}
