import DeriveEngine
import SwiftSyntax

extension Compiler {
    /// Runs statements one after another, stopping at break, continue or return.
    static func sequence(_ execs: [Exec]) -> Exec {
        switch execs.count {
        case 0: return { _ in .next }
        case 1: return execs[0]
        case 2:
            let (a, b) = (execs[0], execs[1])
            return { rt in
                let flow = try a(rt)
                if case .next = flow { return try b(rt) }
                return flow
            }
        default:
            return { rt in
                for exec in execs {
                    let flow = try exec(rt)
                    if case .next = flow { continue }
                    return flow
                }
                return .next
            }
        }
    }

    /// A block's statements in the current scope. Functions declared in it are known from its
    /// start, so they may call each other in any order.
    func compileStatements(_ items: some Collection<CodeBlockItemSyntax>) -> Exec {
        let hoisted = hoistFunctions(items)
        var execs = hoisted
        for item in items {
            if let exec = compileItem(item.item) { execs.append(exec) }
        }
        return Self.sequence(execs)
    }

    func compileItem(_ item: CodeBlockItemSyntax.Item) -> Exec? {
        switch item {
        case .decl(let decl): return compileDeclaration(decl)
        case .stmt(let stmt): return compileStatement(stmt)
        case .expr(let expr): return compileExpressionStatement(expr)
        }
    }

    // MARK: Statements

    func compileStatement(_ stmt: StmtSyntax) -> Exec? {
        switch stmt.as(StmtSyntaxEnum.self) {
        case .expressionStmt(let s): return compileExpressionStatement(s.expression)
        case .returnStmt(let s):
            guard inFunction else {
                error("'return' is only allowed inside a function", at: s.returnKeyword)
                return nil
            }
            guard let expression = s.expression else { return { rt in rt.returnValue = .void; return .returned } }
            let value = compileExpression(expression)
            return { rt in
                rt.returnValue = try value(rt)
                return .returned
            }
        case .breakStmt(let s):
            if loopDepth == 0 { error("'break' is only allowed inside a loop", at: s) }
            return { _ in .breakLoop }
        case .continueStmt(let s):
            if loopDepth == 0 { error("'continue' is only allowed inside a loop", at: s) }
            return { _ in .continueLoop }
        case .guardStmt(let s): return compileGuard(s)
        case .forStmt(let s): return compileFor(s)
        case .whileStmt(let s): return compileWhile(s)
        case .repeatStmt(let s): return compileRepeat(s)
        default:
            let keyword = stmt.firstToken(viewMode: .sourceAccurate)?.text ?? "this"
            error("'\(keyword)' statements are not supported in cells", at: stmt)
            return nil
        }
    }

    /// An expression used as a statement: assignments and `if` are compiled as statements.
    func compileExpressionStatement(_ expr: ExprSyntax) -> Exec? {
        if let infix = expr.as(InfixOperatorExprSyntax.self), let assignment = compileAssignment(infix) { return assignment }
        if let e = expr.as(IfExprSyntax.self) { return compileIf(e) }
        if let call = expr.as(FunctionCallExprSyntax.self), let append = compileAppend(call) { return append }
        let value = compileExpression(expr)
        return { rt in
            _ = try value(rt)
            return .next
        }
    }

    /// The Bool of a list of conditions (`if a, b`), all of which must hold.
    func compileConditions(_ conditions: ConditionElementListSyntax) -> (Runtime) throws -> Bool {
        var tests: [(Runtime) throws -> Bool] = []
        for condition in conditions {
            guard case .expression(let expr) = condition.condition else {
                error("only Bool conditions are supported in cells (no 'let' or 'case' conditions)", at: condition)
                continue
            }
            tests.append(compileCondition(expr))
        }
        if tests.count == 1 { return tests[0] }
        return { rt in
            for test in tests where try !test(rt) { return false }
            return true
        }
    }

    func compileBlock(_ block: CodeBlockSyntax) -> Exec {
        withScope { compileStatements(block.statements) }
    }

    func compileIf(_ e: IfExprSyntax) -> Exec {
        let condition = compileConditions(e.conditions)
        let then = compileBlock(e.body)
        let otherwise: Exec? = switch e.elseBody {
        case .ifExpr(let next): compileIf(next)
        case .codeBlock(let block): compileBlock(block)
        case nil: nil
        }
        if let otherwise {
            return { rt in try condition(rt) ? try then(rt) : try otherwise(rt) }
        }
        return { rt in try condition(rt) ? try then(rt) : .next }
    }

    func compileGuard(_ s: GuardStmtSyntax) -> Exec {
        let condition = compileConditions(s.conditions)
        let body = compileBlock(s.body)
        let leaves = s.body.statements.last.map { item -> Bool in
            guard case .stmt(let stmt) = item.item else { return false }
            return stmt.is(ReturnStmtSyntax.self) || stmt.is(BreakStmtSyntax.self) || stmt.is(ContinueStmtSyntax.self)
        } ?? false
        if !leaves { error("the 'else' of a guard must leave with return, break or continue", at: s.guardKeyword) }
        return { rt in try condition(rt) ? .next : try body(rt) }
    }

    func compileWhile(_ s: WhileStmtSyntax) -> Exec {
        let condition = compileConditions(s.conditions)
        loopDepth += 1
        let body = compileBlock(s.body)
        loopDepth -= 1
        let at = span(s.whileKeyword)
        return { rt in
            do {
                while try condition(rt) {
                    try rt.tick(at)
                    let flow = try body(rt)
                    if case .breakLoop = flow { break }
                    if case .returned = flow { return .returned }
                }
            } catch var exhausted as BudgetExhausted {
                exhausted.openEnded = true
                throw exhausted
            }
            return .next
        }
    }

    func compileRepeat(_ s: RepeatStmtSyntax) -> Exec {
        loopDepth += 1
        let body = compileBlock(s.body)
        loopDepth -= 1
        let at = span(s.repeatKeyword)
        let condition = compileExpression(s.condition)
        let conditionAt = span(s.condition)
        return { rt in
            do {
                repeat {
                    try rt.tick(at)
                    let flow = try body(rt)
                    if case .breakLoop = flow { break }
                    if case .returned = flow { return .returned }
                } while try rt.truth(try condition(rt), at: conditionAt)
            } catch var exhausted as BudgetExhausted {
                exhausted.openEnded = true
                throw exhausted
            }
            return .next
        }
    }

    func compileFor(_ s: ForStmtSyntax) -> Exec? {
        guard s.awaitKeyword == nil, s.tryKeyword == nil, s.caseKeyword == nil, s.whereClause == nil else {
            error("only plain 'for x in sequence' loops are supported in cells", at: s.forKeyword)
            return nil
        }
        let sequence = compileExpression(s.sequence)
        let sequenceAt = span(s.sequence), at = span(s.forKeyword)
        return withScope {
            // The loop variable is a new constant each time round, as in Swift.
            let bind = compilePatternBinding(s.pattern, constant: true)
            let slot: Int? = if case .local(let k)? = singleSlot(s.pattern) { k } else { nil }
            loopDepth += 1
            let body = compileBlock(s.body)
            loopDepth -= 1
            return { rt in
                let elements = try rt.iterable(try sequence(rt), at: sequenceAt)
                var index = 0
                do {
                    switch elements {
                    case .range(let lower, let upper):
                        var i = lower
                        while i < upper {
                            try rt.tick(at)
                            if let slot { rt.frame[slot] = .number(Double(i)) } else { try bind(rt, .number(Double(i))) }
                            let flow = try body(rt)
                            if case .breakLoop = flow { break }
                            if case .returned = flow { return .returned }
                            i += 1
                            index += 1
                        }
                    case .values(let count, let element):
                        while index < count {
                            try rt.tick(at)
                            try bind(rt, try element(index))
                            let flow = try body(rt)
                            if case .breakLoop = flow { break }
                            if case .returned = flow { return .returned }
                            index += 1
                        }
                    }
                } catch var exhausted as BudgetExhausted {
                    // The outermost finite loop is the best measure of how far the work got.
                    exhausted.finiteLoop = (at, index, elements.count)
                    throw exhausted
                }
                return .next
            }
        }
    }

    /// The slot of a pattern that is a single name.
    func singleSlot(_ pattern: PatternSyntax) -> Binding.Storage? {
        guard let identifier = pattern.as(IdentifierPatternSyntax.self) else { return nil }
        return scope.names[identifier.identifier.text]?.storage
    }

    // MARK: Declarations

    func compileDeclaration(_ decl: DeclSyntax) -> Exec? {
        switch decl.as(DeclSyntaxEnum.self) {
        case .importDecl: return nil
        case .variableDecl(let v): return compileVariable(v)
        case .functionDecl(let f): return compileFunctionDeclaration(f)
        default:
            let keyword = decl.firstToken(viewMode: .sourceAccurate)?.text ?? "this"
            error("'\(keyword)' declarations are not supported in cells", at: decl)
            return nil
        }
    }

    func compileVariable(_ v: VariableDeclSyntax) -> Exec? {
        let constant = v.bindingSpecifier.tokenKind == .keyword(.let)
        var execs: [Exec] = []
        for binding in v.bindings {
            guard let initializer = binding.initializer else {
                error("'\(binding.pattern.trimmedDescription)' needs an initial value in a cell", at: binding)
                continue
            }
            // The value first: `let x = x + 1` in a later cell reads the earlier x.
            var value = compileExpression(initializer.value, annotation: binding.typeAnnotation?.type)
            if let type = binding.typeAnnotation?.type { value = compileConversion(value, to: type, at: span(initializer.value)) }
            let bind = compilePatternBinding(binding.pattern, constant: constant)
            execs.append { rt in
                try bind(rt, try value(rt))
                return .next
            }
        }
        return Self.sequence(execs)
    }

    /// Declares the names of a pattern (a name, `_`, or a tuple of them) and returns what stores a value into them.
    func compilePatternBinding(_ pattern: PatternSyntax, constant: Bool) -> (Runtime, Value) throws -> Void {
        if let identifier = pattern.as(IdentifierPatternSyntax.self) {
            let name = identifier.identifier.text
            let binding = declare(name, constant: constant, at: identifier)
            guard let access = access(binding) else { return { _, _ in } }
            let store = store(access, declaring: true)
            if case .global(let g) = access {
                return { rt, value in
                    store(rt, value)
                    rt.definedGlobals.insert(g)
                }
            }
            return { rt, value in
                // A value computed inside a differentiation is named as the author named it.
                if case .tensor(let v) = value, v.site >= 0, !v.isPlainConstant, rt.siteNames[v.site] == nil { rt.siteNames[v.site] = name }
                store(rt, value)
            }
        }
        if pattern.is(WildcardPatternSyntax.self) { return { _, _ in } }
        if let binding = pattern.as(ValueBindingPatternSyntax.self) {
            return compilePatternBinding(binding.pattern, constant: constant)
        }
        if let tuple = pattern.as(TuplePatternSyntax.self) {
            let parts = tuple.elements.map { compilePatternBinding($0.pattern, constant: constant) }
            let at = span(tuple)
            return { rt, value in
                let items: [Value]
                switch value {
                case .tuple(let xs, _): items = xs
                case .array(let xs): items = xs
                default: throw CellError("cannot destructure \(value.typeName) into \(parts.count) names", at: at)
                }
                guard items.count == parts.count else {
                    throw CellError("cannot destructure a tuple of \(items.count) into \(parts.count) names", at: at)
                }
                for (part, item) in zip(parts, items) { try part(rt, item) }
            }
        }
        error("this pattern is not supported in cells", at: pattern)
        return { _, _ in }
    }

    /// A type annotation: numbers for `Double` and `Int`, checks for the rest, arrays kept arrays.
    func compileConversion(_ value: @escaping Eval, to type: TypeSyntax, at span: Span) -> Eval {
        let name = type.trimmedDescription
        switch name {
        case "Double", "Int", "Float":
            return { rt in
                let v = try value(rt)
                if case .number(let x) = v {
                    if name == "Int", x != x.rounded() { throw CellError("\(Format.number(x)) is not an integer", at: span) }
                    return v
                }
                if case .tensor(let t) = v, t.value.isScalar {
                    try rt.requireConstant(t, "a '\(name)' annotation", at: span)
                    return .number(t.value.storage[0])
                }
                throw CellError("cannot use \(v.typeName) as \(name)", at: span)
            }
        case "Bool", "String", "Tensor":
            return { rt in
                let v = try value(rt)
                switch (name, v) {
                case ("Bool", .bool), ("String", .string), ("Tensor", .tensor): return v
                case ("Tensor", .number(let x)): return .tensor(Tensor(scalar: x))
                default: throw CellError("cannot use \(v.typeName) as \(name)", at: span)
                }
            }
        case "[Double]", "[Int]", "[Float]":
            // A list of numbers stays an array with array methods.
            return { rt in
                let v = try value(rt)
                if case .tensor(let t) = v, t.value.isVector {
                    try rt.requireConstant(t, "a '\(name)' annotation", at: span)
                    return .array(t.value.storage.map { .number($0) })
                }
                return v
            }
        default:
            return value
        }
    }

    /// What a declared return type does to the returned value: arrays of numbers stay arrays,
    /// also inside a returned tuple; other types leave it as it is.
    func compileReturnConversion(_ type: TypeSyntax, at span: Span) -> ((Runtime, Value) throws -> Value)? {
        if let tuple = type.as(TupleTypeSyntax.self) {
            let parts = tuple.elements.map { compileReturnConversion($0.type, at: span) }
            guard parts.contains(where: { $0 != nil }) else { return nil }
            return { rt, value in
                guard case .tuple(let items, let labels) = value, items.count == parts.count else { return value }
                return .tuple(try zip(items, parts).map { item, part in try part?(rt, item) ?? item }, labels: labels)
            }
        }
        guard ["[Double]", "[Int]", "[Float]"].contains(type.trimmedDescription) else { return nil }
        let convert = compileConversion({ rt in rt.returnValue }, to: type, at: span)
        return { rt, value in
            let saved = rt.returnValue
            defer { rt.returnValue = saved }
            rt.returnValue = value
            return try convert(rt)
        }
    }

    // MARK: Functions

    /// Declares the block's `func`s before its statements compile. Top-level functions (which
    /// capture nothing) exist from the start of the cell; local ones get a box, filled where they
    /// are declared, so they can refer to each other and to themselves.
    func hoistFunctions(_ items: some Collection<CodeBlockItemSyntax>) -> [Exec] {
        var execs: [Exec] = []
        for item in items {
            guard case .decl(let decl) = item.item, let f = decl.as(FunctionDeclSyntax.self) else { continue }
            let shell = CompiledFunction(name: f.name.text, parameters: f.signature.parameterClause.parameters.map { p in
                .init(label: p.firstName.text == "_" ? nil : p.firstName.text, name: (p.secondName ?? p.firstName).text,
                      defaultValue: p.defaultValue == nil ? nil : Compiler.broken)
            }, isClosure: false, span: span(f.name))
            let binding = declare(f.name.text, constant: true, at: f.name, function: shell)
            hoisted[f.id] = binding
            switch binding.storage {
            case .global(let g):
                execs.append { rt in
                    rt.globals[g] = .function(Function(.compiled(shell, captures: .empty)))
                    rt.definedGlobals.insert(g)
                    return .next
                }
            case .boxed(let slot):
                execs.append { rt in
                    rt.frame[slot] = .box(Box(.void))
                    return .next
                }
            case .local, .library, .failed:
                break
            }
        }
        return execs
    }

    func compileFunctionDeclaration(_ f: FunctionDeclSyntax) -> Exec? {
        guard let binding = hoisted[f.id], let shell = binding.function else { return nil }
        guard let body = f.body else {
            error("function '\(f.name.text)' needs a body", at: f.name)
            return nil
        }
        if let generics = f.genericParameterClause { error("generic functions are not supported in cells", at: generics) }
        let parameters = f.signature.parameterClause.parameters.map { p in
            (name: (p.secondName ?? p.firstName).text, defaultValue: p.defaultValue?.value, node: Syntax(p))
        }
        if let tuple = f.signature.returnClause?.type.as(TupleTypeSyntax.self), tuple.elements.contains(where: { $0.firstName != nil }) {
            shell.returnLabels = tuple.elements.map { $0.firstName?.text }
        }
        if let type = f.signature.returnClause?.type { shell.returnConversion = compileReturnConversion(type, at: span(type)) }
        let captures = compileFunctionBody(shell, parameters: parameters, statements: body.statements, anonymous: 0, in: body)
        shell.shapesResult = shell.returnLabels != nil || shell.returnConversion != nil
        shell.capturesNothing = captures.isEmpty
        switch binding.storage {
        case .global(let g):
            if captures.isEmpty { return nil }  // made at the start of the cell
            let make = makeFunction(shell, captures)
            return { rt in
                rt.globals[g] = try make(rt)
                return .next
            }
        case .boxed(let slot):
            let make = makeFunction(shell, captures)
            return { rt in
                if case .box(let box) = rt.frame[slot] { box.value = try make(rt) }
                return .next
            }
        case .local, .library, .failed:
            return nil
        }
    }

    /// Compiles a function's or closure's body in a context of its own; returns what it captures.
    func compileFunctionBody(_ compiled: CompiledFunction, parameters: [(name: String, defaultValue: ExprSyntax?, node: Syntax)],
                             statements: CodeBlockItemListSyntax, anonymous: Int, in node: some SyntaxProtocol) -> [FunctionContext.CaptureSource] {
        let (savedScope, savedFunction, savedLoops, savedInFunction) = (scope, function, loopDepth, inFunction)
        defer { (scope, function, loopDepth, inFunction) = (savedScope, savedFunction, savedLoops, savedInFunction) }
        function = FunctionContext(parent: savedFunction, capturedNames: CaptureScan.names(in: node))
        scope = LexicalScope(parent: savedScope, function: function)
        (loopDepth, inFunction) = (0, true)
        // Defaults are read in the function's own context, before its parameters exist.
        for (k, parameter) in parameters.enumerated() {
            if let d = parameter.defaultValue { compiled.parameters[k].defaultValue = compileExpression(d) }
        }
        for parameter in parameters { declareParameter(parameter.name, at: parameter.node) }
        for k in 0..<anonymous { declareParameter("$\(k)", at: node) }
        // A single expression is the function's value, as in Swift.
        if statements.count == 1, let only = statements.first, let expr = Self.showable(only.item) {
            compiled.expressionBody = compileExpression(expr)
        } else {
            compiled.body = compileStatements(statements)
        }
        compiled.frameSize = function.frameSize
        return function.captures
    }

    /// Parameters are constants in the first slots of the frame (never boxed: a closure that
    /// captures one copies it, which is the same thing for a constant).
    func declareParameter(_ name: String, at node: some SyntaxProtocol) {
        if scope.names[name] != nil { error("invalid redeclaration of '\(name)'", at: node) }
        scope.names[name] = Binding(name, .local(function.newSlot()), constant: true, owner: function, line: line(node))
    }

    /// Makes the function value at run time, reading its captures from the current frame.
    func makeFunction(_ compiled: CompiledFunction, _ sources: [FunctionContext.CaptureSource]) -> Eval {
        if sources.isEmpty {
            return { _ in .function(Function(.compiled(compiled, captures: .empty))) }
        }
        return { rt in
            let values = sources.map { source -> Value in
                switch source {
                case .slot(let k): rt.frame[k]
                case .capture(let k): rt.captures[k]
                }
            }
            return .function(Function(.compiled(compiled, captures: Captures(values))))
        }
    }
}
