import Foundation

/// Wald's sequential probability ratio test with Ville-inequality thresholds, for a Bernoulli
/// rate or a bounded / sub-Gaussian mean.
///
/// The evidence S_n is the log likelihood ratio of the alternative ("claim false by δ") to the
/// threshold ("claim just true"); for means it is the Gaussian log ratio, which is a
/// supermartingale under any sub-Gaussian law with the claimed mean (Hoeffding's lemma).
/// Stop with *fails* when S_n ≥ ln(1/α) and with *holds* when S_n ≤ −ln(1/β). By Ville's
/// inequality these error bounds hold exactly at every stopping time (not only approximately,
/// as with Wald's classical A, B), and a trial budget that runs out only adds *inconclusive*.
public struct SequentialTest: Sendable {
    /// The current decision.
    public enum State: String, Codable, Sendable { case undecided, holds, fails }

    /// The claim being tested.
    public let claim: Claim
    /// The error rates.
    public let errors: ErrorRates
    /// The log likelihood ratio (evidence against the claim) so far.
    public private(set) var evidence: Double = 0
    /// The number of outcomes seen.
    public private(set) var count: Int = 0
    /// The decision so far.
    public private(set) var state: State = .undecided

    /// A test of `claim` at `errors`; throws if either is invalid.
    public init(claim: Claim, errors: ErrorRates) throws {
        try claim.validate()
        guard errors.falseFail > 0, errors.falseFail < 1, errors.falsePass > 0, errors.falsePass < 1 else {
            throw PropertyEngineError.invalidErrorRates(errors)
        }
        self.claim = claim
        self.errors = errors
    }

    /// The evidence at which the claim is rejected: ln(1/α).
    public var failBoundary: Double { log(1 / errors.falseFail) }
    /// The evidence at which the claim is accepted: −ln(1/β).
    public var holdBoundary: Double { -log(1 / errors.falsePass) }

    /// Adds one outcome (1/0 for rates) and updates the decision; no-op once decided.
    public mutating func observe(_ outcome: Double) {
        guard state == .undecided else { return }
        count += 1
        evidence += increment(outcome)
        if evidence >= failBoundary { state = .fails } else if evidence <= holdBoundary { state = .holds }
    }

    /// The log-likelihood-ratio increment of one outcome.
    func increment(_ x: Double) -> Double {
        let p0 = claim.threshold, p1 = claim.alternative
        switch claim.kind {
        case .rate:
            let success = x >= 0.5
            return success ? log(p1 / p0) : log((1 - p1) / (1 - p0))
        case .mean:
            // Gaussian LLR of N(μ₁, σ²) against N(μ₀, σ²): (μ₁ − μ₀)(x − (μ₀ + μ₁)/2)/σ².
            return (p1 - p0) * (x - (p0 + p1) / 2) / claim.varianceProxy
        }
    }

    /// Approximate expected number of trials to a decision when the truth sits at the threshold
    /// or at the alternative (Wald's approximation; the larger of the two), for budget design.
    public var expectedTrials: Double {
        let p0 = claim.threshold, p1 = claim.alternative
        let kl01, kl10: Double
        switch claim.kind {
        case .rate:
            func kl(_ a: Double, _ b: Double) -> Double { a * log(a / b) + (1 - a) * log((1 - a) / (1 - b)) }
            kl01 = kl(p0, p1); kl10 = kl(p1, p0)
        case .mean:
            kl01 = (p1 - p0) * (p1 - p0) / (2 * claim.varianceProxy); kl10 = kl01
        }
        return max(-holdBoundary / kl01, failBoundary / kl10)
    }
}
