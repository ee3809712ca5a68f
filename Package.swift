// swift-tools-version:6.0
import PackageDescription

// No third-party packages: the toolchain, Foundation and XCTest only.

// The evaluation kernels are compiled twice from the same files (Sources/EvalKernelsX86v3 links to
// Sources/EvalKernels): generic, and for x86-64-v3 (AVX2, FMA), which CompiledFunction picks at run time on a
// processor that has those features. `haswell` is LLVM's name for that level here (the toolchain's clang
// importer does not accept `x86-64-v3`). On other architectures the second copy is built generically and
// never picked.
#if arch(x86_64)
let x86v3Settings: [SwiftSetting] = [.define("EVAL_KERNELS_X86V3"), .unsafeFlags(["-target-cpu", "haswell"])]
#else
let x86v3Settings: [SwiftSetting] = []
#endif
// Release builds of `bounds` on Linux link the Swift runtime and Foundation statically: the dynamic loader's work
// (fifteen libraries, their relocations and symbol lookups) was about 2 ms of every command and 20 M of the
// 576 M instructions of `bounds derive`. `-static-stdlib` alone leaves out the static Foundation's own
// dependencies (ICU, its C shims, CoreFoundation), named here. Debug builds and the test bundles, which link
// this target's code next to XCTest, stay dynamic; other platforms keep the default.
#if os(Linux)
let staticRelease: [LinkerSetting] = [.unsafeFlags(["-static-stdlib", "-l_FoundationCShims", "-l_FoundationCollections",
                                                    "-lCoreFoundation", "-l_FoundationICU", "-lstdc++"], .when(configuration: .release))]
#else
let staticRelease: [LinkerSetting] = []
#endif
let package = Package(
    name: "bounds",
    products: [
        .library(name: "Symbolic", targets: ["Symbolic"]),
        .library(name: "Asymptotics", targets: ["Asymptotics"]),
        .library(name: "Derivation", targets: ["Derivation"]),
        .executable(name: "bounds", targets: ["bounds"]),
    ],
    targets: [
        .target(name: "EvalCore"),
        // The seeded generator of the tests and the benchmark corpora (not part of any product).
        .target(name: "SeededRandom"),
        .target(name: "EvalKernels", dependencies: ["EvalCore"]),
        .target(name: "EvalKernelsX86v3", dependencies: ["EvalCore"], swiftSettings: x86v3Settings),
        .target(name: "Symbolic", dependencies: ["EvalCore", "EvalKernels", "EvalKernelsX86v3"], exclude: ["README.md"]),
        .target(name: "Asymptotics", dependencies: ["Symbolic"], exclude: ["README.md"]),
        .target(name: "Derivation", dependencies: ["Symbolic", "Asymptotics"], exclude: ["README.md", "SEMANTICS.md"], plugins: ["EmbedTheory"]),
        .executableTarget(name: "embed-theory", path: "Plugins/EmbedTheoryTool"),
        .plugin(name: "EmbedTheory", capability: .buildTool(), dependencies: ["embed-theory"]),
        .executableTarget(name: "bounds", dependencies: ["Symbolic", "Asymptotics", "Derivation"], linkerSettings: staticRelease),
        // Benchmarks and fuzzers: `swift run -c release bounds-bench`, `swift run -c release bounds-fuzz`.
        .executableTarget(name: "bounds-bench", dependencies: ["Symbolic", "Asymptotics", "Derivation", "SeededRandom"], path: "bench/Sources/bounds-bench"),
        .executableTarget(name: "bounds-fuzz", dependencies: ["Symbolic", "Asymptotics", "Derivation"], path: "bench/Sources/bounds-fuzz"),
        .testTarget(name: "SymbolicTests", dependencies: ["Symbolic", "EvalCore", "EvalKernels", "EvalKernelsX86v3", "SeededRandom"]),
        .testTarget(name: "AsymptoticsTests", dependencies: ["Symbolic", "Asymptotics", "SeededRandom"]),
        // MustFail/: theories whose proofs are false (each states its counterexample); TrueSteps/: true steps
        // (the attack rounds' and the learning-theory corpus).
        // FuzzRegressions/: theories on which the checker fuzzer once crashed the checker.
        .testTarget(name: "DerivationTests", dependencies: ["Symbolic", "Asymptotics", "Derivation", "SeededRandom"],
                    exclude: ["MustFail", "TrueSteps", "FuzzRegressions"]),
        .testTarget(name: "BoundsTests", dependencies: ["bounds", "Symbolic", "Derivation", "SeededRandom"]),
    ],
    swiftLanguageModes: [.v5]
)
