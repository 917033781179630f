import DeriveEngine
import SwiftSyntax

/// zeros, ones, eye, full, randn, rand, randint, diag, oneHot, linspace.
enum Construction {
    static func call(_ name: String, _ args: inout Arguments, _ it: Interpreter) throws -> Value {
        func size(_ what: String) throws -> Int {
            let a = try args.positional(what)
            let n = try it.integer(a.value, at: a.node, what: what)
            guard n >= 0 else { throw CellError("\(what) cannot be negative (\(n))", at: a.node) }
            return n
        }
        func optionalSize(_ default: Int) throws -> Int {
            guard let a = args.optionalPositional() else { return `default` }
            return try it.integer(a.value, at: a.node, what: "columns")
        }
        switch name {
        case "zeros", "ones":
            let (r, c) = (try size("rows"), try size("columns"))
            try args.finish(expected: [])
            try it.checkSize(r, c, at: args.call)
            return .tensor(Tensor(rows: r, cols: c, repeating: name == "ones" ? 1 : 0))
        case "full":
            let (r, c) = (try size("rows"), try size("columns"))
            let v = try args.positional("value")
            try args.finish(expected: [])
            guard let x = v.value.number else { throw CellError("full needs a number to fill with", at: v.node) }
            try it.checkSize(r, c, at: args.call)
            return .tensor(Tensor(rows: r, cols: c, repeating: x))
        case "eye":
            let n = try size("size")
            try args.finish(expected: [])
            try it.checkSize(n, n, at: args.call)
            var t = Tensor(rows: n, cols: n)
            for i in 0..<n { t[i, i] = 1 }
            return .tensor(t)
        case "randn", "rand":
            let r = try size("rows")
            let c = try optionalSize(1)
            try args.finish(expected: [])
            try it.checkSize(r, c, at: args.call)
            let t = name == "randn" ? it.random.randn(r, c) : it.random.rand(r, c)
            it.forAll?.draws.append("\(name)(\(r), \(c))")
            return .tensor(t)
        case "randint":
            let a = try args.positional("range")
            try args.finish(expected: [])
            guard case .range(let lo, let hi) = a.value, hi > lo else { throw CellError("randint needs a range such as 2...6", at: a.node) }
            let n = it.random.integer(in: lo...(hi - 1))
            it.forAll?.draws.append("randint → \(n)")
            return .number(Double(n))
        case "diag":
            let v = try it.variable(try args.positional("vector or matrix"), "diag's argument")
            try args.finish(expected: [])
            try it.checkSize(v.value.count, v.value.count, at: args.call)
            return .tensor(try diag(v))
        case "oneHot":
            let k = try size("index"), n = try size("size")
            try args.finish(expected: [])
            guard k < n else { throw CellError("oneHot(\(k), \(n)): the index must be below the size (0-based)", at: args.call) }
            try it.checkSize(n, 1, at: args.call)
            var t = Tensor(rows: n, cols: 1)
            t[k, 0] = 1
            return .tensor(t)
        case "linspace":
            let a = try args.positional("start"), b = try args.positional("end")
            let n = try size("count")
            try args.finish(expected: [])
            guard let lo = a.value.number, let hi = b.value.number else { throw CellError("linspace needs numbers", at: args.call) }
            try it.checkSize(n, 1, at: args.call)
            return .tensor(Tensor(column: (0..<n).map { n == 1 ? lo : lo + (hi - lo) * Double($0) / Double(n - 1) }))
        default:
            throw CellError("unknown function '\(name)'", at: args.call)
        }
    }
}
