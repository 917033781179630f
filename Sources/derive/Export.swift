import ArgumentParser
import DeriveDocument
import DerivePipeline
import Foundation

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a notebook and write it as a Jupyter notebook (.ipynb, nbformat 4.5) with its outputs."
    )

    enum Format: String, ExpressibleByArgument {
        case ipynb
    }

    @Argument(help: "The notebook to export.")
    var notebook: String

    @Option(help: "The format to write (ipynb).")
    var to: Format

    @Option(name: .shortAndLong, help: "The file to write (default: the notebook's name with .ipynb).")
    var output: String?

    func run() throws {
        let outcome = Pipeline().processCourse(paths: [notebook])
        let processed = outcome.processed[0]
        guard let read = processed.report.notebook else {
            throw InputError(processed.report.readError ?? "cannot read \(notebook)")
        }
        let destination = output ?? ((notebook as NSString).deletingPathExtension + ".ipynb")
        // An export replaces only another export: never the notebook or any other file by a slip of -o.
        guard destination.hasSuffix(".ipynb") else {
            throw InputError("will not write \(destination): an export goes to a file ending in .ipynb")
        }
        do {
            try Data(NotebookExport.ipynb(read, result: processed.report.result, site: outcome.site, page: processed.page).utf8).write(to: URL(fileURLWithPath: destination), options: .atomic)
        } catch {
            throw InputError("cannot write \(destination): \(error.localizedDescription)")
        }
        print("wrote \(destination)")
        if !processed.report.passed { throw ExitCode(1) }
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new lesson from a template that passes `derive check`."
    )

    @Argument(help: "The lesson's name: Notebooks/NAME.md when a Notebooks folder exists, else NAME.md (or a path ending in .md).")
    var name: String

    func run() throws {
        let path = LessonTemplate.destination(for: name)
        do {
            try LessonTemplate.create(at: path, title: LessonTemplate.title(fromName: name))
        } catch {
            throw InputError(error.description)
        }
        print("wrote \(path); run `derive check \(path)`")
    }
}
