import LinearAlgebra

// harness-bench: speed of the numerical core, in release builds only (debug builds are
// 10-100x slower and say nothing about the product). Figures are ratios within one run.
// Run: scripts/with-blas swift run -c release harness-bench
print("OpenBLAS kernel: \(BLASRuntime.coreName); config: \(BLASRuntime.configuration)")
runCoreBenchmarks()
try runTrainingBenchmarks()
