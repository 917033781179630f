import DeriveDocument

/// Turns TeX into HTML. The real one is KaTeX in Duktape (`KaTeX`); tests may use a fake.
public protocol MathTypesetter: Sendable {
    /// KaTeX's HTML for `tex`, or a `TeXError` with KaTeX's message.
    func typeset(_ tex: String, display: Bool) throws(TeXError) -> String
}

/// KaTeX's parse error: its message and, when KaTeX knows it, the offset in the TeX source.
public struct TeXError: Error, Sendable, Hashable {
    public var message: String
    public var position: Int?

    public init(message: String, position: Int? = nil) {
        self.message = message
        self.position = position
    }
}

/// A heading of a page, for its table of contents.
public struct Heading: Sendable, Hashable {
    public var level: Int
    public var text: String
    /// The anchor id, unique within the page.
    public var id: String

    public init(level: Int, text: String, id: String) {
        self.level = level
        self.text = text
        self.id = id
    }
}
