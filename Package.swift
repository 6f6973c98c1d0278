// swift-tools-version: 6.0
// archsynth: equivariant architecture synthesis for finite groups.
// No package dependencies: the toolchain only (see DESIGN.md, "packages: none").
import PackageDescription

let package = Package(
    name: "archsynth",
    products: [
        .library(name: "GroupTheory", targets: ["GroupTheory"]),
        .library(name: "ArchSynth", targets: ["ArchSynth"]),
        // What generated networks, templates and blocks import: nodes with adjoints, laws,
        // optimizers, losses, seeded random numbers (no Foundation, no dependencies).
        .library(name: "ArchSynthRuntime", targets: ["ArchSynthRuntime"]),
        .executable(name: "archsynth", targets: ["archsynth"]),
        // Generates layers and networks from *.archsynth.json files at build time.
        .plugin(name: "ArchSynthPlugin", targets: ["ArchSynthPlugin"]),
    ],
    targets: [
        // GroupTheory imports no Foundation; libm supplies sqrt and friends on Linux.
        .target(name: "GroupTheory", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "ArchSynthRuntime", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "ArchSynth", dependencies: ["GroupTheory", "ArchSynthRuntime"]),
        // The demonstrations (`archsynth experiment`): their models, sweeps and the SVG writer.
        // The library computes; experiments live here, and `generate` never calls them to train.
        .target(name: "ArchSynthExperiments", dependencies: ["ArchSynth", "GroupTheory", "ArchSynthRuntime"]),
        .executableTarget(name: "archsynth", dependencies: ["ArchSynth", "ArchSynthExperiments", "GroupTheory"]),
        // Measured comparisons (BENCHMARKS.md); not part of the tests.
        .executableTarget(name: "archsynth-bench", dependencies: ["ArchSynth", "ArchSynthExperiments", "GroupTheory"]),
        .plugin(name: "ArchSynthPlugin", capability: .buildTool(), dependencies: ["archsynth"]),
        .testTarget(name: "GroupTheoryTests", dependencies: ["GroupTheory"]),
        .testTarget(name: "ArchSynthTests", dependencies: ["ArchSynth", "ArchSynthExperiments", "GroupTheory", "ArchSynthRuntime"], exclude: ["Golden"]),
        .testTarget(name: "ArchSynthExperimentsTests", dependencies: ["ArchSynthExperiments", "ArchSynth", "GroupTheory", "ArchSynthRuntime"]),
        .testTarget(name: "ArchSynthRuntimeTests", dependencies: ["ArchSynthRuntime"]),
        .testTarget(name: "archsynthTests", dependencies: ["archsynth"]),
    ]
)
