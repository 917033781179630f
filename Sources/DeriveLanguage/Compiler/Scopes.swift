/// What the compiler knows about a name: where its value lives at run time.
final class Binding {
    enum Storage {
        /// A top-level name of some cell: a slot of the notebook's globals.
        case global(Int)
        /// A slot of the current function's frame.
        case local(Int)
        /// A frame slot holding a `Box`: a `var` that a closure captures, or a local `func`.
        case boxed(Int)
        case library(LibraryFunction)
        /// Declared by a cell that failed before defining it (its line, for the one error).
        case failed(line: Int)
    }

    let name: String
    var storage: Storage
    let isConstant: Bool
    /// The function whose frame holds it; nil for globals and the library.
    let owner: FunctionContext?
    /// For a `func`: its compiled form, so calls by name are matched when they compile.
    var function: CompiledFunction?
    /// Where it was declared (for the failed-cell message).
    var line: Int

    init(_ name: String, _ storage: Storage, constant: Bool, owner: FunctionContext?, line: Int) {
        self.name = name
        self.storage = storage
        self.isConstant = constant
        self.owner = owner
        self.line = line
    }
}

/// A function being compiled (a cell's top level is one too): its frame and what it captures.
final class FunctionContext {
    enum CaptureSource {
        /// A slot of the enclosing function's frame (a value, or a box).
        case slot(Int)
        /// One of the enclosing function's own captures.
        case capture(Int)
    }

    let parent: FunctionContext?
    var frameSize = 0
    var captures: [CaptureSource] = []
    private var captureIndex: [ObjectIdentifier: Int] = [:]
    /// Names used inside closures nested in this function: a `var` of that name is boxed.
    let capturedNames: Set<String>
    let isCell: Bool

    init(parent: FunctionContext?, capturedNames: Set<String>, isCell: Bool = false) {
        self.parent = parent
        self.capturedNames = capturedNames
        self.isCell = isCell
    }

    func newSlot() -> Int {
        frameSize += 1
        return frameSize - 1
    }

    /// The capture index of a binding owned by an enclosing function, adding it (and any
    /// capture the functions in between need) on first use.
    func capture(_ binding: Binding) -> Int {
        if let k = captureIndex[ObjectIdentifier(binding)] { return k }
        let source: CaptureSource
        if binding.owner === parent {
            switch binding.storage {
            case .local(let slot), .boxed(let slot): source = .slot(slot)
            case .global, .library, .failed: preconditionFailure("only frame slots are captured")
            }
        } else {
            source = .capture(parent!.capture(binding))
        }
        captures.append(source)
        captureIndex[ObjectIdentifier(binding)] = captures.count - 1
        return captures.count - 1
    }
}

/// A block's names.
final class LexicalScope {
    var names: [String: Binding] = [:]
    let parent: LexicalScope?
    let function: FunctionContext?
    /// Declarations here become globals: a cell's top level.
    let isCellTop: Bool

    init(parent: LexicalScope?, function: FunctionContext?, isCellTop: Bool = false) {
        self.parent = parent
        self.function = function
        self.isCellTop = isCellTop
    }

    func lookup(_ name: String) -> Binding? {
        var scope: LexicalScope? = self
        while let s = scope {
            if let b = s.names[name] { return b }
            scope = s.parent
        }
        return nil
    }

    /// Every name visible from here, for did-you-mean hints.
    var allNames: Set<String> {
        var out = Set<String>()
        var scope: LexicalScope? = self
        while let s = scope {
            out.formUnion(s.names.keys)
            scope = s.parent
        }
        return out
    }
}
