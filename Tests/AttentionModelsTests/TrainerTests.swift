import AttentionModels
import Instances
import LinearAlgebra
import Randomness
import Synchronization
import Testing

/// The trainers: batch gradients against finite differences, convergence, divergence
/// diagnosis, and bit-identical SGD results for any worker count.
@Suite("Trainers and the batch gradient")
struct TrainerTests {
    /// The mean batch loss of `layer` at mu on fixed prompts (coordinate-major), and its
    /// analytic gradient.
    static func batchLoss(_ layer: AttentionLayer, prompts: [Double], count: Int, length: Int, d: Int, mu: [Double]) -> (Double, [Double]) {
        var gradient = [Double](repeating: 0, count: d)
        var scratch = [Double](repeating: 0, count: AttentionLayer.scratchCount(length: length, dimension: d))
        let loss = prompts.withUnsafeBufferPointer { p in
            scratch.withUnsafeMutableBufferPointer { s in
                gradient.withUnsafeMutableBufferPointer { g in
                    layer.lossAndGradient(prompts: p.baseAddress!, count: count, length: length, dimension: d, mu: mu,
                                          gradient: g.baseAddress!, scratch: s.baseAddress!)
                }
            }
        }
        return (loss / Double(count), gradient.scaled(by: 1 / Double(count)))
    }

    @Test("the batch gradient equals finite differences of the batch loss, for every layer variant",
          arguments: [AttentionLayer.Kind.softmax, .linear], [true, false])
    func batchGradientMatchesFiniteDifferences(kind: AttentionLayer.Kind, includeQuery: Bool) throws {
        var stream = RandomStream(seed: 21)
        let d = 4, length = 7, count = 5
        let s = Fixture.paperCovariance(dimension: d, stream: &stream)
        // Tokens L g, stored coordinate-major as the layer expects.
        var tokens = [Double](repeating: 0, count: count * length * d)
        for k in 0..<(count * length) {
            let x = s.cholesky.multiplied(by: stream.normals(d))
            for j in 0..<d { tokens[j * count * length + k] = x[j] }
        }
        let mean = kind == .linear ? AttentionLayer.LinearAggregation.mean : .sum
        for aggregation in [AttentionLayer.LinearAggregation.sum, mean] {
            let layer = try AttentionLayer(kind: kind, lam: 0.3, keysIncludeQuery: includeQuery, linearAggregation: aggregation)
            let mu = stream.normals(d).scaled(by: 0.5)
            let (loss, analytic) = Self.batchLoss(layer, prompts: tokens, count: count, length: length, d: d, mu: mu)
            let h = 1e-3
            let numeric = FiniteDifference.gradient({ Self.batchLoss(layer, prompts: tokens, count: count, length: length, d: d, mu: $0).0 }, at: mu, step: h)
            // The loss is smooth but not polynomial (softmax): Richardson leaves an O(h^4) term,
            // here ~1e-12 x the fifth derivative, plus rounding 3 eps' |loss| / h with eps' =
            // (L d + 20) eps for the sums. Together far below 1e-7 x (|grad| + |loss|), which
            // is the tolerance; a wrong term is an O(1) relative error.
            let tolerance = 1e-7 * (analytic.norm + loss)
            #expect(analytic.subtracting(numeric).norm <= tolerance, "\(kind) query-in-keys \(includeQuery) \(aggregation)")
        }
    }

    @Test("GD on R_inf with the Hessian step rule converges to +- u_1/sqrt(lam s_1) with risk tr S - s_1", arguments: 0..<5)
    func gradientDescentConverges(seed: UInt64) throws {
        var stream = RandomStream(seed: 700 + seed)
        let d = 3 + stream.integer(below: 20)
        let s = Fixture.paperCovariance(dimension: d, stream: &stream)
        let risk = try InfinitePromptSoftmaxRisk(covariance: s, lam: 0.01)
        let start = stream.unitVector(dimension: d)
        let delta = 1e-6 * risk.minimiser.norm
        let curvature = StepSizeRule.curvatureRange(of: risk)
        let gd = try GradientDescent(stepSize: StepSizeRule.stable(for: risk, from: start), maximumSteps: 2_000_000,
                                     gradientTolerance: delta * curvature.smallest)
        let result = gd.minimise(risk, from: start)
        #expect(result.stop == .converged)
        // |mu - mu*| <= |grad| / h_min = delta (to first order; factor 2 for the second-order term).
        let distance = min(result.parameters.subtracting(risk.minimiser).norm, result.parameters.adding(risk.minimiser).norm)
        #expect(distance <= 2 * delta, "distance \(distance) > 2 delta = \(2 * delta)")
        #expect(abs(risk.value(at: result.parameters) - (s.trace - s.eigenvalues[0])) <= curvature.largest * delta * delta + 1e-12 * s.trace)
    }

    @Test("a step above the stable bound is diagnosed as divergence, with finite parameters returned")
    func divergenceIsDiagnosed() throws {
        var stream = RandomStream(seed: 9)
        let s = Fixture.paperCovariance(dimension: 5, stream: &stream)
        let risk = try InfinitePromptSoftmaxRisk(covariance: s, lam: 0.01)
        let start = stream.unitVector(dimension: 5).scaled(by: 100)
        let gd = try GradientDescent(stepSize: 1e3 * StepSizeRule.stable(for: risk, from: start), maximumSteps: 10_000, gradientTolerance: 0)
        let result = gd.minimise(risk, from: start)
        #expect(result.stop == .diverged)
        #expect(result.parameters.isFinite)
        #expect(result.diagnosis?.contains("step size") == true)
        let budget = try GradientDescent(stepSize: StepSizeRule.stable(for: risk, from: start), maximumSteps: 3, gradientTolerance: 0)
        #expect(budget.minimise(risk, from: start).stop == .budgetExhausted, "3 steps cannot converge: the budget path must be taken")
    }

    @Test("a budget that runs out is diagnosed: oscillation above the stable bound, or still descending below it")
    func exhaustedBudgetIsDiagnosed() throws {
        var stream = RandomStream(seed: 11)
        let s = Fixture.paperCovariance(dimension: 4, stream: &stream)
        let risk = try InfinitePromptSoftmaxRisk(covariance: s, lam: 0.05)
        let bound = 2 / risk.curvatureAtMinimum
        // From the minimiser itself a step just above 2 / h_max cannot diverge fast (the start is
        // a fixed point up to rounding, and the growth per step is |1 - step h_max| = 1.4), but it
        // can never settle: the budget runs out and the diagnosis must name the step and the bound.
        let start = risk.minimiser.adding(stream.unitVector(dimension: 4).scaled(by: 1e-3 * risk.minimiser.norm))
        let oscillating = try GradientDescent(stepSize: 1.2 * bound, maximumSteps: 20, gradientTolerance: 0).minimise(risk, from: start)
        #expect(oscillating.stop == .budgetExhausted)
        #expect(oscillating.diagnosis?.contains("oscillating") == true, "\(oscillating.diagnosis ?? "no diagnosis")")
        #expect(oscillating.diagnosis?.contains("stable bound") == true)
        let short = try GradientDescent(stepSize: 0.5 * bound, maximumSteps: 3, gradientTolerance: 0).minimise(risk, from: stream.unitVector(dimension: 4))
        #expect(short.stop == .budgetExhausted)
        #expect(short.diagnosis?.contains("not converged yet") == true, "\(short.diagnosis ?? "no diagnosis")")
    }

    @Test("invalid trainer and model parameters are typed errors naming the parameter")
    func invalidParameters() throws {
        #expect(throws: ModelError.self) { try AttentionLayer(kind: .softmax, lam: -1) }
        #expect(throws: ModelError.self) { try GradientDescent(stepSize: .nan, maximumSteps: 1, gradientTolerance: 0) }
        #expect(throws: ModelError.self) { try StochasticGradientDescent(learningRate: 1e-3, maximumSteps: 1, unitsPerStep: 0) }
        do {
            _ = try AttentionLayer(kind: .linear, lam: 0)
        } catch {
            #expect(error.description.contains("lam"))
        }
    }

    @Test("SGD gives bit-identical parameters with 1 and 2 workers (softmax and in-context sources)")
    func sgdIsDeterministicAcrossWorkerCounts() throws {
        var stream = RandomStream(seed: 31)
        let s = Fixture.paperCovariance(dimension: 5, stream: &stream)
        let layer = try AttentionLayer(kind: .softmax, lam: 0.1)
        let start = stream.normals(5).scaled(by: 0.1)
        let gaussian = GaussianPromptSource(covariance: s, promptsPerUnit: 8)
        let v = stream.unitVector(dimension: 5)
        let icl = try InContextRisk(spike: v, xi: 1, theta: 2, degreesOfFreedom: 10, lam: 1e-3)
        let wishart = WishartPromptSource(scale: icl.scale, degreesOfFreedom: 10, promptsPerCovariance: 4)
        func run(_ workers: Int, _ source: some PromptSource) throws -> TrainingResult {
            let sgd = try StochasticGradientDescent(learningRate: 1e-3, maximumSteps: 50, unitsPerStep: 6, workers: workers, window: 10, recordEvery: 10)
            return sgd.train(layer, on: source, promptLength: 20, from: start, stream: RandomStream(seed: 77))
        }
        let one = try run(1, gaussian), two = try run(2, gaussian)
        #expect(one.parameters.map(\.bitPattern) == two.parameters.map(\.bitPattern))
        #expect(one == two)
        #expect(one.parameters != start, "training must move the parameters")
        let oneICL = try run(1, wishart), twoICL = try run(2, wishart)
        #expect(oneICL.parameters.map(\.bitPattern) == twoICL.parameters.map(\.bitPattern))
        let otherSeed = try StochasticGradientDescent(learningRate: 1e-3, maximumSteps: 50, unitsPerStep: 6, workers: 2)
            .train(layer, on: gaussian, promptLength: 20, from: start, stream: RandomStream(seed: 78))
        #expect(otherSeed.parameters != one.parameters, "a different seed must give different draws")
    }

    @Test("shouldStop ends GD and SGD before the step it refuses, with the iterates of an unstopped run up to there")
    func shouldStopEndsARunBetweenSteps() throws {
        var stream = RandomStream(seed: 53)
        let s = Fixture.paperCovariance(dimension: 4, stream: &stream)
        let start = stream.unitVector(dimension: 4)
        let risk = try InfinitePromptSoftmaxRisk(covariance: s, lam: 0.01)
        // Allows `steps` steps: asked once before each step, it says stop at the (steps + 1)-th question.
        func stopping(after steps: Int) -> @Sendable () -> Bool {
            let asked = Mutex(0)
            return { asked.withLock { n in n += 1; return n > steps } }
        }
        var gd = try GradientDescent(stepSize: 1e-3, maximumSteps: 100, gradientTolerance: 0)
        let reference = try GradientDescent(stepSize: 1e-3, maximumSteps: 7, gradientTolerance: 0).minimise(risk, from: start)
        gd.shouldStop = stopping(after: 7)
        let stopped = gd.minimise(risk, from: start)
        #expect(stopped.stop == .stopped && stopped.steps == 7)
        #expect(stopped.parameters.map(\.bitPattern) == reference.parameters.map(\.bitPattern))

        let layer = try AttentionLayer(kind: .softmax, lam: 0.1)
        let source = GaussianPromptSource(covariance: s, promptsPerUnit: 8)
        func sgd(_ steps: Int) throws -> StochasticGradientDescent {
            try StochasticGradientDescent(learningRate: 1e-3, maximumSteps: steps, unitsPerStep: 2, workers: 2)
        }
        let sgdReference = try sgd(5).train(layer, on: source, promptLength: 20, from: start, stream: RandomStream(seed: 9))
        var interrupted = try sgd(100)
        interrupted.shouldStop = stopping(after: 5)
        let sgdStopped = interrupted.train(layer, on: source, promptLength: 20, from: start, stream: RandomStream(seed: 9))
        #expect(sgdStopped.stop == .stopped && sgdStopped.steps == 5)
        #expect(sgdStopped.parameters.map(\.bitPattern) == sgdReference.parameters.map(\.bitPattern))
    }

    @Test("SGD learns u_1 on finite softmax prompts and stops on its window criterion")
    func sgdLearnsTopDirection() throws {
        var stream = RandomStream(seed: 41)
        let s = Fixture.covariance(eigenvalues: [4, 1, 0.8, 0.5, 0.2], stream: &stream)
        let lam = 0.1
        let layer = try AttentionLayer(kind: .softmax, lam: lam)
        let start = stream.unitVector(dimension: 5).scaled(by: 0.5)
        let sgd = try StochasticGradientDescent(learningRate: 0.02, maximumSteps: 20_000, unitsPerStep: 4, workers: 2,
                                                window: 200, relativeTolerance: 0.02)
        let result = sgd.train(layer, on: GaussianPromptSource(covariance: s, promptsPerUnit: 16), promptLength: 50,
                               from: start, stream: RandomStream(seed: 5))
        #expect(result.stop == .converged)
        // Not a tolerance on the claim (that is the claims' job): a sanity floor far from the
        // 1/sqrt(5) alignment of a random direction.
        #expect(result.averagedParameters.alignment(with: s.topEigenvector) > 0.95, "alignment \(result.averagedParameters.alignment(with: s.topEigenvector))")
    }
}
