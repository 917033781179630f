import DeriveEngine

/// Elementwise functions, reductions and stacking: thin calls into the engine.
enum TensorFunctions {
    /// A number or tensor argument, and whether it was a number (a number in gives a number out).
    static func tensor(_ args: inout Arguments, _ rt: Runtime, _ what: String = "argument") throws -> (Variable, Bool) {
        let a = try args.positional(what)
        let isNumber = if case .number = a.value { true } else { false }
        return (try rt.variable(a, "\(args.function)'s \(what)"), isNumber)
    }

    static func number(_ args: inout Arguments, _ rt: Runtime, _ label: String, default value: Double) throws -> Double {
        guard let a = args.optional(label) else { return value }
        guard let x = try rt.plainNumber(a.value, "'\(label):'", at: a.span) else { throw CellError("'\(label):' must be a number", at: a.span) }
        return x
    }

    static func elementwise(_ name: String, _ summary: String, example: String, _ f: @escaping (Variable) -> Variable) -> LibraryFunction {
        LibraryFunction("\(name)(_ x)", .elementwise, summary, example: example) { args, rt in
            let (x, wasNumber) = try tensor(&args, rt)
            try args.finish(expected: [])
            return rt.result(f(x), numbersIn: wasNumber)
        }
    }

    static let entries: [LibraryFunction] = [
        elementwise("exp", "eˣ, entrywise.", example: "exp(1)") { exp($0) },
        elementwise("log", "The natural logarithm, entrywise.", example: "log(2.718281828459045)") { log($0) },
        elementwise("sqrt", "The square root, entrywise.", example: "sqrt(2)") { sqrt($0) },
        elementwise("abs", "The absolute value, entrywise.", example: "abs([-1, 2])") { abs($0) },
        elementwise("sin", "The sine, entrywise.", example: "sin(Double.pi / 2)") { sin($0) },
        elementwise("cos", "The cosine, entrywise.", example: "cos(0)") { cos($0) },
        elementwise("tanh", "The hyperbolic tangent, entrywise.", example: "tanh(0.5)") { tanh($0) },
        elementwise("sigmoid", "The logistic function 1/(1 + e⁻ˣ), entrywise.", example: "sigmoid(0)") { sigmoid($0) },
        elementwise("relu", "max(x, 0), entrywise; its derivative at 0 is taken as 0.", example: "relu([-1, 2])") { relu($0) },
        elementwise("softplus", "log(1 + eˣ), entrywise, without overflow.", example: "softplus(0)") { softplus($0) },
        elementwise("sign", "−1, 0 or 1, entrywise.", example: "sign([-2, 0, 3])") { sign($0) },
        elementwise("gelu", "x·Φ(x) with Φ the standard normal distribution function (exact, with erf).", example: "gelu(1)") { gelu($0) },
        elementwise("silu", "x·σ(x), Swish with β = 1.", example: "silu(1)") { silu($0) },
        LibraryFunction("pow(_ x, _ exponent)", .elementwise, "x raised to a number, entrywise.", example: "pow([1, 2, 3], 2)") { args, rt in
            let (x, wasNumber) = try tensor(&args, rt, "base")
            let p = try args.positional("exponent")
            try args.finish(expected: [])
            guard let exponent = try rt.plainNumber(p.value, "pow's exponent", at: p.span) else { throw CellError("pow's exponent must be a number", at: p.span) }
            return rt.result(pow(x, exponent), numbersIn: wasNumber)
        },
        LibraryFunction("leakyRelu(_ x, slope?)", .elementwise, "x where x > 0, else slope·x (slope 0.01 unless given).", example: "leakyRelu([-1, 2], slope: 0.1)") { args, rt in
            let (x, wasNumber) = try tensor(&args, rt)
            let slope = try number(&args, rt, "slope", default: 0.01)
            try args.finish(expected: ["slope"])
            return rt.result(leakyRelu(x, slope: slope), numbersIn: wasNumber)
        },
        LibraryFunction("swish(_ x, beta?)", .elementwise, "x·σ(βx), entrywise (β = 1 unless given).", example: "swish(1, beta: 2)") { args, rt in
            let (x, wasNumber) = try tensor(&args, rt)
            let beta = try number(&args, rt, "beta", default: 1)
            try args.finish(expected: ["beta"])
            return rt.result(swish(x, beta: beta), numbersIn: wasNumber)
        },
        LibraryFunction("max(_ x, _ y?)", .reductions, "With one argument, the largest entry; with two, the entrywise maximum (broadcasting).", example: "max([3, 1, 2])") { args, rt in
            try extreme(&args, rt, pair: { try max($0, $1) }, single: { try max($0) })
        },
        LibraryFunction("min(_ x, _ y?)", .reductions, "With one argument, the smallest entry; with two, the entrywise minimum (broadcasting).", example: "min(2, 5)") { args, rt in
            try extreme(&args, rt, pair: { try min($0, $1) }, single: { try min($0) })
        },
        LibraryFunction("sum(_ x, axis?)", .reductions, "The sum of every entry; with axis: 0 the column sums (1×c), with axis: 1 the row sums (r×1).", example: "sum([[1, 2], [3, 4]], axis: 0)") { args, rt in
            try reduction(&args, rt, whole: { sum($0) }, axis: { try sum($0, axis: $1) })
        },
        LibraryFunction("mean(_ x, axis?)", .reductions, "The mean of every entry, or per column (axis: 0) or row (axis: 1).", example: "mean([1, 2, 3, 4])") { args, rt in
            try reduction(&args, rt, whole: { try mean($0) }, axis: { try mean($0, axis: $1) })
        },
        LibraryFunction("norm(_ x)", .reductions, "The Frobenius norm: the square root of the sum of squares.", example: "norm([3, 4])") { args, rt in
            let (x, _) = try tensor(&args, rt)
            try args.finish(expected: [])
            return .tensor(norm(x))
        },
        LibraryFunction("dot(_ a, _ b)", .reductions, "Σ aᵢbᵢ over two tensors of the same shape (or a row and a column of the same length).", example: "dot([1, 2], [3, 4])") { args, rt in
            let (a, _) = try tensor(&args, rt, "first argument"), (b, _) = try tensor(&args, rt, "second argument")
            try args.finish(expected: [])
            return .tensor(try dot(a, b))
        },
        LibraryFunction("outer(_ a, _ b)", .reductions, "The outer product a bᵀ.", example: "outer([1, 2], [3, 4, 5])") { args, rt in
            let (a, _) = try tensor(&args, rt, "first argument"), (b, _) = try tensor(&args, rt, "second argument")
            try args.finish(expected: [])
            try rt.checkSize(a.value.count, b.value.count, at: args.call)
            return .tensor(try outer(a, b))
        },
        LibraryFunction("softmax(_ z)", .reductions, "The softmax of each column.", example: "softmax([1, 2, 3])") { args, rt in
            let (z, _) = try tensor(&args, rt, "logits")
            try args.finish(expected: [])
            return .tensor(softmax(z))
        },
        LibraryFunction("logSoftmax(_ z)", .reductions, "z − logSumExp(z), per column.", example: "logSoftmax([1, 2, 3])") { args, rt in
            let (z, _) = try tensor(&args, rt, "logits")
            try args.finish(expected: [])
            return .tensor(try logSoftmax(z))
        },
        LibraryFunction("logSumExp(_ z)", .reductions, "log Σ exp of each column (a 1×c row), computed stably.", example: "logSumExp([1, 2, 3])") { args, rt in
            let (z, _) = try tensor(&args, rt, "logits")
            try args.finish(expected: [])
            return .tensor(logSumExp(z))
        },
        LibraryFunction("crossEntropy(logits, label?, labels?)", .reductions, "The cross entropy of each column's softmax against its 0-based label, summed over the columns.", example: "crossEntropy(logits: [2, 1, 0], label: 0)") { args, rt in
            let z = try rt.variable(try args.labeled("logits"), "logits")
            if let label = args.optional("label") {
                try args.finish(expected: ["logits", "label"])
                return .tensor(try crossEntropy(logits: z, label: try rt.integer(label.value, at: label.span, what: "a label")))
            }
            let labels = try args.labeled("labels")
            try args.finish(expected: ["logits", "label", "labels"])
            let list: [Int] = switch labels.value {
            case .array(let items): try items.map { try rt.integer($0, at: labels.span, what: "a label") }
            case .tensor(let v): try v.value.storage.map { try rt.integer(.number($0), at: labels.span, what: "a label") }
            default: throw CellError("'labels:' must be an array of 0-based class indices", at: labels.span)
            }
            return .tensor(try crossEntropy(logits: z, labels: list))
        },
        LibraryFunction("vec(_ x)", .shape, "The columns of x stacked into one column, as in matrix calculus.", example: "vec([[1, 2], [3, 4]])") { args, rt in
            let (x, _) = try tensor(&args, rt)
            try args.finish(expected: [])
            return .tensor(vec(x))
        },
        LibraryFunction("hstack(_ parts)", .shape, "Tensors side by side (each with the same number of rows).", example: "hstack([ones(2, 1), zeros(2, 1)])") { args, rt in
            try stack(&args, rt) { try hstack($0) }
        },
        LibraryFunction("vstack(_ parts)", .shape, "Tensors one above another (each with the same number of columns).", example: "vstack([ones(1, 2), zeros(1, 2)])") { args, rt in
            try stack(&args, rt) { try vstack($0) }
        },
    ]

    static func extreme(_ args: inout Arguments, _ rt: Runtime, pair: (Variable, Variable) throws -> Variable, single: (Variable) throws -> Variable) throws -> Value {
        let (a, aNumber) = try tensor(&args, rt)
        if let second = args.optionalPositional() {
            try args.finish(expected: [])
            let b = try rt.variable(second, "\(args.function)'s second argument")
            let bNumber = if case .number = second.value { true } else { false }
            return rt.result(try pair(a, b), numbersIn: aNumber && bNumber)
        }
        try args.finish(expected: [])
        return rt.result(try single(a), numbersIn: aNumber)
    }

    static func reduction(_ args: inout Arguments, _ rt: Runtime, whole: (Variable) throws -> Variable, axis: (Variable, Int) throws -> Variable) throws -> Value {
        let (x, wasNumber) = try tensor(&args, rt)
        if let a = args.optional("axis") {
            try args.finish(expected: ["axis"])
            return .tensor(try axis(x, try rt.integer(a.value, at: a.span, what: "axis")))
        }
        try args.finish(expected: ["axis"])
        return rt.result(try whole(x), numbersIn: wasNumber)
    }

    static func stack(_ args: inout Arguments, _ rt: Runtime, _ join: ([Variable]) throws -> Variable) throws -> Value {
        let list = try args.positional("list of tensors")
        try args.finish(expected: [])
        let name = args.function
        let items: [Value] = switch list.value {
        case .array(let items): items
        case .tensor(let v) where v.value.cols == 1: v.value.storage.map { .number($0) }
        default: throw CellError("\(name) takes an array of tensors: \(name)([a, b])", at: list.span)
        }
        let parts = try items.map { item -> Variable in
            guard let v = item.variable else { throw CellError("\(name) can only stack numbers and tensors, not \(item.typeName)", at: list.span) }
            return v
        }
        return .tensor(try join(parts))
    }
}
