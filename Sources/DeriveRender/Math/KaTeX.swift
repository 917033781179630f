import Foundation
import Synchronization

/// Build-time math: Debian's KaTeX run in Duktape, with rendered HTML cached on disk by content.
/// Safe to call from many threads: each call borrows a heap from a pool (heaps are not thread-safe).
public final class KaTeX: MathTypesetter {
    public static let scriptPath = "/usr/share/javascript/katex/katex.min.js"
    public static let shared = KaTeX()

    private let cache: MathCache?
    private let heaps = Mutex<[DuktapeHeap]>([])
    private let source = Mutex<String?>(nil)

    /// `cacheDirectory` nil: `$DERIVE_CACHE`, else `$XDG_CACHE_HOME/derive/katex`, else `~/.cache/derive/katex`.
    public init(cacheDirectory: URL? = nil, useCache: Bool = true) {
        cache = useCache ? MathCache(directory: cacheDirectory ?? MathCache.defaultDirectory()) : nil
    }

    public func typeset(_ tex: String, display: Bool) throws(TeXError) -> String {
        try typeset(tex, display: display, macros: [:])
    }

    public func typeset(_ tex: String, display: Bool, macros: [String: String]) throws(TeXError) -> String {
        let json = macros.isEmpty ? "" : Self.json(macros)
        let key = MathCache.key(tex: json.isEmpty ? tex : json + "|" + tex, display: display)
        if let cached = cache?.read(key) { return cached }
        let heap = try borrowHeap()
        defer { heaps.withLock { $0.append(heap) } }
        let html = try heap.render(tex, display: display, macros: json)
        cache?.write(key, html)
        return html
    }

    /// Macros as a JSON object, keys sorted (the cache key must not depend on dictionary order).
    static func json(_ macros: [String: String]) -> String {
        let data = try? JSONSerialization.data(withJSONObject: macros, options: [.sortedKeys, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private func borrowHeap() throws(TeXError) -> DuktapeHeap {
        if let heap = heaps.withLock({ $0.popLast() }) { return heap }
        return try DuktapeHeap(katexSource: try katexSource())
    }

    private func katexSource() throws(TeXError) -> String {
        if let loaded = source.withLock({ $0 }) { return loaded }
        guard let text = try? String(contentsOfFile: Self.scriptPath, encoding: .utf8) else {
            throw TeXError(message: "KaTeX is not installed (\(Self.scriptPath) is missing); run scripts/install-deps")
        }
        source.withLock { $0 = text }
        return text
    }
}

/// Rendered math on disk, one file per formula, named by a hash of (KaTeX version, mode, TeX).
/// Entries are written to a temporary file and renamed into place, so concurrent renders never
/// see a half-written entry; a cache that cannot be written is skipped.
struct MathCache: Sendable {
    static let katexVersion = "0.16.4"
    let directory: URL

    static func defaultDirectory() -> URL {
        let env = ProcessInfo.processInfo.environment
        if let path = env["DERIVE_CACHE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("derive/katex")
    }

    /// Two 64-bit FNV-1a hashes with different offsets: 128 bits, enough to never collide here.
    static func key(tex: String, display: Bool) -> String {
        let text = "\(katexVersion)|\(display ? "display" : "inline")|htmlAndMathml|\(tex)"
        func fnv(_ offset: UInt64) -> UInt64 {
            var h = offset
            for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
            return h
        }
        return String(format: "%016llx%016llx", fnv(0xCBF2_9CE4_8422_2325), fnv(0x6C62_272E_07BB_0142))
    }

    func read(_ key: String) -> String? {
        try? String(contentsOf: directory.appendingPathComponent(key + ".html"), encoding: .utf8)
    }

    func write(_ key: String, _ html: String) {
        let fm = FileManager.default
        try? fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(key).\(ProcessInfo.processInfo.processIdentifier).\(UInt64.random(in: 0...UInt64.max))")
        guard (try? Data(html.utf8).write(to: temporary)) != nil else { return }
        if rename(temporary.path, directory.appendingPathComponent(key + ".html").path) != 0 {
            try? fm.removeItem(at: temporary)
        }
    }
}

/// KaTeX's stylesheet and fonts, copied into a site so pages need no network.
public enum KaTeXAssets {
    public static let stylesheet = URL(fileURLWithPath: "/usr/share/javascript/katex/katex.min.css")
    public static let fontDirectory = URL(fileURLWithPath: "/usr/share/fonts/truetype/katex")

    /// Site-relative path → source file: `katex/katex.min.css` and `katex/fonts/*` (the CSS
    /// refers to `fonts/…` relative to itself).
    public static func files() -> [String: URL] {
        var files = ["katex/katex.min.css": stylesheet]
        let fonts = (try? FileManager.default.contentsOfDirectory(atPath: fontDirectory.path)) ?? []
        for font in fonts where font.hasSuffix(".woff2") || font.hasSuffix(".woff") || font.hasSuffix(".ttf") {
            files["katex/fonts/\(font)"] = fontDirectory.appendingPathComponent(font)
        }
        return files
    }
}
