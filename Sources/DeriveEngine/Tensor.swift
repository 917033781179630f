/// A matrix of Doubles, stored row-major. A vector is a column (n×1); a row vector is 1×n;
/// a number is 1×1 where a tensor is needed.
public struct Tensor: Hashable, Sendable {
    public private(set) var rows: Int
    public private(set) var cols: Int
    /// Row-major entries: `storage[i * cols + j]` is entry (i, j).
    public var storage: [Double]

    /// A tensor from row-major entries; the count must be rows × cols.
    public init(rows: Int, cols: Int, storage: [Double]) {
        precondition(rows >= 0 && cols >= 0 && storage.count == rows * cols, "storage does not match shape")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        self.init(rows: rows, cols: cols, storage: Array(repeating: value, count: rows * cols))
    }

    /// A column vector.
    public init(column: [Double]) { self.init(rows: column.count, cols: 1, storage: column) }
    /// A row vector.
    public init(row: [Double]) { self.init(rows: 1, cols: row.count, storage: row) }
    /// A 1×1 tensor.
    public init(scalar: Double) { self.init(rows: 1, cols: 1, storage: [scalar]) }

    /// Rows of equal length; throws when they are ragged.
    public init(rowsOf lists: [[Double]]) throws(EngineError) {
        let width = lists.first?.count ?? 0
        guard lists.allSatisfy({ $0.count == width }) else {
            throw EngineError("rows have different lengths: \(lists.map(\.count))")
        }
        self.init(rows: lists.count, cols: width, storage: lists.flatMap { $0 })
    }

    public var shape: (rows: Int, cols: Int) { (rows, cols) }
    public var count: Int { storage.count }
    public var isScalar: Bool { rows == 1 && cols == 1 }
    public var isVector: Bool { cols == 1 || rows == 1 }
    /// "3×4"
    public var shapeText: String { "\(rows)×\(cols)" }

    /// The single entry of a 1×1 tensor.
    public var scalar: Double? { isScalar ? storage[0] : nil }

    /// Entry (i, j); callers check bounds with `checkIndex`.
    public subscript(i: Int, j: Int) -> Double {
        get { storage[i * cols + j] }
        set { storage[i * cols + j] = newValue }
    }

    public func checkIndex(_ i: Int, _ j: Int) throws(EngineError) {
        guard (0..<rows).contains(i), (0..<cols).contains(j) else {
            throw EngineError("index [\(i), \(j)] is out of range for a \(shapeText) tensor")
        }
    }

    public var transposed: Tensor {
        var out = Tensor(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { out.storage[j * rows + i] = storage[i * cols + j] } }
        return out
    }

    /// Entries with columns stacked (the `vec` of matrix calculus), as a column.
    public var vec: Tensor { Tensor(column: transposed.storage) }

    /// The same entries in a new shape, row-major.
    public func reshaped(_ r: Int, _ c: Int) throws(EngineError) -> Tensor {
        guard r >= 0, c >= 0, r * c == count else {
            throw EngineError("cannot reshape \(shapeText) (\(count) entries) to \(r)×\(c)")
        }
        return Tensor(rows: r, cols: c, storage: storage)
    }

    public func map(_ f: (Double) -> Double) -> Tensor {
        Tensor(rows: rows, cols: cols, storage: storage.map(f))
    }

    /// The largest absolute entry (‖·‖∞), 0 for an empty tensor.
    public var maxAbs: Double { storage.reduce(0) { max($0, abs($1)) } }
    public var sum: Double { storage.reduce(0, +) }
}
