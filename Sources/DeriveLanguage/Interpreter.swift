import DeriveDocument
import DeriveEngine
import Foundation
import SwiftSyntax

/// Evaluates the statements of cells against the engine. One interpreter runs one notebook,
/// cell after cell, in one environment.
final class Interpreter {
    let notebook: Notebook
    let limits: Limits
    let globals = Scope(parent: nil)
    var random: RandomStream

    // Per cell.
    var map: SourceMap!
    var outputs: [CellOutput] = []
    var tolerance = Tolerance.default
    var trials = 20
    var steps = 0
    var depth = 0
    /// Lines `print` has shown in this cell; past `printedLineLimit` the rest are counted, not kept,
    /// so a printing loop cannot flood the page. `truncationNote` is where the count is shown.
    var printedLines = 0
    var truncationNote: Int?
    static let printedLineLimit = 1000
    /// Tensor entries in expression results since memory was last measured (reads of existing
    /// tensors count too, which only measures a little early). Measuring is a system call, so it
    /// happens once per `entriesPerMemoryProbe` (256 MB of results), not on every step.
    var entriesSinceProbe = 0
    static let entriesPerMemoryProbe = 32 << 20
    var deadline = ContinuousClock.now
    /// Set while a `forAll` block runs: check rows gather here across trials.
    var forAll: ForAllState?
    /// Set while a `checkChainRule` block runs: its `step(…)` calls gather here.
    var chainSteps: [ChainStep]?

    init(notebook: Notebook, limits: Limits) {
        self.notebook = notebook
        self.limits = limits
        random = RandomStream(seed: notebook.frontMatter.seed)
    }

    /// Counts an evaluation step; enforces the step budget and, now and then, the clock.
    @inline(__always) func tick(_ node: some SyntaxProtocol) throws {
        steps += 1
        if steps > limits.steps {
            throw CellError("the cell took more than \(limits.steps) evaluation steps; is there an endless loop?", at: node)
        }
        // Reading the clock costs little next to a step; every 64 keeps heavy loops on time.
        if steps & 0x3F == 0, ContinuousClock.now > deadline {
            throw CellError("the cell ran longer than its time limit of \(limits.wallClock)", at: node)
        }
    }

    /// Shows printed text, up to `printedLineLimit` lines per cell; then one line, kept up to
    /// date, saying how many more there were.
    func showPrinted(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let limit = Self.printedLineLimit
        let room = Swift.max(0, limit - printedLines)
        printedLines += lines.count
        if lines.count <= room {
            outputs.append(.text(text))
            return
        }
        if room > 0 { outputs.append(.text(lines.prefix(room).joined(separator: "\n"))) }
        let note = CellOutput.text("… \(printedLines - limit) more printed lines not shown (a cell shows at most \(limit))")
        if let i = truncationNote { outputs[i] = note } else { truncationNote = outputs.count; outputs.append(note) }
    }

    /// Counts a result's entries, and when enough have been made, measures the process's memory.
    @inline(__always) func account(_ value: Value, at node: some SyntaxProtocol) throws {
        guard case .tensor(let v) = value else { return }
        entriesSinceProbe += v.value.count
        guard entriesSinceProbe > Self.entriesPerMemoryProbe else { return }
        entriesSinceProbe = 0
        if let resident = ResidentMemory.bytes(), resident > limits.memoryBytes {
            throw CellError("the notebooks are using \(resident >> 20) MiB of memory, more than the limit of \(limits.memoryBytes >> 20) MiB",
                            at: node, hint: "keep fewer large tensors alive (an array that grows in a loop?)")
        }
    }

    /// Refuses a tensor larger than the cap before it is allocated.
    func checkSize(_ rows: Int, _ cols: Int, at node: some SyntaxProtocol) throws {
        guard rows >= 0, cols >= 0 else { throw CellError("a tensor cannot have a negative size (\(rows)×\(cols))", at: node) }
        let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
        if overflow || count > limits.tensorElements {
            throw CellError("a \(rows)×\(cols) tensor has more than \(limits.tensorElements) entries, the limit for a cell", at: node)
        }
    }

    // MARK: Statements

    /// Runs statements; returns the value of the last one if it is an expression.
    @discardableResult
    func run(_ items: CodeBlockItemListSyntax, in scope: Scope) throws -> Value {
        var last = Value.void
        for item in items {
            last = try run(item.item, in: scope)
        }
        return last
    }

    func run(_ item: CodeBlockItemSyntax.Item, in scope: Scope) throws -> Value {
        switch item {
        case .decl(let decl):
            try declare(decl, in: scope)
            return .void
        case .stmt(let stmt):
            return try run(stmt, in: scope)
        case .expr(let expr):
            return try evaluate(expr, in: scope)
        }
    }

    func run(_ stmt: StmtSyntax, in scope: Scope) throws -> Value {
        try tick(stmt)
        if let s = stmt.as(ExpressionStmtSyntax.self) { return try evaluate(s.expression, in: scope) }
        if let s = stmt.as(ReturnStmtSyntax.self) {
            throw ControlFlow.returnValue(try s.expression.map { try evaluate($0, in: scope) } ?? .void)
        }
        if stmt.is(BreakStmtSyntax.self) { throw ControlFlow.breakLoop }
        if stmt.is(ContinueStmtSyntax.self) { throw ControlFlow.continueLoop }
        if let s = stmt.as(GuardStmtSyntax.self) {
            if try !conditionsHold(s.conditions, in: scope) {
                try run(s.body.statements, in: Scope(parent: scope))
                throw CellError("the 'else' of a guard must leave with return, break or continue", at: s.guardKeyword)
            }
            return .void
        }
        if let s = stmt.as(ForStmtSyntax.self) { try runFor(s, in: scope); return .void }
        if let s = stmt.as(WhileStmtSyntax.self) {
            while try conditionsHold(s.conditions, in: scope) {
                try tick(s)
                do { try run(s.body.statements, in: Scope(parent: scope)) } catch ControlFlow.breakLoop { break } catch ControlFlow.continueLoop { continue }
            }
            return .void
        }
        throw CellError("'\(stmt.firstToken(viewMode: .sourceAccurate)?.text ?? "this")' statements are not supported in cells", at: stmt)
    }

    func runFor(_ s: ForStmtSyntax, in scope: Scope) throws {
        guard s.awaitKeyword == nil, s.tryKeyword == nil, s.caseKeyword == nil, s.whereClause == nil else {
            throw CellError("only plain 'for x in sequence' loops are supported in cells", at: s.forKeyword)
        }
        let sequence = try elements(of: try evaluate(s.sequence, in: scope), at: s.sequence)
        for element in sequence {
            try tick(s)
            let body = Scope(parent: scope)
            try bind(s.pattern, to: element, in: body, constant: true)
            do { try run(s.body.statements, in: body) } catch ControlFlow.breakLoop { break } catch ControlFlow.continueLoop { continue }
        }
    }

    /// The values a `for` loop visits.
    func elements(of value: Value, at node: some SyntaxProtocol) throws -> [Value] {
        switch value {
        case .range(let a, let b): return a < b ? (a..<b).map { .number(Double($0)) } : []
        case .array(let items): return items
        case .tensor(let v) where v.value.isVector: return v.value.storage.map { .number($0) }
        default: throw CellError("cannot loop over \(value.typeName)", at: node)
        }
    }

    func conditionsHold(_ conditions: ConditionElementListSyntax, in scope: Scope) throws -> Bool {
        for condition in conditions {
            guard case .expression(let expr) = condition.condition else {
                throw CellError("only Bool conditions are supported in cells (no 'let' or 'case' conditions)", at: condition)
            }
            guard try truth(try evaluate(expr, in: scope), at: expr) else { return false }
        }
        return true
    }

    func truth(_ value: Value, at node: some SyntaxProtocol) throws -> Bool {
        switch value {
        case .bool(let b): return b
        case .comparison(_, let passed): return passed
        default: throw CellError("expected a Bool condition, got \(value.typeName)", at: node)
        }
    }

    // MARK: Declarations

    func declare(_ decl: DeclSyntax, in scope: Scope) throws {
        if decl.is(ImportDeclSyntax.self) { return }
        if let v = decl.as(VariableDeclSyntax.self) {
            let constant = v.bindingSpecifier.tokenKind == .keyword(.let)
            for binding in v.bindings {
                guard let initializer = binding.initializer else {
                    throw CellError("'\(binding.pattern.trimmedDescription)' needs an initial value in a cell", at: binding)
                }
                var value = try evaluate(initializer.value, in: scope)
                if let type = binding.typeAnnotation?.type { value = try convert(value, to: type, at: initializer.value) }
                try bind(binding.pattern, to: value, in: scope, constant: constant)
            }
            return
        }
        if let f = decl.as(FunctionDeclSyntax.self) {
            guard let body = f.body else { throw CellError("function '\(f.name.text)' needs a body", at: f.name) }
            let parameters = f.signature.parameterClause.parameters.map { p in
                UserFunction.Parameter(label: p.firstName.text == "_" ? nil : p.firstName.text,
                                       name: (p.secondName ?? p.firstName).text, defaultValue: p.defaultValue?.value)
            }
            try checkRedeclaration(f.name.text, in: scope, at: f.name)
            let function = UserFunction(name: f.name.text, parameters: parameters, body: body.statements, scope: scope, anonymousArguments: false, isClosure: false)
            scope.declare(f.name.text, .function(Function(.user(function))), constant: true)
            return
        }
        let keyword = decl.firstToken(viewMode: .sourceAccurate)?.text ?? "this"
        throw CellError("'\(keyword)' declarations are not supported in cells", at: decl)
    }

    func checkRedeclaration(_ name: String, in scope: Scope, at node: some SyntaxProtocol) throws {
        if scope.declaresHere(name) {
            throw CellError("invalid redeclaration of '\(name)'", at: node, hint: "a later cell may declare it again; within one cell, assign to it (declare it with 'var')")
        }
    }

    /// Binds a name, a tuple of names, or `_`.
    func bind(_ pattern: PatternSyntax, to value: Value, in scope: Scope, constant: Bool) throws {
        if let identifier = pattern.as(IdentifierPatternSyntax.self) {
            try checkRedeclaration(identifier.identifier.text, in: scope, at: identifier)
            scope.declare(identifier.identifier.text, value, constant: constant)
        } else if pattern.is(WildcardPatternSyntax.self) {
            return
        } else if let tuple = pattern.as(TuplePatternSyntax.self) {
            let parts: [Value]
            switch value {
            case .tuple(let items, _): parts = items
            case .array(let items): parts = items
            default: throw CellError("cannot destructure \(value.typeName) into \(tuple.elements.count) names", at: tuple)
            }
            guard parts.count == tuple.elements.count else {
                throw CellError("cannot destructure a tuple of \(parts.count) into \(tuple.elements.count) names", at: tuple)
            }
            for (element, part) in zip(tuple.elements, parts) { try bind(element.pattern, to: part, in: scope, constant: constant) }
        } else if let binding = pattern.as(ValueBindingPatternSyntax.self) {
            try bind(binding.pattern, to: value, in: scope, constant: constant)
        } else {
            throw CellError("this pattern is not supported in cells", at: pattern)
        }
    }

    /// Applies a type annotation: numbers for `Double`/`Int`, otherwise the value as it is.
    func convert(_ value: Value, to type: TypeSyntax, at node: some SyntaxProtocol) throws -> Value {
        let name = type.trimmedDescription
        switch name {
        case "Double", "Int":
            guard let x = value.number else { throw CellError("cannot use \(value.typeName) as \(name)", at: node) }
            if name == "Int", x != x.rounded() { throw CellError("\(x) is not an integer", at: node) }
            return .number(x)
        case "Bool":
            guard case .bool = value else { throw CellError("cannot use \(value.typeName) as Bool", at: node) }
        case "String":
            guard case .string = value else { throw CellError("cannot use \(value.typeName) as String", at: node) }
        case "Tensor":
            guard let v = value.variable else { throw CellError("cannot use \(value.typeName) as Tensor", at: node) }
            return .tensor(v)
        default:
            break
        }
        return value
    }
}
