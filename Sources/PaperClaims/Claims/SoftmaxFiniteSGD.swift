import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `softmax-finite-sgd` (claim 2 of docs/MATHEMATICS.md §8, Fig. 3a; §5.2, §7.3): SGD on fresh batches of finite
/// prompts settles at the finite-L minimiser +-sqrt(kappa*_L / (lam s_1)) u_1 up to sampling
/// effects. Checked as "no bias" (`DirectionBiasTest`): the averaged iterate's component
/// orthogonal to u_1, and its offset along u_1 from the minimiser, are explained by its own
/// sampling noise, the Monte Carlo error of kappa*_L and SGD's derived nonlinear bias. kappa*_L
/// comes from the one-dimensional reduction of docs/MATHEMATICS.md §5.1 (`FinitePromptMinimiser`), not from the layer
/// under test; the infinite-prompt norm 1 / sqrt(lam s_1) would be wrong here.
struct SoftmaxFiniteSGD: PaperClaim {
    static let id = "softmax-finite-sgd"

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let schedule = try SGDSchedule(entry)
        let targetSamples = try entry.method.integer("target-samples", atLeast: 1000)
        let noiseSamples = try entry.method.integer("noise-samples", atLeast: 100)
        let (claim, errors) = try entry.statisticalDecision()
        let cap = claim.bounds?.upperBound ?? 4
        let generator = try PromptInstance.generator(entry, sabotage: sabotage, minimumLength: 2, startNorm: PromptInstance.infinitePromptScale)
        return StatisticalProperty(id, generator: generator, claim: claim, errors: errors, budget: entry.budget) { instance, log in
            let s = instance.covariance.covariance
            let lam = instance.lam
            let values = s.eigenvalues
            // Curvature scales from R_inf at its minimiser (docs/MATHEMATICS.md §4.2): 8 lam s_1^2 along u_1 and
            // 2 lam s_j (s_1 - s_j) across; they set the step and the relaxation time.
            let curvatures = try InfinitePromptSoftmaxRisk(covariance: s, lam: lam).curvaturesAtMinimum
            let largest = curvatures.max()!, smallest = curvatures.min()!
            // The claim presupposes a strict minimiser (a spectral gap); without one the trial
            // counts as the capped value, as in linear-sgd.
            guard smallest > 64 * Double(values.count) * Double.ulpOfOne * largest else {
                log.event("no strict minimiser (no spectral gap)")
                return cap
            }
            let data = sabotage == .rotatedData ? try s.rotatingTopPair(by: .pi / 6) : s
            // What SGD trains: the paper's layer, or one with a wrong gradient term.
            let correctLayer = try AttentionLayer(kind: .softmax, lam: lam)
            let layer: any PromptLayer = sabotage == .softmaxGradientWrongTerm ? WrongSoftmaxGradientLayer(lam: lam) : correctLayer
            let stream = RandomStream(seed: instance.seed)
            // Where SGD must settle: kappa*_L of the reduction for the claim's S (not the data's).
            let target = FinitePromptMinimiser.gaussian(covariance: s, lam: lam, length: instance.length, samples: targetSamples,
                                                     stream: stream.child("target"))
            let test = schedule.biasTest(layer: layer, promptLength: instance.length, largestCurvature: largest, smallestCurvature: smallest)
            // SGD's predicted offset from it: per-prompt gradient noise at mu* of the claimed model
            // (the paper's layer on the claim's S), linearised SGD around the reduction's Hessian.
            let noise = PromptSampling.gradientCovariance(PromptSampling.lossesAndGradients(
                correctLayer, source: GaussianPromptSource(covariance: s, promptsPerUnit: schedule.promptsPerUnit), length: instance.length,
                mu: target.minimiser, count: noiseSamples, stream: stream.child("noise")))
            let location = try DirectionBiasTest.Location(target, noise: noise, batch: schedule.promptsPerStep, step: test.learningRate)
            let outcome = try test.run(on: GaussianPromptSource(covariance: data, promptsPerUnit: schedule.promptsPerUnit),
                                       from: instance.start, target: s.topEigenvector, location: location, stream: stream)
            log.feature("SGD steps", Double(test.burnIn + test.batchLength * test.batches))
            log.feature("alignment of the averaged iterate", outcome.alignment)
            log.feature("kappa*_L", target.scale * values[0])
            log.feature("relative MC error of |mu*|", target.normError / target.norm)
            outcome.record(in: &log, norm: target.norm, location: location, direction: "u_1")
            return min(outcome.ratio, cap)
        }
    }
}
