import DeriveEngine

/// Properties and methods of values (`x.T`, `xs.count`, `net.forward(x)`), dispatched on the
/// receiver when the cell runs. The method names are known when a cell compiles, so a misspelt
/// one is reported before anything runs.
enum Members {
    static let tensorProperties = ["T", "shape", "rows", "cols", "count"]
    static let arrayProperties = ["count", "isEmpty", "first", "last"]
    static let networkProperties = ["W", "b", "L", "sizes", "parameterCount"]
    static let passProperties = ["z", "a", "output"]
    static let comparisonProperties = ["passed", "maxAbsError"]

    static let arrayMethods = ["append", "map", "filter", "reduce", "reversed", "enumerated", "min", "max", "sorted", "contains"]
    static let tensorMethods = ["reshaped", "transposed", "map", "sorted"]
    /// Reductions are methods too (`x.sum(axis: 0)`, `x.argmax()`): the library function with the receiver first.
    static let reductionMethods = ["sum", "mean", "max", "min", "norm", "argmax", "argmin", "prod", "variance", "std", "cumsum"]
    static let networkMethods = ["forward", "with"]
    static let methodNames = Set(arrayMethods + tensorMethods + networkMethods + reductionMethods)
}

extension Runtime {
    func property(_ name: String, of base: Value, at span: Span) throws -> Value {
        func missing(_ known: [String]) -> CellError {
            let hint = EditDistanceHint.closest(to: name, in: known).map { "did you mean '\($0)'?" }
            return CellError("\(base.typeName) has no member '\(name)'", at: span, hint: hint)
        }
        switch base {
        case .tensor(let v):
            switch name {
            case "T": return .tensor(v.T)
            case "shape": return .tuple([.number(Double(v.value.rows)), .number(Double(v.value.cols))], labels: ["rows", "cols"])
            case "rows": return .number(Double(v.value.rows))
            case "cols": return .number(Double(v.value.cols))
            case "count": return .number(Double(v.value.count))
            default: throw missing(Members.tensorProperties + Members.tensorMethods)
            }
        case .number(let x):
            switch name {
            case "T": return .number(x)
            case "shape": return .tuple([.number(1), .number(1)], labels: ["rows", "cols"])
            case "rows", "cols", "count": return .number(1)
            default: throw missing(Members.tensorProperties)
            }
        case .array(let items):
            switch name {
            case "count": return .number(Double(items.count))
            case "isEmpty": return .bool(items.isEmpty)
            case "first", "last":
                // There are no optionals: the element itself, and an empty array is an error.
                guard let item = name == "first" ? items.first : items.last else { throw CellError("the array is empty: it has no \(name) element", at: span) }
                return item
            default: throw missing(Members.arrayProperties + Members.arrayMethods)
            }
        case .range(let a, let b):
            switch name {
            case "count": return .number(Double(Swift.max(0, b - a)))
            case "isEmpty": return .bool(b <= a)
            default: throw missing(["count", "isEmpty", "reversed", "map"])
            }
        case .string(let s):
            switch name {
            case "count": return .number(Double(s.count))
            case "isEmpty": return .bool(s.isEmpty)
            default: throw missing(["count", "isEmpty"])
            }
        case .tuple(let items, let labels):
            if let i = Int(name), items.indices.contains(i) { return items[i] }
            if let i = labels.firstIndex(of: name) { return items[i] }
            throw missing(labels.compactMap { $0 })
        case .network(let net):
            switch name {
            case "W": return .array(net.W.map { .tensor($0) })
            case "b": return .array(net.b.map { .tensor($0) })
            case "L": return .number(Double(net.L))
            case "sizes": return .array(net.sizes.map { .number(Double($0)) })
            case "parameterCount": return .number(Double(net.parameterCount))
            default: throw missing(Members.networkProperties + Members.networkMethods)
            }
        case .forwardPass(let pass):
            switch name {
            case "z": return .array(pass.z.map { .tensor($0) })
            case "a": return .array(pass.a.map { .tensor($0) })
            case "output": return .tensor(pass.output)
            default: throw missing(Members.passProperties)
            }
        case .comparison(let result, let passed):
            switch name {
            case "passed": return .bool(passed)
            case "maxAbsError": return .number(result.maxAbsError ?? .nan)
            default: throw missing(Members.comparisonProperties)
            }
        case .box(let box):
            return try property(name, of: box.value, at: span)
        case .bool, .function, .void:
            throw CellError("\(base.typeName) has no member '\(name)'", at: span)
        }
    }

    func method(_ name: String, of base: Value, _ items: [Arguments.Argument], at span: Span, nameAt: Span) throws -> Value {
        var args = Arguments(items, call: span, function: ".\(name)")
        func function(_ what: String) throws -> Function {
            let f = try args.positional(what)
            guard case .function(let function) = f.value else { throw CellError(".\(name) needs a function", at: f.span) }
            return function
        }
        switch (base, name) {
        case (.array, "map"), (.range, "map"):
            let f = try function("transform")
            try args.finish(expected: [])
            return .array(try elements(of: base, at: span).map { try self.call(f, [$0], at: span) })
        case (.array, "filter"), (.range, "filter"):
            let f = try function("condition")
            try args.finish(expected: [])
            return .array(try elements(of: base, at: span).filter { try truth(try self.call(f, [$0], at: span), at: span) })
        case (.array, "reduce"), (.range, "reduce"):
            var accumulator = try args.positional("initial value").value
            let f = try function("combine")
            try args.finish(expected: [])
            for element in try elements(of: base, at: span) { accumulator = try self.call(f, [accumulator, element], at: span) }
            return accumulator
        case (.array, "reversed"), (.range, "reversed"):
            try args.finish(expected: [])
            return .array(try elements(of: base, at: span).reversed())
        case (.array, "enumerated"), (.range, "enumerated"):
            try args.finish(expected: [])
            return .array(try elements(of: base, at: span).enumerated().map { .tuple([.number(Double($0.offset)), $0.element], labels: ["offset", "element"]) })
        case (.array(let values), "min"), (.array(let values), "max"):
            try args.finish(expected: [])
            guard var best = values.first else { throw CellError("the array is empty: it has no \(name == "min" ? "smallest" : "largest") element", at: span) }
            for v in values.dropFirst() where try order(name == "min" ? .less : .greater, v, best, at: span) { best = v }
            return best
        case (.array(let values), "sorted"):
            try args.finish(expected: [])
            var failure: Error?
            let sorted = values.sorted { a, b in
                do { return try order(.less, a, b, at: span) } catch { failure = error; return false }
            }
            if let failure { throw failure }
            return .array(sorted)
        case (.array, "contains"), (.range, "contains"):
            let item = try args.positional("element").value
            try args.finish(expected: [])
            if case .range(let a, let b) = base, let x = item.number { return .bool(x >= Double(a) && x < Double(b) && x == x.rounded()) }
            return .bool(try elements(of: base, at: span).contains { try equals($0, item, at: span) })
        case (.tensor(let v), "reshaped"):
            let r = try integer(try args.positional("rows").value, at: span, what: "rows")
            let c = try integer(try args.positional("columns").value, at: span, what: "columns")
            try args.finish(expected: [])
            return .tensor(try engine(span) { try v.reshaped(r, c) })
        case (.tensor(let v), "transposed"):
            try args.finish(expected: [])
            return .tensor(v.T)
        case (.tensor(let v), "map"):
            let f = try function("transform")
            try args.finish(expected: [])
            return try mapEntries(v, f, at: span)
        case (.tensor(let v), "sorted") where v.value.isVector:
            try args.finish(expected: [])
            try requireConstant(v, "sorted()", at: span)
            return .tensor(Tensor(rows: v.value.rows, cols: v.value.cols, storage: v.value.storage.sorted()))
        case (.tensor, _) where Members.reductionMethods.contains(name), (.number, _) where Members.reductionMethods.contains(name):
            guard let entry = Library.byName[name] else { throw CellError("\(base.typeName) has no method '\(name)'", at: nameAt) }
            var call = Arguments([Arguments.Argument(label: nil, value: base, span: span)] + items, call: span, function: name)
            try entry.validate(&call)
            return try entry.invoke(&call, self)
        case (.network(let net), "forward"):
            return try forward(net, &args, at: span)
        case (.network(let net), "with"):
            if let w = args.optional("W") {
                let l = try integer(try args.labeled("at").value, at: span, what: "a layer")
                try args.finish(expected: ["W", "at"])
                let value = try variable(w, "W")
                return .network(try engine(span) { try net.with(W: value, at: l) })
            }
            let b = try args.labeled("b")
            let l = try integer(try args.labeled("at").value, at: span, what: "a layer")
            try args.finish(expected: ["b", "at"])
            let value = try variable(b, "b")
            return .network(try engine(span) { try net.with(b: value, at: l) })
        case (.box(let box), _):
            return try method(name, of: box.value, items, at: span, nameAt: nameAt)
        default:
            let known: [String] = switch base {
            case .array: Members.arrayMethods
            case .tensor: Members.tensorMethods + Members.reductionMethods
            case .network: Members.networkMethods
            default: []
            }
            throw CellError("\(base.typeName) has no method '\(name)'", at: nameAt,
                            hint: EditDistanceHint.closest(to: name, in: known).map { "did you mean '\($0)'?" })
        }
    }

    /// `x.map { … }`: the function applied to each entry; differentiable when x is.
    func mapEntries(_ v: Variable, _ f: Function, at span: Span) throws -> Value {
        let t = v.value
        try checkLength(t.count, "a map", at: span)
        if !v.isTraced {
            var out = t
            for k in 0..<t.count {
                let y = try call(f, [.number(t.storage[k])], at: span)
                guard let x = y.number else { throw CellError("x.map needs a function that returns a number, not \(y.typeName)", at: span) }
                out.storage[k] = x
            }
            return .tensor(out)
        }
        let entries = try (0..<t.count).map { k -> Variable in
            let y = try call(f, [.tensor(try engine(span) { try v.entry(k / t.cols, k % t.cols) })], at: span)
            guard let e = y.variable, e.value.isScalar else { throw CellError("x.map needs a function that returns a number, not \(y.typeName)", at: span) }
            return e
        }
        return .tensor(try engine(span) { try vstack(entries).reshaped(t.rows, t.cols) })
    }

    func forward(_ net: MLP, _ args: inout Arguments, at span: Span) throws -> Value {
        if let from = args.optional("from") {
            let l = try integer(from.value, at: from.span, what: "a layer")
            let z = try variable(try args.labeled("z"), "z")
            try args.finish(expected: ["from", "z"])
            return .tensor(try engine(span) { try net.forward(from: l, z: z) })
        }
        let x = try variable(try args.positional("input"), "the input")
        try args.finish(expected: ["from", "z"])
        return .forwardPass(try engine(span) { try net.forward(x) })
    }
}
