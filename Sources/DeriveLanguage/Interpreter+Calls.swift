import DeriveEngine
import SwiftSyntax

extension Interpreter {
    func call(_ e: FunctionCallExprSyntax, in scope: Scope) throws -> Value {
        // A labeled argument points at its label, so label errors underline the label.
        var items = try e.arguments.map { Arguments.Argument(label: $0.label?.text, value: try evaluate($0.expression, in: scope), node: $0.label == nil ? Syntax($0.expression) : Syntax($0)) }
        if let trailing = e.trailingClosure {
            items.append(.init(label: nil, value: .function(Function(.user(closure(trailing, in: scope)))), node: Syntax(trailing)))
        }
        for extra in e.additionalTrailingClosures {
            items.append(.init(label: extra.label.text, value: .function(Function(.user(closure(extra.closure, in: scope)))), node: Syntax(extra.closure)))
        }
        if let access = e.calledExpression.as(MemberAccessExprSyntax.self), let base = access.base {
            return try method(access.declName.baseName.text, of: base, arguments: items, call: e, in: scope)
        }
        if let array = e.calledExpression.as(ArrayExprSyntax.self), array.elements.count == 1 {
            var args = Arguments(items, call: e, function: "[\(array.elements.first!.expression.trimmedDescription)]")
            return try Library.repeating(&args, interpreter: self)
        }
        let callee = try evaluate(e.calledExpression, in: scope)
        guard case .function(let function) = callee else {
            throw CellError("cannot call \(callee.typeName)", at: e.calledExpression)
        }
        return try apply(function, items, at: e)
    }

    /// Calls a function value with evaluated arguments.
    func apply(_ function: Function, _ items: [Arguments.Argument], at node: some SyntaxProtocol) throws -> Value {
        switch function.kind {
        case .builtin(let name):
            var args = Arguments(items, call: node, function: name)
            return try Library.call(name, &args, interpreter: self)
        case .user(let f):
            return try apply(f, items, at: node)
        case .native(let name, let body):
            guard items.count == 1, items[0].label == nil else { throw CellError("\(name) takes one argument", at: node) }
            return try body(items[0].value, items[0].node)
        }
    }

    /// Calls a function with plain values (from the engine, a plot, a check).
    func call(_ function: Function, _ values: [Value], at node: some SyntaxProtocol) throws -> Value {
        try apply(function, values.map { .init(label: nil, value: $0, node: Syntax(node)) }, at: node)
    }

    func apply(_ f: UserFunction, _ items: [Arguments.Argument], at node: some SyntaxProtocol) throws -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > limits.recursionDepth {
            throw CellError("calls nested deeper than \(limits.recursionDepth) levels; is there a runaway recursion?", at: node)
        }
        let scope = Scope(parent: f.scope)
        if f.anonymousArguments {
            for (i, item) in items.enumerated() { scope.declare("$\(i)", item.value, constant: true) }
        } else {
            try bindParameters(f, items, into: scope, at: node)
        }
        // A single expression is its own return value, as in Swift.
        if f.body.count == 1, let only = f.body.first, case .expr(let expr) = only.item {
            return try evaluate(expr, in: scope)
        }
        do {
            try run(f.body, in: scope)
            return .void
        } catch ControlFlow.returnValue(let value) {
            return value
        }
    }

    func bindParameters(_ f: UserFunction, _ items: [Arguments.Argument], into scope: Scope, at node: some SyntaxProtocol) throws {
        var next = 0
        for parameter in f.parameters {
            if next < items.count, items[next].label == parameter.label || f.isClosure {
                scope.declare(parameter.name, items[next].value, constant: true)
                next += 1
            } else if let defaultValue = parameter.defaultValue {
                scope.declare(parameter.name, try evaluate(defaultValue, in: f.scope), constant: true)
            } else if next < items.count {
                let expected = parameter.label.map { "'\($0):'" } ?? "no label"
                let got = items[next].label.map { "'\($0):'" } ?? "no label"
                let hint = items[next].label.flatMap { label in
                    EditDistanceHint.closest(to: label, in: f.parameters.compactMap(\.label)).map { "did you mean '\($0):'?" }
                }
                throw CellError("incorrect argument label in call to '\(f.name)': expected \(expected), got \(got)", at: items[next].node, hint: hint)
            } else {
                let label = parameter.label.map { "'\($0):' " } ?? ""
                throw CellError("missing argument \(label)for parameter '\(parameter.name)' in call to '\(f.name)'", at: node)
            }
        }
        if next < items.count {
            throw CellError("'\(f.name)' takes \(f.parameters.count) argument\(f.parameters.count == 1 ? "" : "s"), but was given \(items.count)", at: items[next].node)
        }
    }

    /// A number or tensor argument as an engine Variable, or an error naming the argument.
    func variable(_ argument: Arguments.Argument, _ what: String) throws -> Variable {
        guard let v = argument.value.variable else {
            throw CellError("\(what) must be a number or a tensor, not \(argument.value.typeName)", at: argument.node)
        }
        return v
    }

    /// A function argument, for the engine: called with a Variable, returning a Variable.
    func differentiable(_ argument: Arguments.Argument, _ what: String) throws -> (Variable) throws -> Variable {
        guard case .function(let function) = argument.value else {
            throw CellError("\(what) must be a function, not \(argument.value.typeName)", at: argument.node)
        }
        let node = argument.node
        return { [unowned self] x in
            let result = try self.call(function, [.tensor(x)], at: node)
            guard let v = result.variable else {
                throw CellError("the function must return a number or a tensor, but returned \(result.typeName)", at: node)
            }
            return v
        }
    }
}
