import LinearAlgebra

// harness-bench: speed of the numerical core, in release builds only.
// Run: scripts/with-blas swift run -c release harness-bench
print("OpenBLAS kernel: \(BLASRuntime.coreName); config: \(BLASRuntime.configuration)")
try probeUnit()
try runTrainingBenchmarks()
