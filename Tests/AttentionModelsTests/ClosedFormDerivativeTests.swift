import AttentionModels
import Instances
import LinearAlgebra
import Randomness
import Testing

/// Analytic gradients and Hessians of the closed-form risks against Richardson-extrapolated
/// central differences, on random instances. For these quartic polynomials the extrapolated
/// difference is exact up to rounding, so the tolerance is the rounding bound alone; a sign
/// error or a missing term is off by O(1) relative and fails by many orders of magnitude
/// (shown by the negative control at the end).
@Suite("Closed-form risks: derivatives")
struct ClosedFormDerivativeTests {
    /// Every closed-form risk on one random instance, with the magnitude of its terms at mu
    /// (sum of absolute values, which bounds the rounding of an evaluation).
    static func risks(seed: UInt64) -> [(name: String, risk: any DifferentiableRisk, magnitude: ([Double]) -> Double)] {
        var stream = RandomStream(seed: seed)
        let d = 2 + stream.integer(below: 9)
        let s = Fixture.paperCovariance(dimension: d, stream: &stream)
        let lam = 0.01 * pow10(stream.uniform() * 2)
        let l = 1 + stream.integer(below: 50)
        let t = s.trace
        func ab(_ m: Matrix, _ mu: [Double]) -> (Double, Double) {
            let mMu = m.multiplied(by: mu)
            return (mu.dot(mMu), mMu.dot(mMu))
        }
        let soft = try! InfinitePromptSoftmaxRisk(covariance: s, lam: lam)
        let linear = try! LinearAttentionRisk(covariance: s, lam: lam, promptLength: l)
        let v = stream.unitVector(dimension: d)
        let xi = 0.5 + stream.uniform()
        let theta = 0.1 + 3 * stream.uniform()
        let n = 1 + stream.integer(below: 20)
        let icl = try! InContextRisk(spike: v, xi: xi, theta: theta, degreesOfFreedom: n, lam: lam)
        let ll = Double(l), nn = Double(n), tv = icl.traceV
        return [
            ("R_inf", soft, { mu in let (a, b) = ab(s.matrix, mu); return t + 2 * lam * b + lam * lam * a * b }),
            ("R_lin,L", linear, { mu in
                let (a, b) = ab(s.matrix, mu)
                return t + 2 * lam * t * a + 2 * lam * (ll + 1) * b + lam * lam * (ll + 2) * (t * a * a + (ll + 3) * a * b)
            }),
            ("R_ICL", icl, { mu in
                let (a, b) = ab(icl.scale.matrix, mu)
                return nn * tv + 2 * lam * nn * ((nn + 1) * b + tv * a) + lam * lam * nn * (nn + 2) * ((nn + 3) * a * b + tv * a * a)
            }),
        ]
    }

    static func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }

    /// A start at the scale of the minimiser, where all terms of the risk matter.
    static func probe(_ risk: any DifferentiableRisk, seed: UInt64) -> [Double] {
        var stream = RandomStream(seed: seed).child("probe")
        let scale = risk.minimiser.norm
        return stream.normals(risk.dimension).scaled(by: scale / Double(risk.dimension).squareRoot() * 1.5)
    }

    @Test("gradient equals the finite-difference gradient", arguments: 0..<8)
    func gradientMatchesFiniteDifferences(seed: UInt64) {
        for (name, risk, magnitude) in Self.risks(seed: seed) {
            let mu = Self.probe(risk, seed: seed)
            let h = 1e-3 * mu.norm
            let numeric = FiniteDifference.gradient({ risk.value(at: $0) }, at: mu, step: h)
            let analytic = risk.gradient(at: mu)
            // Rounding of the difference quotient (see FiniteDifference), doubled to cover the
            // analytic gradient's own rounding, which is smaller by a factor of order h / |mu|.
            let tolerance = 2 * FiniteDifference.roundingBound(
                magnitude: magnitude(mu) * 1.01, relativeError: FiniteDifference.quarticRelativeError(dimension: mu.count), step: h)
            let error = analytic.subtracting(numeric).map(abs).max()!
            #expect(error <= tolerance, "\(name), seed \(seed): |analytic - numeric| = \(error) > \(tolerance)")
        }
    }

    @Test("Hessian equals the finite-difference Jacobian of the gradient", arguments: 0..<8)
    func hessianMatchesFiniteDifferences(seed: UInt64) {
        for (name, risk, magnitude) in Self.risks(seed: seed) {
            let mu = Self.probe(risk, seed: seed)
            let d = mu.count
            let h = 1e-3 * mu.norm
            let hessian = risk.hessian(at: mu)
            // The gradient is cubic, so Richardson is again exact up to rounding. A gradient
            // entry's terms are bounded by 4 x magnitude / |mu| (each term of the risk is a
            // form of degree <= 4 in mu), which sets the rounding of one evaluation.
            let gradientMagnitude = 4 * magnitude(mu) * 1.01 / mu.norm
            let tolerance = 2 * FiniteDifference.roundingBound(
                magnitude: gradientMagnitude, relativeError: FiniteDifference.quarticRelativeError(dimension: d), step: h)
            var worst = 0.0
            for j in 0..<d {
                var e = [Double](repeating: 0, count: d)
                e[j] = 1
                for i in 0..<d {
                    let numeric = FiniteDifference.derivative({ risk.gradient(at: $0)[i] }, at: mu, direction: e, step: h)
                    worst = max(worst, abs(numeric - hessian[i, j]))
                }
            }
            #expect(worst <= tolerance, "\(name), seed \(seed): Hessian error \(worst) > \(tolerance)")
            #expect(hessian.asymmetry <= 8 * Double(d) * Double.ulpOfOne * hessian.maxAbs, "\(name): Hessian not symmetric")
        }
    }

    @Test("negative control: a gradient with one sign flipped is rejected by the same check")
    func wrongGradientIsRejected() {
        // 2 lam [ (lam a - 2) S^2 mu - lam b S mu ]: the second term's sign is wrong.
        var stream = RandomStream(seed: 99)
        let s = Fixture.paperCovariance(dimension: 5, stream: &stream)
        let lam = 0.1
        let risk = try! InfinitePromptSoftmaxRisk(covariance: s, lam: lam)
        let mu = Self.probe(risk, seed: 99)
        let sMu = s.matrix.multiplied(by: mu)
        let s2Mu = s.matrix.multiplied(by: sMu)
        let a = mu.dot(sMu), b = sMu.dot(sMu)
        let wrong = (0..<5).map { 2 * lam * ((lam * a - 2) * s2Mu[$0] - lam * b * sMu[$0]) }
        let h = 1e-3 * mu.norm
        let numeric = FiniteDifference.gradient({ risk.value(at: $0) }, at: mu, step: h)
        let magnitude = s.trace + 2 * lam * b + lam * lam * a * b
        let tolerance = 2 * FiniteDifference.roundingBound(magnitude: magnitude, relativeError: FiniteDifference.quarticRelativeError(dimension: 5), step: h)
        let error = wrong.subtracting(numeric).map(abs).max()!
        #expect(error > 1e6 * tolerance, "the derivative check failed to reject a sign error: \(error) vs \(tolerance)")
    }
}

import Foundation
