import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 × 10ⁿ covering a range with about `count` ticks.
public enum Ticks {
    public static func nice(_ lower: Double, _ upper: Double, count: Int = 5) -> [Double] {
        guard lower.isFinite, upper.isFinite else { return [] }
        var (lo, hi) = (min(lower, upper), max(lower, upper))
        if lo == hi { (lo, hi) = (lo - 1, hi + 1) }
        let raw = (hi - lo) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        // The 1-2-5 step closest to the raw one (in ratio), so ranges like −6…6 get 2s, not 5s.
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.min { abs(log($0 / raw)) < abs(log($1 / raw)) } ?? magnitude
        // The ticks enclose the data: the first at or below `lo`, the last at or above `hi`.
        let first = (lo / step + 1e-9).rounded(.down), last = (hi / step - 1e-9).rounded(.up)
        return stride(from: first, through: last, by: 1).prefix(50).map { k in
            let t = k * step
            return abs(t) < step * 1e-9 ? 0 : t
        }
    }

    /// A tick label: as short as the step allows.
    static func label(_ x: Double) -> String {
        NumberFormat.plain((x * 1e9).rounded() / 1e9, digits: 4)
    }
}
