import Foundation

/// What a statistical property asserts about its per-trial outcomes: a rate or a mean
/// against a threshold, with an indifference region of width `indifference` on the far side.
///
/// `rate(atLeast: p₀, indifference: δ)` is tested as H_good: p ≥ p₀ against H_bad: p ≤ p₀ − δ;
/// the verdict falsely fails with probability ≤ α under H_good and falsely passes with
/// probability ≤ β under H_bad. Between the two, either verdict is acceptable.
public struct Claim: Codable, Equatable, Sendable, CustomStringConvertible {
    /// Rate (of passing trials) or mean (of a measured statistic).
    public enum Kind: String, Codable, Sendable { case rate, mean }
    /// Which side of the threshold the claim asserts.
    public enum Direction: String, Codable, Sendable { case atLeast, atMost }

    /// Rate or mean.
    public let kind: Kind
    /// At least or at most the threshold.
    public let direction: Direction
    /// The threshold p₀ or μ₀ the claim asserts.
    public let threshold: Double
    /// The width δ of the indifference region beyond the threshold (where power is 1 − β).
    public let indifference: Double
    /// For means: the sub-Gaussian variance proxy σ² of one outcome ((b − a)²/4 if bounded in [a, b]).
    public let varianceProxy: Double
    /// For bounded means: the outcome range, enforced on every trial (nil if unbounded).
    public let bounds: ClosedRange<Double>?

    /// The pass rate is at least `threshold`; rates ≤ threshold − indifference are rejected with power 1 − β.
    public static func rate(atLeast threshold: Double, indifference: Double) -> Claim {
        Claim(kind: .rate, direction: .atLeast, threshold: threshold, indifference: indifference, varianceProxy: 0.25, bounds: 0...1)
    }

    /// The pass rate is at most `threshold`; rates ≥ threshold + indifference are rejected with power 1 − β.
    public static func rate(atMost threshold: Double, indifference: Double) -> Claim {
        Claim(kind: .rate, direction: .atMost, threshold: threshold, indifference: indifference, varianceProxy: 0.25, bounds: 0...1)
    }

    /// The mean of an outcome bounded in `bounds` is at least `threshold` (Hoeffding: σ² = (b − a)²/4).
    public static func mean(atLeast threshold: Double, indifference: Double, bounds: ClosedRange<Double>) -> Claim {
        let w = bounds.upperBound - bounds.lowerBound
        return Claim(kind: .mean, direction: .atLeast, threshold: threshold, indifference: indifference, varianceProxy: w * w / 4, bounds: bounds)
    }

    /// The mean of an outcome bounded in `bounds` is at most `threshold`.
    public static func mean(atMost threshold: Double, indifference: Double, bounds: ClosedRange<Double>) -> Claim {
        let w = bounds.upperBound - bounds.lowerBound
        return Claim(kind: .mean, direction: .atMost, threshold: threshold, indifference: indifference, varianceProxy: w * w / 4, bounds: bounds)
    }

    /// The mean of a sub-Gaussian outcome (variance proxy σ²) is at least `threshold`.
    public static func mean(atLeast threshold: Double, indifference: Double, subGaussianVarianceProxy: Double) -> Claim {
        Claim(kind: .mean, direction: .atLeast, threshold: threshold, indifference: indifference, varianceProxy: subGaussianVarianceProxy, bounds: nil)
    }

    /// The mean of a sub-Gaussian outcome (variance proxy σ²) is at most `threshold`.
    public static func mean(atMost threshold: Double, indifference: Double, subGaussianVarianceProxy: Double) -> Claim {
        Claim(kind: .mean, direction: .atMost, threshold: threshold, indifference: indifference, varianceProxy: subGaussianVarianceProxy, bounds: nil)
    }

    /// The alternative the test has power against: threshold ∓ indifference.
    public var alternative: Double { direction == .atLeast ? threshold - indifference : threshold + indifference }

    /// Throws a typed error naming the problem if the claim cannot be tested.
    public func validate() throws {
        func fail(_ why: String) throws { throw PropertyEngineError.invalidClaim("\(self): \(why)") }
        if !(indifference > 0) || !indifference.isFinite { try fail("indifference must be > 0") }
        if !threshold.isFinite { try fail("threshold must be finite") }
        switch kind {
        case .rate:
            if !(threshold > 0 && threshold < 1) { try fail("a rate threshold must lie in (0, 1)") }
            if !(alternative > 0 && alternative < 1) { try fail("threshold ∓ indifference must lie in (0, 1)") }
        case .mean:
            if !(varianceProxy > 0) || !varianceProxy.isFinite { try fail("variance proxy must be > 0") }
            // A threshold outside what the statistic can take makes the claim vacuous: it holds (or
            // fails) whatever the model does, so the test would decide without evidence.
            if let bounds {
                if !(threshold > bounds.lowerBound && threshold < bounds.upperBound) {
                    try fail("the threshold \(threshold) lies outside the statistic's bounds [\(bounds.lowerBound), \(bounds.upperBound)], so the claim would be vacuous")
                }
                if !bounds.contains(alternative) {
                    try fail("threshold ∓ indifference = \(alternative) lies outside the statistic's bounds [\(bounds.lowerBound), \(bounds.upperBound)]")
                }
            }
        }
    }

    /// "rate ≥ 0.9 (indifference 0.05)".
    public var description: String {
        let rel = direction == .atLeast ? "≥" : "≤"
        return "\(kind.rawValue) \(rel) \(threshold) (indifference \(indifference))"
    }
}

/// The error rates a statistical verdict is held to: α = P(fail | claim true),
/// β = P(pass | claim false by at least the indifference).
public struct ErrorRates: Codable, Equatable, Sendable {
    /// The false-fail rate α.
    public var falseFail: Double
    /// The false-pass rate β.
    public var falsePass: Double

    /// Creates error rates; both must lie in (0, 1).
    public init(falseFail: Double, falsePass: Double) {
        self.falseFail = falseFail
        self.falsePass = falsePass
    }

    /// α = 1e-3, β = 1e-3: a false verdict about one in a thousand runs.
    public static let standard = ErrorRates(falseFail: 1e-3, falsePass: 1e-3)
}
