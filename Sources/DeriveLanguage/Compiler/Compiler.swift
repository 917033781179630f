import DeriveDocument
import DeriveEngine
import SwiftSyntax

/// Compiles a cell's syntax tree, whole, into closures that run against a `Runtime`: names bound
/// to slots, literals read once, library calls bound to their entry with their labels checked.
/// Every error is collected with its position; a cell with any does not run.
final class Compiler {
    let runtime: Runtime
    let map: SourceMap
    let cell: Int32
    private(set) var errors: [CellError] = []
    /// A name from a failed cell is reported once per cell, not at every use.
    var reportedFailedName = false
    /// Globals this cell declares, in order (merged into the notebook's names when it is done).
    private(set) var declared: [(name: String, binding: Binding)] = []
    private var starts: [SyntaxIdentifier: Int] = [:]
    /// Bindings of the `func`s declared ahead of their blocks, by declaration.
    var hoisted: [SyntaxIdentifier: Binding] = [:]

    var scope: LexicalScope
    var function: FunctionContext
    /// Loops around the code being compiled, in the current function (for break and continue).
    var loopDepth = 0
    /// Whether `return` is allowed here (inside a func or closure).
    var inFunction = false
    /// Nesting of expressions, bounded so a pathological cell is an error, not a stack overflow.
    var expressionDepth = 0
    static let maximumExpressionDepth = 4_000

    init(runtime: Runtime, map: SourceMap, cell: Int32, notebookScope: LexicalScope, capturedNames: Set<String>) {
        self.runtime = runtime
        self.map = map
        self.cell = cell
        function = FunctionContext(parent: nil, capturedNames: capturedNames, isCell: true)
        scope = LexicalScope(parent: notebookScope, function: function, isCellTop: true)
    }

    // MARK: Positions and errors

    func span(_ node: some SyntaxProtocol) -> Span {
        let start = self.start(Syntax(node))
        return Span(cell: cell, start: Int32(truncatingIfNeeded: start),
                    length: Int32(truncatingIfNeeded: max(0, node.endPositionBeforeTrailingTrivia.utf8Offset - start)))
    }

    /// Where a node's text starts (after its leading trivia), remembered: swift-syntax finds a
    /// node's first token by walking down to it, which for a long chain of operators, nested one
    /// in another, would make the spans of all of them quadratic.
    func start(_ node: Syntax) -> Int {
        if let known = starts[node.id] { return known }
        let value: Int
        if let token = node.as(TokenSyntax.self) {
            value = token.positionAfterSkippingLeadingTrivia.utf8Offset
        } else if let first = node.children(viewMode: .sourceAccurate).first(where: { $0.totalLength.utf8Length > 0 }) {
            value = start(first)
        } else {
            value = node.position.utf8Offset
        }
        starts[node.id] = value
        return value
    }

    /// From the start of one node to the end of another (`at: x` without its comma).
    func span(from first: some SyntaxProtocol, to last: some SyntaxProtocol) -> Span {
        let start = self.start(Syntax(first))
        return Span(cell: cell, start: Int32(truncatingIfNeeded: start),
                    length: Int32(truncatingIfNeeded: last.endPositionBeforeTrailingTrivia.utf8Offset - start))
    }

    func line(_ node: some SyntaxProtocol) -> Int {
        map.location(of: node.positionAfterSkippingLeadingTrivia).line
    }

    func error(_ message: String, at node: some SyntaxProtocol, hint: String? = nil) {
        errors.append(CellError(message, at: span(node), hint: hint))
    }

    func error(_ message: String, at span: Span, hint: String? = nil) {
        errors.append(CellError(message, at: span, hint: hint))
    }

    /// Stands in for code that did not compile (the cell will not run).
    static var broken: Eval { { _ in .void } }

    // MARK: Scopes

    func withScope<T>(_ body: () -> T) -> T {
        let saved = scope
        scope = LexicalScope(parent: saved, function: function)
        defer { scope = saved }
        return body()
    }

    /// Declares a name in the current scope; an existing one in the same scope is an error.
    @discardableResult
    func declare(_ name: String, constant: Bool, at node: some SyntaxProtocol, function compiled: CompiledFunction? = nil) -> Binding {
        if let existing = scope.names[name], case .failed = existing.storage {} else if scope.names[name] != nil {
            error("invalid redeclaration of '\(name)'", at: node,
                  hint: scope.isCellTop ? "a later cell may declare it again; within one cell, assign to it (declare it with 'var')" : "assign to it instead (declare it with 'var')")
        }
        let storage: Binding.Storage
        if scope.isCellTop {
            storage = .global(runtime.newGlobal())
        } else if compiled != nil || (!constant && function.capturedNames.contains(name)) {
            storage = .boxed(function.newSlot())
        } else {
            storage = .local(function.newSlot())
        }
        let binding = Binding(name, storage, constant: constant, owner: scope.isCellTop ? nil : function, line: line(node))
        binding.function = compiled
        scope.names[name] = binding
        if scope.isCellTop { declared.append((name, binding)) }
        return binding
    }

    /// How compiled code reaches a binding from the current function.
    enum Access {
        case global(Int)
        case local(Int)
        case boxed(Int)
        /// A capture: by value for a constant, a box for a `var`.
        case capture(Int, boxed: Bool)
        case library(LibraryFunction)
    }

    func access(_ binding: Binding) -> Access? {
        switch binding.storage {
        case .global(let g): return .global(g)
        case .library(let f): return .library(f)
        case .failed: return nil
        case .local(let slot):
            return binding.owner === function ? .local(slot) : .capture(function.capture(binding), boxed: false)
        case .boxed(let slot):
            return binding.owner === function ? .boxed(slot) : .capture(function.capture(binding), boxed: true)
        }
    }

    /// Resolves a name that is read, or reports why it cannot be.
    func resolve(_ name: String, at node: some SyntaxProtocol) -> (Binding, Access)? {
        guard let binding = scope.lookup(name) ?? Library.binding(name) else {
            let hint = Self.familiar[name] ?? EditDistanceHint.closest(to: name, in: scope.allNames.union(Library.names as Set<String>)).map { "did you mean '\($0)'?" }
            error("cannot find '\(name)' in scope", at: node, hint: hint)
            return nil
        }
        if case .failed(let line) = binding.storage {
            if !reportedFailedName {
                reportedFailedName = true
                error("'\(name)' is not defined: it is declared at line \(line), in a cell that failed before defining it", at: node,
                      hint: "fix the error in that cell first")
            }
            return nil
        }
        return access(binding).map { (binding, $0) }
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

    // MARK: Loads and stores

    func load(_ access: Access) -> Eval {
        switch access {
        case .global(let g): return { rt in rt.globals[g] }
        case .local(let slot): return { rt in rt.frame[slot] }
        case .boxed(let slot):
            return { rt in
                guard case .box(let box) = rt.frame[slot] else { return .void }
                return box.value
            }
        case .capture(let k, boxed: false): return { rt in rt.captures[k] }
        case .capture(let k, boxed: true):
            return { rt in
                guard case .box(let box) = rt.captures[k] else { return .void }
                return box.value
            }
        case .library(let entry):
            let value = Value.function(Function(.library(entry)))
            return { _ in value }
        }
    }

    /// Stores into a binding's storage (a declaration or an assignment).
    func store(_ access: Access, declaring: Bool = false) -> (Runtime, Value) -> Void {
        switch access {
        case .global(let g):
            return { rt, value in rt.globals[g] = value }
        case .local(let slot):
            return { rt, value in rt.frame[slot] = value }
        case .boxed(let slot):
            if declaring { return { rt, value in rt.frame[slot] = .box(Box(value)) } }
            return { rt, value in if case .box(let box) = rt.frame[slot] { box.value = value } }
        case .capture(let k, _):
            return { rt, value in if case .box(let box) = rt.captures[k] { box.value = value } }
        case .library:
            return { _, _ in }
        }
    }

    /// A pointer to the slot that holds a value directly (globals and frame slots), for updates in place.
    func slotPointer(_ access: Access) -> ((Runtime) -> UnsafeMutablePointer<Value>)? {
        switch access {
        case .global(let g): { rt in rt.globals + g }
        case .local(let slot): { rt in rt.frame + slot }
        case .boxed, .capture, .library: nil
        }
    }
}

extension Compiler {
    /// A cell compiled: its statements, and the last expression whose value it shows.
    struct Program {
        var run: Exec
        var show: Eval?
    }

    func compileCell(_ file: SourceFileSyntax) -> Program {
        let items = Array(file.statements)
        var execs = hoistFunctions(items)
        var show: Eval?
        for (k, item) in items.enumerated() {
            if k == items.count - 1, let expr = Self.showable(item.item) {
                show = compileExpression(expr)
            } else if let exec = compileItem(item.item) {
                execs.append(exec)
            }
        }
        return Program(run: Self.sequence(execs), show: show)
    }

    /// An expression statement that is not an assignment or an `if`: its value is shown.
    static func showable(_ item: CodeBlockItemSyntax.Item) -> ExprSyntax? {
        let expr: ExprSyntax? = switch item {
        case .expr(let e): e
        case .stmt(let s): s.as(ExpressionStmtSyntax.self)?.expression
        case .decl: nil
        }
        guard let expr, !expr.is(IfExprSyntax.self) else { return nil }
        if let infix = expr.as(InfixOperatorExprSyntax.self) {
            if infix.operator.is(AssignmentExprSyntax.self) { return nil }
            if let op = infix.operator.as(BinaryOperatorExprSyntax.self)?.operator.text, ["+=", "-=", "*=", "/="].contains(op) { return nil }
        }
        return expr
    }
}
