import ArgumentParser
import DerivePipeline

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run notebooks and report their checks; exit 1 if any fails."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, junit, github
    }

    @OptionGroup var notebooks: NotebookOptions

    @Option(help: "Report format: text, json, junit or github.")
    var format: Format = .text

    @Flag(help: "Also list every numbered equation with the cells that verify it (an equation nothing verifies is a warning).")
    var equations = false

    func run() throws {
        let report = notebooks.pipeline().check(paths: try notebooks.checkedPaths())
        switch format {
        case .text: print(TextReport.render(report) + (equations ? EquationList.render(report) : ""), terminator: "")
        case .json: print(JSONReport.render(report, equations: equations), terminator: "")
        case .junit: print(JUnitReport.render(report), terminator: "")
        case .github: print(GitHubReport.render(report, equations: equations), terminator: "")
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
