import DeriveDocument
import Foundation

/// A line chart as inline SVG: axes, nice ticks, a legend, a title. Colours come from CSS classes
/// (`series-0` …), so the stylesheet can set them for light and dark schemes.
public enum LineChart {
    static let (width, height) = (640.0, 360.0)
    static let (left, right, top, bottom) = (56.0, 28.0, 36.0, 40.0)

    /// Colours for an SVG shown outside the site's stylesheet (a Jupyter output).
    static let standaloneStyle = "<style>text{fill:#1f2328;font:12px monospace}.grid line{stroke:#d8dde3}.axis line{stroke:#5b636e}.series{fill:none;stroke-width:2}"
        + ["#2f5fb3", "#c2410c", "#15803d", "#9333ea", "#b45309", "#0e7490"].enumerated().map { ".series-\($0.offset){stroke:\($0.element)}circle.series-\($0.offset){fill:\($0.element)}" }.joined()
        + "</style>\n"

    /// `standalone` embeds the colours, for use outside the site's stylesheet.
    public static func svg(_ plot: Plot, standalone: Bool = false) -> String {
        // On a log axis every value is drawn at its decade: log₁₀ y, with ticks at whole powers of ten.
        let log = plot.yScale == .log
        let drawn = log ? plot.series.map { Plot.Series(label: $0.label, xs: $0.xs, ys: $0.ys.map { $0 > 0 ? Foundation.log10($0) : .nan }) } : plot.series
        let points = drawn.flatMap { s in zip(s.xs, s.ys).filter { $0.0.isFinite && $0.1.isFinite } }
        let xTicks = Ticks.nice(points.map(\.0).min() ?? 0, points.map(\.0).max() ?? 1)
        let yTicks = log ? decades(points.map(\.1).min() ?? 0, points.map(\.1).max() ?? 1) : Ticks.nice(points.map(\.1).min() ?? 0, points.map(\.1).max() ?? 1)
        func yLabel(_ t: Double) -> String { log ? NumberFormat.plain(Foundation.pow(10, t), digits: 3) : Ticks.label(t) }
        let (x0, x1) = (xTicks.first ?? 0, xTicks.last ?? 1)
        let (y0, y1) = (yTicks.first ?? 0, yTicks.last ?? 1)
        // The legend sits to the right of the plot, so it never hides a curve.
        let labelled = plot.series.enumerated().filter { !$0.element.label.isEmpty }
        let longest = labelled.map { $0.element.label.count }.max() ?? 0
        let legendWidth = labelled.isEmpty ? 0 : min(200, 36 + 7.5 * Double(longest))
        let plotRight = width - right - legendWidth
        let plotWidth = plotRight - left, plotHeight = height - top - bottom
        func sx(_ x: Double) -> Double { left + (x1 == x0 ? 0.5 : (x - x0) / (x1 - x0)) * plotWidth }
        func sy(_ y: Double) -> Double { top + plotHeight - (y1 == y0 ? 0.5 : (y - y0) / (y1 - y0)) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(plot.title ?? "chart"))\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        if standalone { svg += standaloneStyle }
        if let title = plot.title { svg += "<text class=\"chart-title\" x=\"\(f((left + plotRight) / 2))\" y=\"20\" text-anchor=\"middle\">\(HTML.escape(title))</text>\n" }
        svg += "<g class=\"grid\">"
        for t in yTicks { svg += "<line x1=\"\(f(left))\" x2=\"\(f(plotRight))\" y1=\"\(f(sy(t)))\" y2=\"\(f(sy(t)))\"/>" }
        for t in xTicks { svg += "<line x1=\"\(f(sx(t)))\" x2=\"\(f(sx(t)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\"/>" }
        svg += "</g>\n<g class=\"axis\">"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(plotRight))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight))\"/>"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\"/>"
        for t in xTicks { svg += "<text x=\"\(f(sx(t)))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\">\(Ticks.label(t))</text>" }
        for t in yTicks { svg += "<text x=\"\(f(left - 6))\" y=\"\(f(sy(t) + 4))\" text-anchor=\"end\">\(yLabel(t))</text>" }
        svg += "</g>\n"
        for (k, series) in drawn.enumerated() {
            // A non-finite value breaks the line instead of being drawn.
            var path = "", pen = false
            for (x, y) in decimated(series.xs, series.ys, buckets: Int(plotWidth)) {
                guard x.isFinite, y.isFinite else { pen = false; continue }
                path += (pen ? "L" : "M") + "\(f(sx(x))) \(f(sy(y)))"
                pen = true
            }
            svg += "<path class=\"series series-\(k % 6)\" d=\"\(path)\"/>\n"
            if series.xs.count <= 12 {
                for (x, y) in zip(series.xs, series.ys) where x.isFinite && y.isFinite {
                    svg += "<circle class=\"series-\(k % 6)\" cx=\"\(f(sx(x)))\" cy=\"\(f(sy(y)))\" r=\"3\"><title>\(Ticks.label(x)): \(yLabel(y))</title></circle>"
                }
                svg += "\n"
            }
        }
        if !labelled.isEmpty {
            svg += "<g class=\"legend\">"
            for (row, (k, series)) in labelled.enumerated() {
                let y = top + 8 + Double(row) * 18
                svg += "<line class=\"series series-\(k % 6)\" x1=\"\(f(plotRight + 12))\" x2=\"\(f(plotRight + 34))\" y1=\"\(f(y))\" y2=\"\(f(y))\"/>"
                svg += "<text x=\"\(f(plotRight + 40))\" y=\"\(f(y + 4))\">\(HTML.escape(series.label))</text>"
            }
            svg += "</g>\n"
        }
        return svg + "</svg>"
    }

    /// Whole decades covering [lo, hi] (in log₁₀), thinned to at most 8 ticks.
    static func decades(_ lo: Double, _ hi: Double) -> [Double] {
        var first = Foundation.floor(lo), last = Foundation.ceil(hi)
        if last <= first { last = first + 1 }
        let step = Foundation.ceil((last - first) / 8)
        first = Foundation.floor(first / step) * step
        return Array(stride(from: first, through: last + step / 2, by: step))
    }

    /// At most the lowest and highest point of each of `buckets` runs of points, in order: what a
    /// pixel column can show of a long series, so 200,000 values draw as a path of ~1,200.
    /// A non-finite value in a run is kept, to break the line there.
    static func decimated(_ xs: [Double], _ ys: [Double], buckets: Int) -> [(Double, Double)] {
        let points = Array(zip(xs, ys))
        guard buckets > 0, points.count > 2 * buckets else { return points }
        var kept: [(Double, Double)] = []
        kept.reserveCapacity(2 * buckets)
        for b in 0..<buckets {
            let run = points[(b * points.count / buckets)..<((b + 1) * points.count / buckets)]
            if let gap = run.first(where: { !$0.0.isFinite || !$0.1.isFinite }) { kept.append(gap); continue }
            guard let low = run.indices.min(by: { run[$0].1 < run[$1].1 }),
                  let high = run.indices.max(by: { run[$0].1 < run[$1].1 }) else { continue }
            for i in [min(low, high), max(low, high)] where kept.last.map({ $0 != run[i] }) ?? true { kept.append(run[i]) }
        }
        return kept
    }
}
