import DeriveDocument
import DeriveEngine
import Foundation
import SwiftSyntax

/// Runs a notebook's cells top to bottom in one environment (SPEC §3) and says whether each
/// met its `expect`. Never throws and never traps: errors stop their cell, not the notebook.
public struct NotebookRunner: Sendable {
    public var limits: Limits

    public init(limits: Limits = .default) {
        self.limits = limits
    }

    /// Interpretation recurses on the native stack, so a notebook runs on a thread with a large one.
    public func run(_ notebook: Notebook) -> NotebookResult {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { [limits] in
            box.result = Self.runCells(of: notebook, limits: limits)
            done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        return box.result ?? NotebookResult(cells: [])
    }

    private final class ResultBox: @unchecked Sendable {
        var result: NotebookResult?
    }

    static func runCells(of notebook: Notebook, limits: Limits) -> NotebookResult {
        let interpreter = Interpreter(notebook: notebook, limits: limits)
        return NotebookResult(cells: notebook.cells.map { interpreter.runCell($0) })
    }
}

extension Interpreter {
    func runCell(_ cell: Cell) -> CellResult {
        guard cell.options.eval else {
            return CellResult(index: cell.index, outputs: [], error: nil, passed: true, ran: false)
        }
        outputs = []
        printedLines = 0
        truncationNote = nil
        steps = 0
        depth = 0
        deadline = .now + limits.wallClock
        let front = notebook.frontMatter
        tolerance = Tolerance(rtol: cell.options.rtol ?? front.rtol ?? 1e-6, atol: cell.options.atol ?? front.atol ?? 1e-9)
        trials = cell.options.trials ?? front.trials ?? 20
        // A cell with its own seed draws from its own stream; the notebook's stream is left as it was.
        let notebookStream = random
        if let seed = cell.options.seed { random = RandomStream(seed: seed) }
        defer { if cell.options.seed != nil { random = notebookStream } }

        var error: Diagnostic?
        switch CellParser.parse(cell.source) {
        case .failure(let syntax):
            map = SourceMap(notebook: notebook, cell: cell, converter: SourceLocationConverter(fileName: notebook.path, tree: syntax.tree))
            error = map.diagnostic(syntax.message, at: syntax.position, length: 1, hint: syntax.fixIt)
        case .success(let file):
            map = SourceMap(notebook: notebook, cell: cell, converter: SourceLocationConverter(fileName: notebook.path, tree: file))
            error = runTopLevel(file)
        }
        if let error { outputs.append(.error(error)) }
        return judge(cell, error: error)
    }

    /// Runs a cell's statements in a scope of its own (so it may shadow earlier cells) and shows
    /// the value of its last expression.
    func runTopLevel(_ file: SourceFileSyntax) -> Diagnostic? {
        let scope = Scope(parent: globals)
        defer { scope.merge(into: globals) }
        do {
            var last = Value.void
            var lastIsExpression = false
            for item in file.statements {
                last = try run(item.item, in: scope)
                lastIsExpression = Self.isShowable(item.item)
            }
            if lastIsExpression, !Self.isVoid(last) { outputs.append(.value(last.display, label: nil)) }
            return nil
        } catch let error as CellError {
            return map.diagnostic(error.message, at: error.node, hint: error.hint)
        } catch let flow as ControlFlow {
            let what = switch flow { case .breakLoop: "'break' outside a loop"; case .continueLoop: "'continue' outside a loop"; case .returnValue: "'return' outside a function" }
            return map.diagnostic(what, at: nil)
        } catch {
            return map.diagnostic("\(error)", at: nil)
        }
    }

    /// An expression statement that is not an assignment.
    static func isShowable(_ item: CodeBlockItemSyntax.Item) -> Bool {
        let expr: ExprSyntax? = switch item {
        case .expr(let e): e
        case .stmt(let s): s.as(ExpressionStmtSyntax.self)?.expression
        case .decl: nil
        }
        guard let expr else { return false }
        if let infix = expr.as(InfixOperatorExprSyntax.self), infix.operator.is(AssignmentExprSyntax.self) { return false }
        return !expr.is(IfExprSyntax.self)
    }

    static func isVoid(_ value: Value) -> Bool {
        if case .void = value { return true }
        return false
    }

    /// Whether the cell met its `expect` (SPEC §2, §5).
    func judge(_ cell: Cell, error: Diagnostic?) -> CellResult {
        let checks = outputs.compactMap { if case .check(let row) = $0 { row } else { nil } }
        let anyFailed = checks.contains { !$0.passed }
        var passed: Bool
        var reason: String?
        switch cell.options.expect {
        case .pass:
            passed = error == nil && !anyFailed
        case .fail:
            passed = error == nil && anyFailed
            if error == nil, !anyFailed {
                reason = checks.isEmpty ? "the cell is marked 'expect: fail' but has no check" : "the cell is marked 'expect: fail' but all its checks passed"
            }
        case .error:
            passed = error != nil
            if error == nil { reason = "the cell is marked 'expect: error' but raised no error" }
        }
        if error != nil, cell.options.expect == .fail { reason = "the cell is marked 'expect: fail', so it must fail a check without raising an error" }
        return CellResult(index: cell.index, outputs: outputs, error: error, passed: passed, failureReason: reason)
    }
}
