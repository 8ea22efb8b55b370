import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `sampling-trend` (the harness's own sharpening of claim 2's "up to sampling effects": the
/// misalignment shrinks as the sample budget grows, at the rate derived in docs/MATHEMATICS.md §7.4):
/// on the same instance, SGD with `growth` times the prompts per step ends less
/// misaligned with u_1, by the factor the stationary spread predicts. Paired per instance, the
/// outcome is whether the smaller budget's mean late misalignment is at least sqrt(growth) times
/// the larger one's (the geometric midpoint between no trend, ratio 1, and the predicted ratio
/// `growth`); a rate test decides, so the verdict carries alpha and beta. A wrong model whose
/// misalignment is a bias (data from another direction, no gap) has ratio about 1 on nearly every
/// instance, so it fails decisively rather than by the luck of a coin-flip "smaller" outcome. (The same test with `growth` times longer prompts instead was measured and is not a
/// claim: see README, "What the harness found".)
struct SamplingTrend: PaperClaim {
    static let id = "sampling-trend"

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let growth = try entry.method.integer("growth", atLeast: 2)
        let schedule = try SGDSchedule(entry)
        let (claim, errors) = try entry.statisticalDecision()
        let generator = try PromptInstance.generator(entry, sabotage: sabotage, minimumLength: 2, startNorm: PromptInstance.infinitePromptScale)
        return StatisticalProperty(id, generator: generator, claim: claim, errors: errors, budget: entry.budget) { instance, log in
            let s = instance.covariance.covariance
            let lam = instance.lam
            let curvatures = try InfinitePromptSoftmaxRisk(covariance: s, lam: lam).curvaturesAtMinimum
            let largest = curvatures.max()!, smallest = curvatures.min()!
            let data = sabotage == .rotatedData ? try s.rotatingTopPair(by: .pi / 6) : s
            let layer = try AttentionLayer(kind: .softmax, lam: lam)
            let start = instance.start
            let u1 = s.topDirection(under: sabotage)
            func lateMisalignment(units: Int, length: Int, stream: RandomStream) throws -> Double {
                let test = schedule.biasTest(layer: layer, promptLength: length, largestCurvature: largest, smallestCurvature: smallest)
                let source = GaussianPromptSource(covariance: data, promptsPerUnit: schedule.promptsPerUnit)
                var mu = try StochasticGradientDescent(learningRate: test.learningRate, maximumSteps: test.burnIn, unitsPerStep: units)
                    .train(layer, on: source, promptLength: length, from: start, stream: stream.child("burn-in")).parameters
                var total = 0.0
                for k in 0..<test.batches {
                    mu = try StochasticGradientDescent(learningRate: test.learningRate, maximumSteps: test.batchLength, unitsPerStep: units)
                        .train(layer, on: source, promptLength: length, from: mu, stream: stream.child("segment").child(k)).parameters
                    total += 1 - mu.alignment(with: u1, under: sabotage)
                }
                return total / Double(test.batches)
            }
            let units = schedule.promptsPerStep / schedule.promptsPerUnit
            let stream = RandomStream(seed: instance.seed)
            let small = try lateMisalignment(units: units, length: instance.length, stream: stream.child("small"))
            let large = try lateMisalignment(units: units * growth, length: instance.length, stream: stream.child("large"))
            log.feature("misalignment, small budget", small)
            log.feature("misalignment, large budget", large)
            let ratio = small / max(large, .leastNormalMagnitude)
            log.feature("ratio small / large", ratio)
            return ratio >= Double(growth).squareRoot()
        }
    }
}
