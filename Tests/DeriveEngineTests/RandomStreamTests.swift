import Testing
@testable import DeriveEngine

/// The stream is part of the contract: other implementations must reproduce these values.
@Suite struct RandomStreamTests {
    @Test func splitMix64ForSeedZero() {
        var random = RandomStream(seed: 0)
        #expect([random.next(), random.next(), random.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test func uniformIsTheTop53Bits() {
        var random = RandomStream(seed: 0)
        #expect(random.rand(2, 2).storage == [0.8833108082136426, 0.43152799704850997, 0.026433771592597743, 0.9708819781538285])
    }

    @Test func normalIsBoxMullerWithoutCaching() {
        var random = RandomStream(seed: 0)
        let expected = [-0.4527577402174582, 2.6506058120796703, -0.988604124624327]
        for (value, pinned) in zip(random.randn(3).storage, expected) {
            #expect(abs(value - pinned) <= 1e-15 * abs(pinned))
        }
    }

    @Test func tensorsFillRowMajor() {
        var a = RandomStream(seed: 7), b = RandomStream(seed: 7)
        let t = a.randn(2, 3)
        #expect(t[0, 1] == { _ = b.normal(); return b.normal() }())
    }

    @Test func randintStaysInRange() {
        var random = RandomStream(seed: 3)
        let draws = (0..<1000).map { _ in random.integer(in: 2...6) }
        #expect(Set(draws) == [2, 3, 4, 5, 6])
    }
}
