import ArgumentParser
import DeriveLanguage

struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "The cell language's library: every name with its signature, a sentence and an example."
    )

    @Argument(help: "One name to show (default: all of them, grouped by kind).")
    var name: String?

    func run() throws {
        guard let name else {
            print(Reference.text(), terminator: "")
            return
        }
        guard let entry = Reference.entry(name) else {
            let hint = Reference.suggestion(for: name).map { "; did you mean '\($0)'?" } ?? ""
            throw InputError("'\(name)' is not in the library\(hint)")
        }
        print(Reference.text(entry))
    }
}
