import Foundation
import Instances
import LinearAlgebra
import PropertyEngine
import Randomness

/// The instance of the finite-prompt claims: a covariance, a scale lam, a prompt length, a
/// start (a uniform direction at a claim-chosen norm) and a seed for the training run.
struct PromptInstance: Sendable, CustomStringConvertible {
    let covariance: CovarianceInstance
    let lam: Double
    let length: Int
    let start: [Double]
    let seed: UInt64

    var description: String { "\(covariance); L = \(length); lam = \(String(format: "%.4g", lam))" }

    /// Instances over the claim's `instances:` section (covariances, `lam`, `prompt-length`);
    /// `startNorm(S, lam, L)` sets |mu0|.
    static func generator(_ entry: ClaimEntry, sabotage: Sabotage?, minimumLength: Int = 1,
                          startNorm: @escaping @Sendable (Covariance, Double, Int) throws -> Double) throws -> Generator<PromptInstance> {
        let lamRange = try entry.instances.range("lam", positive: true)
        let lengths = try entry.instances.integerRange("prompt-length", atLeast: minimumLength)
        let parameters = Gen.zip(try InstanceSpace.covariances(entry.instances, sabotage: sabotage),
                                 Gen.logUniform(in: lamRange).observed(as: "lam"), Gen.integers(in: lengths).observed(as: "L"))
        return Gen.lifting(parameters: parameters) { stream, p in
            let (instance, lam, length) = p
            let norm = try startNorm(instance.covariance, lam, length)
            return PromptInstance(covariance: instance, lam: lam, length: length,
                                  start: stream.unitVector(dimension: instance.covariance.dimension).scaled(by: norm), seed: stream.next())
        }
    }

    /// |mu*| of R_inf, 1 / sqrt(lam s_1): the scale of the softmax claims' starts.
    @Sendable static func infinitePromptScale(_ s: Covariance, _ lam: Double, _ length: Int) -> Double {
        1 / (lam * s.eigenvalues[0]).squareRoot()
    }
}
