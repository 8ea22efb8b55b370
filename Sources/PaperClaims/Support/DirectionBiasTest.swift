import AttentionModels
import Foundation
import Instances
import LinearAlgebra
import Randomness

/// "SGD learns the target direction up to sampling effects", as a measurement: after a burn-in,
/// the SGD trajectory is cut into `batches` consecutive segments; their means (batch means,
/// each segment several relaxation times long, so nearly independent) give the averaged iterate
/// m and an estimate of its sampling covariance, Cov(m) ~ Cov(batch means) / batches. If the
/// iterate fluctuates around a point on the target line, the part of m orthogonal to the
/// target is pure sampling noise and r = |P_perp m|^2 / tr(P_perp Cov(m)) has mean about 1;
/// a bias of the learned direction makes r grow like (bias / noise)^2.
struct DirectionBiasTest {
    let layer: AttentionLayer
    let length: Int
    let unitsPerStep: Int
    let learningRate: Double
    let burnIn: Int
    let batchLength: Int
    let batches: Int
    let workers: Int

    struct Outcome {
        /// r as defined above (infinite if the orthogonal noise vanished).
        let ratio: Double
        /// The averaged iterate m.
        let mean: [Double]
        /// |<m/|m|, target>|.
        let alignment: Double
        /// Why training stopped early, if it did.
        let failure: String?
    }

    func run(on source: some PromptSource, from start: [Double], target: [Double], stream: RandomStream) throws -> Outcome {
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
        return Outcome(ratio: varianceOfMean > 0 ? perpMean.squaredNorm / varianceOfMean : .infinity, mean: m,
                       alignment: m.alignment(with: unitTarget), failure: nil)
    }
}
