import Foundation

/// Student's t distribution with ν degrees of freedom (through the incomplete beta function).
public struct StudentT: Sendable {
    /// The degrees of freedom ν (> 0).
    public let degreesOfFreedom: Double

    /// Creates the distribution; throws if `degreesOfFreedom` is not positive and finite.
    public init(degreesOfFreedom: Double) throws {
        try StatisticsError.require(degreesOfFreedom > 0 && degreesOfFreedom.isFinite,
                                    "degreesOfFreedom", degreesOfFreedom, "finite and > 0")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(T ≤ t) = 1 − ½ I_{ν/(ν+t²)}(ν/2, 1/2) for t ≥ 0, and by symmetry for t < 0.
    public func cdf(_ t: Double) throws -> Double {
        let nu = degreesOfFreedom
        let tail = 0.5 * (try IncompleteBeta.regularized(x: nu / (nu + t * t), a: nu / 2, b: 0.5))
        return t >= 0 ? 1 - tail : tail
    }

    /// The quantile: the t with P(T ≤ t) = p, for p in (0, 1).
    public func quantile(_ p: Double) throws -> Double {
        try StatisticsError.require(p > 0 && p < 1, "p", p, "in (0, 1)")
        if p == 0.5 { return 0 }
        let nu = degreesOfFreedom
        let tail = min(p, 1 - p)
        let x = try IncompleteBeta.inverse(p: 2 * tail, a: nu / 2, b: 0.5)
        let magnitude = (nu * (1 - x) / x).squareRoot()
        return p < 0.5 ? -magnitude : magnitude
    }
}
