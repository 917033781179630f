import DeriveEngine

/// The operations compiled code falls back on when its fast path does not apply.
extension Runtime {
    /// No silent zero: a value a derivative is being taken through must not turn into a plain
    /// number, since nothing would flow back through it.
    func requireConstant(_ v: Variable, _ what: String, at span: Span) throws {
        if v.isTraced {
            throw CellError("a derivative cannot be taken through \(what): it turns a value that is being differentiated into a plain number, so the derivative through it would be lost", at: span,
                            hint: "keep the value a tensor (use it in tensor operations), or compute it outside the differentiated function")
        }
    }

    /// A number for a library argument: a 1×1 tensor is read only when no derivative flows through it.
    func plainNumber(_ value: Value, _ what: String, at span: Span) throws -> Double? {
        switch value {
        case .number(let x): return x
        case .tensor(let v) where v.value.isScalar:
            try requireConstant(v, what, at: span)
            return v.value.storage[0]
        default: return nil
        }
    }

    // MARK: Binary operators

    func binary(_ op: BinaryOperator, _ a: Value, _ b: Value, at spans: Operands) throws -> Value {
        do {
            switch op {
            case .halfOpenRange, .closedRange:
                let lo = try integer(a, at: spans.left, what: "a range bound"), hi = try integer(b, at: spans.right, what: "a range bound")
                if op == .closedRange && hi < lo { throw CellError("cannot form the range \(lo)...\(hi): the upper bound is below the lower", at: spans.whole) }
                return .range(lo, op == .closedRange ? hi + 1 : hi)
            case .approximately: return try approximately(a, b, at: spans.whole)
            case .equal, .notEqual:
                let equal = try equals(a, b, at: spans.whole)
                return .bool(op == .equal ? equal : !equal)
            case .less, .lessOrEqual, .greater, .greaterOrEqual:
                return .bool(try order(op, a, b, at: spans.whole))
            default: break
            }
            if case .number(let x) = a, case .number(let y) = b {
                if let test = op.maskTest { return .number(test(x, y) ? 1 : 0) }
                switch op {
                case .add: return .number(x + y)
                case .subtract: return .number(x - y)
                case .multiply, .hadamard, .circle, .dotStar: return .number(x * y)
                case .divide: return .number(x / y)
                case .remainder: return .number(x.truncatingRemainder(dividingBy: y))
                default: break
                }
            }
            if case .string(let x) = a, case .string(let y) = b, op == .add {
                try checkLength(x.utf8.count + y.utf8.count, "a string", at: spans.whole)
                return .string(x + y)
            }
            if case .array(let x) = a, case .array(let y) = b, op == .add {
                try checkLength(x.count + y.count, "an array", at: spans.whole)
                return .array(x + y)
            }
            guard let x = a.variable, let y = b.variable else {
                throw CellError("cannot apply '\(op.rawValue)' to \(a.typeName) and \(b.typeName)", at: spans.op)
            }
            let result: Variable
            switch op {
            case .add: try checkBroadcast(x, y, at: spans.whole); result = try x + y
            case .subtract: try checkBroadcast(x, y, at: spans.whole); result = try x - y
            case .multiply:
                if !x.value.isScalar, !y.value.isScalar { try checkSize(x.value.rows, y.value.cols, at: spans.whole) }
                result = try x * y
            case .hadamard, .circle, .dotStar: try checkBroadcast(x, y, at: spans.whole); result = try Variable.hadamard(x, y)
            case .maskLess, .maskLessOrEqual, .maskGreater, .maskGreaterOrEqual, .maskEqual, .maskNotEqual:
                try checkBroadcast(x, y, at: spans.whole)
                result = try mask(x, y, "compare", op.maskTest!)
            case .divide: try checkBroadcast(x, y, at: spans.whole); result = try x / y
            default: throw CellError("'\(op.rawValue)' is not supported on tensors", at: spans.op)
            }
            try account(entries: result.value.count, at: spans.whole)
            stamp(result, spans.site)
            return .tensor(result)
        } catch let error as EngineError {
            throw cellError(error, at: spans.whole)
        }
    }

    func checkBroadcast(_ a: Variable, _ b: Variable, at span: Span) throws {
        try checkSize(Swift.max(a.value.rows, b.value.rows), Swift.max(a.value.cols, b.value.cols), at: span)
    }

    /// `a ≈ b` with the cell's tolerance: equal shapes, values within tolerance.
    func approximately(_ a: Value, _ b: Value, at span: Span) throws -> Value {
        guard let x = a.variable, let y = b.variable else {
            throw CellError("'≈' compares numbers or tensors, not \(a.typeName) and \(b.typeName)", at: span)
        }
        var result = compare(x.value, y.value, tolerance: tolerance)
        result.reference = "the right-hand side"
        return .comparison(result, result.passed)
    }

    func equals(_ a: Value, _ b: Value, at span: Span) throws -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.tuple(let x, _), .tuple(let y, _)):
            return try x.count == y.count && zip(x, y).allSatisfy { try equals($0, $1, at: span) }
        case (.array(let x), .array(let y)):
            return try x.count == y.count && zip(x, y).allSatisfy { try equals($0, $1, at: span) }
        default:
            if let x = a.number, let y = b.number { return x == y }
            if let x = a.variable, let y = b.variable { return x.value == y.value }
            throw CellError("cannot compare \(a.typeName) with \(b.typeName)", at: span)
        }
    }

    func order(_ op: BinaryOperator, _ a: Value, _ b: Value, at span: Span) throws -> Bool {
        func holds<T: Comparable>(_ x: T, _ y: T) -> Bool {
            switch op {
            case .less: x < y
            case .lessOrEqual: x <= y
            case .greater: x > y
            default: x >= y
            }
        }
        if let x = a.number, let y = b.number { return holds(x, y) }
        if case .string(let x) = a, case .string(let y) = b { return holds(x, y) }
        throw CellError("cannot order \(a.typeName) and \(b.typeName) with '\(op.rawValue)'; compare numbers", at: span)
    }

    // MARK: Literals and sequences

    /// All numbers → a column; equal-length lists of numbers → rows; else an array.
    func arrayLiteral(_ items: [Value], nested: Bool, at span: Span) throws -> Value {
        if items.isEmpty { return .array([]) }
        try checkLength(items.count, "an array", at: span)
        if items.allSatisfy({ if case .number = $0 { true } else { false } }) {
            return .tensor(Tensor(column: items.compactMap(\.number)))
        }
        if nested {
            let rows: [[Double]] = items.compactMap { item in
                if case .tensor(let v) = item, v.value.cols == 1, v.value.count > 0, !v.isTraced { return v.value.storage }
                return nil
            }
            if rows.count == items.count, Set(rows.map(\.count)).count == 1 {
                try checkSize(rows.count, rows[0].count, at: span)
                return .tensor(Tensor(rows: rows.count, cols: rows[0].count, storage: rows.flatMap { $0 }))
            }
        }
        return .array(items)
    }

    /// What a `for` loop visits, without building a range's elements.
    enum Iterable {
        case range(Int, Int)
        case values(count: Int, element: (Int) throws -> Value)

        var count: Int {
            switch self {
            case .range(let a, let b): Swift.max(0, b - a)
            case .values(let n, _): n
            }
        }
    }

    func iterable(_ value: Value, at span: Span) throws -> Iterable {
        switch value {
        case .range(let a, let b): return .range(a, b)
        case .array(let items): return .values(count: items.count) { items[$0] }
        case .tensor(let v) where v.value.isVector:
            // Entries of a tensor being differentiated stay differentiable.
            if v.isTraced { return .values(count: v.value.count) { k in try self.engine(span) { .tensor(try v.entry(k)) } } }
            let storage = v.value.storage
            return .values(count: storage.count) { .number(storage[$0]) }
        default: throw CellError("cannot loop over \(value.typeName)", at: span)
        }
    }

    /// The elements of a sequence, for the library (map, zip, …): a range is built here, within the length cap.
    func elements(of value: Value, at span: Span) throws -> [Value] {
        let sequence = try iterable(value, at: span)
        try checkLength(sequence.count, "a sequence", at: span)
        switch sequence {
        case .range(let a, let b): return a < b ? (a..<b).map { .number(Double($0)) } : []
        case .values(let n, let element): return try (0..<n).map(element)
        }
    }

    // MARK: Subscripts

    /// `name` is what the base was called (`W` in `net.W[l]`), for messages.
    func index(_ base: Value, _ indices: [(label: String?, value: Value, span: Span)], at span: Span, name: String?) throws -> Value {
        switch base {
        case .array(let items):
            guard indices.count == 1, indices[0].label == nil else { throw CellError("an array takes one index: a[i]", at: span) }
            let i = try integer(indices[0].value, at: indices[0].span)
            // `net.W`, `net.b` and `f.z` are numbered 1…L as in the notes: index 0 holds a placeholder.
            if case .tensor(let first)? = items.first, first === MLP.unusedLayer, i < 1 || i >= items.count {
                let what = name.map { "\($0) is" } ?? "the layers are"
                let input = name == "z" ? "; the input is f.a[0]" : ""
                throw CellError("layer \(i) does not exist: \(what) numbered 1…\(items.count - 1), as in the notes\(input)", at: indices[0].span)
            }
            guard items.indices.contains(i) else { throw outOfRange(i, items.count, at: indices[0].span) }
            return items[i]
        case .tensor(let v):
            return try engine(span) {
                if indices.count == 1, let label = indices[0].label {
                    let i = try integer(indices[0].value, at: indices[0].span)
                    switch label {
                    case "row": return .tensor(try v.row(i))
                    case "col": return .tensor(try v.column(i))
                    default: throw CellError("a tensor has no subscript labeled '\(label):'", at: indices[0].span, hint: "use x[row: i] or x[col: j]")
                    }
                }
                let (rows, cols) = try slice(v.value, indices, at: span)
                if case .single(let i) = rows, case .single(let j) = cols { return .tensor(try v.entry(i, j)) }
                return .tensor(try v.block(rows: rows.range, cols: cols.range))
            }
        case .number(let x):
            // A number is a 1×1 tensor.
            return try index(.tensor(Tensor(scalar: x)), indices, at: span, name: name)
        case .tuple(let items, _):
            let i = try integer(indices[0].value, at: indices[0].span)
            guard items.indices.contains(i) else { throw CellError("index \(i) is out of range for a tuple of \(items.count)", at: span) }
            return items[i]
        default:
            throw CellError("cannot subscript \(base.typeName)", at: span)
        }
    }

    /// One axis of a subscript: an index, or a range (a slice).
    enum AxisIndex {
        case single(Int)
        case range(Range<Int>)

        var range: Range<Int> {
            switch self {
            case .single(let i): i..<i + 1
            case .range(let r): r
            }
        }
    }

    /// The rows and columns `x[i, j]` (or `x[i]` of a vector) selects: each an integer, a range
    /// (`a..<b`, `a...b`, `a...`, `..<b`) or `...`. Out-of-range and negative indices name the shape.
    func slice(_ t: Tensor, _ indices: [(label: String?, value: Value, span: Span)], at span: Span) throws -> (AxisIndex, AxisIndex) {
        func axis(_ index: (label: String?, value: Value, span: Span), size: Int, what: String) throws -> AxisIndex {
            let limit = size == 0 ? "it has none" : "0…\(size - 1)"
            if case .range(let lo, let hi) = index.value {
                let upper = hi == Int.max ? size : hi
                guard lo >= 0 else { throw CellError("\(what) \(lo)..<\(upper) start below 0 for a \(t.shapeText) tensor", at: index.span) }
                guard lo <= upper, upper <= size else {
                    throw CellError("\(what) \(lo)..<\(upper) are out of range for a \(t.shapeText) tensor (\(what) \(limit))", at: index.span)
                }
                return .range(lo..<upper)
            }
            let i = try integer(index.value, at: index.span)
            guard i >= 0 else { throw CellError("index \(i) is negative: \(what) of a \(t.shapeText) tensor are numbered \(limit)", at: index.span) }
            guard i < size else { throw CellError("index \(i) is out of range for the \(what) of a \(t.shapeText) tensor (\(limit))", at: index.span) }
            return .single(i)
        }
        if indices.count == 2 {
            return (try axis(indices[0], size: t.rows, what: "rows"), try axis(indices[1], size: t.cols, what: "columns"))
        }
        guard indices.count == 1, t.isVector else {
            throw CellError(indices.count == 1 ? "x[i] needs a vector, but x is \(t.shapeText); use x[i, j] (or a range: x[0..<2, ...])"
                                               : "a tensor takes x[i, j], x[i], x[row: i] or x[col: j]", at: span)
        }
        if t.cols == 1 { return (try axis(indices[0], size: t.rows, what: "entries"), .single(0)) }
        return (.single(0), try axis(indices[0], size: t.cols, what: "entries"))
    }

    func outOfRange(_ i: Int, _ count: Int, at span: Span) -> CellError {
        CellError(count == 0 ? "index \(i) is out of range: the array is empty"
                             : "index \(i) is out of range for an array of \(count) (indices 0…\(count - 1))", at: span)
    }

    /// The row-major position of `x[i, j]` (or `x[i]` of a vector) in a tensor.
    func entryOffset(_ t: Tensor, _ indices: [(label: String?, value: Value, span: Span)], at span: Span) throws -> (Int, Int) {
        let (i, j): (Int, Int)
        if indices.count == 2 {
            (i, j) = (try integer(indices[0].value, at: indices[0].span), try integer(indices[1].value, at: indices[1].span))
        } else {
            guard indices.count == 1, indices[0].label == nil else { throw CellError("assign to one entry: x[i, j] = v or x[i] = v", at: span) }
            let k = try integer(indices[0].value, at: indices[0].span)
            (i, j) = t.cols == 1 ? (k, 0) : (0, k)
        }
        try engine(span) { try t.checkIndex(i, j) }
        return (i, j)
    }

    /// `base[indices] = value`, returning the updated base.
    func updating(_ base: Value, _ indices: [(label: String?, value: Value, span: Span)], with value: Value, at span: Span) throws -> Value {
        switch base {
        case .array(var items):
            guard indices.count == 1 else { throw CellError("an array takes one index: a[i]", at: span) }
            let i = try integer(indices[0].value, at: indices[0].span)
            guard items.indices.contains(i) else { throw outOfRange(i, items.count, at: indices[0].span) }
            items[i] = value
            return .array(items)
        case .tensor(let v):
            guard let entry = value.variable else { throw CellError("cannot store \(value.typeName) in a tensor", at: span) }
            if indices.contains(where: { if case .range = $0.value { true } else { false } }) {
                // `X[0..<2, ...] = Y`: a block, Y of its shape or broadcast to it.
                let (rows, cols) = try slice(v.value, indices, at: span)
                return .tensor(try engine(span) { try v.replacingBlock(rows: rows.range, cols: cols.range, with: entry) })
            }
            let (i, j) = try entryOffset(v.value, indices, at: span)
            return .tensor(try engine(span) { try v.replacing(i, j, with: entry) })
        default:
            throw CellError("cannot assign into \(base.typeName)", at: span)
        }
    }

    /// `x[i] = v` where x lives in `slot`: the element is replaced in place when nothing else
    /// holds the array or tensor and no derivative is taken through it.
    func assignElement(in slot: UnsafeMutablePointer<Value>, _ indices: [(label: String?, value: Value, span: Span)], _ value: Value, at span: Span) throws {
        // Not `switch slot.pointee`: that would hold a second reference through the whole switch.
        switch Self.kind(slot) {
        case .array:
            guard indices.count == 1 else { throw CellError("an array takes one index: a[i]", at: span) }
            let i = try integer(indices[0].value, at: indices[0].span)
            var items = Self.takeArray(slot)
            defer { slot.pointee = .array(items) }
            guard items.indices.contains(i) else { throw outOfRange(i, items.count, at: indices[0].span) }
            items[i] = value
        case .tensor:
            let plain = !indices.contains { if case .range = $0.value { true } else { false } }
            var number: Double? = switch value {
            case .number(let x): x
            case .tensor(let t) where !t.isTraced && t.value.isScalar: t.value.storage[0]
            default: nil
            }
            if !plain { number = nil }
            guard let number, let (i, j) = try constantEntry(slot, indices, at: span) else {
                slot.pointee = try updating(slot.pointee, indices, with: value, at: span)
                return
            }
            // Nothing else may hold the tensor while it is checked for being held only here.
            var taken = Self.takeVariable(slot)
            if !isKnownUniquelyReferenced(&taken) { taken = Variable(taken.value) }
            taken.overwrite(i, j, with: number)
            slot.pointee = .tensor(taken)
        case .other:
            slot.pointee = try updating(slot.pointee, indices, with: value, at: span)
        }
    }

    enum Kind {
        case array, tensor, other
    }

    @inline(never) static func kind(_ slot: UnsafeMutablePointer<Value>) -> Kind {
        switch slot.pointee {
        case .array: .array
        case .tensor: .tensor
        default: .other
        }
    }

    /// The entry `x[i, j] = …` writes, when the slot holds a tensor no derivative is taken through.
    @inline(never) func constantEntry(_ slot: UnsafeMutablePointer<Value>, _ indices: [(label: String?, value: Value, span: Span)], at span: Span) throws -> (Int, Int)? {
        guard case .tensor(let current) = slot.pointee, !current.isTraced else { return nil }
        return try entryOffset(current.value, indices, at: span)
    }

    /// `xs.append(v)` where xs lives in `slot`.
    func append(_ item: Value, to slot: UnsafeMutablePointer<Value>, at span: Span) throws {
        guard Self.kind(slot) == .array else { throw CellError("\(slot.pointee.typeName) has no method 'append'", at: span) }
        var items = Self.takeArray(slot)
        defer { slot.pointee = .array(items) }
        try checkLength(items.count + 1, "an array", at: span)
        items.append(item)
    }

    /// Moves the array out of a slot (leaving `()`), so that it is uniquely held and grows in place.
    @inline(never) static func takeArray(_ slot: UnsafeMutablePointer<Value>) -> [Value] {
        let old = slot.move()
        slot.initialize(to: .void)
        if case .array(let items) = old { return items }
        return []
    }

    @inline(never) static func takeVariable(_ slot: UnsafeMutablePointer<Value>) -> Variable {
        let old = slot.move()
        slot.initialize(to: .void)
        if case .tensor(let v) = old { return v }
        preconditionFailure("takeVariable on a slot without a tensor")
    }
}
