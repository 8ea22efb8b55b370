import AttentionModels
import Instances
import LinearAlgebra
import Randomness
import Testing

/// The critical points and Hessian spectra of docs/MATHEMATICS.md §4, checked against the models'
/// exact derivatives (not against the formulas that produced the points).
@Suite("Closed-form risks: critical points and landscape")
struct LandscapeTests {
    /// Rounding bound for a gradient evaluated at a critical point: each of its terms is at most
    /// 4 x (term magnitude of the risk) / |mu|, summed with (2d + 10) eps relative error each.
    static func gradientRounding(_ magnitude: Double, _ mu: [Double]) -> Double {
        4 * magnitude / max(mu.norm, 1e-300) * FiniteDifference.quarticRelativeError(dimension: mu.count) * 4
    }

    @Test("R_inf: critical points 0 and u_i/sqrt(lam s_i), values tr S - s_i, closed-form Hessian eigenvalues", arguments: 0..<6)
    func infinitePromptLandscape(seed: UInt64) throws {
        var stream = RandomStream(seed: seed)
        let d = 2 + stream.integer(below: 7)
        let s = Fixture.paperCovariance(dimension: d, stream: &stream)
        let lam = 0.05 + stream.uniform()
        let risk = try InfinitePromptSoftmaxRisk(covariance: s, lam: lam)
        let values = s.eigenvalues
        let points = risk.criticalPoints
        #expect(points.count == d + 1)
        for point in points {
            let mu = point.point
            // The gradient vanishes up to rounding (magnitude of R_inf's terms at the point is
            // at most tr S + 3 s_i, since lam a = 1 and lam b = s_i there).
            let scale = s.trace + 3 * values[0]
            if point.direction != nil {
                #expect(risk.gradient(at: mu).norm <= Self.gradientRounding(scale, mu), "gradient at \(point.direction!)")
            }
            #expect(abs(risk.value(at: mu) - point.value) <= 16 * Double.ulpOfOne * scale)
            let spectrum = try risk.hessian(at: mu).symmetricEigendecomposition().values
            // Eigenvalue rounding: dsyevd is backward stable, |error| <= c d eps ||H||.
            let eigenTolerance = 16 * Double(d) * Double.ulpOfOne * spectrum.map(abs).max()!
            if let i = point.direction {
                #expect(abs(point.value - (s.trace - values[i])) <= 8 * Double.ulpOfOne * s.trace)
                #expect(abs(mu.squaredNorm - 1 / (lam * values[i])) <= 8 * Double.ulpOfOne / (lam * values[i]))
                // docs/MATHEMATICS.md §4.2: eigenvalue 8 lam s_i^2 along u_i and 2 lam s_j (s_i - s_j) along u_j.
                var expected = [8 * lam * values[i] * values[i]]
                for j in 0..<d where j != i { expected.append(2 * lam * values[j] * (values[i] - values[j])) }
                expected.sort(by: >)
                for (x, y) in zip(spectrum, expected) { #expect(abs(x - y) <= eigenTolerance, "direction \(i): \(spectrum) vs \(expected)") }
                if i == 0 {
                    // The model's closed-form list (used for steps and stopping rules) is the same spectrum.
                    for (x, y) in zip(risk.curvaturesAtMinimum.sorted(by: >), expected) { #expect(abs(x - y) <= eigenTolerance) }
                }
                if i == 0 {
                    #expect(spectrum.last! > eigenTolerance, "the top point must be a strict minimum")
                } else {
                    #expect(spectrum.last! < -eigenTolerance, "u_\(i + 1) must be a strict saddle")
                }
            } else {
                #expect(spectrum.first! < -eigenTolerance, "the origin must be a strict maximum: \(spectrum)")
                #expect(abs(point.value - s.trace) <= 4 * Double.ulpOfOne * s.trace)
            }
        }
        #expect(points[1].direction == 0, "the global minimiser must lie along u_1")
    }

    @Test("R_lin,L: critical points +- sqrt(s_i*) u_i with closed-form values; top is the global minimum for every L", arguments: [1, 2, 6, 50])
    func linearLandscape(promptLength: Int) throws {
        var stream = RandomStream(seed: UInt64(promptLength))
        let s = Fixture.paperCovariance(dimension: 5, stream: &stream)
        let risk = try LinearAttentionRisk(covariance: s, lam: 0.01, promptLength: promptLength)
        let points = risk.criticalPoints.dropFirst()
        #expect(points.map(\.direction) == [0, 1, 2, 3, 4], "ordered by value, best first: u_1 must be the global minimiser")
        let scale = s.trace * 10
        for point in points {
            let i = point.direction!
            #expect(abs(point.value - risk.criticalValue(direction: i)) <= 64 * Double.ulpOfOne * scale, "value along u_\(i + 1)")
            #expect(abs(point.point.squaredNorm - risk.criticalSquaredNorm(direction: i)) <= 64 * Double.ulpOfOne * risk.criticalSquaredNorm(direction: i))
            let g = risk.gradient(at: point.point)
            #expect(g.norm <= 1e-10 * risk.gradient(at: point.point.scaled(by: 1.1)).norm, "gradient must vanish (vs 10% off the point)")
            let spectrum = try risk.hessian(at: point.point).symmetricEigendecomposition().values
            let eigenTolerance = 80 * Double.ulpOfOne * spectrum.map(abs).max()!
            if i == 0 {
                #expect(spectrum.last! > eigenTolerance)
                #expect(abs(spectrum.first! - risk.curvatureAtMinimumClosedForm) <= eigenTolerance, "§4.3: 8 lam s_1 (T + (L+1) s_1)")
            } else {
                #expect(spectrum.last! < -eigenTolerance, "u_\(i + 1) must be a strict saddle")
            }
        }
        let origin = try risk.hessian(at: [Double](repeating: 0, count: 5)).symmetricEigendecomposition().values
        #expect(origin.first! < 0, "the origin must be a strict maximum")
    }

    @Test("R_ICL: minimisers +- sqrt(alpha2) v and R_ICL(mu) = n R_lin,n(mu; V)", arguments: 0..<6)
    func inContextLandscape(seed: UInt64) throws {
        var stream = RandomStream(seed: seed)
        let d = 2 + stream.integer(below: 10)
        let v = stream.unitVector(dimension: d)
        let n = 1 + stream.integer(below: 30)
        let xi = 0.3 + stream.uniform() * 2, theta = 0.05 + 3 * stream.uniform(), lam = 1e-3 * (1 + 99 * stream.uniform())
        let risk = try InContextRisk(spike: v, xi: xi, theta: theta, degreesOfFreedom: n, lam: lam)
        let minimiser = risk.minimiser
        #expect(minimiser.alignment(with: v) >= 1 - 8 * Double(d) * Double.ulpOfOne, "the minimiser must lie along v")
        #expect(abs(minimiser.squaredNorm - risk.optimalSquaredNorm) <= 64 * Double.ulpOfOne * risk.optimalSquaredNorm, "§4.4: alpha2")
        let spectrum = try risk.hessian(at: minimiser).symmetricEigendecomposition().values
        #expect(spectrum.last! > 0)
        #expect(abs(spectrum.first! - risk.curvatureAtMinimumClosedForm) <= 64 * Double(d) * Double.ulpOfOne * spectrum.first!)
        // The identity, at random points: both sides are the same polynomial evaluated two
        // ways, so they agree to the rounding of the larger terms.
        let linear = try LinearAttentionRisk(covariance: risk.scale, lam: lam, promptLength: n)
        for k in 0..<5 {
            var probe = RandomStream(seed: seed).child(k)
            let mu = probe.normals(d).scaled(by: minimiser.norm)
            let lhs = risk.value(at: mu), rhs = Double(n) * linear.value(at: mu)
            let magnitude = Double(n) * (risk.traceV + 2 * lam * Double(n + 1) * mu.squaredNorm * pow(xi * xi + theta, 2)
                * Double(n + 3) * (1 + lam * Double(n + 2) * mu.squaredNorm * (xi * xi + theta)))
            #expect(abs(lhs - rhs) <= 64 * Double(d) * Double.ulpOfOne * magnitude, "identity at probe \(k): \(lhs) vs \(rhs)")
        }
    }

    @Test("negative control: the identity check rejects R_lin built with L = n + 1")
    func identityRejectsWrongLength() throws {
        var stream = RandomStream(seed: 5)
        let v = stream.unitVector(dimension: 5)
        let risk = try InContextRisk(spike: v, xi: 1, theta: 2, degreesOfFreedom: 10, lam: 1e-3)
        let wrong = try LinearAttentionRisk(covariance: risk.scale, lam: 1e-3, promptLength: 11)
        let mu = risk.minimiser
        #expect(abs(risk.value(at: mu) - 10 * wrong.value(at: mu)) > 1e-6 * risk.value(at: mu))
    }
}

import Foundation
