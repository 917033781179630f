import DeriveEngine
import Foundation

/// Values as text, for `print` and string interpolation.
enum Format {
    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }

    static func plain(_ value: Value) -> String {
        switch value {
        case .number(let x): return number(x)
        case .tensor(let v):
            let t = v.value
            if t.isScalar { return number(t.storage[0]) }
            let rows = (0..<t.rows).map { i in "[" + (0..<t.cols).map { number(t[i, $0]) }.joined(separator: ", ") + "]" }
            return t.cols == 1 ? "[" + t.storage.map(number).joined(separator: ", ") + "]ᵀ" : "[" + rows.joined(separator: ", ") + "]"
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s
        case .array(let items): return "[" + items.map(plain).joined(separator: ", ") + "]"
        case .tuple(let items, _): return "(" + items.map(plain).joined(separator: ", ") + ")"
        case .comparison(_, let passed): return passed ? "true" : "false"
        default:
            if case .other(let text) = value.display { return text }
            return "\(value.display)"
        }
    }
}
