import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// Claim `linear-sgd` (claim 3 of docs/MATHEMATICS.md §8, Fig. 4a; §7.1): SGD on finite prompts with linear attention
/// reaches the closed-form minimiser +- sqrt(s_1*) u_1 up to sampling effects. Here the
/// sampling effect is predicted from the model: the stationary covariance C of linearised SGD
/// (`StationarySpread`, from the exact Hessian and the measured gradient noise at the minimiser),
/// and the statistic is |mu - mu*|^2 / tr C at well-separated late iterates.
struct LinearSGD: PaperClaim {
    static let id = "linear-sgd"

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let schedule = try SGDSchedule(entry)
        let noiseSamples = try entry.method.integer("noise-samples", atLeast: 100)
        let (claim, errors) = try entry.statisticalDecision()
        let cap = claim.bounds?.upperBound ?? 4
        let generator = try PromptInstance.generator(entry, sabotage: sabotage) { s, lam, length in
            try LinearAttentionRisk(covariance: s, lam: lam, promptLength: length).criticalSquaredNorm(direction: 0).squareRoot()
        }
        return StatisticalProperty(id, generator: generator, claim: claim, errors: errors, budget: entry.budget) { instance, log in
            let s = instance.covariance.covariance
            let risk = try LinearAttentionRisk(covariance: s, lam: instance.lam, promptLength: instance.length)
            let target = s.topDirection(under: sabotage).scaled(by: risk.criticalSquaredNorm(direction: 0).squareRoot())
            let hessian = risk.hessian(at: target)
            let curvature = try hessian.symmetricEigendecomposition().values
            let correctLayer = try AttentionLayer(kind: .linear, lam: instance.lam)
            let source = GaussianPromptSource(covariance: s, promptsPerUnit: schedule.promptsPerUnit)
            let stream = RandomStream(seed: instance.seed)
            // Gradient noise of one prompt at the minimiser, under the correct model.
            let noise = PromptSampling.gradientCovariance(PromptSampling.lossesAndGradients(
                correctLayer, source: source, length: instance.length, mu: target, count: noiseSamples, stream: stream.child("noise")))
            let test = schedule.biasTest(layer: correctLayer, promptLength: instance.length, largestCurvature: curvature.first!,
                                         smallestCurvature: curvature.last!)
            let spread = try StationarySpread.covariance(hessian: hessian, noise: noise, batch: schedule.promptsPerStep, step: test.learningRate)
            // No strict minimiser (no spectral gap): the claim's sampling prediction does not exist.
            guard spread.trace.isFinite, spread.trace > 0, curvature.last! > 0 else {
                log.event("minimiser not strict: no finite predicted spread")
                return cap
            }
            // What SGD actually trains (the model, or a deliberately wrong one).
            var layer = correctLayer
            var length = instance.length
            switch sabotage {
            case .linearAveraged?: layer = try AttentionLayer(kind: .linear, lam: instance.lam, linearAggregation: .mean)
            case .queryOutOfKeys?: layer = try AttentionLayer(kind: .linear, lam: instance.lam, keysIncludeQuery: false)
            case .promptLengthOffByOne?: length += 1
            default: break
            }
            // The burn-in, then `batches` late iterates two relaxation times apart, each as
            // min |mu -+ mu*|^2 / tr C capped at `cap`.
            func statistic(training: some PromptSource, log: inout TrialLog) throws -> Double {
                let sgd = try StochasticGradientDescent(learningRate: test.learningRate, maximumSteps: test.burnIn,
                                                        unitsPerStep: schedule.promptsPerStep / schedule.promptsPerUnit)
                var mu = sgd.train(layer, on: training, promptLength: length, from: instance.start, stream: stream.child("burn-in")).parameters
                var ratios = [Double]()
                for k in 0..<test.batches {
                    let segment = try StochasticGradientDescent(learningRate: test.learningRate, maximumSteps: test.batchLength,
                                                                unitsPerStep: schedule.promptsPerStep / schedule.promptsPerUnit)
                    let result = segment.train(layer, on: training, promptLength: length, from: mu, stream: stream.child("segment").child(k))
                    mu = result.parameters
                    guard result.stop != .diverged, mu.isFinite else { log.event("diverged"); return cap }
                    let distance = min(mu.subtracting(target).squaredNorm, mu.adding(target).squaredNorm)
                    ratios.append(min(distance / spread.trace, cap))
                }
                log.feature("SGD steps", Double(test.burnIn + test.batchLength * test.batches))
                log.feature("predicted relative spread sqrt(tr C) / |mu*|", spread.trace.squareRoot() / target.norm)
                log.feature("alignment", mu.alignment(with: target))
                return ratios.reduce(0, +) / Double(ratios.count)
            }
            // Fresh prompts every step (stream.child(t).child(u)), or under the control one fixed stream's.
            if sabotage == .streamReusedAcrossSteps {
                return try statistic(training: ReusedStreamPromptSource(base: source, fixed: stream.child("reused")), log: &log)
            }
            return try statistic(training: source, log: &log)
        }
    }
}
