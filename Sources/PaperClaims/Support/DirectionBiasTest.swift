import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import Randomness
import PropertyEngine

/// "SGD learns the target direction up to sampling effects", as a measurement: after a burn-in,
/// the SGD trajectory is cut into `batches` consecutive segments; their means (batch means,
/// each segment several relaxation times long, so nearly independent) give the averaged iterate
/// m and an estimate of its sampling covariance, Cov(m) ~ Cov(batch means) / batches. If the
/// iterate fluctuates around a point on the target line, the part of m orthogonal to the
/// target is pure sampling noise and r_perp = |P_perp m|^2 / tr(P_perp Cov(m)) has mean about 1;
/// a bias of the learned direction makes r_perp grow like (bias / noise)^2.
///
/// With a `Location` (where on the line SGD must settle, c* = |mu*| with Monte Carlo error
/// sigma_c) the test also measures the offset Delta = |<m, u>| - c* along the line and
/// r_par = max(0, |Delta - delta| - b)^2 / (Var(<m, u>) + sigma_c^2), where delta is SGD's predicted
/// nonlinear bias and b = |delta| / 2 the allowance for that prediction's error (below); the
/// ratio is then r = (r_perp + r_par) / 2, mean about 1 with no bias in either.
///
/// SGD's nonlinear bias (derived for this project, docs/MATHEMATICS.md §7.3): at stationarity E[grad R(mu)] = 0 exactly, so
/// expanding around mu* = c* u with stationary covariance C,
/// h_par delta = -(R_uuu C_uu + sum_j R_ujj C_jj) / 2 + O(C^2): the mean sits delta = O(eta) from
/// mu*. The claims compute the derivatives from the finite-L reduction (`FinitePromptMinimiser`, §5.6) and C
/// from linearised SGD (`StationarySpread`: the reduction's Hessian, the per-prompt gradient
/// noise at mu*), both properties of the claimed model, not of the run under test.
struct DirectionBiasTest {
    /// Where on the target line SGD must settle, and SGD's predicted offset from it.
    struct Location {
        /// c* = |mu*|.
        let norm: Double
        /// The Monte Carlo standard error of c*.
        let normError: Double
        /// delta: the predicted mean offset of SGD along u (negative: inside c*).
        let predictedOffset: Double

        /// A location with a given prediction of SGD's offset.
        init(norm: Double, normError: Double, predictedOffset: Double) {
            self.norm = norm
            self.normError = normError
            self.predictedOffset = predictedOffset
        }
        /// tr C of the predicted stationary covariance (NaN if not computed).
        var predictedSpread = Double.nan
        /// b: the allowance for the prediction's error.
        var allowance: Double { abs(predictedOffset) / 2 }
    }

    let layer: any PromptLayer
    let length: Int
    let unitsPerStep: Int
    let learningRate: Double
    let burnIn: Int
    let batchLength: Int
    let batches: Int
    let workers: Int

    struct Outcome {
        /// r as defined above: r_perp, or (r_perp + r_par) / 2 with a location (infinite if
        /// the noise vanished).
        var ratio: Double
        /// r_perp.
        var perpendicularRatio: Double = .infinity
        /// r_par (nil without a location).
        var locationRatio: Double? = nil
        /// Delta = |<m, u>| - c* (nil without a location).
        var offset: Double? = nil
        /// sqrt(Var(<m, u>)) from the batch means.
        var parallelNoise: Double = .nan
        /// The allowance b for the predicted bias.
        var allowance: Double = .nan
        /// The averaged iterate m.
        let mean: [Double]
        /// |<m/|m|, target>|.
        let alignment: Double
        /// Why training stopped early, if it did.
        let failure: String?
    }

    func run(on source: some PromptSource, from start: [Double], target: [Double], location: Location? = nil,
             stream: RandomStream) throws -> Outcome {
        let d = start.count
        let unitTarget = target.normalised
        let warm = try StochasticGradientDescent(learningRate: learningRate, maximumSteps: burnIn, unitsPerStep: unitsPerStep, workers: workers)
            .train(layer, on: source, promptLength: length, from: start, stream: stream.child("burn-in"))
        if warm.stop == .diverged { return Outcome(ratio: .infinity, mean: warm.parameters, alignment: 0, failure: warm.diagnosis) }
        let segment = try StochasticGradientDescent(learningRate: learningRate, maximumSteps: batchLength, unitsPerStep: unitsPerStep,
                                                    workers: workers, window: batchLength)
        var mu = warm.parameters
        var means = [[Double]]()
        for b in 0..<batches {
            let result = segment.train(layer, on: source, promptLength: length, from: mu, stream: stream.child("batch").child(b))
            if result.stop == .diverged { return Outcome(ratio: .infinity, mean: mu, alignment: 0, failure: result.diagnosis) }
            means.append(result.averagedParameters)
            mu = result.parameters
        }
        var m = [Double](repeating: 0, count: d)
        for x in means { for j in 0..<d { m[j] += x[j] / Double(batches) } }
        func perpendicular(_ x: [Double]) -> [Double] { x.subtracting(unitTarget.scaled(by: x.dot(unitTarget))) }
        let perpMean = perpendicular(m)
        var spread = 0.0
        for x in means {
            let deviation = perpendicular(x).subtracting(perpMean)
            spread += deviation.squaredNorm / Double(batches - 1)
        }
        let varianceOfMean = spread / Double(batches)
        let perpendicularRatio = varianceOfMean > 0 ? perpMean.squaredNorm / varianceOfMean : .infinity
        var outcome = Outcome(ratio: perpendicularRatio, mean: m, alignment: m.alignment(with: unitTarget), failure: nil)
        outcome.perpendicularRatio = perpendicularRatio
        guard let location else { return outcome }
        // Along the line: |<m, u>| - c*, its batch-means variance, the predicted bias and its allowance.
        let along = abs(m.dot(unitTarget))
        var parallelSpread = 0.0
        for x in means { parallelSpread += (abs(x.dot(unitTarget)) - along) * (abs(x.dot(unitTarget)) - along) / Double(batches - 1) }
        let parallelVariance = parallelSpread / Double(batches)
        let allowance = location.allowance
        let offset = along - location.norm
        let noise = parallelVariance + location.normError * location.normError
        // A prediction that failed (non-finite) leaves no location check rather than a false alarm.
        let excess = allowance.isFinite ? max(0, abs(offset - location.predictedOffset) - allowance) : 0
        let locationRatio = noise > 0 ? excess * excess / noise : (excess > 0 ? .infinity : 0)
        outcome.locationRatio = locationRatio
        outcome.offset = offset
        outcome.parallelNoise = parallelVariance.squareRoot()
        outcome.allowance = allowance
        outcome.ratio = (perpendicularRatio + locationRatio) / 2
        return outcome
    }
}

extension DirectionBiasTest.Location {
    /// The location of `target` for SGD with `step` and `batch` prompts per step, given the
    /// per-prompt gradient covariance `noise` at mu*: C from linearised SGD around the reduction's
    /// Hessian, then delta = -(R_uuu C_uu + sum_j R_ujj C_jj) / (2 h_par).
    init(_ target: FinitePromptMinimiser, noise: Matrix, batch: Int, step: Double) throws {
        let spread = try StationarySpread.covariance(hessian: target.hessian, noise: noise, batch: batch, step: step)
        self.init(norm: target.norm, normError: target.normError, predictedOffset: target.meanOffset(spread: spread))
        predictedSpread = spread.trace
    }
}

extension DirectionBiasTest.Outcome {
    /// Records the position check's measurements in `log`, relative to the target's norm
    /// `norm` (offset along the target direction `direction`, its noise, the predicted SGD offset
    /// and spread, and both ratios), and a divergence as an event.
    func record(in log: inout TrialLog, norm: Double, location: DirectionBiasTest.Location, direction: String) {
        log.feature("relative offset along \(direction)", (offset ?? .nan) / norm)
        log.feature("relative parallel noise", parallelNoise / norm)
        log.feature("relative predicted SGD offset", location.predictedOffset / norm)
        log.feature("relative predicted spread sqrt(tr C) / c*", location.predictedSpread.squareRoot() / norm)
        log.feature("r_perp", perpendicularRatio)
        log.feature("r_par", locationRatio ?? .nan)
        if let failure { log.event("diverged: \(failure)") }
    }
}
