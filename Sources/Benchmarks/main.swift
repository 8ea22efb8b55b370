import Foundation
import LinearAlgebra

// harness-bench: speed of the numerical core, in release builds only (debug builds are
// 10-100x slower and say nothing about the product). Figures are ratios within one run.
// Run: scripts/with-blas swift run -c release harness-bench [core | training | kernel]
// (no argument runs all three), or
// harness-bench protocol fig3a|fig7a [--runs N] [--steps N] [--workers N] [--seed N]: one
// figure's SGD exactly at its published protocol, timed as a whole process by
// scripts/bench-vs-jax (ProtocolBenchmark.swift).
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: harness-bench [core | training | kernel] | harness-bench protocol fig3a|fig7a [--runs N] [--steps N] [--workers N] [--seed N]"
if arguments.first == "protocol" {
    do {
        try ProtocolBenchmark(arguments: Array(arguments.dropFirst())).run()
    } catch let error as UsageError {
        FileHandle.standardError.write(Data("harness-bench: \(error.message)\n\(usage)\n".utf8))
        exit(2)
    } catch {
        FileHandle.standardError.write(Data("harness-bench protocol: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
let selection = arguments.first
guard arguments.count <= 1, selection == nil || ["core", "training", "kernel"].contains(selection!) else {
    print(usage)
    exit(2)
}
print("OpenBLAS kernel: \(BLASRuntime.coreName); config: \(BLASRuntime.configuration)")
if selection != "training" { runCoreBenchmarks() }
if selection == nil || selection == "training" { try runTrainingBenchmarks() }
if selection == nil || selection == "kernel" { try runKernelBatchingBenchmarks() }
