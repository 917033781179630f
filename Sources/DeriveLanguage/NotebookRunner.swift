import DeriveDocument
import DeriveEngine
import Foundation
import SwiftSyntax

/// Runs a notebook's cells top to bottom in one environment and says whether each met its
/// `expect`. Each cell is compiled whole before it runs. Never throws and never traps: errors
/// stop their cell, not the notebook.
public struct NotebookRunner: Sendable {
    public var limits: Limits

    public init(limits: Limits = .default) {
        self.limits = limits
    }

    /// Deeply nested code recurses on the native stack, so a notebook runs on a thread with a large one.
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
        let session = NotebookSession(notebook: notebook, limits: limits)
        let cells = notebook.cells.map { session.run($0) }
        return NotebookResult(cells: cells, inputs: session.runtime.inputs.sorted())
    }
}

/// One notebook's runtime and the names its cells have declared so far.
final class NotebookSession {
    let runtime: Runtime
    let names = LexicalScope(parent: nil, function: nil)

    init(notebook: Notebook, limits: Limits) {
        runtime = Runtime(notebook: notebook, limits: limits)
    }

    func run(_ cell: Cell) -> CellResult {
        let rt = runtime
        guard cell.options.eval else {
            return CellResult(index: cell.index, outputs: [], error: nil, passed: true, ran: false)
        }
        rt.outputs = []
        rt.printedLines = 0
        rt.truncationNote = nil
        let front = rt.notebook.frontMatter
        rt.tolerance = Tolerance(rtol: cell.options.rtol ?? front.rtol ?? 1e-6, atol: cell.options.atol ?? front.atol ?? 1e-9)
        rt.trials = cell.options.trials ?? front.trials ?? 20
        // A cell with its own seed draws from its own stream; the notebook's stream is left as it was.
        let notebookStream = rt.random
        if let seed = cell.options.seed { rt.random = RandomStream(seed: seed) }
        defer { if cell.options.seed != nil { rt.random = notebookStream } }

        var errors: [Diagnostic] = []
        switch CellParser.parse(cell.source) {
        case .failure(let syntax):
            let map = SourceMap(notebook: rt.notebook, cell: cell, tree: syntax.tree)
            errors = [map.diagnostic(syntax.message, at: syntax.position, length: 1, hint: syntax.fixIt)]
        case .success(let file):
            let map = SourceMap(notebook: rt.notebook, cell: cell, tree: file)
            let id = Int32(cell.index)
            rt.sourceMaps[id] = map
            let compiler = Compiler(runtime: rt, map: map, cell: id, notebookScope: names, capturedNames: CaptureScan.names(in: file))
            let program = compiler.compileCell(file)
            if compiler.errors.isEmpty {
                if let error = execute(program, frameSize: compiler.function.frameSize, steps: cell.options.steps) {
                    errors = [diagnostic(error, map)]
                }
            } else {
                errors = compiler.errors.map { diagnostic($0, map) }
            }
            // The cell's names join the notebook's; those a failed cell never defined say so when used.
            for (name, binding) in compiler.declared {
                if case .global(let g) = binding.storage, !rt.definedGlobals.contains(g) {
                    binding.storage = .failed(line: binding.line)
                }
                names.names[name] = binding
            }
        }
        for error in errors { rt.outputs.append(.error(error)) }
        return judge(cell, errors: errors)
    }

    /// Runs a compiled cell in a frame of its own; shows its last expression's value.
    func execute(_ program: Compiler.Program, frameSize: Int, steps: Int?) -> CellError? {
        let rt = runtime
        rt.startCell(steps: steps)
        rt.depth = 0
        let base = rt.stack + rt.stackTop
        base.initialize(repeating: .void, count: frameSize)
        rt.stackTop += frameSize
        rt.frame = base
        defer {
            rt.stackTop -= frameSize
            base.deinitialize(count: frameSize)
        }
        do {
            // The engine stops long operations at the deadline and refuses tensors past the cap.
            try Cancellation.withDeadline(rt.deadline) {
                try Tensor.withEntryLimit(rt.limits.tensorElements) {
                    _ = try program.run(rt)
                    if let show = program.show {
                        let value = try show(rt)
                        if !value.isVoid { rt.outputs.append(.value(value.display, label: nil)) }
                    }
                }
            }
            return nil
        } catch let error as CellError {
            return error
        } catch let exhausted as BudgetExhausted {
            return budgetError(exhausted)
        } catch let error as EngineError {
            return rt.cellError(error, at: nil)
        } catch {
            return CellError("\(error)", at: nil)
        }
    }

    /// Out of steps: a long loop over a known count says how many steps it needs; anything
    /// else may be endless.
    func budgetError(_ e: BudgetExhausted) -> CellError {
        let rt = runtime
        let limit = rt.stepLimit
        let spent = "the cell took more than \(Format.grouped(limit)) steps (loop iterations and calls)"
        if let loop = e.finiteLoop, !e.openEnded, loop.iteration > 0 {
            let needed = Double(rt.steps) * Double(loop.count) / Double(loop.iteration)
            let budget = Format.roundUp(needed * 1.2)
            return CellError("\(spent): the loop at line \(rt.line(of: loop.span)) had done \(Format.grouped(loop.iteration)) of its \(Format.grouped(loop.count)) iterations; the work is long, not endless",
                             at: loop.span, hint: "raise this cell's budget with '//| steps: \(budget)'")
        }
        return CellError("\(spent); is there an endless loop?", at: e.span,
                         hint: "if the work is merely long, raise this cell's budget with '//| steps: n' (now \(Format.grouped(limit)))")
    }

    func diagnostic(_ error: CellError, _ map: SourceMap) -> Diagnostic {
        let message = error.trace.isEmpty ? error.message : error.message + " (" + error.trace.joined(separator: "; ") + ")"
        guard let span = error.span, let origin = runtime.sourceMaps[span.cell] else { return map.diagnostic(message, at: nil, hint: error.hint) }
        return origin.diagnostic(message, at: span, hint: error.hint)
    }

    /// Whether the cell met its `expect`.
    func judge(_ cell: Cell, errors: [Diagnostic]) -> CellResult {
        let error = errors.first
        let checks = runtime.outputs.compactMap { if case .check(let row) = $0 { row } else { nil } }
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
        return CellResult(index: cell.index, outputs: runtime.outputs, error: error, errors: errors, passed: passed, failureReason: reason)
    }
}
