/// Names and their values. A cell's top level is a fresh scope over the notebook's, so a later
/// cell may declare a name again (shadowing, as in the Swift REPL) while a redeclaration within
/// one scope is an error, as in Swift.
final class Scope {
    struct Binding {
        var value: Value
        var isConstant: Bool
    }

    private(set) var bindings: [String: Binding] = [:]
    let parent: Scope?

    init(parent: Scope?) {
        self.parent = parent
    }

    func lookup(_ name: String) -> Value? {
        bindings[name]?.value ?? parent?.lookup(name)
    }

    func declaresHere(_ name: String) -> Bool { bindings[name] != nil }

    func declare(_ name: String, _ value: Value, constant: Bool) {
        bindings[name] = Binding(value: value, isConstant: constant)
    }

    /// Finds the scope that holds `name`, for assignment.
    func owner(of name: String) -> Scope? {
        bindings[name] != nil ? self : parent?.owner(of: name)
    }

    func isConstant(_ name: String) -> Bool { bindings[name]?.isConstant ?? false }

    func set(_ name: String, _ value: Value) {
        bindings[name]?.value = value
    }

    /// Every name visible from here, for did-you-mean hints.
    var allNames: Set<String> {
        Set(bindings.keys).union(parent?.allNames ?? [])
    }

    /// Moves this scope's names into `target` (a finished cell's names join the notebook's).
    func merge(into target: Scope) {
        for (name, binding) in bindings { target.declare(name, binding.value, constant: binding.isConstant) }
    }
}
