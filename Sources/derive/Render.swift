import ArgumentParser
import DerivePipeline

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run notebooks and write them as a static site; exit 1 if any check fails."
    )

    @OptionGroup var notebooks: NotebookOptions

    @Option(help: "The folder to write the site into (replaced whole, atomically).")
    var out = "site"

    @Flag(help: "Pass raw HTML in notebooks through instead of escaping it.")
    var unsafeHTML = false

    func run() throws {
        let pipeline = notebooks.pipeline(unsafeHTML: unsafeHTML)
        let report: RunReport
        do {
            report = try pipeline.render(paths: try notebooks.checkedPaths(), to: out)
        } catch let failure as SiteWriter.Failure {
            throw InputError(failure.description)
        }
        print(TextReport.render(report), terminator: "")
        print("wrote \(out)/")
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
