import AttentionModels
import Foundation
import Instances
import PropertyEngine
import Randomness

/// Claim `softmax-extremes` (docs/MATHEMATICS.md §2.1; issue 9 (c)): at the numerically extreme corner of the model —
/// |mu| far beyond the optimum, so that scores lam alpha beta_k reach 1e2 to 1e6 (exp of a raw
/// score overflows float64 past 709), prompts of up to 2048 tokens, up to 64 dimensions — the
/// production layer's per-prompt loss and gradient, on the factored path SGD calls, are finite
/// and equal an independent plain-loop reference (`ReferenceSoftmaxAttention`) within the
/// rounding bound derived from the reference's absolute-value magnitudes. A softmax that does
/// not subtract the largest score first returns NaN or wrong values there and must fail. After
/// the random trials, targeted search climbs toward the largest |score| (`targeted-share`).
struct SoftmaxSaturation: PaperClaim {
    static let id = "softmax-extremes"

    struct Instance: Sendable, CustomStringConvertible {
        let covariance: CovarianceInstance
        let lam: Double
        let kappa: Double
        let length: Int
        let seed: UInt64
        var description: String {
            "\(covariance); lam = \(String(format: "%.4g", lam)); lam |mu|^2 s_1 = \(String(format: "%.4g", kappa)); L = \(length)"
        }
    }

    static func property(for entry: ClaimEntry, sabotage: Sabotage?) throws -> any Property {
        let lams = try entry.instances.range("lam", positive: true)
        let kappas = try entry.instances.range("scale", positive: true)
        let lengths = try entry.instances.integerRange("prompt-length", atLeast: 2)
        let prompts = try entry.method.integer("prompts", atLeast: 1)
        let factor = try entry.tolerance.positive("rounding-factor")
        let targetedShare = try entry.method.number("targeted-share")
        guard targetedShare >= 0 else {
            throw CatalogueError(file: entry.file, field: "protocol.targeted-share", problem: "must be a share of the budget, >= 0, got \(targetedShare)")
        }
        let parameters = Gen.zip(try InstanceSpace.covariances(entry.instances, sabotage: sabotage),
                                 Gen.zip(Gen.logUniform(in: lams).observed(as: "lam"),
                                         Gen.logUniform(in: kappas, shrinkingToward: .lowerBound).observed(as: "lam |mu|^2 s_1")),
                                 Gen.integers(in: lengths).observed(as: "L"))
        let generator = Gen.lifting(parameters: parameters) { stream, p in
            let (covariance, (lam, kappa), length) = p
            return Instance(covariance: covariance, lam: lam, kappa: kappa, length: length, seed: stream.next())
        }
        return UniversalProperty(id, generator: generator, budget: entry.budget, describe: { $0.description }) { instance, log in
            let s = instance.covariance.covariance
            let d = s.dimension
            var stream = RandomStream(seed: instance.seed)
            let mu = stream.unitVector(dimension: d).scaled(by: (instance.kappa / (instance.lam * s.eigenvalues[0])).squareRoot())
            let layer = try AttentionLayer(kind: .softmax, lam: instance.lam)
            let reference = ReferenceSoftmaxAttention(lam: instance.lam)
            let source = GaussianPromptSource(covariance: s, promptsPerUnit: 1)
            let eps = Double.ulpOfOne / 2
            var scratch = [Double](repeating: 0, count: source.scratchCount(length: instance.length))
            var layerScratch = [Double](repeating: 0, count: AttentionLayer.scratchCount(length: instance.length, dimension: d))
            var checks: [Check] = []
            var largestScore = 0.0
            var worstShare = 0.0   // the largest measured error as a share of its tolerance
            for p in 0..<prompts {
                var promptStream = stream.child(p)
                scratch.withUnsafeMutableBufferPointer { buffer in
                    let unit = source.drawUnit(length: instance.length, stream: &promptStream, scratch: buffer)
                    let exact = reference.evaluate(unit, prompt: 0, mu: mu)
                    largestScore = max(largestScore, exact.largestScore)
                    var gradient = [Double](repeating: 0, count: d)
                    let loss: Double
                    if sabotage == .naiveSoftmax {
                        let naive = NaiveSoftmax.evaluate(unit, lam: instance.lam, mu: mu)
                        loss = naive.loss
                        gradient = naive.gradient
                    } else {
                        loss = mu.withUnsafeBufferPointer { m in
                            gradient.withUnsafeMutableBufferPointer { g in
                                layerScratch.withUnsafeMutableBufferPointer { w in
                                    layer.lossAndGradient(unit, mu: m.baseAddress!, gradient: g.baseAddress!, scratch: w.baseAddress!)
                                }
                            }
                        }
                    }
                    // Rounding bound of either implementation (SoftmaxSaturation's catalogue entry):
                    // weights within weightError relative; T, r and the inner products add
                    // gamma(L + 4d + 4); loss and gradient carry a few such factors, and two
                    // implementations differ by at most the sum of their errors: `factor`.
                    let n = Double(instance.length + 4 * d + 4)
                    let relative = exact.weightError + n * eps / (1 - n * eps)
                    let lossShare = abs(loss - exact.loss) / max(factor * relative * exact.lossMagnitude, .leastNormalMagnitude)
                    worstShare = max(worstShare, lossShare.isNaN ? .infinity : lossShare)
                    checks.append(Check.that(loss.isFinite && gradient.allSatisfy(\.isFinite), "prompt \(p): loss and gradient finite"))
                    checks.append(Check.atMost(abs(loss - exact.loss), factor * relative * exact.lossMagnitude,
                                               "prompt \(p): |loss - reference| (largest score \(String(format: "%.3g", exact.largestScore)))"))
                    let worst = (0..<d).map { abs(gradient[$0] - exact.gradient[$0]) / max(exact.gradientMagnitude[$0], .leastNormalMagnitude) }.max() ?? 0
                    worstShare = max(worstShare, worst.isNaN ? .infinity : worst / (factor * relative))
                    checks.append(Check.atMost(worst.isNaN ? .infinity : worst, factor * relative,
                                               "prompt \(p): max_j |grad_j - reference_j| / magnitude_j"))
                }
            }
            // Targeted search drives this up: the larger the scores, the nearer exp's overflow.
            log.target("largest |score|", largestScore)
            log.feature("d", Double(d))
            log.feature("largest error / tolerance", worstShare)
            if largestScore > 709 { log.event("a raw score exceeds the float64 exp range (709)") }
            return Check.all(checks)
        }.targeting(share: targetedShare)
    }
}
