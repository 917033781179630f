import DeriveEngine
import SwiftSyntax

/// Elementwise functions, reductions and stacking: thin calls into the engine.
enum TensorFunctions {
    static func call(_ name: String, _ args: inout Arguments, _ it: Interpreter) throws -> Value {
        func tensorArgument(_ what: String = "argument") throws -> (Variable, Bool) {
            let a = try args.positional(what)
            let isNumber = if case .number = a.value { true } else { false }
            return (try it.variable(a, "\(name)'s \(what)"), isNumber)
        }
        func number(_ label: String, default value: Double) throws -> Double {
            guard let a = args.optional(label) else { return value }
            guard let x = a.value.number else { throw CellError("'\(label):' must be a number", at: a.node) }
            return x
        }
        switch name {
        case "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "sign", "gelu", "silu":
            let (x, wasNumber) = try tensorArgument()
            try args.finish(expected: [])
            let f: (Variable) -> Variable = switch name {
            case "exp": exp
            case "log": log
            case "sqrt": sqrt
            case "abs": abs
            case "sin": sin
            case "cos": cos
            case "tanh": tanh
            case "sigmoid": sigmoid
            case "relu": relu
            case "softplus": softplus
            case "sign": sign
            case "gelu": gelu
            default: silu
            }
            return it.result(f(x), numbersIn: wasNumber)
        case "pow":
            let (x, wasNumber) = try tensorArgument("base")
            let p = try args.positional("exponent")
            try args.finish(expected: [])
            guard let exponent = p.value.number else { throw CellError("pow's exponent must be a number", at: p.node) }
            return it.result(pow(x, exponent), numbersIn: wasNumber)
        case "leakyRelu":
            let (x, wasNumber) = try tensorArgument()
            let slope = try number("slope", default: 0.01)
            try args.finish(expected: ["slope"])
            return it.result(leakyRelu(x, slope: slope), numbersIn: wasNumber)
        case "swish":
            let (x, wasNumber) = try tensorArgument()
            let beta = try number("beta", default: 1)
            try args.finish(expected: ["beta"])
            return it.result(swish(x, beta: beta), numbersIn: wasNumber)
        case "max", "min":
            let (a, aNumber) = try tensorArgument()
            if let second = args.optionalPositional() {
                try args.finish(expected: [])
                let b = try it.variable(second, "\(name)'s second argument")
                let bNumber = if case .number = second.value { true } else { false }
                return it.result(name == "max" ? try max(a, b) : try min(a, b), numbersIn: aNumber && bNumber)
            }
            try args.finish(expected: [])
            return it.result(name == "max" ? try max(a) : try min(a), numbersIn: aNumber)
        case "sum", "mean":
            let (x, wasNumber) = try tensorArgument()
            if let axis = args.optional("axis") {
                try args.finish(expected: ["axis"])
                let k = try it.integer(axis.value, at: axis.node, what: "axis")
                return .tensor(name == "sum" ? try sum(x, axis: k) : try mean(x, axis: k))
            }
            try args.finish(expected: ["axis"])
            return it.result(name == "sum" ? sum(x) : try mean(x), numbersIn: wasNumber)
        case "norm":
            let (x, _) = try tensorArgument()
            try args.finish(expected: [])
            return .tensor(norm(x))
        case "dot", "outer":
            let (a, _) = try tensorArgument("first argument"), (b, _) = try tensorArgument("second argument")
            try args.finish(expected: [])
            if name == "outer" { try it.checkSize(a.value.count, b.value.count, at: args.call) }
            return .tensor(name == "dot" ? try dot(a, b) : try outer(a, b))
        case "softmax", "logSoftmax", "logSumExp":
            let (z, _) = try tensorArgument("logits")
            try args.finish(expected: [])
            return .tensor(name == "softmax" ? softmax(z) : name == "logSumExp" ? logSumExp(z) : try logSoftmax(z))
        case "crossEntropy":
            let z = try it.variable(try args.labeled("logits"), "logits")
            if let label = args.optional("label") {
                try args.finish(expected: ["logits", "label"])
                return .tensor(try crossEntropy(logits: z, label: try it.integer(label.value, at: label.node, what: "a label")))
            }
            let labels = try args.labeled("labels")
            try args.finish(expected: ["logits", "label", "labels"])
            let list: [Int] = switch labels.value {
            case .array(let items): try items.map { try it.integer($0, at: labels.node, what: "a label") }
            case .tensor(let v): try v.value.storage.map { try it.integer(.number($0), at: labels.node, what: "a label") }
            default: throw CellError("'labels:' must be an array of 0-based class indices", at: labels.node)
            }
            return .tensor(try crossEntropy(logits: z, labels: list))
        case "vec":
            let (x, _) = try tensorArgument()
            try args.finish(expected: [])
            return .tensor(vec(x))
        case "hstack", "vstack":
            let list = try args.positional("list of tensors")
            try args.finish(expected: [])
            guard case .array(let items) = list.value else { throw CellError("\(name) takes an array of tensors: \(name)([a, b])", at: list.node) }
            let parts = try items.map { item -> Variable in
                guard let v = item.variable else { throw CellError("\(name) can only stack numbers and tensors, not \(item.typeName)", at: list.node) }
                return v
            }
            return .tensor(name == "hstack" ? try hstack(parts) : try vstack(parts))
        default:
            throw CellError("unknown function '\(name)'", at: args.call)
        }
    }
}
