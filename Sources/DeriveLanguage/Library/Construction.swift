import DeriveEngine

/// zeros, ones, eye, full, randn, rand, randint, diag, oneHot, linspace.
enum Construction {
    static func size(_ args: inout Arguments, _ what: String, _ rt: Runtime) throws -> Int {
        let a = try args.positional(what)
        let n = try rt.integer(a.value, at: a.span, what: what)
        guard n >= 0 else { throw CellError("\(what) cannot be negative (\(n))", at: a.span) }
        return n
    }

    static func filled(_ args: inout Arguments, _ rt: Runtime, _ value: Double) throws -> Value {
        let (r, c) = (try size(&args, "rows", rt), try size(&args, "columns", rt))
        try args.finish(expected: [])
        try rt.checkSize(r, c, at: args.call)
        return .tensor(Tensor(rows: r, cols: c, repeating: value))
    }

    static func random(_ args: inout Arguments, _ rt: Runtime, _ name: String, _ draw: (inout RandomStream, Int, Int) -> Tensor) throws -> Value {
        let r = try size(&args, "rows", rt)
        let c = try args.optionalPositional().map { try rt.integer($0.value, at: $0.span, what: "columns") } ?? 1
        try args.finish(expected: [])
        try rt.checkSize(r, c, at: args.call)
        let t = draw(&rt.random, r, c)
        rt.forAll?.draws.append("\(name)(\(r), \(c))")
        return .tensor(t)
    }

    static let entries: [LibraryFunction] = [
        LibraryFunction("zeros(_ rows, _ columns)", .make, "A rows×columns tensor of zeros.", example: "zeros(2, 3)") { args, rt in
            try filled(&args, rt, 0)
        },
        LibraryFunction("ones(_ rows, _ columns)", .make, "A rows×columns tensor of ones.", example: "ones(2, 3)") { args, rt in
            try filled(&args, rt, 1)
        },
        LibraryFunction("full(_ rows, _ columns, _ value)", .make, "A rows×columns tensor with every entry equal to value.", example: "full(2, 2, 0.5)") { args, rt in
            let (r, c) = (try size(&args, "rows", rt), try size(&args, "columns", rt))
            let v = try args.positional("value")
            try args.finish(expected: [])
            guard let x = try rt.plainNumber(v.value, "full's value", at: v.span) else { throw CellError("full needs a number to fill with", at: v.span) }
            try rt.checkSize(r, c, at: args.call)
            return .tensor(Tensor(rows: r, cols: c, repeating: x))
        },
        LibraryFunction("eye(_ size)", .make, "The n×n identity matrix.", example: "eye(3)") { args, rt in
            let n = try size(&args, "size", rt)
            try args.finish(expected: [])
            try rt.checkSize(n, n, at: args.call)
            var t = Tensor(rows: n, cols: n)
            for i in 0..<n { t[i, i] = 1 }
            return .tensor(t)
        },
        LibraryFunction("randn(_ rows, _ columns = 1)", .make, "Standard normal draws from the notebook's random stream, filled row-major.", example: "randn(3)") { args, rt in
            try random(&args, rt, "randn") { $0.randn($1, $2) }
        },
        LibraryFunction("rand(_ rows, _ columns = 1)", .make, "Uniform draws in [0, 1) from the notebook's random stream, filled row-major.", example: "rand(2, 2)") { args, rt in
            try random(&args, rt, "rand") { $0.rand($1, $2) }
        },
        LibraryFunction("randint(_ range)", .make, "A uniformly drawn integer of a closed range.", example: "randint(2...6)") { args, rt in
            let a = try args.positional("range")
            try args.finish(expected: [])
            guard case .range(let lo, let hi) = a.value, hi > lo else { throw CellError("randint needs a range such as 2...6", at: a.span) }
            let n = rt.random.integer(in: lo...(hi - 1))
            rt.forAll?.draws.append("randint → \(n)")
            return .number(Double(n))
        },
        LibraryFunction("diag(_ x)", .make, "A column becomes the diagonal matrix; a square matrix gives its diagonal as a column.", example: "diag([1, 2, 3])") { args, rt in
            let v = try rt.variable(try args.positional("vector or matrix"), "diag's argument")
            try args.finish(expected: [])
            try rt.checkSize(v.value.count, v.value.count, at: args.call)
            return .tensor(try diag(v))
        },
        LibraryFunction("oneHot(_ index, _ size)", .make, "A column of size entries with a 1 at the 0-based index.", example: "oneHot(1, 4)") { args, rt in
            let k = try size(&args, "index", rt), n = try size(&args, "size", rt)
            try args.finish(expected: [])
            guard k < n else { throw CellError("oneHot(\(k), \(n)): the index must be below the size (0-based)", at: args.call) }
            try rt.checkSize(n, 1, at: args.call)
            var t = Tensor(rows: n, cols: 1)
            t[k, 0] = 1
            return .tensor(t)
        },
        LibraryFunction("linspace(_ start, _ end, _ count)", .make, "count evenly spaced numbers from start to end, as a column.", example: "linspace(0, 1, 5)") { args, rt in
            let a = try args.positional("start"), b = try args.positional("end")
            let n = try size(&args, "count", rt)
            try args.finish(expected: [])
            guard let lo = try rt.plainNumber(a.value, "linspace's start", at: a.span), let hi = try rt.plainNumber(b.value, "linspace's end", at: b.span) else {
                throw CellError("linspace needs numbers", at: args.call)
            }
            try rt.checkSize(n, 1, at: args.call)
            return .tensor(Tensor(column: (0..<n).map { n == 1 ? lo : lo + (hi - lo) * Double($0) / Double(n - 1) }))
        },
    ]
}
