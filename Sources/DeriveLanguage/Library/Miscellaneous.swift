import DeriveDocument
import DeriveEngine
import Foundation
import SwiftSyntax

/// MLP, output (print, show, plot, heatmap) and sequences (stride, zip).
enum Miscellaneous {
    static func call(_ name: String, _ args: inout Arguments, _ it: Interpreter) throws -> Value {
        switch name {
        case "MLP": return try network(&args, it)
        case "print":
            let text = args.rest().map { Format.plain($0.value) }.joined(separator: " ")
            try args.finish(expected: [])
            it.showPrinted(text)
            return .void
        case "show":
            let value = try args.positional("value")
            let label = args.optionalPositional()
            try args.finish(expected: [])
            it.outputs.append(.value(value.value.display, label: label.map { Format.plain($0.value) }))
            return .void
        case "plot": return try plot(&args, it)
        case "heatmap":
            let m = try it.variable(try args.positional("matrix"), "heatmap's matrix")
            let title = args.optional("title").map { Format.plain($0.value) }
            try args.finish(expected: ["title"])
            it.outputs.append(.heatmap(Heatmap(title: title, rows: m.value.rows, cols: m.value.cols, values: m.value.storage)))
            return .void
        case "stride":
            let from = try it.integer(try args.labeled("from").value, at: args.call, what: "from")
            let by = try it.integer(try args.labeled("by").value, at: args.call, what: "by")
            let through = args.optional("through")
            let to = through == nil ? try args.labeled("to") : nil
            try args.finish(expected: ["from", "to", "through", "by"])
            guard by != 0 else { throw CellError("stride needs a nonzero step", at: args.call) }
            let end = try it.integer((through ?? to!).value, at: args.call, what: "the end")
            let values = through != nil ? Array(Swift.stride(from: from, through: end, by: by)) : Array(Swift.stride(from: from, to: end, by: by))
            try it.checkSize(values.count, 1, at: args.call)
            return .array(values.map { .number(Double($0)) })
        case "zip":
            let a = try args.positional("first sequence"), b = try args.positional("second sequence")
            try args.finish(expected: [])
            let (xs, ys) = (try it.elements(of: a.value, at: a.node), try it.elements(of: b.value, at: b.node))
            return .array(zip(xs, ys).map { .tuple([$0, $1], labels: [nil, nil]) })
        case "Array": return try Library.repeating(&args, interpreter: it)
        case "floor", "ceil", "round":
            let a = try args.positional("number")
            try args.finish(expected: [])
            guard let x = a.value.number else { throw CellError("\(name) needs a number", at: a.node) }
            return .number(name == "floor" ? Foundation.floor(x) : name == "ceil" ? Foundation.ceil(x) : x.rounded())
        case "Double", "Int":
            let a = try args.positional("number")
            try args.finish(expected: [])
            guard let x = a.value.number else { throw CellError("cannot convert \(a.value.typeName) to \(name)", at: a.node) }
            return .number(name == "Int" ? x.rounded(.towardZero) : x)
        case "Tensor":
            throw CellError("'Tensor' is a type, not a function", at: args.call,
                            hint: "write the entries as an array literal ([[1, 2], [3, 4]] is 2×2, [1, 2] a column) or use zeros, ones, randn, eye")
        default:
            throw CellError("unknown function '\(name)'", at: args.call)
        }
    }

    static func network(_ args: inout Arguments, _ it: Interpreter) throws -> Value {
        let sizesArgument = try args.labeled("sizes")
        let sizes: [Int] = switch sizesArgument.value {
        case .array(let items): try items.map { try it.integer($0, at: sizesArgument.node, what: "a layer size") }
        case .tensor(let v): try v.value.storage.map { try it.integer(.number($0), at: sizesArgument.node, what: "a layer size") }
        default: throw CellError("'sizes:' must be a list of layer sizes such as [784, 16, 16, 10]", at: sizesArgument.node)
        }
        var activation = Activation.sigmoid
        if let a = args.optional("activation") {
            guard case .function(let f) = a.value else { throw CellError("'activation:' must be a function such as sigmoid", at: a.node) }
            switch f.kind {
            case .builtin("sigmoid"): activation = .sigmoid
            case .builtin("relu"): activation = .relu
            case .builtin("tanh"): activation = .tanh
            default:
                let apply = try it.differentiable(a, "'activation:'")
                activation = Activation(name: f.name, apply: apply)
            }
        }
        var layout = MLP.Layout.column
        if let l = args.optional("layout") {
            guard case .string(let name) = l.value, let chosen = MLP.Layout(rawValue: name) else {
                throw CellError("'layout:' must be .column or .row", at: l.node)
            }
            layout = chosen
        }
        try args.finish(expected: ["sizes", "activation", "layout"])
        for (n, m) in zip(sizes, sizes.dropFirst()) { try it.checkSize(n, m, at: args.call) }
        return .network(try MLP(sizes: sizes, activation: activation, layout: layout, random: &it.random))
    }

    static func plot(_ args: inout Arguments, _ it: Interpreter) throws -> Value {
        let title = args.optional("title").map { Format.plain($0.value) }
        if let values = args.optional("values") {
            let ys = try numbers(values, it)
            let xs = args.optional("x").map { try? numbers($0, it) } ?? nil
            let label = args.optional("label").map { Format.plain($0.value) } ?? ""
            try args.finish(expected: ["values", "x", "title", "label"])
            it.outputs.append(.plot(Plot(title: title, series: [.init(label: label, xs: xs ?? (1...max(ys.count, 1)).map(Double.init).prefix(ys.count).map { $0 }, ys: ys)])))
            return .void
        }
        let xArgument = try args.labeled("x")
        let xs = try numbers(xArgument, it)
        let functionsArgument = try args.positional("functions")
        let labels = args.optional("labels").map { label -> [String] in
            if case .array(let items) = label.value { return items.map(Format.plain) }
            return [Format.plain(label.value)]
        } ?? []
        try args.finish(expected: ["x", "labels", "title", "values"])
        let functions: [Value] = if case .array(let items) = functionsArgument.value { items } else { [functionsArgument.value] }
        var series: [Plot.Series] = []
        for (k, f) in functions.enumerated() {
            guard case .function(let function) = f else { throw CellError("plot draws functions: pass [f, g]", at: functionsArgument.node) }
            let ys = try xs.map { x -> Double in
                let y = try it.call(function, [.number(x)], at: functionsArgument.node)
                guard let value = y.number else { throw CellError("a plotted function must return a number, not \(y.typeName)", at: functionsArgument.node) }
                return value
            }
            series.append(.init(label: k < labels.count ? labels[k] : function.name, xs: xs, ys: ys))
        }
        it.outputs.append(.plot(Plot(title: title, series: series)))
        return .void
    }

    static func numbers(_ argument: Arguments.Argument, _ it: Interpreter) throws -> [Double] {
        switch argument.value {
        case .tensor(let v): return v.value.storage
        case .array(let items):
            return try items.map { item in
                guard let x = item.number else { throw CellError("expected numbers, found \(item.typeName)", at: argument.node) }
                return x
            }
        case .range(let a, let b): return (a..<b).map(Double.init)
        default: throw CellError("expected numbers (a tensor or an array), not \(argument.value.typeName)", at: argument.node)
        }
    }
}
