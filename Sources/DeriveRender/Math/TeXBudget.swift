import Synchronization

/// A page's prose math, limited in total as `KaTeX.maximumTeXBytes` limits each formula: KaTeX's
/// time grows with the TeX, so a notebook of thousands of long formulas would take hours. Each
/// formula counts its bytes, and at least 64 (a KaTeX call costs milliseconds however short the
/// TeX), so the count, not a clock, decides and the site stays the same from run to run. The first
/// formula past the budget is a TeX error; the ones after it are shown as their TeX, quietly (one
/// error says it all, and a million would cost more than the math). One budget serves one page.
public final class TeXBudget: MathTypesetter {
    public static let maximumPageBytes = 256 * 1024
    static let minimumCost = 64

    private let base: any MathTypesetter
    private let limit: Int
    private let spent = Mutex(0)

    public init(_ base: any MathTypesetter, bytes: Int = maximumPageBytes) {
        self.base = base
        limit = bytes
    }

    public func typeset(_ tex: String, display: Bool) throws(TeXError) -> String {
        let cost = max(Self.minimumCost, tex.utf8.count)
        let before = spent.withLock { spent in
            defer { spent += cost }
            return spent
        }
        if before + cost <= limit { return try base.typeset(tex, display: display) }
        if before <= limit {
            throw TeXError(message: "this page's math is past \(limit / 1024) KB of TeX in all; it and the formulas after it are shown as TeX")
        }
        return "<span class=\"math-error\">\(HTML.escape(tex))</span>"
    }
}
