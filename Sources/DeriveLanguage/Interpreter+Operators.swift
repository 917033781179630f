import DeriveEngine
import SwiftSyntax

extension Interpreter {
    func infix(_ e: InfixOperatorExprSyntax, in scope: Scope) throws -> Value {
        if e.operator.is(AssignmentExprSyntax.self) {
            try assign(try evaluate(e.rightOperand, in: scope), to: e.leftOperand, in: scope)
            return .void
        }
        guard let op = e.operator.as(BinaryOperatorExprSyntax.self)?.operator.text else {
            throw CellError("'\(e.operator.trimmedDescription)' is not supported in cells", at: e.operator)
        }
        switch op {
        case "&&": return .bool(try truth(try evaluate(e.leftOperand, in: scope), at: e.leftOperand) && truth(try evaluate(e.rightOperand, in: scope), at: e.rightOperand))
        case "||": return .bool(try truth(try evaluate(e.leftOperand, in: scope), at: e.leftOperand) || truth(try evaluate(e.rightOperand, in: scope), at: e.rightOperand))
        case "+=", "-=", "*=", "/=":
            let current = try evaluate(e.leftOperand, in: scope)
            let updated = try binary(String(op.dropLast()), current, try evaluate(e.rightOperand, in: scope), at: e)
            try assign(updated, to: e.leftOperand, in: scope)
            return .void
        default:
            return try binary(op, try evaluate(e.leftOperand, in: scope), try evaluate(e.rightOperand, in: scope), at: e)
        }
    }

    func prefix(_ e: PrefixOperatorExprSyntax, in scope: Scope) throws -> Value {
        let value = try evaluate(e.expression, in: scope)
        switch (e.operator.text, value) {
        case ("-", .number(let x)): return .number(-x)
        case ("-", .tensor(let v)): return .tensor(-v)
        case ("!", .bool(let b)): return .bool(!b)
        case ("+", .number), ("+", .tensor): return value
        default: throw CellError("cannot apply prefix '\(e.operator.text)' to \(value.typeName)", at: e)
        }
    }

    func binary(_ op: String, _ a: Value, _ b: Value, at node: InfixOperatorExprSyntax) throws -> Value {
        let opNode = Syntax(node.operator)
        do {
            switch op {
            case "...", "..<":
                let (lo, hi) = (try integer(a, at: node.leftOperand, what: "a range bound"), try integer(b, at: node.rightOperand, what: "a range bound"))
                if op == "..." && hi < lo { throw CellError("cannot form the range \(lo)...\(hi): the upper bound is below the lower", at: node) }
                return .range(lo, op == "..." ? hi + 1 : hi)
            case "≈": return try approximately(a, b, at: node)
            case "==", "!=":
                let equal = try equals(a, b, at: node)
                return .bool(op == "==" ? equal : !equal)
            case "<", "<=", ">", ">=":
                return .bool(try compareOrder(op, a, b, at: node))
            default: break
            }
            // Arithmetic.
            if case .number(let x) = a, case .number(let y) = b {
                switch op {
                case "+": return .number(x + y)
                case "-": return .number(x - y)
                case "*", "⊙", "∘", ".*": return .number(x * y)
                case "/": return .number(x / y)
                case "%": return .number(x.truncatingRemainder(dividingBy: y))
                default: break
                }
            }
            if case .string(let x) = a, case .string(let y) = b, op == "+" { return .string(x + y) }
            if case .array(let x) = a, case .array(let y) = b, op == "+" { return .array(x + y) }
            guard let x = a.variable, let y = b.variable else {
                throw CellError("cannot apply '\(op)' to \(a.typeName) and \(b.typeName)", at: opNode)
            }
            switch op {
            case "+": try checkBroadcast(x, y, at: node); return .tensor(try x + y)
            case "-": try checkBroadcast(x, y, at: node); return .tensor(try x - y)
            case "*":
                if !x.value.isScalar, !y.value.isScalar { try checkSize(x.value.rows, y.value.cols, at: node) }
                return .tensor(try x * y)
            case "⊙", "∘", ".*": try checkBroadcast(x, y, at: node); return .tensor(try Variable.hadamard(x, y))
            case "/": try checkBroadcast(x, y, at: node); return .tensor(try x / y)
            default: throw CellError("'\(op)' is not supported in cells", at: opNode)
            }
        } catch let error as EngineError {
            throw CellError(error.message, at: node)
        }
    }

    func checkBroadcast(_ a: Variable, _ b: Variable, at node: some SyntaxProtocol) throws {
        try checkSize(max(a.value.rows, b.value.rows), max(a.value.cols, b.value.cols), at: node)
    }

    /// `a ≈ b` with the cell's tolerance: equal shapes, values within tolerance.
    func approximately(_ a: Value, _ b: Value, at node: some SyntaxProtocol) throws -> Value {
        guard let x = a.variable, let y = b.variable else {
            throw CellError("'≈' compares numbers or tensors, not \(a.typeName) and \(b.typeName)", at: node)
        }
        var result = compare(x.value, y.value, tolerance: tolerance)
        result.reference = "the right-hand side"
        return .comparison(result, result.passed)
    }

    func equals(_ a: Value, _ b: Value, at node: some SyntaxProtocol) throws -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.tuple(let x, _), .tuple(let y, _)):
            return try x.count == y.count && zip(x, y).allSatisfy { try equals($0, $1, at: node) }
        case (.array(let x), .array(let y)):
            return try x.count == y.count && zip(x, y).allSatisfy { try equals($0, $1, at: node) }
        default:
            if let x = a.number, let y = b.number { return x == y }
            if let x = a.variable, let y = b.variable { return x.value == y.value }
            throw CellError("cannot compare \(a.typeName) with \(b.typeName)", at: node)
        }
    }

    func compareOrder(_ op: String, _ a: Value, _ b: Value, at node: some SyntaxProtocol) throws -> Bool {
        if let x = a.number, let y = b.number {
            switch op {
            case "<": return x < y
            case "<=": return x <= y
            case ">": return x > y
            default: return x >= y
            }
        }
        if case .string(let x) = a, case .string(let y) = b {
            return op == "<" ? x < y : op == "<=" ? x <= y : op == ">" ? x > y : x >= y
        }
        throw CellError("cannot order \(a.typeName) and \(b.typeName) with '\(op)'; compare numbers", at: node)
    }
}
