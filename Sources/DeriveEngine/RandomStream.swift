import Foundation

/// The notebook's random stream (see the README's limits): SplitMix64, so any implementation can reproduce it.
/// `rand` is `(next() >> 11) · 2⁻⁵³`; `randn` is Box–Muller on two such draws, without caching the
/// second value; tensors are filled in row-major order.
public struct RandomStream: Sendable, Hashable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// SplitMix64's next 64 bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Standard normal: `sqrt(−2 ln u₁) · cos(2π u₂)`, with u₁ = 0 (odds 2⁻⁵³) taken as 2⁻⁵³.
    public mutating func normal() -> Double {
        let u1 = max(uniform(), 0x1p-53)
        let u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// An integer in `range`, uniformly: `lower + ⌊u · count⌋`.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + min(Int(uniform() * Double(range.count)), range.count - 1)
    }

    public mutating func rand(_ rows: Int, _ cols: Int = 1) -> Tensor {
        Tensor(rows: rows, cols: cols, storage: (0..<rows * cols).map { _ in uniform() })
    }

    public mutating func randn(_ rows: Int, _ cols: Int = 1) -> Tensor {
        Tensor(rows: rows, cols: cols, storage: (0..<rows * cols).map { _ in normal() })
    }

    /// A new stream for a sub-computation (a `forAll` trial), derived from this one.
    public mutating func split() -> RandomStream {
        RandomStream(seed: next())
    }
}
