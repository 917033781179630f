import CDuktape

/// One Duktape heap with KaTeX loaded: the only place that touches the JS engine.
/// A heap is not thread-safe; `KaTeX` keeps one per concurrent caller.
final class DuktapeHeap: @unchecked Sendable {  // used by one thread at a time: KaTeX lends it out
    private let context: OpaquePointer

    /// ES2015 pieces KaTeX 0.16 calls that Duktape 2.7 lacks.
    static let polyfills = """
    if (!Array.prototype.fill) { Array.prototype.fill = function (v, s, e) { var n = this.length; s = s || 0; e = e === undefined ? n : e;
      if (s < 0) s += n; if (e < 0) e += n; for (var i = s; i < e; i++) this[i] = v; return this; }; }
    if (!Array.prototype.includes) { Array.prototype.includes = function (x) { return this.indexOf(x) !== -1; }; }
    if (!Array.prototype.find) { Array.prototype.find = function (f) { for (var i = 0; i < this.length; i++) if (f(this[i], i, this)) return this[i]; }; }
    if (!Array.prototype.findIndex) { Array.prototype.findIndex = function (f) { for (var i = 0; i < this.length; i++) if (f(this[i], i, this)) return i; return -1; }; }
    if (!Array.from) { Array.from = function (a) { return Array.prototype.slice.call(a); }; }
    if (!String.prototype.includes) { String.prototype.includes = function (s, p) { return this.indexOf(s, p || 0) !== -1; }; }
    if (!String.prototype.startsWith) { String.prototype.startsWith = function (s, p) { p = p || 0; return this.substr(p, s.length) === s; }; }
    if (!String.prototype.endsWith) { String.prototype.endsWith = function (s) { return this.slice(-s.length) === s; }; }
    if (!String.prototype.repeat) { String.prototype.repeat = function (n) { var r = ""; for (var i = 0; i < n; i++) r += this; return r; }; }
    if (!Object.assign) { Object.assign = function (t) { for (var i = 1; i < arguments.length; i++) { var s = arguments[i];
      if (s) for (var k in s) if (Object.prototype.hasOwnProperty.call(s, k)) t[k] = s[k]; } return t; }; }
    if (!Math.log10) { Math.log10 = function (x) { return Math.log(x) / Math.LN10; }; }
    if (!Number.isInteger) { Number.isInteger = function (x) { return typeof x === "number" && isFinite(x) && Math.floor(x) === x; }; }
    var self = this;
    """

    /// Calls KaTeX and tags the outcome, so errors cross into Swift as plain strings.
    static let bridge = """
    function deriveRender(tex, display, macros) {
      try { return "ok:" + katex.renderToString(tex, { displayMode: display, throwOnError: true, trust: false, strict: "ignore", output: "htmlAndMathml",
                                                       macros: macros ? JSON.parse(macros) : {} }); }
      catch (e) { return "error:" + (e && e.position !== undefined ? e.position : -1) + ":" + (e && e.rawMessage ? e.rawMessage : String(e)); }
    }
    """

    init(katexSource: String) throws(TeXError) {
        guard let context = duk_create_heap(nil, nil, nil, nil, nil) else {
            throw TeXError(message: "cannot start the JavaScript engine for KaTeX")
        }
        self.context = context
        for source in [Self.polyfills, katexSource, Self.bridge] {
            if let error = evaluate(source) {
                duk_destroy_heap(context)
                throw TeXError(message: "cannot load KaTeX: \(error)")
            }
        }
    }

    deinit { duk_destroy_heap(context) }

    /// Pushes a string by its bytes (it may hold NULs).
    private func push(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: buffer.count) { duk_push_lstring(context, $0, buffer.count) } }
                ?? { _ = duk_push_lstring(context, "", 0) }()
        }
    }

    /// Evaluates global code; returns the error message, if any.
    private func evaluate(_ source: String) -> String? {
        let flags = UInt32(DUK_COMPILE_EVAL | DUK_COMPILE_SAFE | DUK_COMPILE_NOSOURCE | DUK_COMPILE_STRLEN | DUK_COMPILE_NOFILENAME)
        let status = source.withCString { duk_eval_raw(context, $0, 0, flags) }
        defer { duk_pop(context) }
        return status == 0 ? nil : String(cString: duk_safe_to_lstring(context, -1, nil))
    }

    /// KaTeX's HTML for `tex`, or its parse error.
    /// `macros`: a JSON object of KaTeX macros, or empty.
    func render(_ tex: String, display: Bool, macros: String = "") throws(TeXError) -> String {
        duk_get_global_string(context, "deriveRender")
        push(tex)
        duk_push_boolean(context, display ? 1 : 0)
        push(macros)
        let status = duk_pcall(context, 3)
        defer { duk_pop(context) }
        let result = String(cString: duk_safe_to_lstring(context, -1, nil))
        guard status == 0 else { throw TeXError(message: result) }
        if result.hasPrefix("ok:") { return String(result.dropFirst(3)) }
        // "error:<position>:<message>"
        let parts = result.dropFirst(6).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let position = parts.first.flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
        throw TeXError(message: parts.count > 1 ? String(parts[1]) : result, position: position)
    }
}
