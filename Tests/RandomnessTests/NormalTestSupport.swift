import Foundation
import Randomness
import Statistics

/// The per-test false-fail rate at a random seed: 1e-6 (Bonferroni within a test). The six
/// statistical tests of this target give a false-fail rate below 6e-6 at a random seed; the seeds
/// are fixed, so the suite is deterministic.
let perTestAlpha = 1e-6

/// The fixed seed of the distribution tests.
let distributionSeed: UInt64 = 20_260_526

/// `count` standard normals from `NormalSampler.fill`, the hot path.
func sampledNormals(_ count: Int, seed: UInt64 = distributionSeed) -> [Double] {
    var stream = RandomStream(seed: seed).child("normals")
    var values = [Double](repeating: 0, count: count)
    NormalSampler.fill(&values, from: &stream)
    return values
}

/// Counts of |z| above each threshold over `count` draws, generated in chunks (no storage).
func tailCounts(_ count: Int, above thresholds: [Double], seed: UInt64 = distributionSeed,
                transform: (Double) -> Double = { $0 }) -> (counts: [Int], positive: [Int]) {
    var stream = RandomStream(seed: seed).child("tails")
    var chunk = [Double](repeating: 0, count: 1 << 16)
    var counts = [Int](repeating: 0, count: thresholds.count)
    var positive = [Int](repeating: 0, count: thresholds.count)
    var remaining = count
    while remaining > 0 {
        let n = min(remaining, chunk.count)
        chunk.withUnsafeMutableBufferPointer { NormalSampler.fill(UnsafeMutableBufferPointer(rebasing: $0[0..<n]), from: &stream) }
        for i in 0..<n {
            let z = transform(chunk[i])
            for (k, t) in thresholds.enumerated() where abs(z) > t {
                counts[k] += 1
                if z > 0 { positive[k] += 1 }
            }
        }
        remaining -= n
    }
    return (counts, positive)
}

/// z-scores of the sample mean, variance, skewness and excess kurtosis against N(0, 1), each
/// divided by its sampling standard error for a normal population: 1/sqrt(n), sqrt(2/n),
/// sqrt(6/n), sqrt(24/n). Under N(0, 1) each is approximately N(0, 1) for large n.
func momentZScores(_ x: [Double]) -> (mean: Double, variance: Double, skewness: Double, kurtosis: Double) {
    let n = Double(x.count)
    let mean = x.reduce(0, +) / n
    var (m2, m3, m4) = (0.0, 0.0, 0.0)
    for value in x {
        let d = value - mean
        let d2 = d * d
        m2 += d2
        m3 += d2 * d
        m4 += d2 * d2
    }
    m2 /= n; m3 /= n; m4 /= n
    let skew = m3 / pow(m2, 1.5)
    let excessKurtosis = m4 / (m2 * m2) - 3
    return (mean * n.squareRoot(), (m2 - 1) / (2 / n).squareRoot(),
            skew / (6 / n).squareRoot(), excessKurtosis / (24 / n).squareRoot())
}

/// True when the exact (Clopper–Pearson) test rejects "the success probability is p" at `alpha`:
/// p lies outside the 1 - alpha confidence interval (a test of size at most alpha).
func binomialRejects(successes: Int, trials: Int, probability p: Double, alpha: Double) throws -> Bool {
    let interval = try BinomialInterval.clopperPearson(successes: successes, trials: trials, confidence: 1 - alpha)
    return p < interval.lower || p > interval.upper
}

/// P(|Z| > t) for Z ~ N(0, 1), accurate in the tail.
func twoSidedTail(_ t: Double) -> Double { 2 * Normal.survival(t) }

/// sqrt(n) times the sample correlation of paired values: approximately N(0, 1) when they are
/// independent with finite fourth moments (n = 1e6 in the tests, so the CLT is accurate).
func correlationZ(_ a: [Double], _ b: [Double]) -> Double {
    let n = Double(a.count)
    let (ma, mb) = (a.reduce(0, +) / n, b.reduce(0, +) / n)
    var (sab, saa, sbb) = (0.0, 0.0, 0.0)
    for i in a.indices {
        let (x, y) = (a[i] - ma, b[i] - mb)
        sab += x * y; saa += x * x; sbb += y * y
    }
    return sab / (saa * sbb).squareRoot() * n.squareRoot()
}
