// swift-tools-version:6.0
import PackageDescription

// No third-party packages: the toolchain, Foundation and XCTest only.
let package = Package(
    name: "bounds",
    products: [
        .library(name: "Symbolic", targets: ["Symbolic"]),
        .library(name: "Asymptotics", targets: ["Asymptotics"]),
        .library(name: "Derivation", targets: ["Derivation"]),
        .executable(name: "bounds", targets: ["bounds"]),
    ],
    targets: [
        .target(name: "Symbolic"),
        .target(name: "Asymptotics", dependencies: ["Symbolic"]),
        .target(name: "Derivation", dependencies: ["Symbolic", "Asymptotics"], plugins: ["EmbedTheory"]),
        .executableTarget(name: "embed-theory", path: "Plugins/EmbedTheoryTool"),
        .plugin(name: "EmbedTheory", capability: .buildTool(), dependencies: ["embed-theory"]),
        .executableTarget(name: "bounds", dependencies: ["Symbolic", "Asymptotics", "Derivation"]),
        // Benchmarks and fuzzers: `swift run -c release bounds-bench`, `swift run -c release bounds-fuzz`.
        .executableTarget(name: "bounds-bench", dependencies: ["Symbolic", "Asymptotics", "Derivation"], path: "bench/Sources/bounds-bench"),
        .executableTarget(name: "bounds-fuzz", dependencies: ["Symbolic", "Asymptotics", "Derivation"], path: "bench/Sources/bounds-fuzz"),
        .testTarget(name: "SymbolicTests", dependencies: ["Symbolic"]),
        .testTarget(name: "AsymptoticsTests", dependencies: ["Symbolic", "Asymptotics"]),
        .testTarget(name: "DerivationTests", dependencies: ["Symbolic", "Asymptotics", "Derivation"]),
        .testTarget(name: "BoundsTests", dependencies: ["bounds", "Symbolic", "Derivation"]),
    ],
    swiftLanguageModes: [.v5]
)
