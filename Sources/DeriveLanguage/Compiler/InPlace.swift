import DeriveEngine

/// Reads the tensor a slot holds without retaining it, for the interpreter's innermost loops
/// (`A[i, k]` in a triple loop would otherwise spend a third of its time on reference counts).
/// It relies on the layout of `Value.tensor` — the Variable's reference in the first word — and
/// checks that layout once, on a value of its own; where it does not hold, `withTensor` returns
/// nil and callers take the ordinary path.
enum InPlace {
    static let layoutHolds: Bool = {
        let probe = Variable(Tensor(scalar: 1))
        var value = Value.tensor(probe)
        let word = withUnsafeBytes(of: &value) { $0.load(as: UInt.self) }
        let other = Value.number(1)
        let tagged = { if case .tensor = other { true } else { false } }()
        return word == UInt(bitPattern: Unmanaged.passUnretained(probe).toOpaque()) && !tagged
    }()

    /// A non-negative whole number as an index, without a library call (`Int(exactly:)` calls trunc).
    @inline(__always) static func index(_ x: Double) -> Int? {
        guard x >= 0, x < 9.0e15 else { return nil }
        let i = Int(x)
        return Double(i) == x ? i : nil
    }

    /// `body` with the slot's tensor, borrowed (no retain); nil when the slot holds something
    /// else. Only when `layoutHolds` (callers read it once, when they compile).
    @inline(__always) static func withTensor<R>(_ slot: UnsafeMutablePointer<Value>, _ body: (Variable) -> R?) -> R? {
        guard case .tensor = slot.pointee else { return nil }
        let reference = UnsafeRawPointer(slot).load(as: UnsafeRawPointer.self)
        return Unmanaged<Variable>.fromOpaque(reference)._withUnsafeGuaranteedRef(body)
    }
}
