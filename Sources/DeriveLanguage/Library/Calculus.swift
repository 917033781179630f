import DeriveEngine

/// gradient, jacobian, derivative, pullback and their numerical references.
enum Calculus {
    enum Kind {
        case gradient, jacobian, derivative, pullback, numericalGradient, numericalJacobian, numericalDerivative
    }

    static func entry(_ name: String, _ kind: Kind, _ summary: String, example: String) -> LibraryFunction {
        let signature = kind == .gradient ? "\(name)(at x, _ more..., in f)" : "\(name)(at x, in f)"
        return LibraryFunction(signature, .calculus, summary, example: example) { args, rt in
            try call(kind, name, &args, rt)
        }
    }

    static let entries: [LibraryFunction] = [
        entry("gradient", .gradient, "∇f at x for an f that returns a number, shaped like x (reverse-mode automatic differentiation); at several points, a tuple.", example: "gradient(at: [1, 2], in: { v in sum(v ⊙ v) })"),
        entry("jacobian", .jacobian, "The m×n Jacobian ∂vec(f(x))ᵢ/∂vec(x)ⱼ (vec stacks columns).", example: "jacobian(at: [1, 2], in: { v in 2 * v })"),
        entry("derivative", .derivative, "f′ at x: of a number, or entrywise for an elementwise f.", example: "derivative(at: 0, in: sigmoid)"),
        entry("pullback", .pullback, "The function v ↦ vᵀJ at x, shaped like x (the vector–Jacobian product).", example: "pullback(at: [1, 2], in: { v in 3 * v })([1, 1])"),
        entry("numericalGradient", .numericalGradient, "The gradient by central differences with Richardson extrapolation.", example: "numericalGradient(at: [1, 2], in: { v in sum(v ⊙ v) })"),
        entry("numericalJacobian", .numericalJacobian, "The Jacobian by central differences with Richardson extrapolation.", example: "numericalJacobian(at: [1, 2], in: { v in 2 * v })"),
        entry("numericalDerivative", .numericalDerivative, "f′ by central differences with Richardson extrapolation.", example: "numericalDerivative(at: 1, in: exp)"),
    ]

    static func call(_ kind: Kind, _ name: String, _ args: inout Arguments, _ rt: Runtime) throws -> Value {
        let first = try args.labeled("at")
        let more = args.rest()
        let f = try args.labeled("in")
        try args.finish(expected: ["at", "in"])
        let points = try ([first] + more).map { try rt.variable($0, "the point") }
        let wasNumber = if case .number = first.value { true } else { false }
        let function = try rt.differentiable(f, "'in:'")
        let x = points[0].value
        if points.count > 1 {
            guard kind == .gradient, case .function(let callee) = f.value else {
                throw CellError("\(name) takes one point; only gradient(at: x, y, in: f) takes several", at: more[0].span)
            }
            let grads = try gradient(at: points.map(\.value)) { vs in
                let result = try rt.call(callee, vs.map { .tensor($0) }, at: f.span)
                guard let v = result.variable else { throw CellError("the function must return a number, not \(result.typeName)", at: f.span) }
                return v
            }
            return .tuple(zip(grads, [first] + more).map { g, a in
                if case .number = a.value { return .number(g.storage[0]) }
                return .tensor(g)
            }, labels: grads.map { _ in nil })
        }
        let numerical: (Tensor) throws -> Tensor = { try function(Variable($0)).value }
        switch kind {
        case .gradient: return rt.result(Variable(try gradient(at: x, in: function)), numbersIn: wasNumber)
        case .jacobian: return .tensor(try jacobian(at: x, in: function))
        case .derivative: return rt.result(Variable(try derivative(at: x, in: function)), numbersIn: wasNumber)
        case .pullback:
            let pull = try pullback(at: x, in: function)
            return .function(Function(.native("pullback") { value, span in
                guard let v = value.variable else { throw CellError("the pullback takes a tensor v, shaped like f(x)", at: span) }
                return .tensor(try rt.engine(span) { try pull(v.value) })
            }))
        case .numericalGradient: return rt.result(Variable(try numericalGradient(at: x, in: numerical)), numbersIn: wasNumber)
        case .numericalJacobian: return .tensor(try numericalJacobian(at: x, in: numerical))
        case .numericalDerivative: return rt.result(Variable(try numericalDerivative(at: x, in: numerical)), numbersIn: wasNumber)
        }
    }
}
