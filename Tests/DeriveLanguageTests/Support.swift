import DeriveDocument
@testable import DeriveLanguage

/// Runs cells given as Swift sources, one notebook, and returns the results.
func run(_ cells: [String], seed: Int = 0, limits: Limits = .default, options: [String] = []) -> (Notebook, NotebookResult) {
    var text = "---\nseed: \(seed)\n---\n"
    for (i, cell) in cells.enumerated() {
        text += "\n```swift\n" + (i < options.count ? options[i] : "") + cell + "\n```\n"
    }
    let notebook = NotebookReader.parse(text, path: "test.md")
    return (notebook, NotebookRunner(limits: limits).run(notebook))
}

/// The cell's outputs as short strings, for assertions.
func describe(_ result: CellResult) -> [String] {
    result.outputs.map { output in
        switch output {
        case .text(let s): "print: \(s)"
        case .value(let v, let label): "value\(label.map { "[\($0)]" } ?? ""): \(describe(v))"
        case .check(let row): "check \(row.passed ? "✓" : "✗") \(row.title)\(row.diagnosis.isEmpty ? "" : " — " + row.diagnosis.joined(separator: "; "))"
        case .plot(let p): "plot \(p.series.count) series"
        case .heatmap(let h): "heatmap \(h.rows)×\(h.cols)"
        case .error(let d): "error \(d.location): \(d.message)"
        }
    }
}

func describe(_ v: DisplayValue) -> String {
    switch v {
    case .number(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    case .tensor(let r, let c, let values): "\(r)×\(c) \(values.map { $0 == $0.rounded() ? String(Int($0)) : String($0) })"
    case .bool(let b): "\(b)"
    case .string(let s): "\"\(s)\""
    case .array(let items): "[" + items.map(describe).joined(separator: ", ") + "]"
    case .tuple(let items): "(" + items.map(describe).joined(separator: ", ") + ")"
    case .other(let s): s
    }
}
