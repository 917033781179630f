import DeriveEngine
import SwiftSyntax

/// gradient, jacobian, derivative, pullback and their numerical references.
enum Calculus {
    static func call(_ name: String, _ args: inout Arguments, _ it: Interpreter) throws -> Value {
        let first = try args.labeled("at")
        let more = args.rest()
        let f = try args.labeled("in")
        try args.finish(expected: ["at", "in"])
        let points = try ([first] + more).map { try it.variable($0, "the point") }
        let wasNumber = if case .number = first.value { true } else { false }
        let function = try it.differentiable(f, "'in:'")
        let x = points[0].value
        if points.count > 1 {
            guard name == "gradient", case .function(let callee) = f.value else {
                throw CellError("\(name) takes one point; only gradient(at: x, y, in: f) takes several", at: more[0].node)
            }
            let grads = try gradient(at: points.map(\.value)) { vs in
                let result = try it.call(callee, vs.map { .tensor($0) }, at: f.node)
                guard let v = result.variable else { throw CellError("the function must return a number, not \(result.typeName)", at: f.node) }
                return v
            }
            return .tuple(zip(grads, [first] + more).map { g, a in
                if case .number = a.value { return .number(g.storage[0]) }
                return .tensor(g)
            }, labels: grads.map { _ in nil })
        }
        let numerical: (Tensor) throws -> Tensor = { try function(Variable($0)).value }
        switch name {
        case "gradient": return it.result(Variable(try gradient(at: x, in: function)), numbersIn: wasNumber)
        case "jacobian": return .tensor(try jacobian(at: x, in: function))
        case "derivative": return it.result(Variable(try derivative(at: x, in: function)), numbersIn: wasNumber)
        case "pullback":
            let pull = try pullback(at: x, in: function)
            return .function(Function(.native("pullback") { value, node in
                guard let v = value.variable else { throw CellError("the pullback takes a tensor v, shaped like f(x)", at: node) }
                do { return .tensor(try pull(v.value)) } catch let error as EngineError { throw CellError(error.message, at: node) }
            }))
        case "numericalGradient": return it.result(Variable(try numericalGradient(at: x, in: numerical)), numbersIn: wasNumber)
        case "numericalJacobian": return .tensor(try numericalJacobian(at: x, in: numerical))
        default: return it.result(Variable(try numericalDerivative(at: x, in: numerical)), numbersIn: wasNumber)
        }
    }
}
