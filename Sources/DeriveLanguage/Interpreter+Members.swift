import DeriveEngine
import SwiftSyntax

extension Interpreter {
    func member(_ e: MemberAccessExprSyntax, in scope: Scope) throws -> Value {
        let name = e.declName.baseName.text
        guard let baseExpr = e.base else { return .string(name) }  // `.column`, `.row`
        if let type = baseExpr.as(DeclReferenceExprSyntax.self)?.baseName.text, type == "Double", scope.lookup("Double") == nil {
            switch name {
            case "pi": return .number(Double.pi)
            case "infinity": return .number(.infinity)
            default: throw CellError("Double has no member '\(name)' in cells", at: e.declName)
            }
        }
        return try property(name, of: try evaluate(baseExpr, in: scope), at: e)
    }

    func property(_ name: String, of base: Value, at e: MemberAccessExprSyntax) throws -> Value {
        func missing(_ known: [String]) -> CellError {
            let hint = EditDistanceHint.closest(to: name, in: known).map { "did you mean '\($0)'?" }
            return CellError("\(base.typeName) has no member '\(name)'", at: e.declName, hint: hint)
        }
        switch base {
        case .tensor(let v):
            switch name {
            case "T": return .tensor(v.T)
            case "shape": return .tuple([.number(Double(v.value.rows)), .number(Double(v.value.cols))], labels: ["rows", "cols"])
            case "rows": return .number(Double(v.value.rows))
            case "cols": return .number(Double(v.value.cols))
            case "count": return .number(Double(v.value.count))
            default: throw missing(["T", "shape", "rows", "cols", "count", "reshaped"])
            }
        case .number(let x):
            switch name {
            case "T": return .number(x)
            case "shape": return .tuple([.number(1), .number(1)], labels: ["rows", "cols"])
            default: throw missing(["T", "shape"])
            }
        case .array(let items):
            switch name {
            case "count": return .number(Double(items.count))
            case "isEmpty": return .bool(items.isEmpty)
            case "first", "last":
                guard let item = name == "first" ? items.first : items.last else { throw CellError("the array is empty: it has no \(name) element", at: e) }
                return item
            default: throw missing(["count", "isEmpty", "first", "last", "append", "map", "reduce", "reversed", "enumerated"])
            }
        case .range(let a, let b):
            if name == "count" { return .number(Double(max(0, b - a))) }
            throw missing(["count", "reversed", "map"])
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
            default: throw missing(["W", "b", "L", "sizes", "parameterCount", "forward", "with"])
            }
        case .forwardPass(let pass):
            switch name {
            case "z": return .array(pass.z.map { .tensor($0) })
            case "a": return .array(pass.a.map { .tensor($0) })
            case "output": return .tensor(pass.output)
            default: throw missing(["z", "a", "output"])
            }
        case .comparison(let result, let passed):
            switch name {
            case "passed": return .bool(passed)
            case "maxAbsError": return .number(result.maxAbsError ?? .nan)
            default: throw missing(["passed", "maxAbsError"])
            }
        default:
            throw CellError("\(base.typeName) has no member '\(name)'", at: e.declName)
        }
    }

    func method(_ name: String, of baseExpr: ExprSyntax, arguments items: [Arguments.Argument], call: FunctionCallExprSyntax, in scope: Scope) throws -> Value {
        let base = try evaluate(baseExpr, in: scope)
        var args = Arguments(items, call: call, function: ".\(name)")
        switch (base, name) {
        case (.array(let array), "append"):
            let item = try args.positional("element")
            try args.finish(expected: [])
            try assign(.array(array + [item.value]), to: baseExpr, in: scope)
            return .void
        case (.array, "map"), (.range, "map"):
            let f = try args.positional("transform")
            try args.finish(expected: [])
            guard case .function(let function) = f.value else { throw CellError(".map needs a function", at: f.node) }
            return .array(try elements(of: base, at: baseExpr).map { try self.call(function, [$0], at: call) })
        case (.array, "filter"):
            let f = try args.positional("condition")
            guard case .function(let function) = f.value else { throw CellError(".filter needs a function", at: f.node) }
            return .array(try elements(of: base, at: baseExpr).filter { try truth(try self.call(function, [$0], at: call), at: call) })
        case (.array, "reduce"), (.range, "reduce"):
            var accumulator = try args.positional("initial value").value
            let f = try args.positional("combine")
            try args.finish(expected: [])
            guard case .function(let function) = f.value else { throw CellError(".reduce needs a function", at: f.node) }
            for element in try elements(of: base, at: baseExpr) { accumulator = try self.call(function, [accumulator, element], at: call) }
            return accumulator
        case (.array, "reversed"), (.range, "reversed"):
            try args.finish(expected: [])
            return .array(try elements(of: base, at: baseExpr).reversed())
        case (.array, "enumerated"), (.range, "enumerated"):
            try args.finish(expected: [])
            return .array(try elements(of: base, at: baseExpr).enumerated().map { .tuple([.number(Double($0.offset)), $0.element], labels: ["offset", "element"]) })
        case (.tensor(let v), "reshaped"):
            let r = try integer(try args.positional("rows").value, at: call, what: "rows")
            let c = try integer(try args.positional("columns").value, at: call, what: "columns")
            try args.finish(expected: [])
            return .tensor(try engine(call) { try v.reshaped(r, c) })
        case (.network(let net), "forward"):
            return try forward(net, &args, at: call)
        case (.network(let net), "with"):
            if let w = args.optional("W") {
                let l = try integer(try args.labeled("at").value, at: call, what: "a layer")
                try args.finish(expected: ["W", "at"])
                let value = try variable(w, "W")
                return .network(try engine(call) { try net.with(W: value, at: l) })
            }
            let b = try args.labeled("b")
            let l = try integer(try args.labeled("at").value, at: call, what: "a layer")
            try args.finish(expected: ["b", "at"])
            let value = try variable(b, "b")
            return .network(try engine(call) { try net.with(b: value, at: l) })
        default:
            throw CellError("\(base.typeName) has no method '\(name)'", at: call.calledExpression,
                            hint: EditDistanceHint.closest(to: name, in: Self.methods(of: base)).map { "did you mean '\($0)'?" })
        }
    }

    static func methods(of base: Value) -> [String] {
        switch base {
        case .array: ["append", "map", "filter", "reduce", "reversed", "enumerated"]
        case .tensor: ["reshaped"]
        case .network: ["forward", "with"]
        default: []
        }
    }

    func forward(_ net: MLP, _ args: inout Arguments, at call: FunctionCallExprSyntax) throws -> Value {
        if let from = args.optional("from") {
            let l = try integer(from.value, at: from.node, what: "a layer")
            let z = try variable(try args.labeled("z"), "z")
            try args.finish(expected: ["from", "z"])
            return .tensor(try engine(call) { try net.forward(from: l, z: z) })
        }
        let x = try variable(try args.positional("input"), "the input")
        try args.finish(expected: ["from", "z"])
        return .forwardPass(try engine(call) { try net.forward(x) })
    }
}
