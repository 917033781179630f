import DeriveDocument
import DeriveEngine
import Foundation

/// MLP, output (print, show, plot, heatmap) and sequences (stride, zip).
enum Miscellaneous {
    static let entries: [LibraryFunction] = [
        LibraryFunction("MLP(sizes, activation?, layout?)", .networks, "A fully connected network with seeded weights; layers are numbered 1…L as in the notes (.column: z = Wa + b; .row: z = aW + b).", example: "MLP(sizes: [4, 3, 2], activation: sigmoid)") { args, rt in
            try network(&args, rt)
        },
        LibraryFunction("print(_ items...)", .output, "Adds the items, separated by spaces, as a line of text to the cell's output.", example: "print(\"x =\", 3)") { args, rt in
            let text = args.rest().map { Format.plain($0.value) }.joined(separator: " ")
            try args.finish(expected: [])
            rt.showPrinted(text)
            return .void
        },
        LibraryFunction("show(_ value, _ label?)", .output, "Shows a value in the cell's output, with a label.", example: "show(eye(2), \"I\")") { args, rt in
            let value = try args.positional("value")
            let label = args.optionalPositional()
            try args.finish(expected: [])
            rt.outputs.append(.value(value.value.display, label: label.map { Format.plain($0.value) }))
            return .void
        },
        LibraryFunction("plot(x?, _ series?, values?, labels?, label?, title?, yscale?)", .output, "A line chart: functions or values over x (plot(x: xs, [f, ys], labels: …)), or series of values over 1…n (plot(values: [a, b])); yscale: .log draws a logarithmic y axis.", example: "plot(x: linspace(-3, 3, 50), [sigmoid, tanh], labels: [\"σ\", \"tanh\"])") { args, rt in
            try plot(&args, rt)
        },
        LibraryFunction("heatmap(_ matrix, title?)", .output, "Draws a matrix as colours.", example: "heatmap(randn(4, 6), title: \"W\")") { args, rt in
            let m = try rt.variable(try args.positional("matrix"), "heatmap's matrix")
            let title = args.optional("title").map { Format.plain($0.value) }
            try args.finish(expected: ["title"])
            rt.outputs.append(.heatmap(Heatmap(title: title, rows: m.value.rows, cols: m.value.cols, values: m.value.storage)))
            return .void
        },
        LibraryFunction("stride(from, to?, through?, by)", .sequences, "The numbers from a start by a step, up to (to:) or including (through:) an end.", example: "stride(from: 0, to: 10, by: 3)") { args, rt in
            let from = try rt.integer(try args.labeled("from").value, at: args.call, what: "from")
            let by = try rt.integer(try args.labeled("by").value, at: args.call, what: "by")
            let through = args.optional("through")
            let to = through == nil ? try args.labeled("to") : nil
            try args.finish(expected: ["from", "to", "through", "by"])
            guard by != 0 else { throw CellError("stride needs a nonzero step", at: args.call) }
            let end = try rt.integer((through ?? to!).value, at: args.call, what: "the end")
            let count = through != nil ? (end - from) / by + 1 : (end - from + by - (by > 0 ? 1 : -1)) / by
            try rt.checkLength(Swift.max(0, count), "a stride", at: args.call)
            let values = through != nil ? Array(Swift.stride(from: from, through: end, by: by)) : Array(Swift.stride(from: from, to: end, by: by))
            return .array(values.map { .number(Double($0)) })
        },
        LibraryFunction("zip(_ first, _ second)", .sequences, "Pairs of elements of two sequences, as tuples, as long as the shorter.", example: "zip([1, 2, 3], [4, 5, 6])") { args, rt in
            let a = try args.positional("first sequence"), b = try args.positional("second sequence")
            try args.finish(expected: [])
            let (xs, ys) = (try rt.elements(of: a.value, at: a.span), try rt.elements(of: b.value, at: b.span))
            return .array(zip(xs, ys).map { .tuple([$0, $1], labels: [nil, nil]) })
        },
        LibraryFunction("Array(repeating, count)", .sequences, "An array of count copies of a value (also [Tensor](repeating:count:)).", example: "Array(repeating: 0, count: 3)") { args, rt in
            if args.count == 0 { return .array([]) }
            let value = try args.labeled("repeating").value
            let count = try rt.integer(try args.labeled("count").value, at: args.call, what: "count")
            try args.finish(expected: ["repeating", "count"])
            guard count >= 0 else { throw CellError("cannot make an array of \(count) elements", at: args.call) }
            try rt.checkLength(count, "an array", at: args.call)
            return .array(Array(repeating: value, count: count))
        },
        rounding("floor", "The largest integer not above x.", Foundation.floor),
        rounding("ceil", "The smallest integer not below x.", Foundation.ceil),
        rounding("round", "x rounded to the nearest integer (halves away from zero).") { $0.rounded() },
        LibraryFunction("Double(_ x)", .numbers, "x as a number (all numbers are Doubles).", example: "Double(3)") { args, rt in
            try conversion(&args, rt, "Double") { $0 }
        },
        LibraryFunction("Int(_ x)", .numbers, "x truncated toward zero, as Swift's Int(x) does.", example: "Int(-2.7)") { args, rt in
            try conversion(&args, rt, "Int") { $0.rounded(.towardZero) }
        },
        LibraryFunction("String(_ x)", .numbers, "x as text, as print shows it.", example: "String(2.5)") { args, rt in
            let a = try args.positional("value")
            try args.finish(expected: [])
            return .string(Format.plain(a.value))
        },
    ]

    static func rounding(_ name: String, _ summary: String, _ f: @escaping (Double) -> Double) -> LibraryFunction {
        LibraryFunction("\(name)(_ x)", .numbers, summary, example: "\(name)(2.5)") { args, rt in
            try conversion(&args, rt, name, f)
        }
    }

    static func conversion(_ args: inout Arguments, _ rt: Runtime, _ name: String, _ f: (Double) -> Double) throws -> Value {
        let a = try args.positional("number")
        try args.finish(expected: [])
        guard let x = try rt.plainNumber(a.value, "\(name)(…)", at: a.span) else { throw CellError("cannot convert \(a.value.typeName) to \(name)", at: a.span) }
        return .number(f(x))
    }

    static func network(_ args: inout Arguments, _ it: Runtime) throws -> Value {
        let sizesArgument = try args.labeled("sizes")
        let sizes: [Int] = switch sizesArgument.value {
        case .array(let items): try items.map { try it.integer($0, at: sizesArgument.span, what: "a layer size") }
        case .tensor(let v): try v.value.storage.map { try it.integer(.number($0), at: sizesArgument.span, what: "a layer size") }
        default: throw CellError("'sizes:' must be a list of layer sizes such as [784, 16, 16, 10]", at: sizesArgument.span)
        }
        var activation = Activation.sigmoid
        if let a = args.optional("activation") {
            guard case .function(let f) = a.value else { throw CellError("'activation:' must be a function such as sigmoid", at: a.span) }
            let library = if case .library(let entry) = f.body { entry.name } else { "" }
            switch library {
            case "sigmoid": activation = .sigmoid
            case "relu": activation = .relu
            case "tanh": activation = .tanh
            default:
                let apply = try it.differentiable(a, "'activation:'")
                activation = Activation(name: f.name, apply: apply)
            }
        }
        var layout = MLP.Layout.column
        if let l = args.optional("layout") {
            guard case .string(let name) = l.value, let chosen = MLP.Layout(rawValue: name) else {
                throw CellError("'layout:' must be .column or .row", at: l.span)
            }
            layout = chosen
        }
        try args.finish(expected: ["sizes", "activation", "layout"])
        for (n, m) in zip(sizes, sizes.dropFirst()) { try it.checkSize(n, m, at: args.call) }
        return .network(try MLP(sizes: sizes, activation: activation, layout: layout, random: &it.random))
    }

    /// `plot(x: xs, [f, ys], labels: …)`: each series a function of x, or its values at the xs;
    /// `plot(values: ys)` or `plot(values: [a, b], labels: …)`: values over 1…n.
    static func plot(_ args: inout Arguments, _ it: Runtime) throws -> Value {
        let title = args.optional("title").map { Format.plain($0.value) }
        let scale = try args.optional("yscale").map { a -> Plot.Scale in
            guard case .string(let name) = a.value, let scale = Plot.Scale(rawValue: name) else { throw CellError("'yscale:' is .linear or .log", at: a.span) }
            return scale
        } ?? .linear
        var labels = args.optional("labels").map { label -> [String] in
            if case .array(let items) = label.value { return items.map(Format.plain) }
            return [Format.plain(label.value)]
        } ?? []
        if let label = args.optional("label") { labels = [Format.plain(label.value)] }
        let xArgument = args.optional("x")
        let xs = try xArgument.map { try numbers($0, it) }
        var series: [Plot.Series] = []
        if let values = args.optional("values") {
            try args.finish(expected: ["values", "x", "title", "label", "labels", "yscale"])
            for (k, ys) in try seriesValues(values, it).enumerated() {
                let x = xs ?? (0..<ys.count).map { Double($0 + 1) }
                guard x.count == ys.count else { throw CellError("x has \(x.count) values but series \(k + 1) has \(ys.count)", at: values.span) }
                series.append(.init(label: k < labels.count ? labels[k] : "", xs: x, ys: ys))
            }
        } else {
            guard let xArgument, let xs else { throw CellError("plot needs x: (with functions or values to draw over it) or values:", at: args.call) }
            let list = try args.positional("functions or values")
            try args.finish(expected: ["x", "labels", "label", "title", "values", "yscale"])
            let items: [Value] = if case .array(let items) = list.value, items.contains(where: { $0.number == nil }) { items } else { [list.value] }
            for (k, item) in items.enumerated() {
                let ys: [Double]
                var name = ""
                if case .function(let function) = item {
                    name = function.name == "closure" ? "" : function.name
                    ys = try xs.map { x -> Double in
                        let y = try it.call(function, [.number(x)], at: list.span)
                        guard let value = y.number else { throw CellError("a plotted function must return a number, not \(y.typeName)", at: list.span) }
                        return value
                    }
                } else {
                    ys = try numbers(Arguments.Argument(label: nil, value: item, span: list.span), it)
                    guard ys.count == xs.count else { throw CellError("series \(k + 1) has \(ys.count) values for \(xs.count) values of x", at: list.span) }
                }
                series.append(.init(label: k < labels.count ? labels[k] : name, xs: xs, ys: ys))
            }
            _ = xArgument
        }
        if scale == .log {
            for (k, s) in series.enumerated() {
                if let i = s.ys.firstIndex(where: { !($0 > 0) && !$0.isNaN }) {
                    let which = s.label.isEmpty ? "series \(k + 1)" : "'\(s.label)'"
                    throw CellError("yscale: .log needs positive values, but \(which) is \(Format.number(s.ys[i])) at x = \(Format.number(s.xs[i]))", at: args.call,
                                    hint: "plot abs(…) or drop the non-positive values")
                }
            }
        }
        it.outputs.append(.plot(Plot(title: title, series: series, yScale: scale)))
        return .void
    }

    /// One series (numbers) or several (an array of number lists or tensors).
    static func seriesValues(_ argument: Arguments.Argument, _ it: Runtime) throws -> [[Double]] {
        if case .array(let items) = argument.value, items.contains(where: { $0.number == nil }) {
            return try items.map { try numbers(Arguments.Argument(label: nil, value: $0, span: argument.span), it) }
        }
        return [try numbers(argument, it)]
    }

    static func numbers(_ argument: Arguments.Argument, _ it: Runtime) throws -> [Double] {
        switch argument.value {
        case .tensor(let v): return v.value.storage
        case .array(let items):
            return try items.map { item in
                guard let x = item.number else { throw CellError("expected numbers, found \(item.typeName)", at: argument.span) }
                return x
            }
        case .range(let a, let b):
            try it.checkLength(Swift.max(0, b - a), "a range", at: argument.span)
            return (a..<b).map(Double.init)
        default: throw CellError("expected numbers (a tensor or an array), not \(argument.value.typeName)", at: argument.span)
        }
    }
}
