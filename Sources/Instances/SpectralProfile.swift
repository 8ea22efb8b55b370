import Foundation

/// The shape of a covariance spectrum, as an input of a property: the spectral gap, the
/// condition number and the profile become parameters rather than accidents of a random draw.
///
/// Every profile except `paperGram` prescribes the eigenvalues s_1 >= ... >= s_d exactly (see
/// `eigenvalues(dimension:)`); `Covariance.random(_:dimension:using:)` puts them in a
/// Haar-random eigenbasis. Scales are fixed so that profiles are comparable: the bulk sits at 1
/// unless a parameter says otherwise.
public enum SpectralProfile: Codable, Equatable, Sendable {
    /// The paper's random covariance S = A A^T + ridge I, A a d x d matrix of i.i.d. N(0, 1)
    /// entries (the paper uses ridge 0.1). Its spectrum is random (Marchenko–Pastur-like, with
    /// a random, possibly small, top gap); its eigenbasis is Haar by orthogonal invariance.
    case paperGram(ridge: Double = 0.1)
    /// A flat bulk with one gap at the top: s_1 = 1 + topGap, s_2 = ... = s_d = 1. The gap is
    /// the only spectral feature, so the convergence time is a function of it alone.
    case flat(topGap: Double)
    /// Power-law decay s_i = i^(-exponent), i = 1...d: many comparable directions below the top
    /// one, top gap 1 - 2^(-exponent), condition number d^exponent.
    case powerLaw(exponent: Double)
    /// The population spectrum of the spiked model V = noiseVariance I + strength v v^T:
    /// s_1 = noiseVariance + strength, all others noiseVariance. (`flat(topGap: g)` is the
    /// special case noiseVariance = 1, strength = g; this case is parametrised like the in-context
    /// model of docs/MATHEMATICS.md §1.3, with the signal-to-noise ratio strength / noiseVariance.)
    case singleSpike(strength: Double, noiseVariance: Double = 1)
    /// A near-degenerate top pair: s_1 = 1 + splitting, s_2 = 1, s_3 = ... = s_d = bulk < 1.
    /// The top direction is defined but barely: this is the hard case for convergence.
    case nearDegenerateTopPair(splitting: Double, bulk: Double = 0.5)
    /// Log-spaced eigenvalues from conditionNumber down to 1: s_i = kappa^((d - i) / (d - 1)),
    /// so s_1 / s_d = kappa exactly (d = 1 admits only kappa = 1).
    case conditionNumber(Double)
    /// Exactly these eigenvalues (any order; they are sorted descending).
    case explicit(eigenvalues: [Double])

    /// The largest condition number a prescribed spectrum may have in dimension d:
    /// 1 / (4 d^2 eps). Forming S = Q diag(s) Q^T in float64 perturbs every eigenvalue by up to
    /// about 2 d^2 eps s_1 (two products of d terms), so beyond this limit the smallest
    /// eigenvalue could be lost in rounding and S could fail to be positive definite.
    public static func maximumConditionNumber(dimension: Int) -> Double {
        let d = Double(max(dimension, 1))
        return 1 / (4 * d * d * Double.ulpOfOne)
    }

    /// The prescribed eigenvalues s_1 >= ... >= s_d, or nil for `paperGram`, whose spectrum is
    /// random. Throws an `InstanceError` naming the parameter when a parameter is NaN, infinite or
    /// out of range, or when the spectrum is too ill-conditioned for float64.
    public func eigenvalues(dimension d: Int) throws(InstanceError) -> [Double]? {
        try Require.count(d, atLeast: 1, "dimension")
        let values: [Double]
        switch self {
        case let .paperGram(ridge):
            try Require.positive(ridge, "ridge")
            return nil
        case let .flat(topGap):
            try Require.positive(topGap, "topGap")
            values = [1 + topGap] + [Double](repeating: 1, count: d - 1)
        case let .powerLaw(exponent):
            try Require.positive(exponent, "exponent")
            values = (1...d).map { pow(Double($0), -exponent) }
        case let .singleSpike(strength, noiseVariance):
            try Require.positive(strength, "strength")
            try Require.positive(noiseVariance, "noiseVariance")
            values = [noiseVariance + strength] + [Double](repeating: noiseVariance, count: d - 1)
        case let .nearDegenerateTopPair(splitting, bulk):
            try Require.count(d, atLeast: 2, "dimension")
            try Require.positive(splitting, "splitting")
            guard 1 + splitting > 1 else {
                throw .invalidParameter(name: "splitting", value: splitting,
                                        requirement: "1 + splitting > 1 in float64 (splitting >= eps / 2)")
            }
            guard bulk.isFinite, bulk > 0, bulk < 1 else {
                throw .invalidParameter(name: "bulk", value: bulk, requirement: "0 < bulk < 1")
            }
            values = [1 + splitting, 1] + [Double](repeating: bulk, count: d - 2)
        case let .conditionNumber(kappa):
            guard kappa.isFinite, kappa >= 1 else {
                throw .invalidParameter(name: "conditionNumber", value: kappa, requirement: "a finite value >= 1")
            }
            if d == 1 {
                guard kappa == 1 else {
                    throw .invalidParameter(name: "conditionNumber", value: kappa, requirement: "1 when dimension = 1")
                }
                values = [1]
            } else {
                values = (1...d).map { i in pow(kappa, Double(d - i) / Double(d - 1)) }
            }
        case let .explicit(eigenvalues):
            guard eigenvalues.count == d else {
                throw .lengthMismatch(name: "eigenvalues", expected: d, actual: eigenvalues.count)
            }
            for value in eigenvalues { try Require.positive(value, "eigenvalues") }
            values = eigenvalues.sorted(by: >)
        }
        let kappa = values[0] / values[d - 1]
        let limit = Self.maximumConditionNumber(dimension: d)
        guard kappa.isFinite, kappa <= limit else { throw .illConditioned(conditionNumber: kappa, limit: limit) }
        return values
    }
}
