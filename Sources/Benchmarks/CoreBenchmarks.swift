import Foundation
import Instances
import LinearAlgebra
import Randomness

/// Benchmarks of the numerical core, printed one line per figure: normal sampling (the vectorised
/// ziggurat against the previous scalar one and Box–Muller in the same run), the dgemm of prompt sampling, Wishart draws, and the
/// OpenBLAS kernel in use. Each figure is the median of several timed repetitions
/// (`ContinuousClock`), after one untimed warm-up. Meant for a release build run through
/// `scripts/with-blas` (single-threaded OpenBLAS, the right kernel).
func runCoreBenchmarks() {
    print("core benchmarks (median of \(CoreBenchmark.repetitions) repetitions)")
    print("  OpenBLAS core: \(BLASRuntime.coreName) (requested: \(BLASRuntime.requestedCoreType ?? "none"))")
    CoreBenchmark.normals()
    CoreBenchmark.promptGemm()
    CoreBenchmark.wishart()
}

/// The individual benchmarks and their timing helpers.
private enum CoreBenchmark {
    static let repetitions = 9

    /// Median wall time in seconds of `body` over `repetitions` runs, after one warm-up run.
    static func medianSeconds(_ body: () -> Void) -> Double { Benchmarks.medianSeconds(repetitions: repetitions, body) }

    /// The vectorised generator (`NormalSampler.fill`, best instruction set and baseline build)
    /// against the previous scalar ziggurat (`ScalarZiggurat`) and Box–Muller with libm, all
    /// filling a preallocated buffer of 2^16 values (L2-resident). Ratios are medians of 101
    /// paired runs: each run is short (about 0.1 ms), so on a shared machine most pairs are not
    /// preempted and the median ratio is that of undisturbed runs.
    static func normals() {
        let count = 1 << 16
        let repetitions = 101
        var buffer = [Double](repeating: 0, count: count)
        var checksum = 0.0
        let best = NormalSampler.InstructionSet.best
        func vectorised(_ set: NormalSampler.InstructionSet) -> (Int) -> Void {
            { t in
                var stream = RandomStream(seed: UInt64(t))
                buffer.withUnsafeMutableBufferPointer { NormalSampler.fill($0, from: &stream, instructionSet: set) }
                checksum += buffer[count - 1]
            }
        }
        let scalar: (Int) -> Void = { t in
            var stream = RandomStream(seed: UInt64(t))
            buffer.withUnsafeMutableBufferPointer { ScalarZiggurat.fill($0, from: &stream) }
            checksum += buffer[count - 1]
        }
        let boxMuller: (Int) -> Void = { t in
            var stream = RandomStream(seed: UInt64(t))
            buffer.withUnsafeMutableBufferPointer { boxMullerFill($0, from: &stream) }
            checksum += buffer[count - 1]
        }
        let perValue = { (d: Duration) in seconds(d) / Double(count) * 1e9 }
        let old = pairedTimings(repetitions: repetitions, scalar, vectorised(best))
        print(String(format: "  normals: vectorised ziggurat (%@) %.2f ns each (%.0f M/s); previous scalar ziggurat %.2f ns each; "
                     + "ratio previous / vectorised = %.2f (median of pairs), %.2f (fastest runs)", best.description,
                     perValue(old.second), 1e3 / perValue(old.second), perValue(old.first), old.ratio, old.fastestRatio))
        for set in NormalSampler.InstructionSet.available where set != best {
            let other = pairedTimings(repetitions: repetitions, vectorised(set), vectorised(best))
            print(String(format: "  normals: %@ build %.2f ns each; ratio %@ / %@ = %.2f (median of pairs), %.2f (fastest runs)",
                         set.description, perValue(other.first), set.description, best.description, other.ratio, other.fastestRatio))
        }
        let bm = pairedTimings(repetitions: repetitions, boxMuller, vectorised(best))
        print(String(format: "  normals: Box-Muller with libm %.2f ns each; ratio Box-Muller / vectorised = %.2f (median of pairs), %.2f (fastest runs)",
                     perValue(bm.first), bm.ratio, bm.fastestRatio))
        if !checksum.isFinite { print("  (checksum \(checksum))") }
    }

    /// Box–Muller, the baseline: two normals from two uniforms with a log, a square root, a
    /// cosine and a sine. Written like `ScalarZiggurat.fill` (a local copy of the stream, raw
    /// pointer writes) so the comparison is of the methods, not of the code around them.
    @inline(never)
    static func boxMullerFill(_ buffer: UnsafeMutableBufferPointer<Double>, from stream: inout RandomStream) {
        guard let out = buffer.baseAddress else { return }
        var local = stream
        var i = 0
        while i + 1 < buffer.count {
            let radius = (-2 * log(local.openUniform())).squareRoot()
            let angle = 2 * Double.pi * local.uniform()
            out[i] = radius * cos(angle)
            out[i + 1] = radius * sin(angle)
            i += 2
        }
        if i < buffer.count { out[i] = (-2 * log(local.openUniform())).squareRoot() * cos(2 * Double.pi * local.uniform()) }
        stream = local
    }

    /// X = G L^T for a batch of prompts: (25600 x 5) times (5 x 5), i.e. 256 prompts of 100
    /// tokens in d = 5.
    static func promptGemm() {
        let (m, n, k) = (25_600, 5, 5)
        var stream = RandomStream(seed: 2)
        let a = stream.normals(m * k)
        let b = stream.normals(k * n)
        var c = [Double](repeating: 0, count: m * n)
        let callsPerRepetition = 200
        let seconds = medianSeconds {
            a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in c.withUnsafeMutableBufferPointer { pc in
                for _ in 0..<callsPerRepetition {
                    BLAS.gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                              c: pc.baseAddress!, ldc: n)
                }
            } } }
        }
        let perCall = seconds / Double(callsPerRepetition)
        print(String(format: "  dgemm 25600x5 * 5x5: %.1f us per call, %.0f calls/s, %.2f GFLOP/s",
                     perCall * 1e6, 1 / perCall, 2 * Double(m * n * k) / perCall / 1e9))
    }

    /// Unnormalised Wishart draws W_5(10, V) with the ICL protocol's V (xi = 1, theta = 2),
    /// allocation-free (`draw(into:using:)`).
    static func wishart() {
        var stream = RandomStream(seed: 3)
        guard let model = try? SpikedModel.withRandomSpike(dimension: 5, noiseLevel: 1, spikeStrength: 2, using: &stream),
              var sampler = try? model.wishartSampler(degreesOfFreedom: 10) else {
            print("  wishart: could not build the sampler")
            return
        }
        var result = Matrix(rows: 5, columns: 5)
        let drawsPerRepetition = 100_000
        var checksum = 0.0
        let seconds = medianSeconds {
            for _ in 0..<drawsPerRepetition {
                sampler.draw(into: &result, using: &stream)
                checksum += result[0, 0]
            }
        }
        let perDraw = seconds / Double(drawsPerRepetition)
        print(String(format: "  Wishart W_5(10, V) draw into a buffer: %.0f ns per draw, %.2f M draws/s",
                     perDraw * 1e9, 1e-6 / perDraw))
        if !checksum.isFinite { print("  (checksum \(checksum))") }
    }
}
