import DeriveDocument
import DeriveEngine
import SwiftSyntax

/// A value in a cell. Numbers are Doubles; tensors are engine Variables, so the same code runs
/// whether or not a gradient is being taken through them.
indirect enum Value {
    case number(Double)
    case tensor(Variable)
    case bool(Bool)
    case string(String)
    case array([Value])
    case tuple([Value], labels: [String?])
    /// `lower..<upper` (a closed range is stored with upper + 1).
    case range(Int, Int)
    case function(Function)
    case network(MLP)
    case forwardPass(MLP.ForwardPass)
    /// The result of `≈`: true when the comparison passed; `check` reports it in full.
    case comparison(Comparison, Bool)
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
        case .void: "nothing (())"
        }
    }

    /// A number, also from a 1×1 tensor.
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
}

/// Something callable: a library function, a `func`, or a closure.
final class Function {
    enum Kind {
        case builtin(String)
        case user(UserFunction)
        /// A function made by the library, such as the one `pullback` returns.
        case native(String, (Value, Syntax) throws -> Value)
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    var name: String {
        switch kind {
        case .builtin(let name): name
        case .user(let f): f.name
        case .native(let name, _): name
        }
    }
}

/// A `func` or a closure: its parameters, its body, and the scope it was defined in.
struct UserFunction {
    struct Parameter {
        /// The argument label callers write; nil for `_` (and for closure parameters).
        var label: String?
        var name: String
        var defaultValue: ExprSyntax?
    }

    var name: String
    var parameters: [Parameter]
    var body: CodeBlockItemListSyntax
    var scope: Scope
    /// A closure without a signature takes `$0`, `$1`, … .
    var anonymousArguments: Bool
    var isClosure: Bool
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
        case .void: .other("()")
        }
    }
}
