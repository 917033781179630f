import DeriveDocument
import DeriveEngine
import Foundation

/// The state compiled cells run against: one per notebook. Globals (the top-level names of every
/// cell) and the value stack are raw buffers, so compiled code reads a slot with one load.
final class Runtime {
    let notebook: Notebook
    let limits: Limits
    var random: RandomStream

    /// Top-level names of every cell, by slot. Grown only while a cell compiles, never while one runs.
    private(set) var globals: UnsafeMutablePointer<Value>
    private(set) var globalCapacity = 256
    private(set) var globalCount = 0

    /// Frames of running functions, one after another; `frame` is the current one's first slot.
    let stack: UnsafeMutablePointer<Value>
    static let stackCapacity = 1 << 18
    var stackTop = 0
    var frame: UnsafeMutablePointer<Value>
    /// What the running closure captured.
    var captures: UnsafeMutablePointer<Value>
    var returnValue = Value.void
    var depth = 0
    /// Where each value site is (the id a computed value carries as `Variable.site`), and the
    /// name a site's value was first bound to, for the "missing path" diagnosis.
    private(set) var sites: [Span] = []
    var siteNames: [Int: String] = [:]

    func newSite(_ span: Span) -> Int {
        sites.append(span)
        return sites.count - 1
    }

    /// Marks a value computed inside a differentiation with where it was computed.
    @inline(__always) func stamp(_ v: Variable, _ site: Int) {
        if site >= 0, v.site < 0, !v.isPlainConstant, v !== MLP.unusedLayer { v.site = site }
    }

    /// Files the cells read (`readCSV`): part of the notebook's input.
    var inputs = Set<String>()

    /// Globals whose declaration has run (a failed cell's others are not defined).
    var definedGlobals = Set<Int>()

    /// Source maps of the cells compiled so far, by cell index (a function keeps running after
    /// its cell is done, and its errors point into that cell).
    var sourceMaps: [Int32: SourceMap] = [:]

    // Per cell.
    var outputs: [CellOutput] = []
    var tolerance = Tolerance.default
    var trials = 20
    /// Steps taken (loop iterations and calls) and the step at which `tick` next looks up:
    /// the budget, or sooner, to read the clock.
    var steps = 0
    var checkpoint = 0
    var stepLimit = 0
    var deadline = ContinuousClock.now
    static let clockInterval = 1 << 13
    /// Lines `print` has shown in this cell; past `printedLineLimit` the rest are counted, not kept.
    var printedLines = 0
    var truncationNote: Int?
    static let printedLineLimit = 1000
    /// Tensor entries made since memory was last measured (across cells: memory kept by earlier
    /// cells counts too). Measuring is a system call, so it happens once per 256 MB of results.
    var entriesSinceProbe = 0
    static let entriesPerMemoryProbe = 32 << 20
    var entriesSinceClock = 0
    static let entriesPerClockReading = 1 << 16
    /// Set while a `forAll` block runs: check rows gather here across trials.
    var forAll: ForAllState?
    /// Set while a `checkChainRule` block runs: its `step(…)` calls gather here.
    var chainSteps: [ChainStep]?

    init(notebook: Notebook, limits: Limits) {
        self.notebook = notebook
        self.limits = limits
        random = RandomStream(seed: notebook.frontMatter.seed)
        globals = .allocate(capacity: globalCapacity)
        stack = .allocate(capacity: Self.stackCapacity)
        frame = stack
        captures = Captures.empty.pointer
    }

    deinit {
        globals.deinitialize(count: globalCount)
        globals.deallocate()
        stack.deinitialize(count: stackTop)
        stack.deallocate()
    }

    /// A new global slot, holding `()` until its declaration runs.
    func newGlobal() -> Int {
        if globalCount == globalCapacity {
            let grown = UnsafeMutablePointer<Value>.allocate(capacity: globalCapacity * 2)
            grown.moveInitialize(from: globals, count: globalCount)
            globals.deallocate()
            globals = grown
            globalCapacity *= 2
        }
        (globals + globalCount).initialize(to: .void)
        globalCount += 1
        return globalCount - 1
    }

    // MARK: Steps, the clock, memory

    /// Counts a step (a loop iteration or a call). Cheap unless a checkpoint is reached.
    @inline(__always) func tick(_ span: Span) throws {
        steps &+= 1
        if steps >= checkpoint { try reachCheckpoint(span) }
    }

    func reachCheckpoint(_ span: Span) throws {
        if steps >= stepLimit { throw BudgetExhausted(span: span) }
        if ContinuousClock.now > deadline { throw timeLimit(at: span) }
        checkpoint = Swift.min(stepLimit, steps + Self.clockInterval)
    }

    func timeLimit(at span: Span?) -> CellError {
        CellError("the cell ran longer than its time limit of \(limits.wallClock)", at: span,
                  hint: "a long computation may need a larger --time-limit")
    }

    /// Starts a cell's budget: `steps` from its options, else the limit.
    func startCell(steps budget: Int?, at now: ContinuousClock.Instant = .now) {
        steps = 0
        stepLimit = budget ?? limits.steps
        checkpoint = Swift.min(stepLimit, Self.clockInterval)
        deadline = now + limits.wallClock
    }

    /// Counts a result's entries, and when enough have been made, measures the process's memory.
    @inline(__always) func account(_ value: Value, at span: Span) throws {
        guard case .tensor(let v) = value else { return }
        try account(entries: v.value.count, at: span)
    }

    @inline(__always) func account(entries: Int, at span: Span) throws {
        entriesSinceProbe &+= entries
        // Few steps that each make a large tensor still read the clock often enough.
        entriesSinceClock &+= entries
        if entriesSinceClock > Self.entriesPerClockReading {
            entriesSinceClock = 0
            if ContinuousClock.now > deadline { throw timeLimit(at: span) }
        }
        guard entriesSinceProbe > Self.entriesPerMemoryProbe else { return }
        entriesSinceProbe = 0
        if let resident = ResidentMemory.bytes(), resident > limits.memoryBytes {
            throw CellError("the notebooks are using \(resident >> 20) MiB of memory, more than the limit of \(limits.memoryBytes >> 20) MiB",
                            at: span, hint: "keep fewer large tensors alive (an array that grows in a loop?)")
        }
    }

    /// Refuses a tensor larger than the cap before it is allocated.
    func checkSize(_ rows: Int, _ cols: Int, at span: Span) throws {
        guard rows >= 0, cols >= 0 else { throw CellError("a tensor cannot have a negative size (\(rows)×\(cols))", at: span) }
        let (count, overflow) = rows.multipliedReportingOverflow(by: cols)
        if overflow || count > limits.tensorElements {
            throw CellError("a \(rows)×\(cols) tensor has more than \(limits.tensorElements) entries, the limit for a cell", at: span)
        }
    }

    /// Refuses a string or array longer than the cap (a cap on the length of strings and arrays).
    @inline(__always) func checkLength(_ count: Int, _ what: String, at span: Span) throws {
        if count > limits.collectionLength {
            let unit = what == "a string" ? "bytes" : "elements"
            throw CellError("\(what) of \(Format.grouped(count)) \(unit) is longer than the limit of \(Format.grouped(limits.collectionLength))", at: span)
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

    // MARK: Calls

    /// Runs a compiled function in a new frame. `fill` writes the arguments into the frame's
    /// first slots (the others start as `()`).
    @inline(__always)
    func enter(_ f: CompiledFunction, _ captured: Captures, at span: Span, defaults: [Int] = [],
               _ fill: (UnsafeMutablePointer<Value>) throws -> Void) throws -> Value {
        let size = f.frameSize
        let base = stack + stackTop
        guard stackTop + size <= Self.stackCapacity, depth < limits.recursionDepth else {
            // The call chain would be the same call again and again: the message says it all.
            var error = CellError("calls nested deeper than \(limits.recursionDepth) levels; is there a runaway recursion?", at: span)
            error.traceable = false
            throw error
        }
        try tick(span)
        base.initialize(repeating: .void, count: size)
        stackTop += size
        depth += 1
        let (savedFrame, savedCaptures) = (frame, captures)
        defer {
            frame = savedFrame
            captures = savedCaptures
            depth -= 1
            stackTop -= size
            base.deinitialize(count: size)
        }
        do {
            // Arguments are evaluated in the caller's frame, into the new one.
            try fill(base)
            frame = base
            captures = captured.pointer
            // Defaults are read in the function's own context.
            for k in defaults { base[k] = try f.parameters[k].defaultValue!(self) }
            if let expression = f.fastExpression {
                return try relabel(try expression._withUnsafeGuaranteedRef { try $0.eval(self) }, f)
            }
            returnValue = .void
            _ = try f.fastBody._withUnsafeGuaranteedRef { try $0.exec(self) }
            let result = returnValue
            returnValue = .void
            return try relabel(result, f)
        } catch var error as CellError {
            // Errors say where they happened and the calls that led there.
            if error.traceable {
                error.trace.append("in '\(f.name)', called at line \(line(of: span))")
            }
            throw error
        }
    }

    @inline(__always) func relabel(_ value: Value, _ f: CompiledFunction) throws -> Value {
        guard f.shapesResult else { return value }
        let value = try f.returnConversion?(self, value) ?? value
        guard let labels = f.returnLabels, case .tuple(let items, _) = value, items.count == labels.count else { return value }
        return .tuple(items, labels: labels)
    }

    func line(of span: Span) -> Int {
        sourceMaps[span.cell].map { $0.location(of: span).line } ?? 0
    }

    /// Calls any function value with positional arguments (from the library: a plot, a check, the engine).
    func call(_ function: Function, _ values: [Value], at span: Span) throws -> Value {
        try call(function, arguments: values.map { Arguments.Argument(label: nil, value: $0, span: span) }, at: span)
    }

    func call(_ function: Function, arguments items: [Arguments.Argument], at span: Span) throws -> Value {
        switch function.body {
        case .compiled(let f, let captured):
            let values = try Binder.bind(items, to: f, at: span)
            let defaults = values.indices.filter { values[$0] == nil }
            return try enter(f, captured, at: span, defaults: defaults) { frame in
                for (k, v) in values.enumerated() { if let v { frame[k] = v } }
            }
        case .library(let entry):
            var args = Arguments(items, call: span, function: entry.name)
            try entry.validate(&args)
            return try entry.invoke(&args, self)
        case .native(let name, let body):
            guard items.count == 1, items[0].label == nil else { throw CellError("\(name) takes one argument", at: span) }
            return try body(items[0].value, items[0].span)
        }
    }

    /// A function argument, for the engine: called with a Variable, returning a Variable.
    func differentiable(_ argument: Arguments.Argument, _ what: String) throws -> (Variable) throws -> Variable {
        guard case .function(let function) = argument.value else {
            throw CellError("\(what) must be a function, not \(argument.value.typeName)", at: argument.span)
        }
        let span = argument.span
        return { [unowned self] x in
            let result = try self.call(function, [.tensor(x)], at: span)
            guard let v = result.variable else {
                throw CellError("the function must return a number or a tensor, but returned \(result.typeName)", at: span)
            }
            return v
        }
    }

    /// A number or tensor argument as an engine Variable, or an error naming the argument.
    func variable(_ argument: Arguments.Argument, _ what: String) throws -> Variable {
        guard let v = argument.value.variable else {
            throw CellError("\(what) must be a number or a tensor, not \(argument.value.typeName)", at: argument.span)
        }
        return v
    }

    func integer(_ value: Value, at span: Span, what: String = "an index") throws -> Int {
        if case .tensor(let v) = value, v.isTraced { try requireConstant(v, "\(what) (an integer)", at: span) }
        guard let x = value.number, x == x.rounded(), Swift.abs(x) < 1e15 else {
            let got = if case .number(let x) = value { Format.number(x) } else { value.typeName }
            throw CellError("expected an integer for \(what), got \(got)", at: span)
        }
        return Int(x)
    }

    func truth(_ value: Value, at span: Span) throws -> Bool {
        switch value {
        case .bool(let b): return b
        case .comparison(_, let passed): return passed
        default: throw CellError("expected a Bool condition, got \(value.typeName)", at: span)
        }
    }

    /// Runs engine code, turning its errors into errors at `span`.
    func engine<T>(_ span: Span, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as EngineError {
            throw cellError(error, at: span)
        }
    }

    /// An engine error as the cell's error (the engine's own time limit in the cell's words).
    func cellError(_ error: EngineError, at span: Span?) -> CellError {
        error == Cancellation.timeLimit ? timeLimit(at: span) : CellError(error.message, at: span)
    }

    /// Returns a number when every input was a number, else the tensor (keeps `sigmoid(2)` a number).
    func result(_ v: Variable, numbersIn: Bool) -> Value {
        numbersIn && v.value.isScalar && !v.isTraced ? .number(v.value.storage[0]) : .tensor(v)
    }
}
