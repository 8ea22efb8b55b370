import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `softmax-finite-sgd` (SPEC claim 2, Fig. 3a): SGD on fresh batches of finite prompts
/// learns mu aligned with u_1 up to sampling effects. Checked as "no bias": the averaged
/// iterate's component orthogonal to u_1 is explained by its own sampling noise
/// (`DirectionBiasTest`). Only the direction is checked; the finite-L norm differs from the
/// infinite-prompt one (SPEC section 6).
struct SoftmaxFiniteSGD: PaperClaim {
    static let id = "softmax-finite-sgd"

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let schedule = try SGDSchedule(entry)
        let (claim, errors) = try entry.statisticalDecision()
        let cap = claim.bounds?.upperBound ?? 4
        let generator = try PromptInstance.generator(entry, sabotage: sabotage, minimumLength: 2, startNorm: PromptInstance.infinitePromptScale)
        return StatisticalProperty(id, generator: generator, claim: claim, errors: errors, budget: entry.budget) { instance, log in
            let s = instance.covariance.covariance
            let lam = instance.lam
            let values = s.eigenvalues
            // Curvature scales from R_inf at its minimiser (SPEC): 8 lam s_1^2 along u_1 and
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
            let layer = try AttentionLayer(kind: .softmax, lam: lam)
            let test = schedule.biasTest(layer: layer, promptLength: instance.length, largestCurvature: largest, smallestCurvature: smallest)
            let outcome = try test.run(on: GaussianPromptSource(covariance: data, promptsPerUnit: schedule.promptsPerUnit),
                                       from: instance.start, target: s.topEigenvector, stream: RandomStream(seed: instance.seed))
            log.feature("SGD steps", Double(test.burnIn + test.batchLength * test.batches))
            log.feature("alignment of the averaged iterate", outcome.alignment)
            if let failure = outcome.failure { log.event("diverged: \(failure)") }
            return min(outcome.ratio, cap)
        }
    }
}
