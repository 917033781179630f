/// An error in a computation, worded for the person who wrote it. Shape errors name both shapes.
public struct EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static func shapes(_ what: String, _ a: Tensor, _ b: Tensor, _ why: String) -> EngineError {
        EngineError("cannot \(what) \(a.shapeText) and \(b.shapeText): \(why)")
    }
}
