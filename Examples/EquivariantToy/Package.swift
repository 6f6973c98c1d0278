// swift-tools-version: 6.0
// A toy that trains a generated S_5-invariant network: predict the maximum of a set of 5 numbers.
// The network is generated at build time by the ArchSynthPlugin from Sources/EquivariantToy/SetFunction.archsynth.json.
import PackageDescription

let package = Package(
    name: "EquivariantToy",
    dependencies: [.package(name: "archsynth", path: "../..")],
    targets: [
        .executableTarget(
            name: "EquivariantToy",
            // Generated networks import the runtime (nonlinearities, losses, optimizers).
            dependencies: [.product(name: "ArchSynthRuntime", package: "archsynth")],
            plugins: [.plugin(name: "ArchSynthPlugin", package: "archsynth")]
        )
    ]
)
