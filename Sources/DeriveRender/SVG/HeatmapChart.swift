import DeriveDocument
import Foundation

/// A matrix as coloured cells: red for positive, blue for negative, opacity by magnitude, so zero
/// is the page's own background in light and dark schemes. Each cell has its value as a tooltip.
public enum HeatmapChart {
    /// More cells than this along a side are pooled into blocks: past it a cell would be under
    /// 4 px, and a 1000×1000 matrix would make a page of a million rectangles.
    static let maximumSide = 100

    public static func svg(_ original: Heatmap, standalone: Bool = false) -> String {
        let (heatmap, block) = pooled(original)
        let (rows, cols) = (heatmap.rows, heatmap.cols)
        let cell = max(4.0, min(28.0, 560.0 / Double(max(rows, cols, 1))))
        let pooling = block > 1 ? "\(original.rows)×\(original.cols); each cell the largest entry of a \(block)×\(block) block" : nil
        let caption = [heatmap.title, pooling.map { heatmap.title == nil ? $0 : "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        let (left, top) = (8.0, caption.isEmpty ? 8.0 : 30.0)
        let width = left * 2 + cell * Double(cols) + 70, height = top + cell * Double(rows) + 8
        let scale = heatmap.values.filter(\.isFinite).map(abs).max() ?? 0
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = "<svg class=\"heatmap\" viewBox=\"0 0 \(f(width)) \(f(max(height, top + 110)))\" role=\"img\" aria-label=\"\(HTML.escape(heatmap.title ?? "heatmap"))\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        if standalone { svg += LineChart.standaloneStyle }
        if !caption.isEmpty { svg += "<text class=\"chart-title\" x=\"\(f(left))\" y=\"20\">\(HTML.escape(caption))</text>\n" }
        for i in 0..<rows {
            for j in 0..<cols {
                let v = heatmap.values[i * cols + j]
                svg += "<rect x=\"\(f(left + Double(j) * cell))\" y=\"\(f(top + Double(i) * cell))\" width=\"\(f(cell))\" height=\"\(f(cell))\" \(fill(v, scale))><title>\(block > 1 ? "[\(i * block)…, \(j * block)…]" : "[\(i), \(j)]") \(NumberFormat.plain(v))</title></rect>"
            }
            svg += "\n"
        }
        // The legend: the colour of −max, 0 and +max.
        let lx = left + cell * Double(cols) + 16
        svg += "<g class=\"legend\">"
        for (k, v) in [scale, 0, -scale].enumerated() {
            let y = top + Double(k) * 36
            svg += "<rect x=\"\(f(lx))\" y=\"\(f(y))\" width=\"14\" height=\"14\" \(fill(v, scale)) class=\"legend-swatch\"/>"
            svg += "<text x=\"\(f(lx + 18))\" y=\"\(f(y + 11))\">\(NumberFormat.plain(v, digits: 3))</text>"
        }
        return svg + "</g>\n</svg>"
    }

    /// Pools blocks of a large matrix into single cells, keeping each block's entry of largest
    /// magnitude with its sign (an average would let + and − cancel and hide the structure).
    static func pooled(_ heatmap: Heatmap) -> (Heatmap, block: Int) {
        let side = max(heatmap.rows, heatmap.cols)
        guard side > maximumSide else { return (heatmap, 1) }
        let block = (side + maximumSide - 1) / maximumSide
        let (rows, cols) = ((heatmap.rows + block - 1) / block, (heatmap.cols + block - 1) / block)
        var values = [Double](repeating: 0, count: rows * cols)
        for i in 0..<heatmap.rows {
            for j in 0..<heatmap.cols {
                let v = heatmap.values[i * heatmap.cols + j], k = (i / block) * cols + j / block
                // A NaN or ∞ anywhere in the block stays visible.
                if values[k].isFinite, !v.isFinite || abs(v) > abs(values[k]) { values[k] = v }
            }
        }
        return (Heatmap(title: heatmap.title, rows: rows, cols: cols, values: values), block)
    }

    /// Diverging fill: the sign picks the hue, the magnitude the opacity.
    static func fill(_ v: Double, _ scale: Double) -> String {
        guard v.isFinite else { return "class=\"nan\"" }
        let t = scale > 0 ? min(1, abs(v) / scale) : 0
        let hue = v >= 0 ? "#d6604d" : "#4393c3"
        return "fill=\"\(hue)\" fill-opacity=\"\(String(format: "%.3f", t))\""
    }
}
