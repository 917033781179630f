import ArgumentParser
import DerivePipeline

@main
struct Derive: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run literate notebooks that check derivations numerically, and render them to a site."
    )
}
