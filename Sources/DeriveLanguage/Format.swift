import DeriveDocument
import DeriveEngine
import Foundation

/// Values as text, for `print` and string interpolation.
enum Format {
    static func number(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "∞" : "-∞" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return String(format: "%.6g", x)
    }

    static func plain(_ value: Value) -> String {
        switch value {
        case .number(let x): return number(x)
        case .tensor(let v):
            let t = v.value
            if t.isScalar { return number(t.storage[0]) }
            // Past 8 rows or columns the middle is elided, as on the page.
            func entries(_ indices: [Int?], _ entry: (Int) -> String) -> String {
                indices.map { $0.map(entry) ?? "⋯" }.joined(separator: ", ")
            }
            if t.cols == 1 { return "[" + entries(DisplayValue.shownIndices(t.rows)) { number(t[$0, 0]) } + "]ᵀ" }
            let rows = DisplayValue.shownIndices(t.rows).map { i in
                i.map { i in "[" + entries(DisplayValue.shownIndices(t.cols)) { number(t[i, $0]) } + "]" } ?? "⋯"
            }
            return "[" + rows.joined(separator: ", ") + "]"
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

extension Format {
    /// 50000000 → "50,000,000".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A round budget at least `x`: two significant digits, rounded up (123,456 → 130000).
    static func roundUp(_ x: Double) -> Int {
        guard x.isFinite, x > 1 else { return 1 }
        let scale = Foundation.pow(10, Foundation.floor(Foundation.log10(x)) - 1)
        return Int(Swift.min(9e18, Foundation.ceil(x / scale) * scale))
    }
}
