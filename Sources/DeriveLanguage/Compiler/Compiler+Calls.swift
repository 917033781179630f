import DeriveEngine
import SwiftSyntax

/// An argument as compiled: its label, its value, and where it is (a labelled one at its label).
struct CompiledArgument {
    var label: String?
    var value: Eval
    var span: Span
}

extension Compiler {
    func compileArguments(_ e: FunctionCallExprSyntax) -> [CompiledArgument] {
        var args = e.arguments.map { a in
            CompiledArgument(label: a.label?.text, value: compileExpression(a.expression), span: a.label.map { span(from: $0, to: a.expression) } ?? span(a.expression))
        }
        if let trailing = e.trailingClosure {
            args.append(CompiledArgument(label: nil, value: compileClosure(trailing), span: span(trailing)))
        }
        for extra in e.additionalTrailingClosures {
            args.append(CompiledArgument(label: extra.label.text, value: compileClosure(extra.closure), span: span(extra.closure)))
        }
        return args
    }

    static func evaluate(_ args: [CompiledArgument], _ rt: Runtime) throws -> [Arguments.Argument] {
        var items: [Arguments.Argument] = []
        items.reserveCapacity(args.count)
        for a in args { items.append(Arguments.Argument(label: a.label, value: try a.value(rt), span: a.span)) }
        return items
    }

    func compileCall(_ e: FunctionCallExprSyntax) -> Eval {
        let at = span(e)
        if let access = e.calledExpression.as(MemberAccessExprSyntax.self), let base = access.base {
            if access.declName.baseName.text == "append", let append = compileAppend(e) {
                return { rt in
                    _ = try append(rt)
                    return .void
                }
            }
            return compileMethodCall(access.declName.baseName.text, base: base, call: e, nameAt: span(access.declName))
        }
        if let array = e.calledExpression.as(ArrayExprSyntax.self), array.elements.count == 1 {
            // `[Tensor](repeating: x, count: n)`, as `Array(repeating:count:)`.
            return compileLibraryCall(Library.repeating, compileArguments(e), at: at)
        }
        if let reference = e.calledExpression.as(DeclReferenceExprSyntax.self) {
            let name = reference.baseName.text
            if name == "Tensor", scope.lookup(name) == nil {
                error("'Tensor' is a type, not a function", at: reference,
                      hint: "write the entries as an array literal ([[1, 2], [3, 4]] is 2×2, [1, 2] a column) or use zeros, ones, randn, eye")
                return Self.broken
            }
            guard let (binding, access) = resolve(name, at: reference) else {
                _ = compileArguments(e)  // still report the errors inside
                return Self.broken
            }
            let args = compileArguments(e)
            if case .library(let entry) = access { return compileLibraryCall(entry, args, at: at) }
            if let compiled = binding.function {
                // A top-level `func` is a constant of its global slot: its calls need not load it.
                let isGlobal = if case .global = access { true } else { false }
                return compileDirectCall(compiled, load(access), args, at: at, global: isGlobal)
            }
            return compileDynamicCall(load(access), args, at: at, calleeAt: span(reference))
        }
        let callee = compileExpression(e.calledExpression)
        return compileDynamicCall(callee, compileArguments(e), at: at, calleeAt: span(e.calledExpression))
    }

    /// A library call, its labels checked now against the library's table.
    func compileLibraryCall(_ entry: LibraryFunction, _ args: [CompiledArgument], at: Span) -> Eval {
        if let mismatch = entry.mismatch(labels: args.map(\.label)) {
            error(mismatch.message, at: mismatch.argument.map { args[$0].span } ?? at, hint: mismatch.hint)
            return Self.broken
        }
        let site = runtime.newSite(at)
        return { rt in
            var arguments = Arguments(try Self.evaluate(args, rt), call: at, function: entry.name)
            arguments.site = site
            return try entry.invoke(&arguments, rt)
        }
    }

    /// A call of a `func` known by name: its arguments are matched now and written straight into its frame.
    func compileDirectCall(_ compiled: CompiledFunction, _ callee: @escaping Eval, _ args: [CompiledArgument], at: Span, global: Bool = false) -> Eval {
        let positions: [Int?]
        switch Binder.match(labels: args.map(\.label), to: compiled) {
        case .success(let p): positions = p
        case .failure(let m):
            error(m.message, at: m.argument.map { args[$0].span } ?? at, hint: m.hint)
            return Self.broken
        }
        let defaults = positions.indices.filter { positions[$0] == nil }
        let fills: [(slot: Int, value: Eval)] = positions.enumerated().compactMap { k, p in p.map { (k, args[$0].value) } }
        let generic = compileDynamicCall(callee, args, at: at, calleeAt: at)
        let empty = Captures.empty
        func call(_ fill: @escaping (Runtime, UnsafeMutablePointer<Value>) throws -> Void) -> Eval {
            { rt in
                if global, compiled.capturesNothing {
                    return try rt.enter(compiled, empty, at: at, defaults: defaults) { frame in try fill(rt, frame) }
                }
                guard case .function(let function) = try callee(rt), case .compiled(let f, let captures) = function.body, f === compiled else {
                    return try generic(rt)
                }
                return try rt.enter(f, captures, at: at, defaults: defaults) { frame in try fill(rt, frame) }
            }
        }
        switch fills.count {
        case 0: return call { _, _ in }
        case 1 where global && defaults.isEmpty:
            // The commonest call, `f(x)` of a top-level func, without a closure in between.
            let (slot, value) = (fills[0].slot, fills[0].value)
            let general = call { rt, frame in frame[slot] = try value(rt) }
            return { rt in
                guard compiled.capturesNothing else { return try general(rt) }
                return try rt.enter(compiled, empty, at: at) { frame in frame[slot] = try value(rt) }
            }
        case 1:
            let a = fills[0]
            return call { rt, frame in frame[a.slot] = try a.value(rt) }
        case 2:
            let (a, b) = (fills[0], fills[1])
            return call { rt, frame in
                frame[a.slot] = try a.value(rt)
                frame[b.slot] = try b.value(rt)
            }
        default:
            return call { rt, frame in for f in fills { frame[f.slot] = try f.value(rt) } }
        }
    }

    /// A call of a value known only when it runs.
    func compileDynamicCall(_ callee: @escaping Eval, _ args: [CompiledArgument], at: Span, calleeAt: Span) -> Eval {
        { rt in
            let value = try callee(rt)
            guard case .function(let function) = value else { throw CellError("cannot call \(value.typeName)", at: calleeAt) }
            return try rt.call(function, arguments: try Self.evaluate(args, rt), at: at)
        }
    }

    func compileMethodCall(_ name: String, base: ExprSyntax, call e: FunctionCallExprSyntax, nameAt: Span) -> Eval {
        let receiver = compileExpression(base)
        let args = compileArguments(e)
        guard Members.methodNames.contains(name) else {
            error("no method named '\(name)'", at: nameAt,
                  hint: EditDistanceHint.closest(to: name, in: Members.methodNames).map { "did you mean '\($0)'?" })
            return Self.broken
        }
        let at = span(e)
        return { rt in
            let value = try receiver(rt)
            return try rt.method(name, of: value, try Self.evaluate(args, rt), at: at, nameAt: nameAt)
        }
    }

    // MARK: Members and subscripts

    func compileMember(_ e: MemberAccessExprSyntax) -> Eval {
        let name = e.declName.baseName.text
        guard let baseExpr = e.base else { return constant(.string(name)) }  // `.column`, `.row`, `.log`
        if let type = baseExpr.as(DeclReferenceExprSyntax.self)?.baseName.text, type == "Double", scope.lookup("Double") == nil {
            switch name {
            case "pi": return constant(.number(Double.pi))
            case "infinity": return constant(.number(.infinity))
            case "nan": return constant(.number(.nan))
            case "ulpOfOne": return constant(.number(.ulpOfOne))
            case "greatestFiniteMagnitude": return constant(.number(.greatestFiniteMagnitude))
            default:
                error("Double has no member '\(name)' in cells", at: e.declName)
                return Self.broken
            }
        }
        let base = compileExpression(baseExpr)
        let at = span(e.declName)
        if name == "T" {
            return { rt in
                let v = try base(rt)
                if case .tensor(let t) = v { return .tensor(t.T) }
                return try rt.property(name, of: v, at: at)
            }
        }
        return { rt in try rt.property(name, of: try base(rt), at: at) }
    }

    // MARK: Assignment

    /// Somewhere a value can be stored: a `var`, or an element of one.
    struct Place {
        var get: Eval
        var set: (Runtime, Value) throws -> Void
        /// The slot itself, when the value lives directly in one (for updates in place).
        var slot: ((Runtime) -> UnsafeMutablePointer<Value>)?
    }

    func compilePlace(_ expr: ExprSyntax) -> Place? {
        if let tuple = expr.as(TupleExprSyntax.self), tuple.elements.count > 1 {
            // `(a, b) = (b, a)`: each element a place of its own, assigned from the tuple's parts.
            let parts = tuple.elements.map { compilePlace($0.expression) }
            guard parts.allSatisfy({ $0 != nil }) else { return nil }
            let places = parts.map { $0! }, at = span(tuple)
            return Place(get: { rt in .tuple(try places.map { try $0.get(rt) }, labels: places.map { _ in nil }) },
                         set: { rt, value in
                             guard case .tuple(let items, _) = value, items.count == places.count else {
                                 throw CellError("cannot assign \(value.typeName) to a tuple of \(places.count) names", at: at)
                             }
                             for (place, item) in zip(places, items) { try place.set(rt, item) }
                         }, slot: nil)
        }
        if let reference = expr.as(DeclReferenceExprSyntax.self) {
            let name = reference.baseName.text
            guard let binding = scope.lookup(name) else {
                let hint = EditDistanceHint.closest(to: name, in: scope.allNames).map { "did you mean '\($0)'?" }
                error("cannot find '\(name)' in scope", at: reference, hint: hint ?? "declare it first with 'var \(name) = …'")
                return nil
            }
            if case .failed = binding.storage { _ = resolve(name, at: reference); return nil }
            if case .library = binding.storage {
                error("cannot assign to '\(name)': it is a library function", at: reference)
                return nil
            }
            if binding.isConstant {
                error("cannot assign to '\(name)': it is a 'let' constant", at: reference, hint: "declare it with 'var' to change it")
                return nil
            }
            guard let access = access(binding) else { return nil }
            let store = store(access)
            return Place(get: load(access), set: { rt, value in store(rt, value) }, slot: slotPointer(access))
        }
        if let sub = expr.as(SubscriptCallExprSyntax.self) {
            guard let base = compilePlace(sub.calledExpression) else {
                _ = sub.arguments.map { compileExpression($0.expression) }
                return nil
            }
            let indices = sub.arguments.map { (label: $0.label?.text, value: compileExpression($0.expression), span: span($0.expression)) }
            let at = span(sub)
            func values(_ rt: Runtime) throws -> [(label: String?, value: Value, span: Span)] {
                try indices.map { (label: $0.label, value: try $0.value(rt), span: $0.span) }
            }
            return Place(
                get: { rt in try rt.index(try base.get(rt), try values(rt), at: at, name: nil) },
                set: { rt, value in
                    let idx = try values(rt)
                    if let slot = base.slot {
                        try rt.assignElement(in: slot(rt), idx, value, at: at)
                    } else {
                        try base.set(rt, try rt.updating(try base.get(rt), idx, with: value, at: at))
                    }
                },
                slot: nil)
        }
        error("cannot assign to '\(expr.trimmedDescription)'", at: expr)
        return nil
    }

    /// `x = e`, `x += e`, …; nil when the infix expression is not an assignment.
    func compileAssignment(_ e: InfixOperatorExprSyntax) -> Exec? {
        let op: String
        if e.operator.is(AssignmentExprSyntax.self) {
            op = "="
        } else if let binary = e.operator.as(BinaryOperatorExprSyntax.self)?.operator.text, ["+=", "-=", "*=", "/="].contains(binary) {
            op = binary
        } else {
            return nil
        }
        let value = compileExpression(e.rightOperand)
        guard let place = compilePlace(e.leftOperand) else { return { _ in .next } }
        if op == "=" {
            return { rt in
                try place.set(rt, try value(rt))
                return .next
            }
        }
        let operation = BinaryOperator(rawValue: String(op.dropLast()))!
        let spans = Operands(whole: span(e), op: span(e.operator), left: span(e.leftOperand), right: span(e.rightOperand))
        if let target = e.leftOperand.as(DeclReferenceExprSyntax.self), case let name = operand(ExprSyntax(target)), name.kind == .local || name.kind == .global {
            // `s += …` on a local or global: the slot is found without a call, numbers updated in place.
            let (isLocal, k) = (name.kind == .local, name.slot)
            // `s += A[i, k] * B[k, j]` (the inner loop of matrix and convolution code): when the
            // right side combines slots, literals and entries, it is computed here, without a call.
            let fused: (Operand, BinaryOperator, Operand)? = {
                guard let rhs = e.rightOperand.as(InfixOperatorExprSyntax.self),
                      let text = rhs.operator.as(BinaryOperatorExprSyntax.self)?.operator.text,
                      let inner = BinaryOperator(rawValue: text), [.add, .subtract, .multiply, .divide].contains(inner),
                      isSimple(rhs.leftOperand), isSimple(rhs.rightOperand) else { return nil }
                return (operand(rhs.leftOperand), inner, operand(rhs.rightOperand))
            }()
            if let (a, inner, c) = fused {
                return { rt in
                    let p = isLocal ? rt.frame + k : rt.globals + k
                    if case .number(let x) = p.pointee, let u = a.peekNumber(rt), let w = c.peekNumber(rt) {
                        p.pointee = .number(Self.arithmetic(operation, x, Self.arithmetic(inner, u, w)))
                        return .next
                    }
                    try Self.update(p, operation, try value(rt), rt, spans)
                    return .next
                }
            }
            return { rt in
                try Self.update(isLocal ? rt.frame + k : rt.globals + k, operation, try value(rt), rt, spans)
                return .next
            }
        }
        let combine = Self.binary(operation, .code(place.get), .code(value), at: spans)
        return { rt in
            try place.set(rt, try combine(rt))
            return .next
        }
    }

    /// `x op= b` on a slot: two numbers in place, anything else by the operator's own rule.
    @inline(__always) static func update(_ p: UnsafeMutablePointer<Value>, _ operation: BinaryOperator, _ b: Value, _ rt: Runtime, _ spans: Operands) throws {
        if case .number(let x) = p.pointee, case .number(let y) = b {
            p.pointee = .number(arithmetic(operation, x, y))
        } else {
            p.pointee = try rt.binary(operation, p.pointee, b, at: spans)
        }
    }

    /// `x + y`, `x − y`, `x · y` or `x / y` (the operators of `+= -= *= /=`).
    @inline(__always) static func arithmetic(_ op: BinaryOperator, _ x: Double, _ y: Double) -> Double {
        switch op {
        case .add: x + y
        case .subtract: x - y
        case .multiply: x * y
        default: x / y
        }
    }

    /// A name of a local or global, a number literal, or `X[i, j]` of such: an operand that is read
    /// without running code (so compiling it again reports nothing new).
    func isSimple(_ expr: ExprSyntax) -> Bool {
        if let reference = expr.as(DeclReferenceExprSyntax.self) {
            guard let binding = scope.lookup(reference.baseName.text) else { return false }
            switch access(binding) {
            case .local?, .global?: return true
            default: return false
            }
        }
        if expr.is(IntegerLiteralExprSyntax.self) || expr.is(FloatLiteralExprSyntax.self) { return true }
        if let sub = expr.as(SubscriptCallExprSyntax.self), sub.arguments.count == 2, sub.arguments.allSatisfy({ $0.label == nil }),
           sub.calledExpression.is(DeclReferenceExprSyntax.self) {
            return isSimple(sub.calledExpression) && sub.arguments.allSatisfy { isSimple($0.expression) && !$0.expression.is(SubscriptCallExprSyntax.self) }
        }
        return false
    }

    /// `xs.append(v)` on a `var`: the array grows in place.
    func compileAppend(_ e: FunctionCallExprSyntax) -> Exec? {
        guard let access = e.calledExpression.as(MemberAccessExprSyntax.self), access.declName.baseName.text == "append",
              let base = access.base else { return nil }
        let args = compileArguments(e)
        guard args.count == 1, args[0].label == nil else {
            error(".append takes one element: xs.append(x)", at: e)
            return { _ in .next }
        }
        guard let place = compilePlace(base) else { return { _ in .next } }
        let element = args[0].value, at = span(e)
        return { rt in
            let item = try element(rt)
            if let slot = place.slot {
                try rt.append(item, to: slot(rt), at: at)
            } else {
                let current = try place.get(rt)
                guard case .array(var items) = current else { throw CellError("\(current.typeName) has no method 'append'", at: at) }
                items.append(item)
                try place.set(rt, .array(items))
            }
            return .next
        }
    }
}
