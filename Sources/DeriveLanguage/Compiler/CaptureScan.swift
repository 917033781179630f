import SwiftSyntax

/// The names a function's nested closures and local functions refer to. A `var` of such a name
/// is kept in a box, so the closure and the function share it, as in Swift; everything else
/// lives directly in a frame slot. (A name shadowed inside the closure is boxed needlessly: harmless.)
final class CaptureScan: SyntaxVisitor {
    private var depth = 0
    private(set) var names = Set<String>()

    static func names(in node: some SyntaxProtocol) -> Set<String> {
        let scan = CaptureScan(viewMode: .sourceAccurate)
        scan.walk(node)
        return scan.names
    }

    override func visit(_ node: ClosureExprSyntax) -> SyntaxVisitorContinueKind {
        depth += 1
        return .visitChildren
    }

    override func visitPost(_ node: ClosureExprSyntax) { depth -= 1 }

    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
        depth += 1
        return .visitChildren
    }

    override func visitPost(_ node: FunctionDeclSyntax) { depth -= 1 }

    override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
        if depth > 0 { names.insert(node.baseName.text) }
        return .skipChildren
    }
}
