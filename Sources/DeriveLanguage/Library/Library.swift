import DeriveEngine
import Foundation
import SwiftSyntax

/// The library of SPEC §4: names a cell can call without declaring them.
enum Library {
    static let make = ["zeros", "ones", "eye", "full", "randn", "rand", "randint", "diag", "oneHot", "linspace"]
    static let shape = ["vec", "hstack", "vstack"]
    static let elementwise = ["exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "sign", "pow", "leakyRelu", "gelu", "silu", "swish"]
    static let reduce = ["sum", "mean", "max", "min", "norm", "dot", "outer", "softmax", "logSoftmax", "logSumExp", "crossEntropy"]
    static let calculus = ["gradient", "jacobian", "derivative", "pullback", "numericalGradient", "numericalJacobian", "numericalDerivative"]
    static let checks = ["check", "checkGradient", "checkJacobian", "checkDerivative", "checkChainRule", "step", "checkDeltas", "checkParameterGradients", "forAll"]
    static let other = ["MLP", "print", "show", "plot", "heatmap", "stride", "zip", "Array", "floor", "ceil", "round"]
    static let names = Set(make + shape + elementwise + reduce + calculus + checks + other)

    static func call(_ name: String, _ args: inout Arguments, interpreter: Interpreter) throws -> Value {
        do {
            if make.contains(name) || name == "linspace" { return try Construction.call(name, &args, interpreter) }
            if elementwise.contains(name) || reduce.contains(name) || shape.contains(name) { return try TensorFunctions.call(name, &args, interpreter) }
            if calculus.contains(name) { return try Calculus.call(name, &args, interpreter) }
            if checks.contains(name) { return try interpreter.check(name, &args) }
            return try Miscellaneous.call(name, &args, interpreter)
        } catch let error as EngineError {
            throw CellError(error.message, at: args.call)
        }
    }

    /// `[Tensor](repeating: x, count: n)` and `Array(repeating:count:)`.
    static func repeating(_ args: inout Arguments, interpreter: Interpreter) throws -> Value {
        if args.count == 0 { return .array([]) }
        let value = try args.labeled("repeating").value
        let count = try interpreter.integer(try args.labeled("count").value, at: args.call, what: "count")
        try args.finish(expected: ["repeating", "count"])
        guard count >= 0, count <= interpreter.limits.tensorElements else {
            throw CellError("cannot make an array of \(count) elements", at: args.call)
        }
        return .array(Array(repeating: value, count: count))
    }
}

extension Interpreter {
    /// Returns a number when every input was a number, else the tensor (keeps `sigmoid(2)` a number).
    func result(_ v: Variable, numbersIn: Bool) -> Value {
        numbersIn && v.value.isScalar ? .number(v.value.storage[0]) : .tensor(v)
    }
}
