import DeriveEngine

/// More reductions, linear algebra and the layers of a network: thin calls into the engine.
enum MoreFunctions {
    typealias T = TensorFunctions

    static func axis(_ args: inout Arguments, _ rt: Runtime) throws -> Int? {
        try args.optional("axis").map { try rt.integer($0.value, at: $0.span, what: "axis") }
    }

    /// An index (or a tensor of indices along an axis) of the largest or smallest entry.
    static func position(_ args: inout Arguments, _ rt: Runtime, flat: (Tensor) throws -> Int, along: (Tensor, Int) throws -> Tensor) throws -> Value {
        let (x, _) = try T.tensor(&args, rt)
        let k = try axis(&args, rt)
        try args.finish(expected: ["axis"])
        try rt.requireConstant(x, "\(args.function) (an index)", at: args.call)
        if let k { return .tensor(try along(x.value, k)) }
        return .number(Double(try flat(x.value)))
    }

    static func statistic(_ args: inout Arguments, _ rt: Runtime, whole: (Variable) throws -> Variable, along: (Variable, Int) throws -> Variable) throws -> Value {
        let (x, wasNumber) = try T.tensor(&args, rt)
        let k = try axis(&args, rt)
        try args.finish(expected: ["axis"])
        if let k { return .tensor(try along(x, k)) }
        return rt.result(try whole(x), numbersIn: wasNumber)
    }

    static func unary(_ signature: String, _ group: LibraryFunction.Group, _ summary: String, example: String, _ f: @escaping (Variable) throws -> Variable) -> LibraryFunction {
        LibraryFunction(signature, group, summary, example: example) { args, rt in
            let (x, wasNumber) = try T.tensor(&args, rt)
            try args.finish(expected: [])
            return rt.result(try f(x), numbersIn: wasNumber)
        }
    }

    static func binary(_ signature: String, _ group: LibraryFunction.Group, _ summary: String, example: String, _ f: @escaping (Variable, Variable) throws -> Variable) -> LibraryFunction {
        LibraryFunction(signature, group, summary, example: example) { args, rt in
            let (a, _) = try T.tensor(&args, rt, "first argument"), (b, _) = try T.tensor(&args, rt, "second argument")
            try args.finish(expected: [])
            return .tensor(try f(a, b))
        }
    }

    static func sliding(_ signature: String, _ summary: String, example: String, _ f: @escaping (Variable, Variable, Int, Int) throws -> Variable) -> LibraryFunction {
        LibraryFunction(signature, .layers, summary, example: example) { args, rt in
            let (x, _) = try T.tensor(&args, rt, "input"), (w, _) = try T.tensor(&args, rt, "kernel")
            let stride = try args.optional("stride").map { try rt.integer($0.value, at: $0.span, what: "stride") } ?? 1
            let padding = try args.optional("padding").map { try rt.integer($0.value, at: $0.span, what: "padding") } ?? 0
            try args.finish(expected: ["stride", "padding"])
            return .tensor(try f(x, w, stride, padding))
        }
    }

    static func pooling(_ signature: String, _ summary: String, example: String, _ f: @escaping (Variable, Int, Int) throws -> Variable) -> LibraryFunction {
        LibraryFunction(signature, .layers, summary, example: example) { args, rt in
            let (x, _) = try T.tensor(&args, rt, "input")
            let size = try rt.integer(try args.labeled("size").value, at: args.call, what: "size")
            let stride = try args.optional("stride").map { try rt.integer($0.value, at: $0.span, what: "stride") } ?? size
            try args.finish(expected: ["size", "stride"])
            return .tensor(try f(x, size, stride))
        }
    }

    static let entries: [LibraryFunction] = [
        LibraryFunction("argmax(_ x, axis?)", .reductions, "The 0-based index of the largest entry (for a matrix, the row-major flat index, as NumPy; the first on ties); with axis: per column (0) or row (1).", example: "argmax([[1, 5], [7, 2]])") { args, rt in
            try position(&args, rt, flat: { try argmax($0) }, along: { try argmax($0, axis: $1) })
        },
        LibraryFunction("argmin(_ x, axis?)", .reductions, "The 0-based index of the smallest entry, as argmax.", example: "argmin([3, 1, 2])") { args, rt in
            try position(&args, rt, flat: { try argmin($0) }, along: { try argmin($0, axis: $1) })
        },
        LibraryFunction("prod(_ x, axis?)", .reductions, "The product of every entry, or per column (axis: 0) or row (axis: 1); its gradient is right with zeros too.", example: "prod([1, 2, 3, 4])") { args, rt in
            try statistic(&args, rt, whole: { prod($0) }, along: { try prod($0, axis: $1) })
        },
        LibraryFunction("cumsum(_ x, axis?)", .reductions, "Running sums: along a vector, or down the columns (axis: 0) or across the rows (axis: 1) of a matrix.", example: "cumsum([1, 2, 3])") { args, rt in
            let (x, _) = try T.tensor(&args, rt)
            let k = try axis(&args, rt)
            try args.finish(expected: ["axis"])
            return .tensor(try k.map { try cumsum(x, axis: $0) } ?? cumsum(x))
        },
        LibraryFunction("variance(_ x, axis?)", .reductions, "The variance of every entry, dividing by n (NumPy's default), or per column (axis: 0) or row (axis: 1).", example: "variance([1, 2, 3, 4])") { args, rt in
            try statistic(&args, rt, whole: { try variance($0) }, along: { try variance($0, axis: $1) })
        },
        LibraryFunction("std(_ x, axis?)", .reductions, "The standard deviation, dividing by n (NumPy's default), of every entry or along an axis.", example: "std([1, 2, 3, 4])") { args, rt in
            try statistic(&args, rt, whole: { try std($0) }, along: { try std($0, axis: $1) })
        },
        LibraryFunction("clip(_ x, _ low, _ high)", .elementwise, "Each entry limited to [low, high]; the gradient is 1 strictly inside and 0 outside.", example: "clip([-2, 0.5, 3], 0, 1)") { args, rt in
            let (x, wasNumber) = try T.tensor(&args, rt)
            let lo = try args.positional("low"), hi = try args.positional("high")
            try args.finish(expected: [])
            guard let low = try rt.plainNumber(lo.value, "clip's bound", at: lo.span), let high = try rt.plainNumber(hi.value, "clip's bound", at: hi.span) else {
                throw CellError("clip's bounds must be numbers", at: args.call)
            }
            guard low <= high else { throw CellError("clip's low bound \(Format.number(low)) is above its high bound \(Format.number(high))", at: args.call) }
            return rt.result(clip(x, low, high), numbersIn: wasNumber)
        },
        unary("erf(_ x)", .elementwise, "The error function, entrywise.", example: "erf(0.5)") { erf($0) },
        LibraryFunction("flip(_ x, axis?)", .elementwise, "The entries in reverse order: along the rows (axis: 0), the columns (axis: 1), or both without an axis.", example: "flip([[1, 2], [3, 4]])") { args, rt in
            let (x, _) = try T.tensor(&args, rt)
            let k = try axis(&args, rt)
            try args.finish(expected: ["axis"])
            return .tensor(try flip(x, axis: k))
        },
        unary("trace(_ A)", .linearAlgebra, "The sum of the diagonal of a square matrix.", example: "trace([[1, 2], [3, 4]])") { try trace($0) },
        unary("det(_ A)", .linearAlgebra, "The determinant (LU with partial pivoting); differentiable, also at a singular matrix up to 8×8.", example: "det([[1, 2], [3, 4]])") { try det($0) },
        unary("inverse(_ A)", .linearAlgebra, "A⁻¹; a singular matrix is an error that says so.", example: "inverse([[2, 0], [0, 4]])") { try inverse($0) },
        binary("solve(_ A, _ b)", .linearAlgebra, "x with A x = b (b may have several columns); a singular A is an error that says so.", example: "solve([[2, 0], [0, 4]], [2, 2])") { try solve($0, $1) },
        binary("kron(_ A, _ B)", .linearAlgebra, "The Kronecker product A ⊗ B.", example: "kron(eye(2), [[1, 2]])") { try kron($0, $1) },
        LibraryFunction("tril(_ A, _ k?)", .linearAlgebra, "The lower triangle (on and below the k-th diagonal, k = 0 unless given), zeros above.", example: "tril(ones(3, 3))") { args, rt in
            try triangle(&args, rt) { tril($0, $1) }
        },
        LibraryFunction("triu(_ A, _ k?)", .linearAlgebra, "The upper triangle (on and above the k-th diagonal), zeros below.", example: "triu(ones(3, 3))") { args, rt in
            try triangle(&args, rt) { triu($0, $1) }
        },
        sliding("conv1d(_ x, _ w, stride?, padding?)", "Cross-correlation of a vector with a kernel, as PyTorch's conv1d: yᵢ = Σⱼ wⱼ x_{i·stride + j} over x padded with zeros.", example: "conv1d([1, 2, 3, 4], [1, 0, -1])") { try conv1d($0, $1, stride: $2, padding: $3) },
        sliding("conv2d(_ X, _ K, stride?, padding?)", "The same rule in two dimensions, one channel: Y[i, j] = Σ K[a, b] X[i·stride + a, j·stride + b].", example: "conv2d(eye(3), [[1, 0], [0, 1]])") { try conv2d($0, $1, stride: $2, padding: $3) },
        pooling("maxPool(_ X, size, stride?)", "The largest entry of each size×size window (along a vector: each window of its length), stride = size unless given; the gradient goes to each window's first maximum.", example: "maxPool([[1, 2], [3, 4]], size: 2)") { try maxPool($0, size: $1, stride: $2) },
        pooling("avgPool(_ X, size, stride?)", "The mean of each window, as maxPool.", example: "avgPool([1, 2, 3, 4], size: 2)") { try avgPool($0, size: $1, stride: $2) },
        LibraryFunction("dropout(_ x, p)", .layers, "Each entry kept with probability 1 − p and scaled by 1/(1 − p), else 0; the mask is drawn from the notebook's random stream.", example: "dropout(ones(4, 1), p: 0.5)") { args, rt in
            let (x, _) = try T.tensor(&args, rt)
            let p = try T.number(&args, rt, "p", default: .nan)
            try args.finish(expected: ["p"])
            rt.forAll?.draws.append("dropout(p: \(Format.number(p)))")
            return .tensor(try dropout(x, p: p, random: &rt.random))
        },
    ]

    static func triangle(_ args: inout Arguments, _ rt: Runtime, _ f: (Variable, Int) -> Variable) throws -> Value {
        let (a, _) = try T.tensor(&args, rt)
        let k = try args.optionalPositional().map { try rt.integer($0.value, at: $0.span, what: "the diagonal") } ?? 0
        try args.finish(expected: [])
        return .tensor(f(a, k))
    }
}
