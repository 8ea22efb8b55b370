import LinearAlgebra
import Randomness

/// The in-context (ICL) population model of docs/MATHEMATICS.md §1.3: V = xi^2 I + theta v v^T, with
/// noise level xi > 0, spike strength theta > 0 and a unit spike v. Each prompt's covariance is
/// an unnormalised Wishart draw S ~ W_d(n, V) (see `wishartSampler(degreesOfFreedom:)`).
///
/// Validated on construction and on decoding, so an instance in hand is always well formed.
public struct SpikedModel: Codable, Equatable, Sendable {
    /// xi, the noise standard deviation (V has xi^2 on its diagonal away from the spike).
    public let noiseLevel: Double
    /// theta, the extra variance along the spike.
    public let spikeStrength: Double
    /// v, the unit spike: the direction the ICL claims say is learned.
    public let spike: [Double]

    /// How far |v| may be from 1: 8 (d + 2) eps covers the rounding of v / |v| computed in float64
    /// (a d-term sum of squares, a square root and a division), so a normalised vector passes
    /// and an unnormalised one does not.
    public static func unitNormTolerance(dimension: Int) -> Double { 8 * Double(dimension + 2) * Double.ulpOfOne }

    /// The model with the given parameters; throws naming `noiseLevel`, `spikeStrength` or
    /// `spike` when one is NaN, not positive, or (for the spike) empty or not of unit norm.
    public init(noiseLevel: Double, spikeStrength: Double, spike: [Double]) throws(InstanceError) {
        try Require.positive(noiseLevel, "noiseLevel")
        try Require.positive(spikeStrength, "spikeStrength")
        try Require.count(spike.count, atLeast: 1, "spike.count")
        let norm = spike.norm
        guard norm.isFinite, abs(norm - 1) <= Self.unitNormTolerance(dimension: spike.count) else {
            throw .invalidParameter(name: "spike", value: norm, requirement: "a unit vector (|v| = 1)")
        }
        self.noiseLevel = noiseLevel
        self.spikeStrength = spikeStrength
        self.spike = spike
    }

    /// The model with a spike drawn uniformly on the unit sphere of R^dimension (as in the
    /// authors' scripts).
    public static func withRandomSpike(
        dimension: Int, noiseLevel: Double, spikeStrength: Double, using stream: inout RandomStream
    ) throws(InstanceError) -> SpikedModel {
        try Require.count(dimension, atLeast: 1, "dimension")
        return try SpikedModel(noiseLevel: noiseLevel, spikeStrength: spikeStrength,
                               spike: stream.unitVector(dimension: dimension))
    }

    /// Decodes and validates (a decoded model obeys the same rules as a constructed one).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(noiseLevel: container.decode(Double.self, forKey: .noiseLevel),
                      spikeStrength: container.decode(Double.self, forKey: .spikeStrength),
                      spike: container.decode([Double].self, forKey: .spike))
    }

    /// d, the dimension of the tokens.
    public var dimension: Int { spike.count }

    /// V = xi^2 I + theta v v^T, the population covariance of the rows of Z.
    public var populationMatrix: Matrix {
        var v = Matrix.outer(spike, spike)
        let xi2 = noiseLevel * noiseLevel
        for i in 0..<dimension {
            for j in 0..<dimension { v[i, j] *= spikeStrength }
            v[i, i] += xi2
        }
        return v.symmetrised
    }

    /// V as a validated `Covariance` (eigenvalues xi^2 + theta, then xi^2 with multiplicity d - 1).
    public func populationCovariance() throws(InstanceError) -> Covariance {
        let v = populationMatrix
        return try Require.linearAlgebra { () throws(LinearAlgebraError) in try Covariance(v) }
    }

    /// A sampler of S ~ W_d(n, V), unnormalised (E[S] = n V), for the prompts' covariances.
    public func wishartSampler(degreesOfFreedom: Int) throws(InstanceError) -> WishartSampler {
        try WishartSampler(degreesOfFreedom: degreesOfFreedom, scale: populationMatrix)
    }
}
