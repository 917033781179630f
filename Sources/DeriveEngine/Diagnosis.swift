/// Why a result differs from its reference (SPEC §5). Each explanation is tried on its own and
/// reported only if it accounts for the whole difference: the transformed result passes.
enum Diagnosis {
    static func explain(
        _ a: Tensor, _ r: Tensor, tolerance: Tolerance, excluding excluded: Set<Coordinate>, context: ComparisonContext
    ) -> [String] {
        func explains(_ candidate: Tensor) -> Bool { tolerance.accepts(candidate, r, excluding: excluded) }
        if let notFinite = notFinite(a, r, excluding: excluded) { return [notFinite] }
        var reasons: [String] = []

        if a.rows == a.cols, a.rows > 1, explains(a.transposed) {
            reasons.append(context.shapeConvention
                ? "transposed: this is the Jacobian (numerator) layout; the shape convention wants \(context.subject)'s shape"
                : "transposed: the result is the transpose of the reference")
        }
        if explains(-a) {
            reasons.append("wrong sign: the result is the negative of the reference")
        } else if let factor = constantFactor(a, r), explains((1 / factor) * a) {
            reasons.append(describe(factor: factor, batchSize: context.batchSize))
        }
        if reasons.isEmpty, let zero = allZero(a, r, excluding: excluded) {
            reasons.append(zero)
        }
        if reasons.isEmpty, let mask = wrongMask(a, r, tolerance: tolerance, excluding: excluded) {
            reasons.append(mask)
        }
        if reasons.isEmpty, let confined = confinement(a, r, tolerance: tolerance, excluding: excluded) {
            reasons.append(confined)
        }
        return reasons
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
        let rounded = (x * 1000).rounded() / 1000
        return "\(rounded)"
    }
}
