/// A tensor that remembers how it was computed, for reverse-mode differentiation (as in
/// micrograd, but over matrices). Every library op takes and returns Variables; when no input
/// depends on a differentiation in progress the op records nothing, so the same code runs with
/// or without a gradient.
///
/// Pullbacks are themselves written in Variable ops, so a backward pass that runs inside another
/// differentiation is recorded like any other computation and can be differentiated again, to
/// any depth. Each differentiation is a `Level`; a value knows which levels it depends on, and a
/// backward pass follows only the values that depend on its own level (no perturbation confusion).
public final class Variable: @unchecked Sendable {
    /// A pullback: the gradient of this op's output (shaped like it) → its input's share of it,
    /// shaped like that input. It also receives the op's own output, so a rule may use its value
    /// (σ′ = σ(1 − σ)) without the op capturing itself.
    public typealias Pullback = (_ gradient: Variable, _ output: Variable) throws -> Variable

    public private(set) var value: Tensor
    /// The inputs this value was computed from that depend on some differentiation, each with
    /// the rule that turns the gradient of this value into that input's share of it.
    let inputs: [(variable: Variable, pullback: Pullback)]
    /// The differentiations this value depends on (those still in progress when it was made).
    @usableFromInline let levels: [Level]
    /// An opaque tag the cell language may set on a value it has just computed (a source-span
    /// id; -1 for none). The engine only carries it, and can hold the values of a site constant
    /// (`gradient(at:in:holdingConstant:)`, the "missing path" diagnosis).
    public var site: Int = -1

    /// True when this value depends on a differentiation in progress: the point a gradient is
    /// being taken at, or anything computed from it.
    public var isTraced: Bool { levels.contains { $0.isActive } }

    /// A constant: nothing flows back into it.
    public init(_ value: Tensor) {
        self.value = value
        inputs = []
        levels = []
    }

    public convenience init(scalar: Double) { self.init(Tensor(scalar: scalar)) }

    /// Entry k of the row-major storage, read without copying the tensor (the interpreter's loops).
    @inlinable public func storageEntry(_ k: Int) -> Double { value.storage[k] }

    /// True for a value that never depended on any differentiation: cheaper than `!isTraced`.
    @inlinable public var isPlainConstant: Bool { levels.isEmpty }

    /// Writes one entry in place. Only for a constant that nothing else holds: the caller checks
    /// `!isTraced` and `isKnownUniquelyReferenced`, so no recorded computation sees the change.
    public func overwrite(_ i: Int, _ j: Int, with x: Double) {
        precondition(!isTraced, "a value being differentiated is never changed in place")
        value[i, j] = x
    }

    /// The result of an op with its inputs and their pullbacks (written in Variable ops, so
    /// they can be differentiated again). Inputs that depend on no differentiation in progress
    /// are dropped: nothing needs them. How a new op is written, e.g. `sin`:
    ///
    ///     Variable(x.value.map(Foundation.sin), [(x, { g, _ in try Variable.hadamard(g, cos(x)) })])
    ///
    /// and `exp`, using its own output: `[(x, { g, out in try Variable.hadamard(g, out) })]`.
    public init(_ value: Tensor, _ inputs: [(Variable, Pullback)]) {
        self.value = value
        var levels: [Level] = []
        var kept: [(variable: Variable, pullback: Pullback)] = []
        for (input, pullback) in inputs {
            var traced = false
            for level in input.levels where level.isActive {
                traced = true
                if !levels.contains(where: { $0 === level }) { levels.append(level) }
            }
            if traced { kept.append((input, pullback)) }
        }
        self.inputs = kept
        self.levels = levels
    }

    /// An op whose pullbacks are plain tensor code, so it can be differentiated once but not
    /// twice: a backward pass that would need its second derivative throws an error naming `op`
    /// instead of giving a silent zero.
    public convenience init(_ value: Tensor, op: String, firstOrder inputs: [(Variable, (Tensor) throws -> Tensor)]) {
        self.init(value, inputs.map { input, pullback in
            (input, { g, out in
                guard !g.isTraced, !out.isTraced else {
                    throw EngineError("cannot differentiate \(op) twice: its derivative is not differentiable in the engine")
                }
                return Variable(try pullback(g.value))
            })
        })
    }

    /// The point a differentiation at `level` starts from: `x` itself to any outer differentiation.
    init(leaf x: Variable, level: Level) {
        value = x.value
        if x.isTraced {
            inputs = [(x, { g, _ in g })]
            levels = x.levels.filter(\.isActive) + [level]
        } else {
            inputs = []
            levels = [level]
        }
    }

    public var shapeText: String { value.shapeText }

    /// The value, where a computation leaves the differentiable world (a number conversion, an
    /// integer index, a comparison that picks a branch is fine): an error naming `operation`
    /// when a differentiation in progress depends on it, since its derivative would be lost —
    /// never a silent zero.
    public func untracedValue(for operation: String) throws(EngineError) -> Tensor {
        guard !isTraced else {
            throw EngineError("\(operation) cannot be differentiated: it turns a value being differentiated into a plain number, so the derivative through it would be lost")
        }
        return value
    }

    func depends(on level: Level) -> Bool { levels.contains { $0 === level } }
}

/// One differentiation: active while its function runs, inactive from its backward pass on, so
/// what the backward pass computes is recorded only for the differentiations around it.
@usableFromInline final class Level: @unchecked Sendable {
    var isActive = true
}

/// The values between an output and the leaves of one level, in topological order (inputs
/// first): only those that depend on the level, so an inner pass never wanders into values
/// that only an outer differentiation traces.
struct Backward {
    let output: Variable
    let level: Level
    let order: [Variable]

    init(from output: Variable, level: Level) {
        self.output = output
        self.level = level
        var order: [Variable] = []
        if output.depends(on: level) { Self.postOrder(from: output, level: level) { order.append($0) } }
        self.order = order
    }

    /// Visits the values `output` depends on through `level`, inputs before the values made from
    /// them. Iterative depth-first post-order: deep graphs (long loops in a cell) need no deep stack.
    static func postOrder(from output: Variable, level: Level, _ visit: (Variable) -> Void) {
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(output)]
        var stack: [(node: Variable, next: Int)] = [(output, 0)]
        while let (node, next) = stack.last {
            if next < node.inputs.count {
                stack[stack.count - 1].next += 1
                let input = node.inputs[next].variable
                if input.depends(on: level), visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                stack.removeLast()
                visit(node)
            }
        }
    }

    /// Sends `seed` (shaped like the output) back and returns the gradient of each leaf, shaped
    /// like it (zeros when the output does not depend on it). Gradients live in this pass only,
    /// never on the shared values. Values whose `site` is in `held` are treated as constants:
    /// nothing flows back through them.
    func run(seed: Variable, leaves: [Variable], holding held: Set<Int> = []) throws -> [Variable] {
        var grads: [ObjectIdentifier: Variable] = [ObjectIdentifier(output): seed]
        let keep = Set(leaves.map(ObjectIdentifier.init))
        for (count, node) in order.reversed().enumerated() {
            if count & 1023 == 1023 { try Cancellation.check() }
            let key = ObjectIdentifier(node)
            guard let g = grads[key] else { continue }
            if !keep.contains(key) { grads[key] = nil }
            if !held.isEmpty, held.contains(node.site) { continue }
            for (input, pullback) in node.inputs where input.depends(on: level) {
                let share = try pullback(g, node)
                assert(share.value.rows == input.value.rows && share.value.cols == input.value.cols, "a pullback returned the wrong shape")
                let inputKey = ObjectIdentifier(input)
                grads[inputKey] = try grads[inputKey].map { try $0 + share } ?? share
            }
        }
        return leaves.map { grads[ObjectIdentifier($0)] ?? Variable(Tensor(rows: $0.value.rows, cols: $0.value.cols)) }
    }
}
