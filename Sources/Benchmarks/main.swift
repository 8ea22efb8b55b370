import Foundation
import LinearAlgebra

// harness-bench: speed of the numerical core, in release builds only (debug builds are
// 10-100x slower and say nothing about the product). Figures are ratios within one run.
// Run: scripts/with-blas swift run -c release harness-bench [core | training]
// (no argument runs both).
let selection = CommandLine.arguments.dropFirst().first
guard selection == nil || selection == "core" || selection == "training" else {
    print("usage: harness-bench [core | training]")
    exit(2)
}
print("OpenBLAS kernel: \(BLASRuntime.coreName); config: \(BLASRuntime.configuration)")
if selection != "training" { runCoreBenchmarks() }
if selection != "core" { try runTrainingBenchmarks() }
