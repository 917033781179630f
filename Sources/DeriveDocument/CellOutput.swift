/// What a cell shows, in order. Plain data: the renderer sees these, never the interpreter.
public enum CellOutput: Sendable, Hashable {
    /// Text from `print(…)`.
    case text(String)
    /// The value of the cell's last expression, or `show(x, "label")`.
    case value(DisplayValue, label: String?)
    case check(CheckRow)
    case plot(Plot)
    case heatmap(Heatmap)
    /// The error that stopped the cell (also in `CellResult.error`).
    case error(Diagnostic)
}

/// A value as it is shown; numbers are formatted by the renderer with the notebook's `digits`.
public indirect enum DisplayValue: Sendable, Hashable {
    case number(Double)
    /// Row-major entries.
    case tensor(rows: Int, cols: Int, values: [Double])
    case bool(Bool)
    case string(String)
    case array([DisplayValue])
    case tuple([DisplayValue])
    /// Anything else (a function, an MLP, a range), described in words.
    case other(String)
}

extension DisplayValue {
    /// Which rows (or columns) of a tensor are shown (see the README's values shown): all up to 8; past that the first
    /// six, a gap (`nil`, drawn as ⋯), and the last, so a large tensor never floods a page.
    public static func shownIndices(_ n: Int) -> [Int?] {
        n <= 8 ? Array(0..<n) : Array(0..<6) + [nil, n - 1]
    }
}

/// One row of a check's report (see the README's checks and diagnoses). Steps of a chain rule and layers of `checkDeltas`
/// are sub-rows in `children`.
public struct CheckRow: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case check, gradient, jacobian, derivative, hessian, chainRule, step, deltas, layer, parameterGradients, forAll
    }

    public var kind: Kind
    /// The author's label, or nil; reports then use `source`.
    public var label: String?
    /// The check's source text.
    public var source: String
    public var location: SourceLocation
    public var passed: Bool
    public var maxAbsError: Double?
    public var maxRelError: Double?
    /// How the reference was computed, e.g. "central differences + Richardson (full Jacobian)".
    public var reference: String?
    /// Plain-word explanations of a failure ("transposed: …", "off by 1/m: …").
    public var diagnosis: [String]
    /// Further facts: the shapes compared, the failing trial, coordinates left out.
    public var notes: [String]
    /// The worst entries of a failing comparison.
    public var worst: [WorstEntry]
    public var children: [CheckRow]
    /// Notebook lines the diagnosis names (a value held constant on a missing path): the page
    /// marks them in the source and links to them.
    public var namedLines: [Int] = []

    public init(
        kind: Kind, label: String?, source: String, location: SourceLocation, passed: Bool,
        maxAbsError: Double? = nil, maxRelError: Double? = nil, reference: String? = nil,
        diagnosis: [String] = [], notes: [String] = [], worst: [WorstEntry] = [], children: [CheckRow] = []
    ) {
        self.kind = kind
        self.label = label
        self.source = source
        self.location = location
        self.passed = passed
        self.maxAbsError = maxAbsError
        self.maxRelError = maxRelError
        self.reference = reference
        self.diagnosis = diagnosis
        self.notes = notes
        self.worst = worst
        self.children = children
    }

    /// The label if there is one, else the source text.
    public var title: String { label ?? source }
}

public struct WorstEntry: Sendable, Hashable {
    public var row: Int
    public var col: Int
    public var actual: Double
    public var reference: Double

    public init(row: Int, col: Int, actual: Double, reference: Double) {
        self.row = row
        self.col = col
        self.actual = actual
        self.reference = reference
    }
}

/// A line chart: one or more series over x.
public struct Plot: Sendable, Hashable {
    public struct Series: Sendable, Hashable {
        public var label: String
        public var xs: [Double]
        public var ys: [Double]
        public init(label: String, xs: [Double], ys: [Double]) {
            self.label = label
            self.xs = xs
            self.ys = ys
        }
    }

    public enum Scale: String, Sendable, Hashable {
        case linear, log
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var series: [Series]
    /// `.log` draws the y axis in decades (every value must then be positive).
    public var yScale: Scale

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, series: [Series], yScale: Scale = .linear) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yScale = yScale
    }
}

/// A matrix drawn as colours.
public struct Heatmap: Sendable, Hashable {
    public var title: String?
    public var rows: Int
    public var cols: Int
    /// Row-major entries.
    public var values: [Double]

    public init(title: String? = nil, rows: Int, cols: Int, values: [Double]) {
        self.title = title
        self.rows = rows
        self.cols = cols
        self.values = values
    }
}
