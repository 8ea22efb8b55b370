import Foundation
import Instances
import Testing

/// The prescribed spectra and the validation of their parameters.
@Suite struct SpectralProfileTests {
    @Test func prescribedEigenvaluesFollowTheirDefinitions() throws {
        #expect(try SpectralProfile.flat(topGap: 0.5).eigenvalues(dimension: 4) == [1.5, 1, 1, 1])
        #expect(try SpectralProfile.powerLaw(exponent: 2).eigenvalues(dimension: 3) == [1, 0.25, 1.0 / 9])
        #expect(try SpectralProfile.singleSpike(strength: 2, noiseVariance: 0.5).eigenvalues(dimension: 3) == [2.5, 0.5, 0.5])
        #expect(try SpectralProfile.nearDegenerateTopPair(splitting: 1e-6).eigenvalues(dimension: 4) == [1 + 1e-6, 1, 0.5, 0.5])
        #expect(try SpectralProfile.explicit(eigenvalues: [1, 3, 2]).eigenvalues(dimension: 3) == [3, 2, 1])
        #expect(try SpectralProfile.paperGram().eigenvalues(dimension: 5) == nil)
        // Log-spaced: s_1 / s_d = kappa and consecutive ratios equal (pow is accurate to ~1 ulp).
        let s = try #require(try SpectralProfile.conditionNumber(1000).eigenvalues(dimension: 4))
        #expect(s[3] == 1 && abs(s[0] - 1000) <= 1000 * 4 * Double.ulpOfOne)
        for k in 0..<3 { #expect(abs(s[k] / s[k + 1] - 10) <= 10 * 8 * Double.ulpOfOne) }
        #expect(try SpectralProfile.conditionNumber(1).eigenvalues(dimension: 1) == [1])
        #expect(try SpectralProfile.flat(topGap: 2).eigenvalues(dimension: 1) == [3])
    }

    /// Each invalid parameter is refused with an error naming it (never a crash).
    @Test(arguments: [
        (SpectralProfile.flat(topGap: 0), 3, "topGap"),
        (.flat(topGap: -1), 3, "topGap"),
        (.flat(topGap: .nan), 3, "topGap"),
        (.flat(topGap: .infinity), 3, "topGap"),
        (.powerLaw(exponent: 0), 3, "exponent"),
        (.powerLaw(exponent: .nan), 3, "exponent"),
        (.singleSpike(strength: 0), 3, "strength"),
        (.singleSpike(strength: 1, noiseVariance: -1), 3, "noiseVariance"),
        (.singleSpike(strength: 1, noiseVariance: .nan), 3, "noiseVariance"),
        (.nearDegenerateTopPair(splitting: 0), 3, "splitting"),
        (.nearDegenerateTopPair(splitting: 1e-20), 3, "splitting"),
        (.nearDegenerateTopPair(splitting: 0.1, bulk: 1), 3, "bulk"),
        (.nearDegenerateTopPair(splitting: 0.1, bulk: 0), 3, "bulk"),
        (.nearDegenerateTopPair(splitting: 0.1), 1, "dimension"),
        (.conditionNumber(0.5), 3, "conditionNumber"),
        (.conditionNumber(.infinity), 3, "conditionNumber"),
        (.conditionNumber(.nan), 3, "conditionNumber"),
        (.conditionNumber(2), 1, "conditionNumber"),
        (.explicit(eigenvalues: [1, 2]), 3, "eigenvalues"),
        (.explicit(eigenvalues: [1, 0, 2]), 3, "eigenvalues"),
        (.explicit(eigenvalues: [1, -2, 2]), 3, "eigenvalues"),
        (.explicit(eigenvalues: [1, .nan, 2]), 3, "eigenvalues"),
        (.paperGram(ridge: 0), 3, "ridge"),
        (.paperGram(ridge: -0.1), 3, "ridge"),
        (.flat(topGap: 1), 0, "dimension"),
        (.flat(topGap: 1), -2, "dimension"),
        (.powerLaw(exponent: 40), 100, "eigenvalues"),  // kappa = 1e80: ill-conditioned
        (.conditionNumber(1e20), 3, "eigenvalues"),
    ])
    func refusesInvalidParameters(profile: SpectralProfile, dimension: Int, parameter: String) {
        do {
            _ = try profile.eigenvalues(dimension: dimension)
            Issue.record("\(profile) at d = \(dimension) was accepted")
        } catch {
            #expect(error.parameterName == parameter, "\(error)")
        }
    }

    @Test func illConditioningLimitMatchesItsDefinition() {
        // 1 / (4 d^2 eps): beyond it, rounding of Q diag(s) Q^T (2 d^2 u s_1) reaches s_d / 4.
        let limit = SpectralProfile.maximumConditionNumber(dimension: 10)
        #expect(limit == 1 / (400 * Double.ulpOfOne))
        #expect(throws: Never.self) { try SpectralProfile.conditionNumber(limit).eigenvalues(dimension: 10) }
        #expect(throws: InstanceError.self) { try SpectralProfile.conditionNumber(limit * 1.01).eigenvalues(dimension: 10) }
    }

    @Test func roundTripsThroughJSON() throws {
        let profiles: [SpectralProfile] = [
            .paperGram(), .paperGram(ridge: 0.3), .flat(topGap: 0.25), .powerLaw(exponent: 1.5),
            .singleSpike(strength: 2, noiseVariance: 1), .nearDegenerateTopPair(splitting: 1e-8, bulk: 0.2),
            .conditionNumber(100), .explicit(eigenvalues: [3, 2, 1]),
        ]
        let data = try JSONEncoder().encode(profiles)
        #expect(try JSONDecoder().decode([SpectralProfile].self, from: data) == profiles)
    }
}
