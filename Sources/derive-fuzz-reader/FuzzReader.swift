import DeriveDocument
import Foundation

// A libFuzzer target for the reader. Built with libFuzzer it reads whatever the fuzzer makes:
//   swift build -c release --product derive-fuzz-reader -sanitize=fuzzer -Xswiftc -DDERIVE_LIBFUZZER
//   .build/release/derive-fuzz-reader -max_total_time=60 -timeout=5 -rss_limit_mb=2048 CORPUS
// Built without it (as `swift build` does), it reads the files it is given, to replay a crash.
#if DERIVE_LIBFUZZER
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReader(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    _ = NotebookReader.parse(text, path: "fuzz.md")
    return 0
}
#else
@main
struct FuzzReader {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let notebook = NotebookReader.parse(text, path: path)
            print("\(path): \(notebook.cells.count) cells, \(notebook.math.count) math spans, \(notebook.diagnostics.count) diagnostics")
        }
    }
}
#endif
