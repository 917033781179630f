import DeriveDocument
import DeriveEngine

/// A value in a cell. Numbers and booleans are stored inline (no allocation); tensors are engine
/// Variables, so the same code runs whether or not a gradient is being taken through them. Only
/// the cases with large payloads are indirect.
enum Value {
    case number(Double)
    case bool(Bool)
    case tensor(Variable)
    case string(String)
    case array([Value])
    case tuple([Value], labels: [String?])
    /// `lower..<upper` (a closed range is stored with upper + 1). Never materialised.
    case range(Int, Int)
    case function(Function)
    indirect case network(MLP)
    case forwardPass(MLP.ForwardPass)
    /// The result of `≈`: true when the comparison passed; `check` reports it in full.
    indirect case comparison(Comparison, Bool)
    /// A `var` captured by a closure lives in a box shared by the frame and the closure. Only
    /// storage holds boxes: loads unwrap them, so a box is never a user-visible value.
    case box(Box)
    case void

    static func tensor(_ t: Tensor) -> Value { .tensor(Variable(t)) }

    /// The kind of value, for error messages.
    var typeName: String {
        switch self {
        case .number: "a number"
        case .tensor(let v): "a \(v.shapeText) tensor"
        case .bool: "a Bool"
        case .string: "a String"
        case .array: "an array"
        case .tuple: "a tuple"
        case .range: "a range"
        case .function: "a function"
        case .network: "an MLP"
        case .forwardPass: "a forward pass"
        case .comparison: "a comparison"
        case .box(let b): b.value.typeName
        case .void: "nothing (())"
        }
    }

    /// A number, also from a 1×1 tensor that no derivative is being taken through.
    var number: Double? {
        switch self {
        case .number(let x): x
        case .tensor(let v): v.value.scalar
        default: nil
        }
    }

    /// A tensor, also from a number (as 1×1).
    var variable: Variable? {
        switch self {
        case .tensor(let v): v
        case .number(let x): Variable(scalar: x)
        default: nil
        }
    }

    var isVoid: Bool {
        if case .void = self { return true }
        return false
    }
}

/// The shared cell of a captured `var`.
final class Box {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Something callable: a `func` or closure compiled from a cell, a library function, or a
/// function the library made (the one `pullback` returns).
final class Function {
    enum Body {
        case compiled(CompiledFunction, captures: Captures)
        case library(LibraryFunction)
        case native(String, (Value, Span) throws -> Value)
    }

    let body: Body

    init(_ body: Body) {
        self.body = body
    }

    var name: String {
        switch body {
        case .compiled(let f, _): f.name
        case .library(let f): f.name
        case .native(let name, _): name
        }
    }
}

/// The values a closure captured when it was made (a `let` by value, a `var` as its box), in a
/// buffer of its own so compiled code reads them without bounds or exclusivity checks.
final class Captures {
    let pointer: UnsafeMutablePointer<Value>
    let count: Int

    init(_ values: [Value]) {
        count = values.count
        pointer = .allocate(capacity: max(1, values.count))
        pointer.initialize(from: values, count: values.count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    nonisolated(unsafe) static let empty = Captures([])
}

/// A `func` or closure after compilation: its parameters, its frame size and its body.
final class CompiledFunction {
    struct Parameter {
        /// The argument label callers write; nil for `_` and for closure parameters.
        var label: String?
        var name: String
        var defaultValue: Eval?
    }

    let name: String
    var parameters: [Parameter]
    /// Slots the body needs in its frame (parameters first).
    var frameSize = 0
    var body: Exec = { _ in .next } {
        didSet {
            statements = Statements(body)
            fastBody = Unmanaged.passUnretained(statements)
        }
    }
    /// The body as calls read it, unmanaged like `fastExpression`; `statements` keeps it alive.
    private(set) lazy var fastBody: Unmanaged<Statements> = Unmanaged.passUnretained(statements)
    private lazy var statements = Statements(body)

    final class Statements {
        let exec: Exec
        init(_ exec: @escaping Exec) { self.exec = exec }
    }
    /// A body that is a single expression is its value, as in Swift (and skips the statement machinery).
    var expressionBody: Eval? {
        didSet {
            expression = expressionBody.map(Expression.init)
            fastExpression = expression.map { Unmanaged.passUnretained($0) }
        }
    }
    /// The expression body as calls read it: an unmanaged reference, so a call retains nothing
    /// (a closure read from a `var` is retained for the call); `expression` keeps it alive.
    private(set) var fastExpression: Unmanaged<Expression>?
    private var expression: Expression?

    final class Expression {
        let eval: Eval
        init(_ eval: @escaping Eval) { self.eval = eval }
    }
    /// Labels of the declared return tuple (`-> (loss: Tensor, hs: [Tensor])`).
    var returnLabels: [String?]?
    /// The declared return type applied to the result (a `[Double]` stays an array).
    var returnConversion: ((Runtime, Value) throws -> Value)?
    /// Whether the return type relabels or converts the result (checked on every call, cheaply).
    var shapesResult = false
    /// Set once the body is compiled: it captures nothing, so its value never varies.
    var capturesNothing = false
    let isClosure: Bool
    /// A closure without a signature ignores arguments past the `$n` it uses.
    var ignoresExtraArguments = false
    /// Where it was declared, for the call chain of an error.
    let span: Span

    init(name: String, parameters: [Parameter], isClosure: Bool, span: Span) {
        self.name = name
        self.parameters = parameters
        self.isClosure = isClosure
        self.span = span
    }
}

extension Value {
    /// How the value shows in a page or a report.
    var display: DisplayValue {
        switch self {
        case .number(let x): .number(x)
        case .tensor(let v):
            v.value.isScalar ? .number(v.value.storage[0]) : .tensor(rows: v.value.rows, cols: v.value.cols, values: v.value.storage)
        case .bool(let b): .bool(b)
        case .string(let s): .string(s)
        case .array(let items): .array(items.map(\.display))
        case .tuple(let items, _): .tuple(items.map(\.display))
        case .range(let a, let b): .other("\(a)..<\(b)")
        case .function(let f): .other("function \(f.name)")
        case .network(let net): .other("MLP \(net.sizes.map(String.init).joined(separator: "-")), \(net.activation.name), \(net.layout.rawValue) layout, \(net.parameterCount) parameters")
        case .forwardPass(let pass): .other("forward pass through \(pass.z.count - 1) layers")
        case .comparison(_, let passed): .bool(passed)
        case .box(let b): b.value.display
        case .void: .other("()")
        }
    }
}
