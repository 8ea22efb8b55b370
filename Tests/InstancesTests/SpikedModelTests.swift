import Foundation
import Instances
import LinearAlgebra
import Randomness
import Testing

/// The ICL population model V = xi^2 I + theta v v^T and its validation.
@Suite struct SpikedModelTests {
    @Test func populationMatrixHasTheSpikedSpectrum() throws {
        var stream = RandomStream(seed: 700)
        let model = try SpikedModel.withRandomSpike(dimension: 5, noiseLevel: 1.5, spikeStrength: 2, using: &stream)
        let v = model.spike
        #expect(abs(v.norm - 1) <= SpikedModel.unitNormTolerance(dimension: 5))
        let population = try model.populationCovariance()
        // Eigenvalues xi^2 + theta = 4.25 and xi^2 = 2.25 (x4), to dsyevd's 10 d eps ||V||
        // plus the rounding of building V (a few ulp of its entries).
        let tolerance = (10 * 5 + 4) * Double.ulpOfOne * 4.25
        #expect(abs(population.eigenvalues[0] - 4.25) <= tolerance)
        for k in 1..<5 { #expect(abs(population.eigenvalues[k] - 2.25) <= tolerance) }
        // The top eigenvector is +-v: Davis–Kahan with gap theta = 2.
        #expect(1 - population.topEigenvector.alignment(with: v) <= tolerance / 2)
        // Entries: V_ij = xi^2 delta_ij + theta v_i v_j.
        let m = model.populationMatrix
        for i in 0..<5 { for j in 0..<5 {
            let expected = (i == j ? 2.25 : 0) + 2 * v[i] * v[j]
            #expect(abs(m[i, j] - expected) <= 4 * Double.ulpOfOne * 4.25)
        } }
    }

    @Test(arguments: [
        (Double.nan, 1.0, [1.0, 0], "noiseLevel"),
        (0, 1, [1, 0], "noiseLevel"),
        (-1, 1, [1, 0], "noiseLevel"),
        (1, 0, [1, 0], "spikeStrength"),
        (1, -2, [1, 0], "spikeStrength"),
        (1, .infinity, [1, 0], "spikeStrength"),
        (1, 1, [1.01, 0], "spike"),
        (1, 1, [0.6, 0.6], "spike"),
        (1, 1, [.nan, 0], "spike"),
        (1, 1, [], "spike.count"),
    ])
    func refusesInvalidParameters(xi: Double, theta: Double, spike: [Double], parameter: String) {
        do {
            _ = try SpikedModel(noiseLevel: xi, spikeStrength: theta, spike: spike)
            Issue.record("accepted xi = \(xi), theta = \(theta), v = \(spike)")
        } catch {
            #expect(error.parameterName == parameter, "\(error)")
        }
    }

    @Test func acceptsEveryFloatNormalisedVector() throws {
        // The unit-norm tolerance must admit v / |v| as computed in float64, at any dimension.
        var stream = RandomStream(seed: 701)
        for d in [1, 2, 3, 10, 100, 1000] {
            for _ in 0..<50 {
                let v = (0..<d).map { _ in stream.uniform() * 10 - 5 }.normalised
                #expect(throws: Never.self) { try SpikedModel(noiseLevel: 1, spikeStrength: 1, spike: v) }
            }
        }
    }

    @Test func decodingValidates() throws {
        let model = try SpikedModel(noiseLevel: 1, spikeStrength: 2, spike: [0.6, 0.8])
        let data = try JSONEncoder().encode(model)
        #expect(try JSONDecoder().decode(SpikedModel.self, from: data) == model)
        let bad = Data(#"{"noiseLevel": 1, "spikeStrength": -2, "spike": [0.6, 0.8]}"#.utf8)
        #expect(throws: InstanceError.self) { try JSONDecoder().decode(SpikedModel.self, from: bad) }
    }
}
