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
    /// A check's entry: its body records a row and gives `()`.
    static func entry(_ signature: String, _ summary: String, example: String, _ body: @escaping (inout Arguments, Runtime) throws -> Void) -> LibraryFunction {
        LibraryFunction(signature, .checks, summary, example: example) { args, rt in
            try body(&args, rt)
            return .void
        }
    }

    static let entries: [LibraryFunction] = [
        entry("check(_ condition, _ label?)", "A Bool, or a '≈' comparison reported in full.", example: "check(sum([1, 2]) ≈ 3, \"1 + 2 = 3\")") { args, rt in try rt.checkCondition(&args) },
        entry("checkGradient(at x, _ more..., in f, equals g, _ label?)", "The author's gradient g of f at x: x's shape first (the shape convention), then values against the numerical gradient; with several points (at: x, y), a tuple of gradients checked one by one. A failing gradient that equals the true one with some value f computes held constant is diagnosed as a missing path.", example: "checkGradient(at: [1, 2], in: { v in sum(v ⊙ v) }, equals: 2 * [1, 2])") { args, rt in try Runtime.hasSeveralPoints(args) ? rt.checkGradients(&args) : rt.checkDifferential(.gradient, &args) },
        entry("checkHessian(at x, in f, equals H, _ label?)", "The author's n×n Hessian of a scalar f at x (vec order) against the numerical Hessian, saying whether the author's matrix is symmetric.", example: "checkHessian(at: [1, 2], in: { v in sum(v ⊙ v ⊙ v) }, equals: diag(6 * [1, 2]))") { args, rt in try rt.checkHessian(&args) },
        entry("checkJacobian(at x, in f, equals J, _ label?)", "J is the m×n Jacobian of f at x (vec order), against the numerical Jacobian.", example: "checkJacobian(at: [1, 2], in: { v in 3 * v }, equals: 3 * eye(2))") { args, rt in try rt.checkDifferential(.jacobian, &args) },
        entry("checkDerivative(at x, in f, equals d, _ label?)", "d is f′ at x (entrywise for an elementwise f), against the numerical derivative.", example: "checkDerivative(at: 0.5, in: tanh, equals: 1 - pow(tanh(0.5), 2))") { args, rt in try rt.checkDifferential(.derivative, &args) },
        entry("checkChainRule(at x, _ label?, _ steps)", "Each step's local Jacobian at its own input, and their product against the Jacobian of the whole composition.", example: "checkChainRule(at: [1, 2]) { step(\"double\", { v in 2 * v }, jacobian: { _ in 2 * eye(2) }) }") { args, rt in try rt.checkChainRule(&args) },
        entry("step(_ name, _ function, jacobian)", "One step of a checkChainRule block, with the author's Jacobian as a function of the step's input.", example: "checkChainRule(at: [0.5]) { step(\"sin\", sin, jacobian: { v in diag(cos(v)) }) }") { args, rt in try rt.chainStep(&args) },
        entry("checkDeltas(_ net, input, loss, equals, _ label?)", "The author's δ^l for l = 1…L (index 0 unused) against the numerical ∂C/∂z^l, naming the first wrong layer.", example: "let net = MLP(sizes: [2, 2]); let f = net.forward([1, 2]); checkDeltas(net, input: [1, 2], loss: { a in sum(a) }, equals: [zeros(0, 0), derivative(at: f.z[1], in: sigmoid)])") { args, rt in try rt.checkNetwork("checkDeltas", &args) },
        entry("checkParameterGradients(_ net, input, loss, weights, biases, _ label?)", "The author's ∂C/∂W^l and ∂C/∂b^l for every layer, shape convention first.", example: "let net = MLP(sizes: [2, 1]); let f = net.forward([1, 2]); let d = derivative(at: f.z[1], in: sigmoid); checkParameterGradients(net, input: [1, 2], loss: { a in sum(a) }, weights: [zeros(0, 0), d * [1, 2].T], biases: [zeros(0, 0), d])") { args, rt in try rt.checkNetwork("checkParameterGradients", &args) },
        entry("forAll(trials?, _ block)", "Runs the block with fresh random draws; each check inside passes only if it passes in every trial.", example: "forAll(trials: 5) { let x = randn(3); check(sum(x) ≈ sum(x.T)) }") { args, rt in try rt.runForAll(&args) },
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

    /// `check(cond, "label")`: a Bool, or a `≈` comparison reported in full.
    func checkCondition(_ args: inout Arguments) throws {
        let node = args.call
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
    }

    func checkHessian(_ args: inout Arguments) throws {
        let node = args.call
        let x = try variable(try args.labeled("at"), "'at:'").value
        let f = try differentiable(try args.labeled("in"), "'in:'")
        let claimed = try variable(try args.labeled("equals"), "'equals:'").value
        let label = try optionalLabel(&args)
        try args.finish(expected: ["at", "in", "equals"])
        record(row(.hessian, label, try Checks.hessian(at: x, in: f, equals: claimed, tolerance: tolerance), at: node), at: node)
    }

    /// The checks of one derivative at one point, against finite differences.
    enum Differential {
        case gradient, jacobian, derivative
    }

    func checkDifferential(_ which: Differential, _ args: inout Arguments) throws {
        let node = args.call
        let point = try args.labeled("at")
        let x = try variable(point, "'at:'").value
        // Messages name x as the author wrote it: "the shape convention wants b's shape".
        let written = Self.argumentText(text(of: point.span))
        let subject = written.count <= 12 ? written : "x"
        let f = try differentiable(try args.labeled("in"), "'in:'")
        let claimed = try variable(try args.labeled("equals"), "'equals:'").value
        let label = try optionalLabel(&args)
        try args.finish(expected: ["at", "in", "equals"])
        var comparison: Comparison
        let kind: CheckRow.Kind
        var named: [Int] = []
        switch which {
        case .gradient:
            (comparison, kind) = (try Checks.gradient(at: x, in: f, equals: claimed, tolerance: tolerance, subject: subject), .gradient)
            named = try explainMissingPath(&comparison, at: x, in: f, claimed: claimed, jacobian: false)
        case .jacobian:
            (comparison, kind) = (try Checks.jacobian(at: x, in: f, equals: claimed, tolerance: tolerance), .jacobian)
            named = try explainMissingPath(&comparison, at: x, in: f, claimed: claimed, jacobian: true)
        case .derivative:
            (comparison, kind) = (try Checks.derivative(at: x, in: f, equals: claimed, tolerance: tolerance, subject: subject), .derivative)
        }
        var checked = row(kind, label, comparison, at: node)
        checked.namedLines = named
        record(checked, at: node)
    }

    /// `step(…)` inside a `checkChainRule` block: gathered, checked when the block ends.
    func chainStep(_ args: inout Arguments) throws {
        let node = args.call
        guard chainSteps != nil else { throw CellError("step(…) belongs inside a checkChainRule { … } block", at: node) }
        let title = try args.positional("name")
        let f = try differentiable(try args.positional("function"), "the step's function")
        let jacobian = try args.labeled("jacobian")
        try args.finish(expected: ["jacobian"])
        guard case .function(let J) = jacobian.value else { throw CellError("'jacobian:' must be a function of the step's input", at: jacobian.span) }
        chainSteps?.append(ChainStep(name: Format.plain(title.value), function: f, jacobian: J, span: node))
    }

    /// `checkGradient(at: x, y, in: f, equals: (gx, gy))`: more than one point before `in:`.
    static func hasSeveralPoints(_ args: Arguments) -> Bool {
        guard let at = args.items.firstIndex(where: { $0.label == "at" }), let f = args.items.firstIndex(where: { $0.label == "in" }) else { return false }
        return f > at + 1
    }

    /// A gradient check over several arguments: one sub-row per argument, each with its own
    /// shape check and diagnosis.
    func checkGradients(_ args: inout Arguments) throws {
        let node = args.call
        let first = args.items.firstIndex { $0.label == "at" }!, f = args.items.firstIndex { $0.label == "in" }!
        let points = Array(args.items[first..<f])
        let xs = try points.map { try variable($0, "the point").value }
        let subjects = points.map { point in
            let written = point.label == nil ? text(of: point.span) : Self.argumentText(text(of: point.span))
            return written.count <= 12 ? written : "x"
        }
        _ = try args.labeled("at")
        _ = args.rest()  // the other points, and the label, which is read again below
        let function = try args.labeled("in")
        guard case .function(let callee) = function.value else { throw CellError("'in:' must be a function", at: function.span) }
        let equals = try args.labeled("equals")
        guard case .tuple(let claimedValues, _) = equals.value, claimedValues.count == xs.count else {
            throw CellError("'equals:' must be a tuple of \(xs.count) gradients, one per point: (gx, gy)", at: equals.span)
        }
        let claimed = try claimedValues.map { value -> Tensor in
            guard let v = value.variable else { throw CellError("each gradient in 'equals:' must be a tensor, not \(value.typeName)", at: equals.span) }
            return v.value
        }
        let label = args.items[(args.items.firstIndex { $0.label == "equals" }! + 1)...].first { $0.label == nil }.flatMap { item -> String? in
            if case .string(let s) = item.value { return s }
            return nil
        }
        try args.finish(expected: ["at", "in", "equals"])
        let comparisons = try Checks.gradient(at: xs, in: { vs in
            let result = try self.call(callee, vs.map { .tensor($0) }, at: function.span)
            guard let v = result.variable else { throw CellError("the function must return a number, not \(result.typeName)", at: function.span) }
            return v
        }, equals: claimed, tolerance: tolerance, subjects: subjects)
        var summary = Comparison(passed: comparisons.allSatisfy(\.passed), reference: comparisons.first?.reference ?? Checks.fullMethod)
        // The errors and reasons of the parts that fail: a passing part's small error says nothing here.
        let failing = zip(subjects, comparisons).filter { !$0.1.passed }
        let shown = failing.isEmpty ? comparisons : failing.map(\.1)
        summary.maxAbsError = shown.compactMap(\.maxAbsError).max()
        summary.maxRelError = shown.compactMap(\.maxRelError).max()
        summary.diagnosis = failing.map { subject, comparison in
            comparison.diagnosis.isEmpty ? "wrong for \(subject)" : "for \(subject): " + comparison.diagnosis.joined(separator: "; ")
        }
        var top = row(.gradient, label, summary, at: node)
        top.children = zip(subjects, comparisons).map { subject, comparison in
            var child = row(.gradient, "∇\(subject)", comparison, at: node)
            child.source = "with respect to \(subject)"
            return child
        }
        record(top, at: node)
    }

    /// When the author's result is the derivative with some value f computes held constant, the
    /// path through that value is missing: the diagnosis names it with its source.
    /// Returns the notebook lines of the values it names.
    @discardableResult
    func explainMissingPath(_ comparison: inout Comparison, at x: Tensor, in f: (Variable) throws -> Variable, claimed: Tensor, jacobian: Bool) throws -> [Int] {
        guard !comparison.passed, comparison.maxAbsError != nil, comparison.diagnosis.allSatisfy(Self.isSymptom) else { return [] }
        // Among equivalent explanations the engine prefers a value the author named.
        guard let held = try Checks.heldConstant(at: x, in: f, equals: claimed, jacobian: jacobian,
                                                 tolerance: tolerance, preferring: Set(siteNames.keys)), !held.isEmpty else { return [] }
        comparison.diagnosis = [Checks.describeMissingPath(held, derivative: jacobian ? "Jacobian" : "gradient", naming: describeSite)]
        return held.map { location(of: sites[$0.site]).line }
    }

    /// Diagnoses that describe where the difference is rather than why: a missing path, when
    /// one is found, says more.
    static func isSymptom(_ diagnosis: String) -> Bool {
        diagnosis.hasPrefix("the difference is confined") || diagnosis.hasPrefix("wrong mask") || diagnosis.hasPrefix("zero everywhere")
    }

    /// "`mu` = `mean(x)` (line 14)", or "`mean(x)` (line 14)".
    func describeSite(_ site: Int) -> String {
        let span = sites[site]
        var source = text(of: span).replacingOccurrences(of: "\n", with: " ")
        if source.count > 40 { source = String(source.prefix(39)) + "…" }
        let line = location(of: span).line
        if let name = siteNames[site], name != source { return "`\(name)` = `\(source)` (line \(line))" }
        return "`\(source)` (line \(line))"
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
