import Synchronization

/// A page's prose math, limited in total as `KaTeX.maximumTeXBytes` limits each formula: KaTeX's
/// time grows with the TeX, so a notebook of thousands of long formulas would take hours. Past
/// the budget every further formula is a TeX error (counted in bytes, so the site stays the same
/// from run to run). One budget serves one page.
public final class TeXBudget: MathTypesetter {
    public static let maximumPageBytes = 256 * 1024

    private let base: any MathTypesetter
    private let limit: Int
    private let spent = Mutex(0)

    public init(_ base: any MathTypesetter, bytes: Int = maximumPageBytes) {
        self.base = base
        limit = bytes
    }

    public func typeset(_ tex: String, display: Bool) throws(TeXError) -> String {
        let total = spent.withLock { spent in
            spent += tex.utf8.count
            return spent
        }
        guard total <= limit else {
            throw TeXError(message: "this page's math is past \(limit / 1024) KB of TeX in all; the rest is not typeset")
        }
        return try base.typeset(tex, display: display)
    }
}
