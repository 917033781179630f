import ArgumentParser
import DerivePipeline

/// The notebooks a command works on, shared by `render` and `check`.
struct NotebookOptions: ParsableArguments {
    @Argument(help: "Notebooks or folders searched for *.md.")
    var paths: [String] = ["Notebooks"]

    @Option(help: "Per-cell wall-clock limit in seconds.")
    var timeLimit: Double?

    /// The notebook files, or a usage error (exit 2) when a path does not exist.
    func notebooks() throws -> [String] {
        do {
            let found = try NotebookDiscovery.notebooks(in: paths)
            if found.isEmpty { throw InputError("no notebooks (*.md) found in \(paths.joined(separator: ", "))") }
            return found
        } catch let failure as NotebookDiscovery.Failure {
            throw InputError(failure.description)
        }
    }

    /// The paths as given (a folder brings its `derive.yml`), once they are known to hold notebooks.
    func checkedPaths() throws -> [String] {
        _ = try notebooks()
        return paths
    }

    func pipeline(unsafeHTML: Bool = false) -> Pipeline {
        var pipeline = Pipeline(unsafeHTML: unsafeHTML)
        if let timeLimit { pipeline.limits.wallClock = .milliseconds(Int(timeLimit * 1000)) }
        return pipeline
    }
}
