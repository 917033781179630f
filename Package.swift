// swift-tools-version: 6.1
import PackageDescription

// Dependencies point one way (the README's layout of the code):
//   DeriveDocument, DeriveEngine  ←  DeriveLanguage, DeriveRender  ←  DerivePipeline  ←  derive
// The engine and the cell language run the users' loops: they are optimised in every
// configuration, so the debug build the README's commands make is not the slow one.
let hot: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "Derive",
    products: [
        .executable(name: "derive", targets: ["derive"]),
        .library(name: "DeriveEngine", targets: ["DeriveEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swiftlang/swift-syntax", exact: "603.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        // C libraries from Debian; see scripts/install-deps.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "CDuktape",
            pkgConfig: "duktape",
            providers: [.apt(["duktape-dev"])]
        ),

        // Notebooks, cells, math spans, source positions, and the plain types of outputs.
        .target(name: "DeriveDocument", dependencies: ["CCmarkGFM", .product(name: "Yams", package: "Yams")]),
        // Tensors, the random stream, autodiff, finite differences, comparison. Imports nothing of ours.
        .target(name: "DeriveEngine", swiftSettings: hot),
        // Swift-syntax cells interpreted against the engine.
        .target(name: "DeriveLanguage", dependencies: [
            "DeriveEngine", "DeriveDocument",
            .product(name: "SwiftParser", package: "swift-syntax"),
            .product(name: "SwiftOperators", package: "swift-syntax"),
            .product(name: "SwiftDiagnostics", package: "swift-syntax"),
            .product(name: "SwiftParserDiagnostics", package: "swift-syntax"),
            .product(name: "SwiftSyntax", package: "swift-syntax"),
        ], swiftSettings: hot),
        // HTML pages, KaTeX in Duktape, highlighting, SVG.
        .target(name: "DeriveRender", dependencies: [
            "DeriveDocument", "CDuktape",
            .product(name: "SwiftParser", package: "swift-syntax"),
            .product(name: "SwiftIDEUtils", package: "swift-syntax"),
            .product(name: "SwiftSyntax", package: "swift-syntax"),
        ]),
        // Running many notebooks, reports, writing the site, the preview server.
        .target(name: "DerivePipeline", dependencies: [
            "DeriveDocument", "DeriveEngine", "DeriveLanguage", "DeriveRender",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .executableTarget(name: "derive", dependencies: [
            "DerivePipeline", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "derive-bench", dependencies: ["DeriveEngine", "DeriveLanguage", "DeriveDocument"]),
        // The reader under libFuzzer (see its source); without libFuzzer, it replays inputs.
        .executableTarget(name: "derive-fuzz-reader", dependencies: ["DeriveDocument"]),

        .testTarget(name: "DeriveDocumentTests", dependencies: ["DeriveDocument"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DeriveEngineTests", dependencies: ["DeriveEngine"]),
        .testTarget(name: "DeriveLanguageTests", dependencies: ["DeriveLanguage", "DeriveDocument", "DeriveEngine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DeriveRenderTests", dependencies: ["DeriveRender", "DeriveDocument"]),
        .testTarget(name: "DerivePipelineTests", dependencies: ["DerivePipeline", "DeriveDocument"], resources: [.copy("Fixtures")]),
    ]
)
