import DeriveDocument

/// Turns TeX into HTML. The real one is KaTeX in Duktape (`KaTeX`); tests may use a fake.
public protocol MathTypesetter: Sendable {
    /// KaTeX's HTML for `tex`, or a `TeXError` with KaTeX's message.
    func typeset(_ tex: String, display: Bool) throws(TeXError) -> String
    /// The same with KaTeX macros (`\\R` → `\\mathbb{R}`); a typesetter without macros ignores them.
    func typeset(_ tex: String, display: Bool, macros: [String: String]) throws(TeXError) -> String
}

extension MathTypesetter {
    public func typeset(_ tex: String, display: Bool, macros: [String: String]) throws(TeXError) -> String {
        try typeset(tex, display: display)
    }
}

/// A typesetter with a course's macros on every formula (`derive.yml`'s `macros`).
public struct MacroTypesetter: MathTypesetter {
    public var base: any MathTypesetter
    public var macros: [String: String]

    public init(base: any MathTypesetter, macros: [String: String]) {
        self.base = base
        self.macros = macros
    }

    public func typeset(_ tex: String, display: Bool) throws(TeXError) -> String {
        try base.typeset(tex, display: display, macros: macros)
    }
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
