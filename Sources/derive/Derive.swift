import ArgumentParser
import Foundation

@main
struct Derive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run literate notebooks that check derivations numerically, and render them to a site.",
        version: "0.1.0",
        subcommands: [Render.self, Check.self, Preview.self, Export.self, New.self, ReferenceCommand.self]
    )

    /// Bad usage exits with status 2 (see the README); ArgumentParser's own is 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as InputError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Input Derive cannot use (a missing path, an unwritable file, a busy port): exit status 2, with
/// the message alone, since the command line itself was fine.
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
