import AttentionModels
import Instances
import LinearAlgebra
import Randomness
import Testing

/// Each closed form against its Monte Carlo expectation, with a z-test at false-alarm rate
/// 1e-4 (skew-corrected, see MeanTest), and a wrong model that the same test must reject.
/// Seeds are fixed, so the suite is deterministic; at a fresh seed each check would fail with
/// probability about 1e-4 when the formula is right.
@Suite("Closed-form risks against Monte Carlo")
struct MonteCarloTests {
    /// Per-prompt losses of `layer` at `mu` on `count` fresh prompts of `length` tokens.
    static func losses(_ layer: AttentionLayer, covariance: Covariance, length: Int, count: Int, mu: [Double], seed: UInt64) -> [Double] {
        let source = GaussianPromptSource(covariance: covariance, promptsPerUnit: 1000)
        let d = covariance.dimension
        var prompts = [Double](repeating: 0, count: 1000 * length * d)
        var scratch = [Double](repeating: 0, count: source.scratchCount(length: length))
        var layerScratch = [Double](repeating: 0, count: AttentionLayer.scratchCount(length: length, dimension: d))
        var gradient = [Double](repeating: 0, count: d)
        var result = [Double]()
        let root = RandomStream(seed: seed)
        for unit in 0..<(count / 1000) {
            var stream = root.child(unit)
            prompts.withUnsafeMutableBufferPointer { p in
                scratch.withUnsafeMutableBufferPointer { s in source.fillUnit(p, length: length, stream: &stream, scratch: s) }
            }
            for k in 0..<1000 {
                let loss = prompts.withUnsafeBufferPointer { p in
                    layerScratch.withUnsafeMutableBufferPointer { s in
                        gradient.withUnsafeMutableBufferPointer { g in
                            layer.lossAndGradient(prompts: p.baseAddress! + k * length, count: 1, length: length, dimension: d,
                                                  coordinateStride: 1000 * length, mu: mu, gradient: g.baseAddress!, scratch: s.baseAddress!)
                        }
                    }
                }
                result.append(loss)
            }
        }
        return result
    }

    static func instance(seed: UInt64) -> (Covariance, [Double]) {
        var stream = RandomStream(seed: seed)
        let s = Fixture.paperCovariance(dimension: 5, stream: &stream)
        return (s, stream.unitVector(dimension: 5))
    }

    @Test("R_lin,L equals the mean linear-attention loss", arguments: [2, 6, 20])
    func linearRiskMatchesMonteCarlo(length: Int) throws {
        let (s, direction) = Self.instance(seed: UInt64(length))
        let lam = 0.01
        let risk = try LinearAttentionRisk(covariance: s, lam: lam, promptLength: length)
        let mu = direction.scaled(by: risk.minimiser.norm)
        let layer = try AttentionLayer(kind: .linear, lam: lam)
        let test = MeanTest(draws: Self.losses(layer, covariance: s, length: length, count: 200_000, mu: mu, seed: 7), expected: risk.value(at: mu))
        #expect(test.accepts, "\(test)")
    }

    @Test("negative controls: averaged linear attention, and R_lin with L+1 for L, are rejected")
    func linearWrongModelsRejected() throws {
        let (s, direction) = Self.instance(seed: 6)
        let lam = 0.01, length = 6
        let risk = try LinearAttentionRisk(covariance: s, lam: lam, promptLength: length)
        let mu = direction.scaled(by: risk.minimiser.norm)
        let averaged = try AttentionLayer(kind: .linear, lam: lam, linearAggregation: .mean)
        let test = MeanTest(draws: Self.losses(averaged, covariance: s, length: length, count: 200_000, mu: mu, seed: 7), expected: risk.value(at: mu))
        #expect(!test.accepts, "the averaged layer must be rejected: \(test)")
        // R_lin with L+1 for L, at L = 2 where the shift matters most: the control must be
        // decisive by design, not by the luck of a seed. Its expected z is the formulas' gap
        // over the standard error, |R_2 - R_3| / SE; required >= bound + 4, so the control is
        // rejected with probability > 1 - Phi(-4) = 0.99997 at any seed. At 4e5 draws it is 8.5
        // (6.0 at 2e5; at L = 6 it was only about 3.5 at 2e5: a coin flip, which a new stream lost).
        let short = 2
        let right = try AttentionLayer(kind: .linear, lam: lam)
        let rightRisk = try LinearAttentionRisk(covariance: s, lam: lam, promptLength: short)
        let shifted = try LinearAttentionRisk(covariance: s, lam: lam, promptLength: short + 1)
        let shortMu = direction.scaled(by: rightRisk.minimiser.norm)
        let wrongFormula = MeanTest(draws: Self.losses(right, covariance: s, length: short, count: 400_000, mu: shortMu, seed: 7),
                                    expected: shifted.value(at: shortMu))
        let designZ = abs(rightRisk.value(at: shortMu) - shifted.value(at: shortMu)) / wrongFormula.standardError
        #expect(designZ >= wrongFormula.bound + 4, "the control's expected z is only \(designZ)")
        #expect(!wrongFormula.accepts, "R_lin with L+1 must be rejected: \(wrongFormula)")
    }

    /// Draws S = Z^T Z, Z n x d with rows N(0, V), and returns R_inf(mu; S) for each draw.
    static func wishartAveragedRisks(_ risk: InContextRisk, mu: [Double], draws: Int, normalise: Bool, seed: UInt64) throws -> [Double] {
        let d = risk.dimension, n = risk.degreesOfFreedom
        let chol = risk.scale.cholesky
        var stream = RandomStream(seed: seed)
        return try (0..<draws).map { _ in
            let g = Matrix(rows: n, columns: d, elements: stream.normals(n * d))
            let z = g * chol.transposed
            var s = (z.transposed * z).symmetrised
            if normalise { s = (1 / Double(n)) * s }
            let covariance = try Covariance(s)
            return try InfinitePromptSoftmaxRisk(covariance: covariance, lam: risk.lam).value(at: mu)
        }
    }

    @Test("R_ICL equals the Wishart average of R_inf(mu; S), S ~ W_d(n, V)", arguments: [(5, 10), (3, 40), (8, 8)])
    func inContextRiskMatchesMonteCarlo(d: Int, n: Int) throws {
        var stream = RandomStream(seed: UInt64(d * 100 + n))
        let v = stream.unitVector(dimension: d)
        let risk = try InContextRisk(spike: v, xi: 1, theta: 2, degreesOfFreedom: n, lam: 1e-3)
        // A point off the optimum, mixing v and a random direction, so every term matters.
        let mu = v.adding(stream.unitVector(dimension: d)).normalised.scaled(by: risk.optimalSquaredNorm.squareRoot())
        let test = MeanTest(draws: try Self.wishartAveragedRisks(risk, mu: mu, draws: 40_000, normalise: false, seed: 11), expected: risk.value(at: mu))
        #expect(test.accepts, "\(test)")
    }

    @Test("negative control: a Wishart normalised by n is rejected")
    func normalisedWishartRejected() throws {
        var stream = RandomStream(seed: 510)
        let v = stream.unitVector(dimension: 5)
        let risk = try InContextRisk(spike: v, xi: 1, theta: 2, degreesOfFreedom: 10, lam: 1e-3)
        let mu = risk.minimiser
        let test = MeanTest(draws: try Self.wishartAveragedRisks(risk, mu: mu, draws: 40_000, normalise: true, seed: 11), expected: risk.value(at: mu))
        #expect(!test.accepts, "\(test)")
    }
}

import Foundation
