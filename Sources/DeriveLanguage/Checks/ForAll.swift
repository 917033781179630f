import DeriveDocument
import DeriveEngine

/// The rows of the checks inside a `forAll` block, gathered over its trials: a check passes only
/// if it passes in every trial, and a failure names the trial and what was drawn.
struct ForAllState {
    var trials: Int
    var trial = 0
    /// What the current trial drew (`randint → 4`, `randn(4, 3)`), to name a failing draw.
    var draws: [String] = []
    var rows: [(site: Span, row: CheckRow)] = []
    /// Rows of the trial being run, merged when it is kept.
    var current: [(site: Span, row: CheckRow)] = []

    mutating func record(_ row: CheckRow, site: Span) {
        current.append((site, row))
    }

    /// A draw that hit a point where the function is not differentiable is drawn again.
    var currentHitKink: Bool {
        current.contains { $0.row.notes.contains { $0.hasPrefix("not differentiable") } }
    }

    mutating func keepTrial() {
        for (site, row) in current {
            var row = row
            if !row.passed { row.notes.append("fails in trial \(trial) of \(trials); drawn: \(draws.isEmpty ? "nothing random" : draws.joined(separator: ", "))") }
            if let i = rows.firstIndex(where: { $0.site == site }) {
                // The first failing trial is the one reported.
                if rows[i].row.passed, !row.passed { rows[i].row = row }
                if rows[i].row.passed { rows[i].row.maxAbsError = [rows[i].row.maxAbsError, row.maxAbsError].compactMap { $0 }.max() }
            } else {
                rows.append((site, row))
            }
        }
        current = []
    }
}

extension Runtime {
    func runForAll(_ args: inout Arguments) throws {
        let count = try args.optional("trials").map { try integer($0.value, at: $0.span, what: "trials") } ?? trials
        let block = try args.positional("block")
        try args.finish(expected: ["trials"])
        guard case .function(let body) = block.value else { throw CellError("forAll needs a block: forAll(trials: 20) { … }", at: block.span) }
        guard count > 0 else { throw CellError("forAll needs at least one trial", at: args.call) }
        guard forAll == nil else { throw CellError("forAll blocks cannot be nested", at: args.call) }
        forAll = ForAllState(trials: count)
        defer { forAll = nil }
        for trial in 1...count {
            forAll?.trial = trial
            for attempt in 0..<10 {
                forAll?.draws = []
                forAll?.current = []
                _ = try call(body, [], at: block.span)
                if !(forAll?.currentHitKink ?? false) || attempt == 9 { break }
            }
            forAll?.keepTrial()
        }
        for (_, var row) in forAll?.rows ?? [] {
            if row.passed { row.notes.append("held in all \(count) trials") }
            outputs.append(.check(row))
        }
    }
}
