import DeriveDocument
import Foundation
import Testing
@testable import DeriveLanguage

/// `readCSV` reads numbers from the notebook's own folder and nothing outside it.
@Suite struct DataTests {
    /// A notebook in a fresh folder with the given files, run; the results of its cells.
    func runIn(_ files: [String: String], cells: [String], setUp: (URL) throws -> Void = { _ in }) throws -> [CellResult] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("derive-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try setUp(folder)
        let text = cells.map { "```swift\n\($0)\n```\n" }.joined(separator: "\n")
        let notebook = NotebookReader.parse(text, path: folder.appendingPathComponent("lesson.md").path)
        let result = NotebookRunner().run(notebook)
        return result.cells
    }

    @Test func readsWithAndWithoutAHeader() throws {
        let cells = try runIn(["data/with.csv": "x, y\n1, 2\n3, 4.5\n", "data/without.csv": "1,2,3\n4,5,6\n\n"],
                              cells: ["readCSV(\"data/with.csv\")", "readCSV(\"./data/without.csv\").shape"])
        #expect(describe(cells[0]) == ["value: 2×2 [\"1\", \"2\", \"3\", \"4.5\"]"])
        #expect(describe(cells[1]) == ["value: (2, 3)"])
    }

    @Test func raggedAndBadFilesAreErrorsWithTheirLine() throws {
        let cells = try runIn(["data/ragged.csv": "1,2\n3,4\n5\n", "data/words.csv": "a,b\n1,2\nthree,4\n"],
                              cells: ["readCSV(\"data/ragged.csv\")", "readCSV(\"data/words.csv\")", "readCSV(\"data/none.csv\")"])
        #expect(cells[0].error?.message == "line 3 of 'data/ragged.csv' has 1 values, but line 1 has 2")
        #expect(cells[1].error?.message == "line 3 of 'data/words.csv' has 'three', which is not a number")
        #expect(cells[2].error?.message == "readCSV cannot find 'data/none.csv' in the notebook's folder")
        #expect(cells[0].error?.location.line == 2)
    }

    @Test func nothingOutsideTheFolderIsRead() throws {
        let cells = try runIn(["data/ok.csv": "1\n"], cells: [
            "readCSV(\"../x.csv\")",
            "readCSV(\"/etc/hostname\")",
            "readCSV(\"data/out.csv\")",
            "readCSV(\"data/big.csv\")",
            "readCSV(\"data/fifo.csv\")",
        ]) { folder in
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("data/out.csv").path, withDestinationPath: "/etc/hostname")
            // Sparse: 65 MB that take no room.
            let big = folder.appendingPathComponent("data/big.csv")
            FileManager.default.createFile(atPath: big.path, contents: nil)
            let handle = try FileHandle(forWritingTo: big)
            try handle.truncate(atOffset: 65 << 20)
            try handle.close()
            mkfifo(folder.appendingPathComponent("data/fifo.csv").path, 0o600)
        }
        #expect(cells[0].error?.message == "readCSV cannot read '../x.csv': it leads out of the notebook's folder")
        #expect(cells[1].error?.message == "readCSV takes a path relative to the notebook's folder, not '/etc/hostname'")
        #expect(cells[2].error?.message == "readCSV cannot read 'data/out.csv': a symbolic link leads out of the notebook's folder")
        #expect(cells[3].error?.message == "'data/big.csv' is 65 MB, more than readCSV's limit of 64 MB")
        #expect(cells[4].error?.message == "readCSV cannot read 'data/fifo.csv': it is not a regular file")
        #expect(cells.allSatisfy { $0.error?.location.line != nil })
    }

    @Test func theFilesReadArePartOfTheNotebooksInput() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("derive-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "1,2\n".write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let notebook = NotebookReader.parse("```swift\nreadCSV(\"d.csv\")\n```\n", path: folder.appendingPathComponent("n.md").path)
        let result = NotebookRunner().run(notebook)
        #expect(result.inputs == [folder.appendingPathComponent("d.csv").resolvingSymlinksInPath().path])
    }
}
