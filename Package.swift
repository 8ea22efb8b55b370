// swift-tools-version: 6.0
// The verification harness for "Attention-based PCA" (arXiv 2605.18315).
// Layers, bottom to top: numerical core (CLapack, LinearAlgebra, Randomness, Statistics,
// Instances, DataFiles) -> attention models (AttentionModels) and the generic property engine
// (PropertyEngine, which knows nothing about attention) -> the paper's claims (PaperClaims)
// -> reports (Reports) -> the command line (attention-pca). See README.md, "Architecture".
import PackageDescription

let package = Package(
    name: "attention-pca-harness",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "attention-pca", targets: ["AttentionPCA"]),
        .executable(name: "harness-bench", targets: ["Benchmarks"]),
        .library(name: "PropertyEngine", targets: ["PropertyEngine"]),
        .library(name: "AttentionModels", targets: ["AttentionModels"]),
        // For your own data: readers, the study and its report, plus what a study needs to
        // build prompt sources and train (docs/STUDY.md has a ten-line example).
        .library(name: "AttentionPCAStudy", targets: ["DataStudy", "DataFiles", "Instances", "LinearAlgebra", "Randomness", "Statistics", "AttentionModels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // OpenBLAS + LAPACKE, reached through a module map; imported `internal` only.
        .systemLibrary(
            name: "CLapack",
            pkgConfig: nil,
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // The standard-normal generator, in C: eight xoshiro256++ lanes and a ziggurat compiled
        // for the baseline, AVX2 and AVX-512 and picked at run time (bit-identical output). Its
        // own target so that Randomness stays at the bottom of the graph; imported `internal`.
        // CPU detection shared by the two C kernels (which instruction set to run).
        .target(name: "CPUFeatures"),
        .target(name: "NormalKernels", dependencies: ["CPUFeatures"]),
        .target(name: "Randomness", dependencies: ["NormalKernels", "CPUFeatures"]),
        .target(name: "Statistics"),
        .target(name: "LinearAlgebra", dependencies: ["CLapack"]),
        .target(name: "Instances", dependencies: ["LinearAlgebra", "Randomness"]),
        // Data and covariance files (CSV, NumPy .npy): readers whose errors name the file and line.
        .target(name: "DataFiles", dependencies: ["LinearAlgebra"]),
        // The attention layer's per-prompt kernel, in C: one source compiled for the baseline,
        // AVX2 and AVX-512 and picked at run time (bit-identical results); imported `internal`.
        .target(name: "AttentionKernels", dependencies: ["CPUFeatures"]),
        .target(name: "AttentionModels", dependencies: ["AttentionKernels", "LinearAlgebra", "Randomness", "Instances"]),
        .target(name: "PropertyEngine", dependencies: ["Randomness", "Statistics"]),
        .target(
            name: "PaperClaims",
            dependencies: [
                "PropertyEngine", "AttentionModels", "Instances", "LinearAlgebra", "Randomness", "Statistics", "DataFiles",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "Reports", dependencies: ["PaperClaims", "PropertyEngine", "AttentionModels", "Statistics", "LinearAlgebra", "Randomness"]),
        // Studies of the user's own data (`attention-pca study`): file readers, the study, its report.
        .target(
            name: "DataStudy",
            dependencies: ["DataFiles", "PaperClaims", "Reports", "AttentionModels", "Instances", "LinearAlgebra", "Randomness", "Statistics"]
        ),
        .executableTarget(
            name: "AttentionPCA",
            dependencies: [
                "PaperClaims", "Reports", "PropertyEngine", "DataStudy", "DataFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: ["AttentionModels", "Instances", "LinearAlgebra", "Randomness"]
        ),

        // Shared by test targets (not a product): plain-loop reference arithmetic, the built binary's runner.
        .target(name: "TestSupport", dependencies: ["LinearAlgebra"], path: "Tests/TestSupport"),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness", "Statistics"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Randomness"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "Randomness", "TestSupport"]),
        .testTarget(name: "InstancesTests", dependencies: ["Instances", "LinearAlgebra", "Randomness", "Statistics", "TestSupport"]),
        .testTarget(name: "AttentionModelsTests", dependencies: ["AttentionModels", "Instances", "LinearAlgebra", "Randomness", "Statistics"]),
        .testTarget(name: "PropertyEngineTests", dependencies: ["PropertyEngine", "Randomness", "Statistics"]),
        .testTarget(name: "PaperClaimsTests", dependencies: ["PaperClaims", "PropertyEngine", "AttentionModels", "Instances", "LinearAlgebra", "Randomness"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "PaperClaims", "PropertyEngine", "TestSupport"]),
        .testTarget(name: "DataFilesTests", dependencies: ["DataFiles", "LinearAlgebra"]),
        .testTarget(name: "DataStudyTests", dependencies: ["DataStudy", "DataFiles", "Instances", "LinearAlgebra", "Randomness", "Statistics", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
