import Foundation

/// `derive new NAME`: a lesson that passes `derive check` and shows the main features —
/// prose with math, a value, a gradient check, a plot.
public enum LessonTemplate {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Where `derive new NAME` writes: `NAME` as given when it ends in `.md`, else
    /// `Notebooks/NAME.md` when a `Notebooks` folder exists, else `NAME.md`.
    public static func destination(for name: String, in directory: String = FileManager.default.currentDirectoryPath) -> String {
        if name.hasSuffix(".md") { return name }
        var isDirectory: ObjCBool = false
        let notebooks = (directory as NSString).appendingPathComponent("Notebooks")
        if FileManager.default.fileExists(atPath: notebooks, isDirectory: &isDirectory), isDirectory.boolValue {
            return "Notebooks/\(name).md"
        }
        return "\(name).md"
    }

    /// Writes the template; never replaces an existing file.
    public static func create(at path: String, title: String) throws(Failure) {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw Failure(description: "\(path) already exists; choose another name")
        }
        let parent = (path as NSString).deletingLastPathComponent
        do {
            if !parent.isEmpty { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
            try Data(text(title: title).utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw Failure(description: "cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// A title from a file name: `03-softmax-gradients` → `Softmax gradients`.
    public static func title(fromName name: String) -> String {
        let base = ((name as NSString).lastPathComponent as NSString).deletingPathExtension
        let words = base.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " })
            .drop(while: { $0.allSatisfy(\.isNumber) })
            .joined(separator: " ")
        guard let first = words.first else { return "New lesson" }
        return first.uppercased() + words.dropFirst()
    }

    public static func text(title: String) -> String {
        #"""
        ---
        title: "\#(title.replacingOccurrences(of: "\"", with: "'"))"
        seed: 1
        ---

        # \#(title)

        Write the idea first, in prose and math. For $s = u^\top \sigma(Wx + b)$ with
        $W \in \mathbb{R}^{m \times n}$, the chain rule gives

        $$
        \frac{\partial s}{\partial x} = W^\top \big(u \odot \sigma'(Wx + b)\big),
        $$

        a column shaped like $x$ (the shape convention).

        ```swift
        //| label: setup
        let (m, n) = (3, 4)
        let W = randn(m, n)
        let b = randn(m)
        let u = randn(m)
        let x = randn(n)
        W
        ```

        Then let Derive check it against finite differences:

        ```swift
        //| label: gradient
        let s = { x in dot(u, sigmoid(W * x + b)) }
        let mine = W.T * (u ⊙ derivative(at: W * x + b, in: sigmoid))
        checkGradient(at: x, in: s, equals: mine, "∂s/∂x = Wᵀ(u ⊙ σ′(Wx + b))")
        ```

        A picture helps: the logistic function and its derivative.

        ```swift
        //| label: plot
        plot(x: linspace(-6, 6, 121), [sigmoid, { derivative(at: $0, in: sigmoid) }],
             labels: ["σ(z)", "σ′(z)"], title: "The logistic function")
        ```

        """#
    }
}
