/// Why a result differs from its reference (see the README's checks and diagnoses). A diagnosis is a claim about the author's
/// work, so each is reported only if it accounts for the whole difference (the result, repaired
/// by it, passes), and only one is said: the explanations are tried simplest first, and the first
/// that holds is the one given. A transform that leaves the reference unchanged (a transpose of a
/// symmetric one, a reversal of a palindrome) explains nothing and is never claimed.
enum Diagnosis {
    static func explain(
        _ a: Tensor, _ r: Tensor, tolerance: Tolerance, excluding excluded: Set<Coordinate>, context: ComparisonContext
    ) -> [String] {
        if let notFinite = notFinite(a, r, excluding: excluded) { return [notFinite] }
        if let exact = exactTransform(a, r, tolerance: tolerance, excluding: excluded, context: context) { return [exact] }
        if let zero = allZero(a, r, excluding: excluded) { return [zero] }
        if let mask = wrongMask(a, r, tolerance: tolerance, excluding: excluded) { return [mask] }
        if let term = outerProductTerm(a, r, tolerance: tolerance, excluding: excluded, context: context) { return [term] }
        if let confined = confinement(a, r, tolerance: tolerance, excluding: excluded) { return [confined] }
        return []
    }

    /// The transforms of the whole result, simplest first: the sign, a constant factor, a
    /// transpose (alone or with a factor), a reversal of rows, columns or both.
    static func exactTransform(
        _ a: Tensor, _ r: Tensor, tolerance: Tolerance, excluding excluded: Set<Coordinate>, context: ComparisonContext
    ) -> String? {
        func explains(_ candidate: Tensor) -> Bool { tolerance.accepts(candidate, r, excluding: excluded) }
        // T(a) ≈ r says something only when T(r) ≉ r; otherwise a itself would be ≈ r.
        func meaningful(_ transform: (Tensor) -> Tensor) -> Bool { !explains(transform(r)) }

        if meaningful({ -$0 }), explains(-a) {
            return "wrong sign: the result is the negative of the reference"
        }
        if let factor = constantFactor(a, r), explains((1 / factor) * a) {
            return describe(factor: factor, batchSize: context.batchSize)
        }
        if a.rows == a.cols, a.rows > 1, meaningful({ $0.transposed }) {
            if explains(a.transposed) { return transposed(context) }
            if let factor = constantFactor(a.transposed, r), explains((1 / factor) * a.transposed) {
                return transposed(context) + "; and " + describe(factor: factor, batchSize: context.batchSize)
            }
        }
        if let reversal = reversal(a, r, explains: explains, meaningful: meaningful) { return reversal }
        return nil
    }

    /// A result whose shape is not the reference's: a transpose (alone or with a factor), a
    /// batch left unreduced, the diagonal of a diagonal Jacobian; else the two shapes.
    static func wrongShape(_ a: Tensor, _ r: Tensor, tolerance: Tolerance, context: ComparisonContext) -> String {
        func explains(_ candidate: Tensor) -> Bool { tolerance.accepts(candidate, r) }
        if a.rows == r.cols, a.cols == r.rows {
            let wording = context.shapeConvention
                ? "transposed: this is the Jacobian (numerator) layout; the shape convention wants \(context.subject)'s shape"
                : "transposed: the result is the transpose of the expected \(r.shapeText)"
            if explains(a.transposed) { return wording }
            if let factor = constantFactor(a.transposed, r), explains((1 / factor) * a.transposed) {
                return wording + "; and " + describe(factor: factor, batchSize: context.batchSize)
            }
        }
        // Not reduced: a's columns (or rows) summed or averaged give the reference.
        let byColumns = a.rows == r.rows && r.cols == 1 && a.cols > 1
        let byRows = a.cols == r.cols && r.rows == 1 && a.rows > 1
        if byColumns || byRows {
            let k = byColumns ? a.cols : a.rows
            var total = r
            for i in 0..<r.rows {
                for j in 0..<r.cols {
                    total[i, j] = (0..<k).reduce(0) { $0 + (byColumns ? a[i, $1] : a[$1, j]) }
                }
            }
            let axis = byColumns ? "columns" : "rows"
            let batch = context.batchSize == k ? "the batch (m = \(k))" : "the batch"
            if explains(total) { return "not reduced: the sum over its \(k) \(axis) is right (the sum over \(batch) left out?)" }
            if explains((1 / Double(k)) * total) { return "not reduced: the mean over its \(k) \(axis) is right (the mean over \(batch) left out?)" }
        }
        // An elementwise function's Jacobian is diagonal; a vector of its diagonal is f′, not J.
        if a.isVector, a.count > 1, r.rows == a.count, r.cols == a.count {
            var diagonal = Tensor(rows: a.count, cols: a.count)
            for i in 0..<a.count { diagonal[i, i] = a.storage[i] }
            if explains(diagonal) {
                return "this is the diagonal of the Jacobian: for an elementwise function the Jacobian is the \(r.shapeText) diag(…) of it"
            }
        }
        return "wrong shape: expected \(r.shapeText), got \(a.shapeText)"
    }

    static func transposed(_ context: ComparisonContext) -> String {
        context.shapeConvention
            ? "transposed: this is the Jacobian (numerator) layout; the shape convention wants \(context.subject)'s shape"
            : "transposed: the result is the transpose of the reference"
    }

    /// Rows, columns or both in reverse order (a kernel gradient left unflipped). A vector has one
    /// order to reverse; a matrix is tried along one axis before both.
    static func reversal(_ a: Tensor, _ r: Tensor, explains: (Tensor) -> Bool, meaningful: ((Tensor) -> Tensor) -> Bool) -> String? {
        guard a.count > 1 else { return nil }
        if a.isVector {
            return meaningful({ $0.reversed(rows: true, cols: true) }) && explains(a.reversed(rows: true, cols: true))
                ? "reversed: the entries are in reverse order (a flipped kernel?)" : nil
        }
        let candidates: [(rows: Bool, cols: Bool, words: String)] = [
            (true, false, "reversed along its rows: the rows are in reverse order"),
            (false, true, "reversed along its columns: the columns are in reverse order"),
            (true, true, "reversed along both axes: a flipped kernel?"),
        ]
        for c in candidates where meaningful({ $0.reversed(rows: c.rows, cols: c.cols) }) && explains(a.reversed(rows: c.rows, cols: c.cols)) {
            return c.words
        }
        return nil
    }

    /// For a square Jacobian of a function whose output y has as many entries: `a − r = c·yyᵀ`,
    /// the outer product of the output with itself, as in the softmax Jacobian diag(p) − ppᵀ (for a
    /// Hessian, of the gradient with itself: the Hessian of log-sum-exp is that same matrix).
    static func outerProductTerm(
        _ a: Tensor, _ r: Tensor, tolerance: Tolerance, excluding excluded: Set<Coordinate>, context: ComparisonContext
    ) -> String? {
        guard let y = context.output, a.rows == a.cols, a.rows > 1, y.count == a.rows else { return nil }
        let v = y.vec.storage  // the Jacobian's rows and columns are in vec order
        var outer = Tensor(rows: a.rows, cols: a.cols)
        for i in 0..<a.rows { for j in 0..<a.cols { outer[i, j] = v[i] * v[j] } }
        let difference = Tensor.combine(a, r, -)
        let oo = FiniteDifferences.zipSum(outer.storage, outer.storage)
        guard oo > 0 else { return nil }
        let c = FiniteDifferences.zipSum(difference.storage, outer.storage) / oo
        guard c.isFinite, Swift.abs(c) > 1e-9 else { return nil }
        let repaired = Tensor.combine(a, outer) { $0 - c * $1 }
        guard tolerance.accepts(repaired, r, excluding: excluded) else { return nil }
        func near(_ x: Double) -> Bool { Swift.abs(c - x) <= 1e-6 * Swift.abs(x) }
        let coefficient = near(1) ? "" : near(-1) ? "−" : near(c.rounded()) ? "\(Int(c.rounded()))·" : format(c) + "·"
        let (symbol, meaning) = (context.outputSymbol, context.outputMeaning)
        let term = "\(symbol)\(symbol)ᵀ"
        let base = "the difference from the reference is \(coefficient)\(term), the outer product of \(meaning) with itself"
        if near(2) { return base + ": a term −\(term) written with the wrong sign? (diag(p) + ppᵀ for the softmax Jacobian diag(p) − ppᵀ)" }
        if near(-2) { return base + ": a term +\(term) written with the wrong sign?" }
        if near(1) { return base + ": a term −\(term) is missing? (diag(p) for the softmax Jacobian diag(p) − ppᵀ)" }
        if near(-1) { return base + ": a term +\(term) is missing, or −\(term) is extra?" }
        return base
    }

    /// NaN or ±∞ in either tensor: nothing else can be said, since NaN equals nothing. Names the
    /// first such entry and the usual cause.
    static func notFinite(_ a: Tensor, _ r: Tensor, excluding excluded: Set<Coordinate>) -> String? {
        for (tensor, whose) in [(r, "the reference"), (a, "the result")] {
            for j in 0..<tensor.cols {
                for i in 0..<tensor.rows where !tensor[i, j].isFinite && !excluded.contains(Coordinate(i, j)) {
                    let at = Coordinate(i, j).name("", in: tensor.shape)
                    let value = tensor[i, j].isNaN ? "NaN" : tensor[i, j] > 0 ? "+∞" : "−∞"
                    return "not a number: \(whose) is \(value) at \(at); the function is undefined or overflows "
                        + "near this point (log, sqrt or a fractional power of a negative number? exp of a large one?)"
                }
            }
        }
        return nil
    }

    /// The least-squares c with a ≈ c·r, when it is neither 0 nor 1.
    static func constantFactor(_ a: Tensor, _ r: Tensor) -> Double? {
        let rr = FiniteDifferences.zipSum(r.storage, r.storage)
        guard rr > 0 else { return nil }
        let c = FiniteDifferences.zipSum(a.storage, r.storage) / rr
        guard c.isFinite, c != 0, Swift.abs(c - 1) > 1e-9 else { return nil }
        return c
    }

    /// Names 2, ½, m and 1/m; any other factor is given as a number.
    static func describe(factor c: Double, batchSize m: Int?) -> String {
        func near(_ x: Double) -> Bool { Swift.abs(c - x) <= 1e-6 * Swift.abs(x) }
        // A negative factor is a sign and a size: each is named.
        if c < 0 {
            return near(-1) ? "wrong sign: the result is the negative of the reference"
                : "wrong sign, and " + describe(factor: -c, batchSize: m)
        }
        if let m, m > 1 {
            let mm = Double(m)
            if near(1 / mm) { return "off by 1/m (m = \(m)): mean vs sum over the batch" }
            if near(mm) { return "off by m (m = \(m)): sum vs mean over the batch" }
        }
        if near(2) { return "off by a factor of 2" }
        if near(0.5) { return "off by a factor of ½" }
        // Without a known batch size, an integer k ≥ 3 (or 1/k) still suggests sum vs mean.
        let k = (1 / c).rounded()
        if k >= 3, near(1 / k) { return "off by 1/\(Int(k)): a mean over \(Int(k)) where the reference sums?" }
        if c.rounded() >= 3, near(c.rounded()) { return "off by a factor of \(Int(c.rounded())): a sum over \(Int(c.rounded())) where the reference takes the mean?" }
        // A square root of an integer, as a forgotten 1/√d scale is (√8 = 2.828…).
        let square = (c * c).rounded(), inverseSquare = (1 / (c * c)).rounded()
        if square >= 2, square <= 10_000, near(square.squareRoot()) { return "off by a factor of √\(Int(square)) (\(format(c))): a forgotten 1/√\(Int(square))?" }
        if inverseSquare >= 2, inverseSquare <= 10_000, near(1 / inverseSquare.squareRoot()) { return "off by a factor of 1/√\(Int(inverseSquare)) (\(format(c)))" }
        return "off by a constant factor of \(format(c))"
    }

    /// A result that is zero in every compared entry, against a reference that is not: a lost
    /// dependence rather than a mask.
    static func allZero(_ a: Tensor, _ r: Tensor, excluding excluded: Set<Coordinate>) -> String? {
        var referenceNonzero = false
        for i in 0..<r.rows {
            for j in 0..<r.cols where !excluded.contains(Coordinate(i, j)) {
                if a[i, j] != 0 { return nil }
                if r[i, j] != 0 { referenceNonzero = true }
            }
        }
        guard referenceNonzero else { return nil }
        return (a.count == 1 ? "zero where the reference is not" : "zero everywhere, where the reference is not")
            + " (a dependence lost, or a value treated as a constant?)"
    }

    /// Zeros where the reference has none (or the reverse) account for every failing entry.
    static func wrongMask(_ a: Tensor, _ r: Tensor, tolerance: Tolerance, excluding excluded: Set<Coordinate>) -> String? {
        var zeroedByAuthor: [Coordinate] = [], zeroInReference: [Coordinate] = []
        var repaired = a
        for i in 0..<r.rows {
            for j in 0..<r.cols where !excluded.contains(Coordinate(i, j)) {
                if a[i, j] == 0, r[i, j] != 0 { zeroedByAuthor.append(Coordinate(i, j)); repaired[i, j] = r[i, j] }
                if r[i, j] == 0 || Swift.abs(r[i, j]) < 1e-12, a[i, j] != 0 { zeroInReference.append(Coordinate(i, j)); repaired[i, j] = r[i, j] }
            }
        }
        guard !(zeroedByAuthor.isEmpty && zeroInReference.isEmpty), tolerance.accepts(repaired, r, excluding: excluded) else { return nil }
        var parts: [String] = []
        if !zeroedByAuthor.isEmpty { parts.append("zero where the reference is not at \(list(zeroedByAuthor, r))") }
        if !zeroInReference.isEmpty { parts.append("nonzero where the reference is zero at \(list(zeroInReference, r))") }
        return "wrong mask (ReLU or max?): " + parts.joined(separator: "; ")
    }

    /// The failing entries all sit in some rows, or some columns, but not all of them.
    static func confinement(_ a: Tensor, _ r: Tensor, tolerance: Tolerance, excluding excluded: Set<Coordinate>) -> String? {
        let s = Swift.max(1, r.maxAbs)
        var badRows = Set<Int>(), badCols = Set<Int>()
        for i in 0..<r.rows {
            for j in 0..<r.cols where !excluded.contains(Coordinate(i, j)) {
                if !(Swift.abs(a[i, j] - r[i, j]) <= tolerance.atol * s + tolerance.rtol * Swift.abs(r[i, j])) {
                    badRows.insert(i)
                    badCols.insert(j)
                }
            }
        }
        var parts: [String] = []
        if r.rows > 1, !badRows.isEmpty, badRows.count < r.rows {
            parts.append("row\(badRows.count > 1 ? "s" : "") \(badRows.sorted().map(String.init).joined(separator: ", "))")
        }
        if r.cols > 1, !badCols.isEmpty, badCols.count < r.cols {
            parts.append("column\(badCols.count > 1 ? "s" : "") \(badCols.sorted().map(String.init).joined(separator: ", "))")
        }
        guard !parts.isEmpty else { return nil }
        return "the difference is confined to " + parts.joined(separator: " and ") + " (0-based)"
    }

    static func list(_ coordinates: [Coordinate], _ r: Tensor) -> String {
        let names = coordinates.prefix(6).map { $0.name("", in: r.shape) }
        return names.joined(separator: ", ") + (coordinates.count > 6 ? ", … (\(coordinates.count) entries)" : "")
    }

    static func format(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "∞" : "-∞" }
        let rounded = (x * 1000).rounded() / 1000
        return "\(rounded)"
    }
}

extension Tensor {
    /// The rows, the columns or both in reverse order.
    func reversed(rows reverseRows: Bool, cols reverseCols: Bool) -> Tensor {
        var out = self
        for i in 0..<rows {
            for j in 0..<cols {
                out[i, j] = self[reverseRows ? rows - 1 - i : i, reverseCols ? cols - 1 - j : j]
            }
        }
        return out
    }
}
