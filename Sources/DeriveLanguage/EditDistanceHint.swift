import DeriveDocument

/// Did-you-mean suggestions for names and labels.
enum EditDistanceHint {
    static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        EditDistance.closest(to: name, in: candidates.filter { !$0.hasPrefix("$") })
    }
}
