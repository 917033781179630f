import DeriveEngine
import Foundation
@_spi(RawSyntax) import SwiftSyntax  // for `rawText`: a token's text without a keyword lookup

extension Compiler {
    func compileExpression(_ expr: ExprSyntax, annotation: TypeSyntax? = nil) -> Eval {
        expressionDepth += 1
        defer { expressionDepth -= 1 }
        if expressionDepth > Self.maximumExpressionDepth {
            if expressionDepth == Self.maximumExpressionDepth + 1 {
                error("this expression is nested more than \(Self.maximumExpressionDepth) levels deep", at: expr,
                      hint: "name its parts with 'let', or sum a list with sum(…)")
            }
            return Self.broken
        }
        switch expr.as(ExprSyntaxEnum.self) {
        case .integerLiteralExpr(let e): return constant(number(e.literal.text, at: e))
        case .floatLiteralExpr(let e): return constant(number(e.literal.text, at: e))
        case .booleanLiteralExpr(let e): return constant(.bool(e.literal.rawText == "true"))
        case .stringLiteralExpr(let e): return compileString(e)
        case .declReferenceExpr(let e) where e.baseName.text == "...":
            // `X[..., 0]`: every row.
            return constant(.range(0, Int.max))
        case .declReferenceExpr(let e):
            guard let (_, access) = resolve(e.baseName.text, at: e) else { return Self.broken }
            return load(access)
        case .arrayExpr(let e): return compileArray(e, annotation: annotation)
        case .tupleExpr(let e):
            if e.elements.count == 1, let only = e.elements.first, only.label == nil { return compileExpression(only.expression) }
            let items = e.elements.map { compileExpression($0.expression) }
            let labels = e.elements.map { $0.label?.text }
            return { rt in .tuple(try items.map { try $0(rt) }, labels: labels) }
        case .infixOperatorExpr(let e): return compileInfix(e)
        case .prefixOperatorExpr(let e): return compilePrefix(e)
        case .postfixOperatorExpr(let e) where e.operator.text == "...":
            // `a...`: from a to the end (in a loop: without end).
            let lower = compileExpression(e.expression), at = span(e.expression)
            return { rt in .range(try rt.integer(try lower(rt), at: at, what: "a range bound"), Int.max) }
        case .postfixOperatorExpr(let e):
            error("the postfix operator '\(e.operator.text)' is not supported in cells", at: e.operator)
            return Self.broken
        case .functionCallExpr(let e): return compileCall(e)
        case .subscriptCallExpr(let e): return compileSubscript(e)
        case .memberAccessExpr(let e): return compileMember(e)
        case .closureExpr(let e): return compileClosure(e)
        case .ifExpr(let e): return compileIfValue(e)
        case .ternaryExpr(let e):
            let condition = compileExpression(e.condition), at = span(e.condition)
            let (then, otherwise) = (compileExpression(e.thenExpression), compileExpression(e.elseExpression))
            return { rt in
                let c = try condition(rt)
                let holds = if case .bool(let b) = c { b } else { try rt.truth(c, at: at) }
                return holds ? try then(rt) : try otherwise(rt)
            }
        case .forceUnwrapExpr(let e):
            // There are no optionals: `x.first!` is `x.first`.
            return compileExpression(e.expression)
        case .sequenceExpr(let e):
            error("cannot fold these operators", at: e)
        case .nilLiteralExpr(let e):
            error("'nil' is not supported in cells: there are no optionals", at: e)
        default:
            error("\(describe(expr)) not supported in cells", at: expr)
        }
        return Self.broken
    }

    /// An expression as an operand: a name in a slot or a literal is read in place.
    func operand(_ expr: ExprSyntax) -> Operand {
        if let e = expr.as(DeclReferenceExprSyntax.self), let binding = scope.lookup(e.baseName.text) {
            switch access(binding) {
            case .local(let k)?: return .local(k)
            case .global(let g)?: return .global(g)
            default: break
            }
        }
        if expr.is(IntegerLiteralExprSyntax.self) || expr.is(FloatLiteralExprSyntax.self) {
            let code = compileExpression(expr)
            if case .number(let x)? = try? code(runtime) { return .number(x) }
        }
        if let e = expr.as(SubscriptCallExprSyntax.self), e.arguments.count == 2, e.arguments.allSatisfy({ $0.label == nil }),
           e.calledExpression.is(DeclReferenceExprSyntax.self) {
            let base = operand(e.calledExpression)
            let args = Array(e.arguments)
            let (row, col) = (operand(args[0].expression), operand(args[1].expression))
            let simple: Set<Operand.Kind> = [.local, .global, .number]
            if base.kind == .local || base.kind == .global, simple.contains(row.kind), simple.contains(col.kind) {
                return .entry(base, row, col, code: compileSubscript(e))
            }
        }
        return .code(compileExpression(expr))
    }

    /// A condition as a Bool: a comparison of slots and literals (`n < 2`) is made in place,
    /// without building a value; anything else must give a Bool (or a `≈` comparison).
    func compileCondition(_ expr: ExprSyntax) -> (Runtime) throws -> Bool {
        if let e = expr.as(InfixOperatorExprSyntax.self), let text = e.operator.as(BinaryOperatorExprSyntax.self)?.operator.text,
           let op = BinaryOperator(rawValue: text), [.less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual].contains(op) {
            let (l, r) = (operand(e.leftOperand), operand(e.rightOperand))
            let general = Self.binary(op, l, r, at: Operands(whole: span(e), op: span(e.operator), left: span(e.leftOperand), right: span(e.rightOperand)))
            let at = span(e)
            return { rt in
                if let x = l.peekNumber(rt), let y = r.peekNumber(rt) {
                    switch op {
                    case .less: return x < y
                    case .lessOrEqual: return x <= y
                    case .greater: return x > y
                    case .greaterOrEqual: return x >= y
                    case .equal: return x == y
                    default: return x != y
                    }
                }
                let v = try general(rt)
                if case .bool(let b) = v { return b }
                return try rt.truth(v, at: at)
            }
        }
        let value = compileExpression(expr), at = span(expr)
        return { rt in
            let v = try value(rt)
            if case .bool(let b) = v { return b }
            return try rt.truth(v, at: at)
        }
    }

    func constant(_ value: Value) -> Eval {
        { _ in value }
    }

    /// A number literal, read once: `1_000`, `0x1F`, `0b101`, `0o17`, `2.5e-3`.
    func number(_ text: String, at node: some SyntaxProtocol) -> Value {
        let digits = text.replacingOccurrences(of: "_", with: "")
        let radix: Int? = digits.hasPrefix("0b") ? 2 : digits.hasPrefix("0o") ? 8 : (digits.hasPrefix("0x") && !digits.contains("p")) ? 16 : nil
        if let radix, let n = Int(digits.dropFirst(2), radix: radix) { return .number(Double(n)) }
        guard let x = Double(digits) else {
            error("cannot read the number \(text)", at: node)
            return .void
        }
        return .number(x)
    }

    func describe(_ expr: ExprSyntax) -> String {
        switch expr.kind {
        case .optionalChainingExpr: "optional chaining ('?') is"
        case .switchExpr: "'switch' is"
        case .tryExpr: "'try' is"
        case .awaitExpr: "'await' is"
        case .asExpr: "'as' casts are"
        case .isExpr: "'is' checks are"
        case .dictionaryExpr: "dictionaries are"
        case .keyPathExpr: "key paths are"
        case .macroExpansionExpr: "macros are"
        case .regexLiteralExpr: "regular expressions are"
        default: "'\(expr.trimmedDescription.prefix(30))' is"
        }
    }

    // MARK: Literals

    func compileString(_ e: StringLiteralExprSyntax) -> Eval {
        enum Piece {
            case text(String)
            case value(Eval)
        }
        var pieces: [Piece] = []
        for segment in e.segments {
            switch segment {
            case .stringSegment(let s): pieces.append(.text(unescape(s.content.text, at: s)))
            case .expressionSegment(let s):
                for element in s.expressions { pieces.append(.value(compileExpression(element.expression))) }
            }
        }
        if pieces.count == 1, case .text(let text) = pieces[0] { return constant(.string(text)) }
        if pieces.isEmpty { return constant(.string("")) }
        let at = span(e)
        return { rt in
            var out = ""
            for piece in pieces {
                switch piece {
                case .text(let text): out += text
                case .value(let value): out += Format.plain(try value(rt))
                }
                try rt.checkLength(out.utf8.count, "a string", at: at)
            }
            return .string(out)
        }
    }

    /// Swift's escapes: `\0 \\ \t \n \r \" \'` and `\u{…}`.
    func unescape(_ s: String, at node: some SyntaxProtocol) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var scalars = s.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            guard c == "\\" else { out.unicodeScalars.append(c); continue }
            switch scalars.next() {
            case "0": out += "\0"
            case "\\": out += "\\"
            case "t": out += "\t"
            case "n": out += "\n"
            case "r": out += "\r"
            case "\"": out += "\""
            case "'": out += "'"
            case "u":
                var hex = ""
                if scalars.next() == "{" {
                    while let d = scalars.next(), d != "}" { hex.unicodeScalars.append(d) }
                }
                if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                    out.unicodeScalars.append(scalar)
                } else {
                    error("'\\u{\(hex)}' is not a Unicode scalar", at: node)
                }
            case let other?:
                error("'\\\(other)' is not an escape Swift knows", at: node, hint: "write '\\\\' for a backslash")
            case nil:
                out += "\\"
            }
        }
        return out
    }

    func compileArray(_ e: ArrayExprSyntax, annotation: TypeSyntax?) -> Eval {
        let items = e.elements.map { compileExpression($0.expression) }
        let nested = e.elements.allSatisfy { $0.expression.is(ArrayExprSyntax.self) }
        // A `[Double]` (or any array type) annotation keeps a list of numbers an array.
        let keepArray = annotation?.is(ArrayTypeSyntax.self) ?? false
        let at = span(e)
        return { rt in
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item(rt)) }
            return keepArray ? .array(values) : try rt.arrayLiteral(values, nested: nested, at: at)
        }
    }

    // MARK: Operators

    func compileInfix(_ e: InfixOperatorExprSyntax) -> Eval {
        if e.operator.is(AssignmentExprSyntax.self) {
            error("an assignment has no value; write it as a statement of its own", at: e.operator)
            return Self.broken
        }
        guard let op = e.operator.as(BinaryOperatorExprSyntax.self)?.operator.text else {
            error("'\(e.operator.trimmedDescription)' is not supported in cells", at: e.operator)
            return Self.broken
        }
        if ["+=", "-=", "*=", "/="].contains(op) {
            error("an assignment has no value; write it as a statement of its own", at: e.operator)
            return Self.broken
        }
        let (lAt, rAt) = (span(e.leftOperand), span(e.rightOperand))
        if let operation = BinaryOperator(rawValue: op) {
            return Self.binary(operation, operand(e.leftOperand), operand(e.rightOperand),
                               at: Operands(whole: span(e), op: span(e.operator), left: lAt, right: rAt, site: runtime.newSite(span(e))))
        }
        let (l, r) = (compileExpression(e.leftOperand), compileExpression(e.rightOperand))
        switch op {
        case "&&":
            return { rt in
                let a = try l(rt)
                guard try (a.boolValue ?? rt.truth(a, at: lAt)) else { return .bool(false) }
                let b = try r(rt)
                return .bool(try b.boolValue ?? rt.truth(b, at: rAt))
            }
        case "||":
            return { rt in
                let a = try l(rt)
                if try (a.boolValue ?? rt.truth(a, at: lAt)) { return .bool(true) }
                let b = try r(rt)
                return .bool(try b.boolValue ?? rt.truth(b, at: rAt))
            }
        default:
            break
        }
        error("'\(op)' is not supported in cells", at: e.operator)
        return Self.broken
    }

    /// A binary operator with its fast path for two numbers; everything else goes to `Runtime.binary`.
    static func binary(_ op: BinaryOperator, _ l: Operand, _ r: Operand, at spans: Operands) -> Eval {
        func numeric(_ f: @escaping (Double, Double) -> Value) -> Eval {
            if l.kind == .entry || r.kind == .entry {
                // `A[i, k] * B[k, j]`: entries read in place, without calling their subscripts.
                return { rt in
                    if let x = l.peekNumber(rt), let y = r.peekNumber(rt) { return f(x, y) }
                    let a = try l.value(rt), b = try r.value(rt)
                    if case .number(let x) = a, case .number(let y) = b { return f(x, y) }
                    return try rt.binary(op, a, b, at: spans)
                }
            }
            return { rt in
                let a = try l.value(rt), b = try r.value(rt)
                if case .number(let x) = a, case .number(let y) = b { return f(x, y) }
                return try rt.binary(op, a, b, at: spans)
            }
        }
        switch op {
        case .add: return numeric { .number($0 + $1) }
        case .subtract: return numeric { .number($0 - $1) }
        case .multiply, .hadamard, .circle, .dotStar: return numeric { .number($0 * $1) }
        case .divide: return numeric { .number($0 / $1) }
        case .less: return numeric { .bool($0 < $1) }
        case .lessOrEqual: return numeric { .bool($0 <= $1) }
        case .greater: return numeric { .bool($0 > $1) }
        case .greaterOrEqual: return numeric { .bool($0 >= $1) }
        case .equal: return numeric { .bool($0 == $1) }
        case .notEqual: return numeric { .bool($0 != $1) }
        case .maskLess, .maskLessOrEqual, .maskGreater, .maskGreaterOrEqual, .maskEqual, .maskNotEqual:
            let test = op.maskTest!
            return numeric { .number(test($0, $1) ? 1 : 0) }
        case .remainder, .approximately, .halfOpenRange, .closedRange:
            return { rt in try rt.binary(op, try l.value(rt), try r.value(rt), at: spans) }
        }
    }

    func compilePrefix(_ e: PrefixOperatorExprSyntax) -> Eval {
        let value = compileExpression(e.expression)
        let op = e.operator.text, at = span(e)
        switch op {
        case "-":
            return { rt in
                let v = try value(rt)
                switch v {
                case .number(let x): return .number(-x)
                case .tensor(let t): return .tensor(-t)
                default: throw CellError("cannot apply prefix '-' to \(v.typeName)", at: at)
                }
            }
        case "!":
            return { rt in
                let v = try value(rt)
                guard case .bool(let b) = v else { throw CellError("cannot apply prefix '!' to \(v.typeName)", at: at) }
                return .bool(!b)
            }
        case "+":
            return { rt in
                let v = try value(rt)
                switch v {
                case .number, .tensor: return v
                default: throw CellError("cannot apply prefix '+' to \(v.typeName)", at: at)
                }
            }
        case "..<", "...":
            // `..<b`, `...b`: from the start.
            let at = span(e.expression)
            return { rt in
                let upper = try rt.integer(try value(rt), at: at, what: "a range bound")
                return .range(0, op == "..." ? upper + 1 : upper)
            }
        default:
            error("the prefix operator '\(op)' is not supported in cells", at: e.operator)
            return Self.broken
        }
    }

    // MARK: Conditionals with a value

    /// `if` used for its value: each branch's last expression.
    func compileIfValue(_ e: IfExprSyntax) -> Eval {
        let condition = compileConditions(e.conditions)
        let then = compileValueBlock(e.body.statements)
        let otherwise: Eval = switch e.elseBody {
        case .ifExpr(let next): compileIfValue(next)
        case .codeBlock(let block): compileValueBlock(block.statements)
        case nil: constant(.void)
        }
        return { rt in try condition(rt) ? try then(rt) : try otherwise(rt) }
    }

    func compileValueBlock(_ items: CodeBlockItemListSyntax) -> Eval {
        withScope {
            guard let last = items.last, case .expr(let expr) = last.item else {
                let run = compileStatements(items)
                return { rt in
                    _ = try run(rt)
                    return .void
                }
            }
            let before = compileStatements(items.dropLast())
            let value = compileExpression(expr)
            return { rt in
                _ = try before(rt)
                return try value(rt)
            }
        }
    }

    // MARK: Subscripts (beside Operand, so its reads inline)

    func compileSubscript(_ e: SubscriptCallExprSyntax) -> Eval {
        let name = e.calledExpression.as(MemberAccessExprSyntax.self)?.declName.baseName.text
        let at = span(e)
        if e.arguments.count == 2, e.arguments.allSatisfy({ $0.label == nil }) {
            // x[i, j]: the fast path reads the entry in place, without copying the tensor.
            let baseOperand = operand(e.calledExpression)
            let args = Array(e.arguments)
            let (i, j) = (operand(args[0].expression), operand(args[1].expression))
            let (iAt, jAt) = (span(args[0].expression), span(args[1].expression))
            let inPlace = InPlace.layoutHolds
            return { rt in
                // Slots and literals are read in place; code runs once, below.
                if let x = i.peekNumber(rt), let y = j.peekNumber(rt), let r = InPlace.index(x), let c = InPlace.index(y),
                   let slot = baseOperand.pointer(rt), let entry = Self.constantEntry(slot, r, c, inPlace: inPlace) {
                    return .number(entry)
                }
                let iv = try i.value(rt), jv = try j.value(rt)
                if case .number(let x) = iv, case .number(let y) = jv, let r = Int(exactly: x), let c = Int(exactly: y) {
                    if let slot = baseOperand.pointer(rt), let entry = Self.constantEntry(slot, r, c, inPlace: inPlace) { return .number(entry) }
                }
                let b = try baseOperand.value(rt)
                if case .tensor(let v) = b, !v.isTraced, case .number(let x) = iv, case .number(let y) = jv,
                   let r = Int(exactly: x), let c = Int(exactly: y), r >= 0, r < v.value.rows, c >= 0, c < v.value.cols {
                    return .number(v.value.storage[r * v.value.cols + c])
                }
                return try rt.index(b, [(nil, iv, iAt), (nil, jv, jAt)], at: at, name: name)
            }
        }
        let base = compileExpression(e.calledExpression)
        let indices = e.arguments.map { (label: $0.label?.text, value: compileExpression($0.expression), span: span($0.expression)) }
        if indices.count == 1, indices[0].label == nil {
            let i = indices[0].value, iAt = indices[0].span
            return { rt in
                let b = try base(rt), iv = try i(rt)
                if case .number(let x) = iv, let k = Int(exactly: x), k >= 0 {
                    switch b {
                    case .array(let items) where k < items.count && k > 0: return items[k]
                    case .tensor(let v) where !v.isTraced && v.value.isVector && k < v.value.count: return .number(v.value.storage[k])
                    default: break
                    }
                }
                return try rt.index(b, [(nil, iv, iAt)], at: at, name: name)
            }
        }
        return { rt in
            let b = try base(rt)
            let values = try indices.map { (label: $0.label, value: try $0.value(rt), span: $0.span) }
            return try rt.index(b, values, at: at, name: name)
        }
    }

    /// Entry (r, c) of an untraced tensor held in a slot, read in place.
    @inline(__always) static func constantEntry(_ slot: UnsafeMutablePointer<Value>, _ r: Int, _ c: Int, inPlace: Bool) -> Double? {
        if inPlace, let entry = InPlace.withTensor(slot, { v in entry(of: v, r, c) }) { return entry }
        guard case .tensor(let v) = slot.pointee else { return nil }
        return entry(of: v, r, c)
    }

    @inline(__always) static func entry(of v: Variable, _ r: Int, _ c: Int) -> Double? {
        guard v.isPlainConstant || !v.isTraced else { return nil }
        let (rows, cols) = (v.value.rows, v.value.cols)
        guard r >= 0, r < rows, c >= 0, c < cols else { return nil }
        return v.storageEntry(r * cols + c)
    }

    // MARK: Closures

    func compileClosure(_ e: ClosureExprSyntax) -> Eval {
        var names: [(name: String, defaultValue: ExprSyntax?, node: Syntax)] = []
        switch e.signature?.parameterClause {
        case .simpleInput(let list): names = list.map { ($0.name.text, nil, Syntax($0)) }
        case .parameterClause(let clause): names = clause.parameters.map { (($0.secondName ?? $0.firstName).text, nil, Syntax($0)) }
        case nil: break
        }
        let anonymous = e.signature == nil ? AnonymousArguments.count(in: e.statements) : 0
        let parameters = names.map { CompiledFunction.Parameter(label: nil, name: $0.name, defaultValue: nil) }
            + (0..<anonymous).map { CompiledFunction.Parameter(label: nil, name: "$\($0)", defaultValue: nil) }
        let compiled = CompiledFunction(name: "closure", parameters: parameters, isClosure: true, span: span(e))
        compiled.ignoresExtraArguments = e.signature == nil
        let captures = compileFunctionBody(compiled, parameters: names, statements: e.statements, anonymous: anonymous, in: e.statements)
        return makeFunction(compiled, captures)
    }
}

/// An operand compiled for the fast paths: a slot or a number is read in place, without a call
/// (a class, so reading it from a closure's context copies nothing).
final class Operand {
    enum Kind {
        case local, global, number, code
        /// `X[i, j]` with X in a slot and i, j slots or literals: read in place when X is a
        /// tensor no derivative flows through, else by `code` (the subscript compiled).
        case entry
    }

    let kind: Kind
    let slot: Int
    let number: Double
    /// Not optional: unwrapping would copy (retain) the closure on every read.
    let code: Eval
    /// For `.entry`: the tensor's slot and the indices, as plain data (no references to retain).
    let base: Simple
    let row: Simple
    let col: Simple
    let inPlace = InPlace.layoutHolds

    /// A slot or a literal.
    struct Simple {
        var kind: Kind
        var slot: Int
        var number: Double

        @inline(__always) func peekNumber(_ rt: Runtime) -> Double? {
            switch kind {
            case .local: if case .number(let x) = rt.frame[slot] { x } else { nil }
            case .global: if case .number(let x) = rt.globals[slot] { x } else { nil }
            case .number: number
            case .code, .entry: nil
            }
        }

        @inline(__always) func pointer(_ rt: Runtime) -> UnsafeMutablePointer<Value>? {
            switch kind {
            case .local: rt.frame + slot
            case .global: rt.globals + slot
            case .number, .code, .entry: nil
            }
        }
    }

    static let none = Simple(kind: .code, slot: 0, number: 0)

    init(kind: Kind, slot: Int, number: Double, code: @escaping Eval, base: Simple = none, row: Simple = none, col: Simple = none) {
        self.kind = kind
        self.slot = slot
        self.number = number
        self.code = code
        self.base = base
        self.row = row
        self.col = col
    }

    var simple: Simple { Simple(kind: kind, slot: slot, number: number) }

    static func entry(_ base: Operand, _ row: Operand, _ col: Operand, code: @escaping Eval) -> Operand {
        Operand(kind: .entry, slot: 0, number: 0, code: code, base: base.simple, row: row.simple, col: col.simple)
    }

    /// The entry of a `.entry` operand, read in place, or nil (then `code` decides).
    @inline(__always) func entryInPlace(_ rt: Runtime) -> Double? {
        guard let x = row.peekNumber(rt), let y = col.peekNumber(rt),
              let r = InPlace.index(x), let c = InPlace.index(y), let p = base.pointer(rt) else { return nil }
        return Compiler.constantEntry(p, r, c, inPlace: inPlace)
    }

    nonisolated(unsafe) static let unused: Eval = { _ in .void }
    static func local(_ k: Int) -> Operand { Operand(kind: .local, slot: k, number: 0, code: unused) }
    static func global(_ g: Int) -> Operand { Operand(kind: .global, slot: g, number: 0, code: unused) }
    static func number(_ x: Double) -> Operand { Operand(kind: .number, slot: 0, number: x, code: unused) }
    static func code(_ e: @escaping Eval) -> Operand { Operand(kind: .code, slot: 0, number: 0, code: e) }

    @inline(__always) func value(_ rt: Runtime) throws -> Value {
        switch kind {
        case .local: rt.frame[slot]
        case .global: rt.globals[slot]
        case .number: .number(number)
        case .code, .entry: try code(rt)
        }
    }

    /// The number in a slot or literal, read in place (no copy of the value); nil for anything
    /// else, and for code, which this never runs.
    @inline(__always) func peekNumber(_ rt: Runtime) -> Double? {
        switch kind {
        case .local: if case .number(let x) = rt.frame[slot] { x } else { nil }
        case .global: if case .number(let x) = rt.globals[slot] { x } else { nil }
        case .number: number
        case .code: nil
        case .entry: entryInPlace(rt)
        }
    }

    /// A pointer to the slot, for reading a tensor's entry without copying the value.
    @inline(__always) func pointer(_ rt: Runtime) -> UnsafeMutablePointer<Value>? {
        switch kind {
        case .local: rt.frame + slot
        case .global: rt.globals + slot
        case .number, .code, .entry: nil
        }
    }
}

/// The spans of a binary expression: errors about values point at the whole expression, errors
/// about the operator at the operator.
struct Operands {
    var whole: Span
    var op: Span
    var left: Span
    var right: Span
    /// The value site of the result (see `Runtime.sites`).
    var site = -1
}

/// The binary operators of the cell language.
enum BinaryOperator: String {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case hadamard = "⊙", circle = "∘", dotStar = ".*"
    case approximately = "≈"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case halfOpenRange = "..<", closedRange = "..."
    /// Elementwise comparisons: a tensor of 1s and 0s (a mask).
    case maskLess = ".<", maskLessOrEqual = ".<=", maskGreater = ".>", maskGreaterOrEqual = ".>=", maskEqual = ".==", maskNotEqual = ".!="

    /// The comparison a mask operator makes.
    var maskTest: ((Double, Double) -> Bool)? {
        switch self {
        case .maskLess: { $0 < $1 }
        case .maskLessOrEqual: { $0 <= $1 }
        case .maskGreater: { $0 > $1 }
        case .maskGreaterOrEqual: { $0 >= $1 }
        case .maskEqual: { $0 == $1 }
        case .maskNotEqual: { $0 != $1 }
        default: nil
        }
    }
}

/// How many `$0, $1, …` a closure without a signature uses (not counting nested closures').
final class AnonymousArguments: SyntaxVisitor {
    private var highest = -1

    static func count(in node: some SyntaxProtocol) -> Int {
        let scan = AnonymousArguments(viewMode: .sourceAccurate)
        scan.walk(node)
        return scan.highest + 1
    }

    override func visit(_ node: ClosureExprSyntax) -> SyntaxVisitorContinueKind { .skipChildren }

    override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
        if case .dollarIdentifier(let name) = node.baseName.tokenKind, let k = Int(name.dropFirst()) { highest = max(highest, k) }
        return .skipChildren
    }
}

extension Value {
    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}
