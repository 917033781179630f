/// A tensor that remembers how it was computed, for reverse-mode differentiation (as in
/// micrograd, but over matrices). Every library op takes and returns Variables; when no input
/// is traced the op records nothing, so the same code runs with or without a gradient.
public final class Variable: @unchecked Sendable {
    public private(set) var value: Tensor
    /// The inputs this value was computed from, each with the rule that turns the gradient of
    /// this value into that input's share of it (the vector–Jacobian product).
    let inputs: [(variable: Variable, pullback: (Tensor) -> Tensor)]
    /// True for the point a gradient is taken at, and for anything computed from it.
    public let isTraced: Bool
    var grad: Tensor?

    /// A constant: nothing flows back into it.
    public init(_ value: Tensor) {
        self.value = value
        inputs = []
        isTraced = false
    }

    /// A leaf a gradient will be taken with respect to.
    init(tracing value: Tensor) {
        self.value = value
        inputs = []
        isTraced = true
    }

    /// The result of an op. Pullbacks of untraced inputs are dropped: nothing needs them.
    init(_ value: Tensor, _ inputs: [(Variable, (Tensor) -> Tensor)]) {
        self.value = value
        let traced = inputs.filter { $0.0.isTraced }
        self.inputs = traced.map { (variable: $0.0, pullback: $0.1) }
        isTraced = !traced.isEmpty
    }

    public convenience init(scalar: Double) { self.init(Tensor(scalar: scalar)) }

    public var shapeText: String { value.shapeText }

    /// Sends `seed` (shaped like `value`) back through the graph, accumulating `grad` on every
    /// traced variable, each visited once, in reverse topological order.
    func backpropagate(_ seed: Tensor) {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        func visit(_ v: Variable) {
            guard v.isTraced, visited.insert(ObjectIdentifier(v)).inserted else { return }
            for input in v.inputs { visit(input.variable) }
            order.append(v)
        }
        visit(self)
        for v in order { v.grad = nil }
        grad = seed
        for v in order.reversed() {
            guard let g = v.grad else { continue }
            for input in v.inputs {
                let share = input.pullback(g)
                // Shapes agree: every pullback returns its input's shape.
                input.variable.grad = input.variable.grad.map { Tensor.combine($0, share, +) } ?? share
            }
        }
    }

    /// Writes one entry in place. Only for a constant that nothing else holds: the caller checks
    /// `!isTraced` and `isKnownUniquelyReferenced`, so no recorded computation sees the change.
    public func overwrite(_ i: Int, _ j: Int, with x: Double) {
        precondition(!isTraced, "a traced value is never changed in place")
        value[i, j] = x
    }
}
