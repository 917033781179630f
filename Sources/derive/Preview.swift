import ArgumentParser
import DerivePipeline
import Foundation

struct Preview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the lessons on 127.0.0.1, re-running and reloading them as you save."
    )

    @Argument(help: "A notebook or a folder of notebooks.")
    var path = "Notebooks"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8000

    @Option(help: "Also write the site into this folder after each change, as `render` does (by default nothing is written).")
    var out: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 (a free port) or 1…65535, not \(port)") }
        if let out { try OutputFolder.validate(out) }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: path) else { throw InputError("no such file or folder: \(path)") }
        let server = PreviewServer(pipeline: Pipeline(), paths: [path], output: out)
        do {
            try await server.run(port: port) { port in
                // Written unbuffered: scripts and tests wait for this line.
                FileHandle.standardOutput.write(Data("Previewing \(path) at http://127.0.0.1:\(port)/ (Ctrl-C to stop)\n".utf8))
            }
        } catch let failure as PreviewServer.Failure {
            throw InputError(failure.description)
        }
    }
}
