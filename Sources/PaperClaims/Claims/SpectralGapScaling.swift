import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `gap-scaling` (docs/MATHEMATICS.md §6.3, "convergence time grows like 1/gap"; §10: report
/// how convergence degrades as the gap shrinks instead of drawing easy instances only): on flat
/// spectra s = (1 + g, 1, ..., 1) in one eigenbasis, GD on R_inf from the same start needs
/// about `ratio` times more iterations at gap g / ratio than at gap g.
struct SpectralGapScaling: PaperClaim {
    static let id = "gap-scaling"

    struct Instance: Sendable, CustomStringConvertible {
        let dimension: Int
        let gap: Double
        let lam: Double
        let basisSeed: UInt64
        let startSeed: UInt64
        var description: String { "d = \(dimension), flat spectrum with top gap g = \(String(format: "%.4g", gap)), lam = \(String(format: "%.4g", lam))" }
    }

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let dimensions = try entry.instances.dimensionRange(atLeast: 2)
        let gaps = try entry.instances.range("gap", positive: true)
        let lams = try entry.instances.range("lam", positive: true)
        let ratio = try entry.method.positive("gap-ratio")
        let delta = try entry.method.positive("relative-distance")
        let maxSteps = try entry.method.integer("max-steps", atLeast: 1)
        let safety = try entry.method.positive("step-safety")
        let band = try entry.tolerance.positive("exponent-band")
        let parameters = Gen.zip(Gen.integers(in: dimensions).observed(as: "d"),
                                 Gen.logUniform(in: gaps, shrinkingToward: .upperBound).observed(as: "gap"),
                                 Gen.logUniform(in: lams).observed(as: "lam"))
        let generator = Gen.lifting(parameters: parameters) { stream, p in
            Instance(dimension: p.0, gap: p.1, lam: p.2, basisSeed: stream.next(), startSeed: stream.next())
        }
        return UniversalProperty(id, generator: generator, budget: entry.budget) { instance, log in
            var basisStream = RandomStream(seed: instance.basisSeed)
            let basis = try HaarOrthogonal.draw(dimension: instance.dimension, using: &basisStream)
            var startStream = RandomStream(seed: instance.startSeed)
            let direction = startStream.unitVector(dimension: instance.dimension)
            func iterations(gap: Double) throws -> (steps: Int, stop: TrainingResult.Stop, distance: Double, diagnosis: String?) {
                let values = [1 + gap] + [Double](repeating: 1, count: instance.dimension - 1)
                let s = try Covariance.withSpectrum(values, basis: basis)
                let risk = try InfinitePromptSoftmaxRisk(covariance: s, lam: instance.lam)
                let descended: any DifferentiableRisk = sabotage.map { SabotagedInfiniteRisk(base: risk, sabotage: $0) } ?? risk
                let target = 1 / (instance.lam * values[0]).squareRoot()
                // h_min = 2 lam g (across u_1; 8 lam s_1^2 along it), so the stopping rule
                // |grad| <= delta |mu*| h_min stops at the same distance for both gaps.
                let smallest = risk.curvaturesAtMinimum.min()!
                let start = direction.scaled(by: target)
                let gd = try GradientDescent(stepSize: StepSizeRule.stable(for: risk, from: start, safetyFactor: safety),
                                             maximumSteps: maxSteps, gradientTolerance: delta * target * smallest)
                let result = gd.minimise(descended, from: start)
                // Where GD ended: the stopping rule bounds the distance to +-mu* by about
                // |grad| / h_min <= delta |mu*| (quadratic model; the Hessian varies by O(delta)
                // over that ball), so 2 delta |mu*| leaves a factor 2 for the model's error.
                let minimiser = basis.column(0).scaled(by: target)
                let distance = min(result.parameters.subtracting(minimiser).norm, result.parameters.adding(minimiser).norm) / target
                return (result.steps, result.stop, distance, result.diagnosis)
            }
            let wide = try iterations(gap: instance.gap)
            let narrow = try iterations(gap: instance.gap / ratio)
            let exponent = Foundation.log(Double(max(narrow.steps, 1)) / Double(max(wide.steps, 1))) / Foundation.log(ratio)
            log.feature("iterations at gap g", Double(wide.steps))
            log.feature("iterations at gap g / ratio", Double(narrow.steps))
            log.feature("exponent", exponent)
            let why = [wide.diagnosis, narrow.diagnosis].compactMap { $0 }.first.map { ": \($0)" } ?? ""
            return Check.that(wide.stop == .converged && narrow.stop == .converged, "both runs converged\(why)")
                && Check.atMost(max(wide.distance, narrow.distance), 2 * delta, "relative distance of both end points to +-u_1 / sqrt(lam s_1)")
                && Check.close(exponent, to: 1, tolerance: band, "log(iterations ratio) / log(gap ratio) (1 = the 1/gap law)")
        }
    }
}
