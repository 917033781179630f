import DeriveEngine

/// gradient, jacobian, derivative, pullback and their numerical references.
enum Calculus {
    enum Kind {
        case gradient, jacobian, derivative, pullback, hessian, hessianVectorProduct
        case numericalGradient, numericalJacobian, numericalDerivative, numericalHessian
    }

    static func entry(_ name: String, _ kind: Kind, _ summary: String, example: String) -> LibraryFunction {
        let signature = switch kind {
        case .gradient: "\(name)(at x, _ more..., in f)"
        case .hessianVectorProduct: "\(name)(at x, along v, in f)"
        default: "\(name)(at x, in f)"
        }
        return LibraryFunction(signature, .calculus, summary, example: example) { args, rt in
            try call(kind, name, &args, rt)
        }
    }

    static let entries: [LibraryFunction] = [
        entry("gradient", .gradient, "∇f at x for an f that returns a number, shaped like x (reverse-mode automatic differentiation); at several points, a tuple.", example: "gradient(at: [1, 2], in: { v in sum(v ⊙ v) })"),
        entry("jacobian", .jacobian, "The m×n Jacobian ∂vec(f(x))ᵢ/∂vec(x)ⱼ (vec stacks columns).", example: "jacobian(at: [1, 2], in: { v in 2 * v })"),
        entry("derivative", .derivative, "f′ at x: of a number, or entrywise for an elementwise f.", example: "derivative(at: 0, in: sigmoid)"),
        entry("pullback", .pullback, "The function v ↦ vᵀJ at x, shaped like x (the vector–Jacobian product).", example: "pullback(at: [1, 2], in: { v in 3 * v })([1, 1])"),
        entry("hessian", .hessian, "The n×n matrix of second derivatives of a scalar f at x (n = x.count, vec order), by reverse mode over reverse mode.", example: "hessian(at: [1, 2], in: { v in sum(v ⊙ v ⊙ v) })"),
        entry("hessianVectorProduct", .hessianVectorProduct, "H v shaped like x, without forming H: the gradient of ⟨∇f, v⟩.", example: "hessianVectorProduct(at: [1, 2], along: [1, 0], in: { v in sum(v ⊙ v ⊙ v) })"),
        entry("numericalHessian", .numericalHessian, "The Hessian by central differences of the reverse-mode gradient (once, not of f twice: differencing twice divides rounding error by h² and leaves about 1e-8), symmetrised.", example: "numericalHessian(at: [1, 2], in: { v in sum(v ⊙ v ⊙ v) })"),
        entry("numericalGradient", .numericalGradient, "The gradient by central differences with Richardson extrapolation.", example: "numericalGradient(at: [1, 2], in: { v in sum(v ⊙ v) })"),
        entry("numericalJacobian", .numericalJacobian, "The Jacobian by central differences with Richardson extrapolation.", example: "numericalJacobian(at: [1, 2], in: { v in 2 * v })"),
        entry("numericalDerivative", .numericalDerivative, "f′ by central differences with Richardson extrapolation.", example: "numericalDerivative(at: 1, in: exp)"),
    ]

    static func call(_ kind: Kind, _ name: String, _ args: inout Arguments, _ rt: Runtime) throws -> Value {
        let first = try args.labeled("at")
        let more = args.rest()
        let along = kind == .hessianVectorProduct ? try args.labeled("along") : nil
        let f = try args.labeled("in")
        try args.finish(expected: ["at", "along", "in"])
        let points = try ([first] + more).map { try rt.variable($0, "the point") }
        let wasNumber = if case .number = first.value { true } else { false }
        let function = try rt.differentiable(f, "'in:'")
        let x = points[0].value
        if points.count > 1 {
            guard kind == .gradient, case .function(let callee) = f.value else {
                throw CellError("\(name) takes one point; only gradient(at: x, y, in: f) takes several", at: more[0].span)
            }
            // The points may themselves be differentiated (a gradient inside a gradient): the Variable forms compose.
            let grads = try gradient(at: points) { vs in
                let result = try rt.call(callee, vs.map { .tensor($0) }, at: f.span)
                guard let v = result.variable else { throw CellError("the function must return a number, not \(result.typeName)", at: f.span) }
                return v
            }
            return .tuple(zip(grads, [first] + more).map { g, a in
                if case .number = a.value { return rt.result(g, numbersIn: true) }
                return .tensor(g)
            }, labels: grads.map { _ in nil })
        }
        let point = points[0]
        // Finite differences evaluate f at plain points: they are references, never differentiated.
        func numerical(_ what: String) throws -> (Tensor) throws -> Tensor {
            try rt.requireConstant(point, "\(name)'s point", at: first.span)
            return { try function(Variable($0)).value }
        }
        switch kind {
        case .gradient: return rt.result(try gradient(at: point, in: function), numbersIn: wasNumber)
        case .jacobian: return .tensor(try jacobian(at: point, in: function))
        case .derivative: return rt.result(try derivative(at: point, in: function), numbersIn: wasNumber)
        case .hessian: return .tensor(try hessian(at: point, in: function))
        case .hessianVectorProduct:
            let v = try rt.variable(along!, "'along:'")
            return .tensor(try hessianVectorProduct(at: point, along: v, in: function))
        case .pullback:
            let pull = try pullback(at: point, in: function)
            return .function(Function(.native("pullback") { value, span in
                guard let v = value.variable else { throw CellError("the pullback takes a tensor v, shaped like f(x)", at: span) }
                return .tensor(try rt.engine(span) { try pull(v) })
            }))
        case .numericalGradient: return rt.result(Variable(try numericalGradient(at: x, in: try numerical(name))), numbersIn: wasNumber)
        case .numericalJacobian: return .tensor(try numericalJacobian(at: x, in: try numerical(name)))
        case .numericalDerivative: return rt.result(Variable(try numericalDerivative(at: x, in: try numerical(name))), numbersIn: wasNumber)
        case .numericalHessian:
            try rt.requireConstant(point, "\(name)'s point", at: first.span)
            return .tensor(try numericalHessian(at: x, in: function))
        }
    }
}
