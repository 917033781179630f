import DeriveEngine
@_spi(RawSyntax) import SwiftSyntax  // for `rawText`: a token's text without a keyword lookup

extension Interpreter {
    func evaluate(_ expr: ExprSyntax, in scope: Scope) throws -> Value {
        try tick(expr)
        let value = try value(of: expr, in: scope)
        try account(value, at: expr)
        return value
    }

    private func value(of expr: ExprSyntax, in scope: Scope) throws -> Value {
        switch expr.as(ExprSyntaxEnum.self) {
        case .integerLiteralExpr(let e):
            guard let x = Double(e.literal.text.replacingOccurrences(of: "_", with: "")) else { throw CellError("cannot read the number \(e.literal.text)", at: e) }
            return .number(x)
        case .floatLiteralExpr(let e):
            guard let x = Double(e.literal.text.replacingOccurrences(of: "_", with: "")) else { throw CellError("cannot read the number \(e.literal.text)", at: e) }
            return .number(x)
        case .booleanLiteralExpr(let e): return .bool(e.literal.rawText == "true")  // not `.text`: that looks the keyword up, slowly
        case .stringLiteralExpr(let e): return .string(try interpolate(e, in: scope))
        case .declReferenceExpr(let e): return try lookup(e, in: scope)
        case .arrayExpr(let e): return try arrayLiteral(e, in: scope)
        case .tupleExpr(let e):
            if e.elements.count == 1, e.elements.first?.label == nil, let only = e.elements.first { return try evaluate(only.expression, in: scope) }
            return .tuple(try e.elements.map { try evaluate($0.expression, in: scope) }, labels: e.elements.map { $0.label?.text })
        case .infixOperatorExpr(let e): return try infix(e, in: scope)
        case .prefixOperatorExpr(let e): return try prefix(e, in: scope)
        case .functionCallExpr(let e): return try call(e, in: scope)
        case .subscriptCallExpr(let e): return try subscriptValue(e, in: scope)
        case .memberAccessExpr(let e): return try member(e, in: scope)
        case .closureExpr(let e): return .function(Function(.user(closure(e, in: scope))))
        case .ifExpr(let e): return try ifExpression(e, in: scope)
        case .ternaryExpr(let e):
            return try truth(try evaluate(e.condition, in: scope), at: e.condition) ? try evaluate(e.thenExpression, in: scope) : try evaluate(e.elseExpression, in: scope)
        case .sequenceExpr(let e):
            throw CellError("cannot fold these operators", at: e)
        case .nilLiteralExpr(let e):
            throw CellError("'nil' is not supported in cells: there are no optionals", at: e)
        default:
            throw CellError("\(describe(expr)) not supported in cells", at: expr)
        }
    }

    func describe(_ expr: ExprSyntax) -> String {
        switch expr.kind {
        case .forceUnwrapExpr: "force unwrapping ('!') is"
        case .optionalChainingExpr: "optional chaining ('?') is"
        case .switchExpr: "'switch' is"
        case .tryExpr: "'try' is"
        case .awaitExpr: "'await' is"
        case .asExpr: "'as' casts are"
        case .isExpr: "'is' checks are"
        case .dictionaryExpr: "dictionaries are"
        case .keyPathExpr: "key paths are"
        case .macroExpansionExpr: "macros are"
        default: "'\(expr.trimmedDescription.prefix(30))' is"
        }
    }

    func lookup(_ e: DeclReferenceExprSyntax, in scope: Scope) throws -> Value {
        let name = e.baseName.text
        if let value = scope.lookup(name) { return value }
        if Library.names.contains(name) { return .function(Function(.builtin(name))) }
        if name == "Double" || name == "Int" || name == "Tensor" { return .function(Function(.builtin(name))) }
        let hint = Self.familiar[name] ?? EditDistanceHint.closest(to: name, in: scope.allNames.union(Library.names)).map { "did you mean '\($0)'?" }
        throw CellError("cannot find '\(name)' in scope", at: e, hint: hint)
    }

    /// Names authors bring from NumPy and PyTorch, and what cells say instead.
    static let familiar: [String: String] = [
        "transpose": "transpose with x.T",
        "reshape": "use x.reshaped(r, c)",
        "matmul": "the matrix product is A * B",
        "mm": "the matrix product is A * B",
        "multiply": "the elementwise product is a ⊙ b (or a .* b)",
        "square": "use pow(x, 2) or x ⊙ x",
        "hadamard": "the elementwise product is a ⊙ b (or a .* b)",
        "identity": "use eye(n)",
        "arange": "use linspace(a, b, n), or a range such as 0..<n in a for loop",
    ]

    /// SPEC §4: all numbers → a column; equal-length lists of numbers → rows; else an array.
    func arrayLiteral(_ e: ArrayExprSyntax, in scope: Scope) throws -> Value {
        let items = try e.elements.map { try evaluate($0.expression, in: scope) }
        if items.isEmpty { return .array([]) }
        if items.allSatisfy({ if case .number = $0 { true } else { false } }) {
            return .tensor(Tensor(column: items.compactMap(\.number)))
        }
        let rows: [[Double]] = items.compactMap { item in
            if case .tensor(let v) = item, v.value.cols == 1, v.value.count > 0 { return v.value.storage }
            return nil
        }
        if rows.count == items.count, e.elements.allSatisfy({ $0.expression.is(ArrayExprSyntax.self) }), Set(rows.map(\.count)).count == 1 {
            return .tensor(Tensor(rows: rows.count, cols: rows[0].count, storage: rows.flatMap { $0 }))
        }
        return .array(items)
    }

    func interpolate(_ e: StringLiteralExprSyntax, in scope: Scope) throws -> String {
        var out = ""
        for segment in e.segments {
            switch segment {
            case .stringSegment(let s): out += unescape(s.content.text)
            case .expressionSegment(let s):
                for element in s.expressions { out += Format.plain(try evaluate(element.expression, in: scope)) }
            }
        }
        return out
    }

    func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        return s.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\t", with: "\t")
            .replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
    }

    func ifExpression(_ e: IfExprSyntax, in scope: Scope) throws -> Value {
        if try conditionsHold(e.conditions, in: scope) {
            return try run(e.body.statements, in: Scope(parent: scope))
        }
        switch e.elseBody {
        case .ifExpr(let next): return try ifExpression(next, in: scope)
        case .codeBlock(let block): return try run(block.statements, in: Scope(parent: scope))
        case nil: return .void
        }
    }

    func closure(_ e: ClosureExprSyntax, in scope: Scope) -> UserFunction {
        var parameters: [UserFunction.Parameter] = []
        switch e.signature?.parameterClause {
        case .simpleInput(let names): parameters = names.map { .init(label: nil, name: $0.name.text, defaultValue: nil) }
        case .parameterClause(let clause):
            parameters = clause.parameters.map { .init(label: nil, name: ($0.secondName ?? $0.firstName).text, defaultValue: nil) }
        case nil: break
        }
        return UserFunction(name: "closure", parameters: parameters, body: e.statements, scope: scope,
                            anonymousArguments: e.signature == nil, isClosure: true)
    }

    // MARK: Subscripts and members

    func subscriptValue(_ e: SubscriptCallExprSyntax, in scope: Scope) throws -> Value {
        let base = try evaluate(e.calledExpression, in: scope)
        let indices = try e.arguments.map { (label: $0.label?.text, value: try evaluate($0.expression, in: scope), node: $0.expression) }
        let name = e.calledExpression.as(MemberAccessExprSyntax.self)?.declName.baseName.text
        return try index(base, indices.map { ($0.label, $0.value, Syntax($0.node)) }, at: e, name: name)
    }

    func integer(_ value: Value, at node: some SyntaxProtocol, what: String = "an index") throws -> Int {
        guard let x = value.number, x == x.rounded(), abs(x) < 1e15 else {
            throw CellError("expected an integer for \(what), got \(value.typeName == "a number" ? Format.plain(value) : value.typeName)", at: node)
        }
        return Int(x)
    }

    /// `name` is what the base was called (`W` in `net.W[l]`), for messages.
    func index(_ base: Value, _ indices: [(String?, Value, Syntax)], at node: some SyntaxProtocol, name: String? = nil) throws -> Value {
        switch base {
        case .array(let items):
            guard indices.count == 1, indices[0].0 == nil else { throw CellError("an array takes one index: a[i]", at: node) }
            let i = try integer(indices[0].1, at: indices[0].2)
            // `net.W`, `net.b` and `f.z` are numbered 1…L as in the notes: index 0 holds a placeholder.
            if case .tensor(let first)? = items.first, first === MLP.unusedLayer, i < 1 || i >= items.count {
                let what = name.map { "\($0) is" } ?? "the layers are"
                let input = name == "z" ? "; the input is f.a[0]" : ""
                throw CellError("layer \(i) does not exist: \(what) numbered 1…\(items.count - 1), as in the notes\(input)", at: indices[0].2)
            }
            guard items.indices.contains(i) else {
                throw CellError("index \(i) is out of range for an array of \(items.count) (indices 0…\(items.count - 1))", at: indices[0].2)
            }
            return items[i]
        case .tensor(let v):
            do {
                if indices.count == 2 {
                    return .tensor(try v.entry(try integer(indices[0].1, at: indices[0].2), try integer(indices[1].1, at: indices[1].2)))
                }
                guard indices.count == 1 else { throw CellError("a tensor takes x[i, j], x[i], x[row: i] or x[col: j]", at: node) }
                let i = try integer(indices[0].1, at: indices[0].2)
                switch indices[0].0 {
                case nil: return .tensor(try v.entry(i))
                case "row": return .tensor(try v.row(i))
                case "col": return .tensor(try v.column(i))
                case let label?: throw CellError("a tensor has no subscript labeled '\(label):'", at: indices[0].2, hint: "use x[row: i] or x[col: j]")
                }
            } catch let error as EngineError {
                throw CellError(error.message, at: node)
            }
        case .tuple(let items, _):
            let i = try integer(indices[0].1, at: indices[0].2)
            guard items.indices.contains(i) else { throw CellError("index \(i) is out of range for a tuple of \(items.count)", at: node) }
            return items[i]
        default:
            throw CellError("cannot subscript \(base.typeName)", at: node)
        }
    }

    /// `base[indices] = value`, returning the updated base.
    func updating(_ base: Value, _ indices: [(String?, Value, Syntax)], with value: Value, at node: some SyntaxProtocol) throws -> Value {
        switch base {
        case .array(var items):
            let i = try integer(indices[0].1, at: indices[0].2)
            guard items.indices.contains(i) else {
                throw CellError("index \(i) is out of range for an array of \(items.count) (indices 0…\(items.count - 1))", at: indices[0].2)
            }
            items[i] = value
            return .array(items)
        case .tensor(let v):
            let (i, j): (Int, Int)
            if indices.count == 2 {
                (i, j) = (try integer(indices[0].1, at: indices[0].2), try integer(indices[1].1, at: indices[1].2))
            } else {
                let k = try integer(indices[0].1, at: indices[0].2)
                (i, j) = v.value.cols == 1 ? (k, 0) : (0, k)
            }
            guard let entry = value.variable else { throw CellError("cannot store \(value.typeName) in a tensor entry", at: node) }
            do { return .tensor(try v.replacing(i, j, with: entry)) } catch let error as EngineError { throw CellError(error.message, at: node) }
        default:
            throw CellError("cannot assign into \(base.typeName)", at: node)
        }
    }

    // MARK: Assignment

    func assign(_ value: Value, to target: ExprSyntax, in scope: Scope) throws {
        if let name = target.as(DeclReferenceExprSyntax.self) {
            let text = name.baseName.text
            guard let owner = scope.owner(of: text) else {
                let hint = EditDistanceHint.closest(to: text, in: scope.allNames).map { "did you mean '\($0)'?" }
                throw CellError("cannot find '\(text)' in scope", at: name, hint: hint ?? "declare it first with 'var \(text) = …'")
            }
            if owner.isConstant(text) {
                throw CellError("cannot assign to '\(text)': it is a 'let' constant", at: name, hint: "declare it with 'var' to change it")
            }
            owner.set(text, value)
            return
        }
        if let sub = target.as(SubscriptCallExprSyntax.self) {
            let base = try evaluate(sub.calledExpression, in: scope)
            let indices = try sub.arguments.map { ($0.label?.text, try evaluate($0.expression, in: scope), Syntax($0.expression)) }
            try assign(try updating(base, indices, with: value, at: sub), to: sub.calledExpression, in: scope)
            return
        }
        throw CellError("cannot assign to '\(target.trimmedDescription)'", at: target)
    }
}
