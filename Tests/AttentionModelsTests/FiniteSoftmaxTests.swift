import AttentionModels
import Instances
import LinearAlgebra
import Randomness
import Testing

/// The finite-L softmax reduction R_L = (b/a) P_L(kappa) + (T - b/a) Q_L(kappa) (docs/MATHEMATICS.md §5.1)
/// against direct simulation, its approach to R_inf, and kappa*_2 = 2.
@Suite("Finite-prompt softmax")
struct FiniteSoftmaxTests {
    @Test("the reduction agrees with the direct mean softmax loss", arguments: [2, 5, 30])
    func reductionMatchesDirectSimulation(length: Int) throws {
        var stream = RandomStream(seed: UInt64(300 + length))
        let s = Fixture.paperCovariance(dimension: 4, stream: &stream)
        let lam = 0.1
        let mu = stream.unitVector(dimension: 4).scaled(by: 1.3 / (lam * s.eigenvalues[0]).squareRoot())
        var reductionStream = RandomStream(seed: 1)
        let reduction = try FiniteSoftmaxReduction(promptLength: length, samples: 200_000, stream: &reductionStream)
        let (value, error) = reduction.risk(at: mu, covariance: s, lam: lam)
        let layer = try AttentionLayer(kind: .softmax, lam: lam)
        let direct = MeanTest(draws: MonteCarloTests.losses(layer, covariance: s, length: length, count: 100_000, mu: mu, seed: 2), expected: value)
        // Two independent estimates: the z statistic uses both standard errors.
        let z = (direct.mean - value) / (direct.standardError * direct.standardError + error * error).squareRoot()
        #expect(abs(z) <= direct.bound, "direct \(direct.mean) +- \(direct.standardError) vs reduction \(value) +- \(error): z = \(z)")
    }

    @Test("negative control: leaving the query out of the keys is rejected by the same comparison")
    func queryOutOfKeysRejected() throws {
        var stream = RandomStream(seed: 305)
        let s = Fixture.paperCovariance(dimension: 4, stream: &stream)
        let lam = 0.1, length = 5
        let mu = stream.unitVector(dimension: 4).scaled(by: 1.3 / (lam * s.eigenvalues[0]).squareRoot())
        var reductionStream = RandomStream(seed: 1)
        let reduction = try FiniteSoftmaxReduction(promptLength: length, samples: 200_000, stream: &reductionStream)
        let (value, error) = reduction.risk(at: mu, covariance: s, lam: lam)
        let wrong = try AttentionLayer(kind: .softmax, lam: lam, keysIncludeQuery: false)
        let direct = MeanTest(draws: MonteCarloTests.losses(wrong, covariance: s, length: length, count: 100_000, mu: mu, seed: 2), expected: value)
        let z = (direct.mean - value) / (direct.standardError * direct.standardError + error * error).squareRoot()
        #expect(abs(z) > direct.bound, "the query-free layer must be rejected: z = \(z)")
    }

    /// At the infinite-prompt optimum (kappa = 1, mu along u_1) the gap is exactly
    /// R_L - R_inf = s_1 P_L(1) - (T - s_1)(1 - Q_L(1)), so the rate lives in P_L(1) and
    /// 1 - Q_L(1), which do not depend on S.
    @Test("R_L approaches R_inf, but P_L(1) decays like L^-0.6, far slower than 1/L")
    func slowApproachToInfinitePrompt() throws {
        var estimates = [(p: Double, pError: Double, q: Double, qError: Double)]()
        for (k, length) in [16, 256].enumerated() {
            var stream = RandomStream(seed: 400).child(k)
            let reduction = try FiniteSoftmaxReduction(promptLength: length, samples: 4_000_000 / length, stream: &stream)
            let e = reduction.estimate(kappa: 1)
            estimates.append((e.p, e.varianceP.squareRoot(), 1 - e.q, e.varianceQ.squareRoot()))
        }
        let z = MeanTest.zQuantile
        let (short, long) = (estimates[0], estimates[1])
        // It converges: both terms shrink, significantly (one-sided z-tests at 1e-4, two sides
        // of the bound used for simplicity).
        #expect(short.p - long.p > z * (short.pError * short.pError + long.pError * long.pError).squareRoot())
        #expect(short.q - long.q > z * (short.qError * short.qError + long.qError * long.qError).squareRoot())
        // It is not 1/L: under a 1/L law P_256 would be P_16 / 16. Reject that at 1e-4.
        let excess = long.p - short.p / 16
        #expect(excess > z * (long.pError * long.pError + short.pError * short.pError / 256).squareRoot(),
                "P_256 = \(long.p) +- \(long.pError) vs P_16 / 16 = \(short.p / 16)")
        // And the fitted exponent is near docs/MATHEMATICS.md §5.4's -0.5 to -0.6 (log factors included): the
        // 4-sigma range of log(P_256 / P_16) / log 16 must overlap [-0.8, -0.4].
        let slope = log(long.p / short.p) / log(16.0)
        let slopeError = (pow(long.pError / long.p, 2) + pow(short.pError / short.p, 2)).squareRoot() / log(16.0)
        #expect(slope - z * slopeError <= -0.4 && slope + z * slopeError >= -0.8, "fitted exponent \(slope) +- \(slopeError)")
    }

    /// kappa*_2 = 2 for every S because P_2 and Q_2 are both stationary at kappa = 2. Check the
    /// derivative of each at 2 is zero (t-test over 40 independent batches, alpha = 1e-4), and,
    /// as the negative control, that the same test finds it nonzero at kappa = 1.6 and 2.4.
    @Test("at L = 2, P_2 and Q_2 are stationary at kappa = 2 (so kappa*_2 = 2 for every S)")
    func optimalKappaAtLengthTwo() throws {
        func derivatives(at kappa: Double) throws -> (p: [Double], q: [Double]) {
            var p = [Double](), q = [Double]()
            let delta = 0.05
            for batch in 0..<40 {
                var stream = RandomStream(seed: 500).child(batch)
                let reduction = try FiniteSoftmaxReduction(promptLength: 2, samples: 25_000, stream: &stream)
                let up = reduction.estimate(kappa: kappa + delta), down = reduction.estimate(kappa: kappa - delta)
                // Common random numbers: the difference has far less noise than either value.
                p.append((up.p - down.p) / (2 * delta))
                q.append((up.q - down.q) / (2 * delta))
            }
            return (p, q)
        }
        // Student t with 39 degrees of freedom, two-sided 1e-4: 4.5 (scipy.stats.t.isf(5e-5, 39) = 4.4897).
        let t39 = 4.4897
        func tStatistic(_ x: [Double]) -> Double {
            let n = Double(x.count)
            let mean = x.reduce(0, +) / n
            let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            return mean / (variance / n).squareRoot()
        }
        // The central difference with delta = 0.05 carries a bias of delta^2/6 f''' ~ 1e-6,
        // far below the batch noise (~1e-4), so it does not move the test.
        let atTwo = try derivatives(at: 2)
        #expect(abs(tStatistic(atTwo.p)) <= t39, "P_2'(2) t = \(tStatistic(atTwo.p))")
        #expect(abs(tStatistic(atTwo.q)) <= t39, "Q_2'(2) t = \(tStatistic(atTwo.q))")
        for kappa in [1.6, 2.4] {
            let off = try derivatives(at: kappa)
            #expect(abs(tStatistic(off.p)) > t39 && abs(tStatistic(off.q)) > t39, "kappa = \(kappa) must not look stationary")
        }
    }
}

import Foundation
