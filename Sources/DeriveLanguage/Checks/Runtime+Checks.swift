import DeriveDocument
import DeriveEngine
import Foundation

/// One `step(…)` of a `checkChainRule` block.
struct ChainStep {
    var name: String
    var function: (Variable) throws -> Variable
    var jacobian: Function
    var span: Span
}

/// The checks, as library entries: each records a row in the cell's output.
enum CheckFunctions {
    static func entry(_ signature: String, _ summary: String, example: String) -> LibraryFunction {
        LibraryFunction(signature, .checks, summary, example: example) { args, rt in
            try rt.check(args.function, &args)
        }
    }

    static let entries: [LibraryFunction] = [
        entry("check(_ condition, _ label?)", "A Bool, or a '≈' comparison reported in full.", example: "check(sum([1, 2]) ≈ 3, \"1 + 2 = 3\")"),
        entry("checkGradient(at x, in f, equals g, _ label?)", "The author's gradient g of f at x: x's shape first (the shape convention), then values against the numerical gradient.", example: "checkGradient(at: [1, 2], in: { v in sum(v ⊙ v) }, equals: 2 * [1, 2])"),
        entry("checkJacobian(at x, in f, equals J, _ label?)", "J is the m×n Jacobian of f at x (vec order), against the numerical Jacobian.", example: "checkJacobian(at: [1, 2], in: { v in 3 * v }, equals: 3 * eye(2))"),
        entry("checkDerivative(at x, in f, equals d, _ label?)", "d is f′ at x (entrywise for an elementwise f), against the numerical derivative.", example: "checkDerivative(at: 0.5, in: tanh, equals: 1 - pow(tanh(0.5), 2))"),
        entry("checkChainRule(at x, _ label?, _ steps)", "Each step's local Jacobian at its own input, and their product against the Jacobian of the whole composition.", example: "checkChainRule(at: [1, 2]) { step(\"double\", { v in 2 * v }, jacobian: { _ in 2 * eye(2) }) }"),
        entry("step(_ name, _ function, jacobian)", "One step of a checkChainRule block, with the author's Jacobian as a function of the step's input.", example: "checkChainRule(at: [0.5]) { step(\"sin\", sin, jacobian: { v in diag(cos(v)) }) }"),
        entry("checkDeltas(_ net, input, loss, equals, _ label?)", "The author's δ^l for l = 1…L (index 0 unused) against the numerical ∂C/∂z^l, naming the first wrong layer.", example: "let net = MLP(sizes: [2, 2]); let f = net.forward([1, 2]); checkDeltas(net, input: [1, 2], loss: { a in sum(a) }, equals: [zeros(0, 0), derivative(at: f.z[1], in: sigmoid)])"),
        entry("checkParameterGradients(_ net, input, loss, weights, biases, _ label?)", "The author's ∂C/∂W^l and ∂C/∂b^l for every layer, shape convention first.", example: "let net = MLP(sizes: [2, 1]); let f = net.forward([1, 2]); let d = derivative(at: f.z[1], in: sigmoid); checkParameterGradients(net, input: [1, 2], loss: { a in sum(a) }, weights: [zeros(0, 0), d * [1, 2].T], biases: [zeros(0, 0), d])"),
        entry("forAll(trials?, _ block)", "Runs the block with fresh random draws; each check inside passes only if it passes in every trial.", example: "forAll(trials: 5) { let x = randn(3); check(sum(x) ≈ sum(x.T)) }"),
    ]
}

extension Runtime {
    /// The source text of a span (a check's row shows it when it has no label).
    func text(of span: Span) -> String {
        sourceMaps[span.cell]?.text(of: span).trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    func location(of span: Span) -> SourceLocation {
        sourceMaps[span.cell]?.location(of: span) ?? SourceLocation(line: 0, column: 0)
    }

    /// `x` from `at: x`.
    static func argumentText(_ text: String) -> String {
        guard let colon = text.firstIndex(of: ":") else { return text }
        return text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// Runs a check and records its row.
    func check(_ name: String, _ args: inout Arguments) throws -> Value {
        let node = args.call
        switch name {
        case "check":
            let condition = try args.positional("condition")
            let label = try optionalLabel(&args)
            try args.finish(expected: [])
            switch condition.value {
            case .bool(let passed):
                record(CheckRow(kind: .check, label: label, source: text(of: node), location: location(of: node), passed: passed,
                                diagnosis: passed ? [] : ["the condition is false"]), at: node)
            case .comparison(let comparison, _):
                record(row(.check, label, comparison, at: node), at: node)
            default:
                throw CellError("check needs a Bool or a '≈' comparison, not \(condition.value.typeName)", at: condition.span)
            }
        case "checkGradient", "checkJacobian", "checkDerivative":
            let point = try args.labeled("at")
            let x = try variable(point, "'at:'").value
            // Messages name x as the author wrote it: "the shape convention wants b's shape".
            let written = Self.argumentText(text(of: point.span))
            let subject = written.count <= 12 ? written : "x"
            let f = try differentiable(try args.labeled("in"), "'in:'")
            let claimed = try variable(try args.labeled("equals"), "'equals:'").value
            let label = try optionalLabel(&args)
            try args.finish(expected: ["at", "in", "equals"])
            let comparison: Comparison
            let kind: CheckRow.Kind
            switch name {
            case "checkGradient": (comparison, kind) = (try Checks.gradient(at: x, in: f, equals: claimed, tolerance: tolerance, subject: subject), .gradient)
            case "checkJacobian": (comparison, kind) = (try Checks.jacobian(at: x, in: f, equals: claimed, tolerance: tolerance), .jacobian)
            default: (comparison, kind) = (try Checks.derivative(at: x, in: f, equals: claimed, tolerance: tolerance, subject: subject), .derivative)
            }
            record(row(kind, label, comparison, at: node), at: node)
        case "checkChainRule": try checkChainRule(&args)
        case "step":
            guard chainSteps != nil else { throw CellError("step(…) belongs inside a checkChainRule { … } block", at: node) }
            let title = try args.positional("name")
            let f = try differentiable(try args.positional("function"), "the step's function")
            let jacobian = try args.labeled("jacobian")
            try args.finish(expected: ["jacobian"])
            guard case .function(let J) = jacobian.value else { throw CellError("'jacobian:' must be a function of the step's input", at: jacobian.span) }
            chainSteps?.append(ChainStep(name: Format.plain(title.value), function: f, jacobian: J, span: node))
        case "checkDeltas", "checkParameterGradients": try checkNetwork(name, &args)
        case "forAll": try runForAll(&args)
        default: throw CellError("unknown check '\(name)'", at: node)
        }
        return .void
    }

    /// The optional trailing label string of a check.
    func optionalLabel(_ args: inout Arguments) throws -> String? {
        guard let argument = args.optionalPositional() else { return nil }
        guard case .string(let label) = argument.value else {
            throw CellError("a check's last argument is its label, a string; got \(argument.value.typeName)", at: argument.span)
        }
        return label
    }

    func row(_ kind: CheckRow.Kind, _ label: String?, _ comparison: Comparison, at node: Span) -> CheckRow {
        CheckRow(kind: kind, label: label, source: text(of: node), location: location(of: node), passed: comparison.passed,
                 maxAbsError: comparison.maxAbsError, maxRelError: comparison.maxRelError,
                 reference: comparison.reference.isEmpty ? nil : comparison.reference,
                 diagnosis: comparison.diagnosis, notes: comparison.notes,
                 worst: comparison.worst.map { WorstEntry(row: $0.row, col: $0.col, actual: $0.actual, reference: $0.reference) })
    }

    /// A row goes to the cell's outputs, or, inside `forAll`, to the trial being run.
    func record(_ row: CheckRow, at node: Span) {
        if forAll != nil {
            forAll?.record(row, site: node)
        } else {
            outputs.append(.check(row))
        }
    }

    func checkChainRule(_ args: inout Arguments) throws {
        let node = args.call
        let x = try variable(try args.labeled("at"), "'at:'").value
        var label: String?
        var block: Arguments.Argument?
        while let argument = args.optionalPositional() {
            switch argument.value {
            case .string(let text): label = text
            case .function: block = argument
            default: throw CellError("checkChainRule takes at:, an optional label and a block of step(…) calls", at: argument.span)
            }
        }
        try args.finish(expected: ["at"])
        guard let block, case .function(let builder) = block.value else { throw CellError("checkChainRule needs a block of step(…) calls", at: node) }
        let saved = chainSteps
        chainSteps = []
        defer { chainSteps = saved }
        _ = try call(builder, [], at: block.span)
        let steps = chainSteps ?? []
        guard !steps.isEmpty else { throw CellError("checkChainRule's block has no step(…)", at: block.span) }

        var input = x, product: Tensor?
        var children: [CheckRow] = []
        for step in steps {
            let claimedValue = try call(step.jacobian, [.tensor(input)], at: step.span)
            guard let claimed = claimedValue.variable?.value else {
                throw CellError("the jacobian of step '\(step.name)' must be a tensor, not \(claimedValue.typeName)", at: step.span)
            }
            var comparison = try Checks.jacobian(at: input, in: step.function, equals: claimed, tolerance: tolerance)
            comparison.notes.insert("at an input of shape \(input.shapeText)", at: 0)
            var child = row(.step, step.name, comparison, at: step.span)
            if let p = product {
                if claimed.cols == p.rows, let next = try? claimed.matmul(p) { product = next } else {
                    child.passed = false
                    child.diagnosis.append("its Jacobian (\(claimed.shapeText)) does not multiply the product so far (\(p.shapeText))")
                }
            } else {
                product = claimed
            }
            children.append(child)
            input = try step.function(Variable(input)).value
        }
        let whole: (Variable) throws -> Variable = { v in try steps.reduce(v) { try $1.function($0) } }
        var comparison = try Checks.jacobian(at: x, in: whole, equals: product ?? Tensor(rows: 0, cols: 0), tolerance: tolerance)
        let wrongSteps = children.enumerated().filter { !$0.element.passed }.map { "step \($0.offset + 1) (\($0.element.title))" }
        if !wrongSteps.isEmpty {
            comparison.passed = false
            comparison.diagnosis.insert("local Jacobian wrong at \(wrongSteps.joined(separator: ", "))", at: 0)
        }
        comparison.notes.insert("the product of \(steps.count) local Jacobians against the numerical Jacobian of the composition", at: 0)
        var result = row(.chainRule, label, comparison, at: node)
        result.children = children
        record(result, at: node)
    }

    func checkNetwork(_ name: String, _ args: inout Arguments) throws {
        let node = args.call
        let netArgument = try args.positional("network")
        guard case .network(let net) = netArgument.value else { throw CellError("\(name) needs an MLP first, not \(netArgument.value.typeName)", at: netArgument.span) }
        let x = try variable(try args.labeled("input"), "'input:'").value
        let loss = try differentiable(try args.labeled("loss"), "'loss:'")
        func tensors(_ label: String) throws -> [Tensor] {
            let a = try args.labeled(label)
            guard case .array(let items) = a.value else { throw CellError("'\(label):' must be an array indexed by layer (index 0 unused)", at: a.span) }
            return items.map { $0.variable?.value ?? Tensor(rows: 0, cols: 0) }
        }
        if name == "checkDeltas" {
            let deltas = try tensors("equals")
            let label = try optionalLabel(&args)
            try args.finish(expected: ["input", "loss", "equals"])
            let result = try net.checkDeltas(input: x, loss: loss, equals: deltas, tolerance: tolerance)
            var summary = Comparison(passed: result.passed, reference: Checks.fullMethod + ", layer by layer")
            summary.diagnosis = result.diagnosis
            summary.maxAbsError = result.layers.dropFirst().compactMap(\.maxAbsError).max()
            summary.maxRelError = result.layers.dropFirst().compactMap(\.maxRelError).max()
            var top = row(.deltas, label, summary, at: node)
            top.children = (1...net.L).map { l in
                var child = row(.layer, "δ^\(l)", result.layers[l], at: node)
                child.source = "layer \(l)"
                return child
            }
            record(top, at: node)
        } else {
            let (weights, biases) = (try tensors("weights"), try tensors("biases"))
            let label = try optionalLabel(&args)
            try args.finish(expected: ["input", "loss", "weights", "biases"])
            let result = try net.checkParameterGradients(input: x, loss: loss, weights: weights, biases: biases, tolerance: tolerance)
            var summary = Comparison(passed: result.passed, reference: result.weights.dropFirst().first?.reference ?? Checks.fullMethod)
            summary.diagnosis = result.diagnosis
            let all = Array(result.weights.dropFirst()) + Array(result.biases.dropFirst())
            summary.maxAbsError = all.compactMap(\.maxAbsError).max()
            summary.maxRelError = all.compactMap(\.maxRelError).max()
            var top = row(.parameterGradients, label, summary, at: node)
            top.children = (1...net.L).flatMap { l -> [CheckRow] in
                var w = row(.layer, "∂C/∂W^\(l)", result.weights[l], at: node)
                var b = row(.layer, "∂C/∂b^\(l)", result.biases[l], at: node)
                (w.source, b.source) = ("layer \(l) weights", "layer \(l) biases")
                return [w, b]
            }
            record(top, at: node)
        }
    }
}
