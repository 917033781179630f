import CYaml
import Yams

/// YAML from a notebook (front matter, `//|` cell options) is read only once it is known to be
/// small: at most 64 KB of text, nested at most 64 deep, and at most 10,000 nodes once every alias
/// is expanded. Aliases make a few hundred bytes stand for billions of nodes ("billion laughs"),
/// and building them, or even hashing them as mapping keys, never ends; nesting makes Yams recurse.
/// The budget is counted on libyaml's event stream, before Yams builds anything, in linear time.
public enum YAMLBudget {
    public static let maximumBytes = 64 * 1024
    public static let maximumNodes = 10_000
    public static let maximumDepth = 64

    /// Why the YAML is over budget, and where (0-based line and column within `yaml`).
    public struct Problem: Error, Equatable {
        /// What is wrong, as a predicate ("is 70000 bytes long; …") or, when malformed, Yams' words.
        public var detail: String
        public var malformed = false
        public var line: Int
        public var column: Int

        /// The problem as a sentence about `subject` ("front matter", "cell option 'tags'").
        public func message(about subject: String) -> String {
            malformed ? "malformed \(subject): \(detail)" : "\(subject) \(detail)"
        }
    }

    /// Checks the budget. Malformed YAML passes (Yams reports it with its own message).
    public static func check(_ yaml: String) -> Problem? {
        let bytes = Array(yaml.utf8)
        guard bytes.count <= maximumBytes else {
            return Problem(detail: "is \(bytes.count) bytes long; YAML in a notebook is limited to \(maximumBytes / 1024) KB", line: 0, column: 0)
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> Problem? in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Expanded sizes: one running total per open collection; each anchor's size once closed.
            // Yams also stops the process on a list or mapping used as a key, so those are refused.
            var open: [(anchor: String?, size: Int, mapping: Bool, items: Int)] = [(nil, 0, false, 0)]
            var anchors: [String: (size: Int, scalar: Bool)] = [:]
            func problem(_ detail: String, _ event: yaml_event_t, malformed: Bool = false) -> Problem {
                Problem(detail: detail, malformed: malformed, line: Int(event.start_mark.line), column: Int(event.start_mark.column))
            }
            func atKey() -> Bool { open[open.count - 1].mapping && open[open.count - 1].items % 2 == 0 }
            func add(_ size: Int, _ event: yaml_event_t) -> Problem? {
                open[open.count - 1].size += size
                open[open.count - 1].items += 1
                guard open[open.count - 1].size <= maximumNodes else {
                    return problem("expands to more than \(maximumNodes) values through its aliases (*name); aliases are limited so that a few bytes cannot stand for billions of values", event)
                }
                return nil
            }
            let collectionKey = "a list or mapping is used as a key, which Derive cannot read"
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    if let anchor = string(event.data.scalar.anchor) { anchors[anchor] = (1, true) }
                    if let problem = add(1, event) { return problem }
                case YAML_ALIAS_EVENT:
                    let anchored = string(event.data.alias.anchor).flatMap { anchors[$0] } ?? (1, true)
                    if atKey(), !anchored.scalar { return problem(collectionKey, event, malformed: true) }
                    if let problem = add(anchored.size, event) { return problem }
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    if atKey() { return problem(collectionKey, event, malformed: true) }
                    let mapping = event.type == YAML_MAPPING_START_EVENT
                    open.append((string(mapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor), 1, mapping, 0))
                    guard open.count <= maximumDepth + 1 else {
                        return problem("nests lists and mappings more than \(maximumDepth) deep", event)
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard open.count > 1 else { return nil }
                    let closed = open.removeLast()
                    if let anchor = closed.anchor { anchors[anchor] = (closed.size, false) }
                    if let problem = add(closed.size, event) { return problem }
                default:
                    continue
                }
            }
        }
    }

    /// `Yams.load` once the budget holds: the value, or the problem (over budget or malformed)
    /// with its 0-based line and column.
    static func load(_ yaml: String) -> Result<Any?, Problem> {
        if let problem = check(yaml) { return .failure(problem) }
        do {
            return .success(try Yams.load(yaml: yaml))
        } catch let error as YamlError {
            return .failure(describe(error))
        } catch {
            return .failure(Problem(detail: "\(error)", malformed: true, line: 0, column: 0))
        }
    }

    /// Yams' error as a sentence and its mark.
    static func describe(_ error: YamlError) -> Problem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = [context.map { "\($0.text)" }, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return Problem(detail: text, malformed: true, line: max(0, mark.line - 1), column: max(0, mark.column - 1))
        default:
            return Problem(detail: "\(error)", malformed: true, line: 0, column: 0)
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
