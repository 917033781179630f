import Foundation

/// Numbers as pages show them: `digits` significant digits, no trailing zeros, integers bare.
public enum NumberFormat {
    public static func plain(_ x: Double, digits: Int = 4) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "∞" : "−∞" }
        if x == x.rounded(), abs(x) < 1e9 { return String(Int(x)).replacingOccurrences(of: "-", with: "−") }
        var text = String(format: "%.\(max(1, digits))g", x)
        if text.contains("e") {
            let parts = text.split(separator: "e")
            let mantissa = trimZeros(String(parts[0]))
            let exponent = Int(parts[1]) ?? 0
            text = "\(mantissa)e\(exponent)"
        } else {
            text = trimZeros(text)
        }
        return text.replacingOccurrences(of: "-", with: "−")
    }

    /// The same, as TeX (for matrices typeset by KaTeX).
    public static func tex(_ x: Double, digits: Int = 4) -> String {
        if x.isNaN { return "\\text{NaN}" }
        if x.isInfinite { return x > 0 ? "\\infty" : "-\\infty" }
        if x == x.rounded(), abs(x) < 1e9 { return String(Int(x)) }
        let text = String(format: "%.\(max(1, digits))g", x)
        if text.contains("e") {
            let parts = text.split(separator: "e")
            return "\(trimZeros(String(parts[0])))\\times 10^{\(Int(parts[1]) ?? 0)}"
        }
        return trimZeros(text)
    }

    static func trimZeros(_ s: String) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    /// Errors in check rows: three significant digits.
    public static func error(_ x: Double) -> String {
        x == 0 ? "0" : plain(x, digits: 3)
    }
}
