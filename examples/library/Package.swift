// swift-tools-version:6.0
// The README's library example as a package of its own: it depends on `bounds` by path, imports Foundation
// next to Symbolic (the two must not clash), and `.ci/run` builds and runs it.
import PackageDescription

let package = Package(
    name: "LibraryExample",
    dependencies: [.package(name: "bounds", path: "../..")],
    targets: [
        .executableTarget(name: "LibraryExample", dependencies: [.product(name: "Symbolic", package: "bounds")]),
    ]
)
