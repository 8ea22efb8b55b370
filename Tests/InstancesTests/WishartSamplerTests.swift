import Instances
import LinearAlgebra
import Randomness
import Statistics
import Testing

/// The unnormalised Wishart W_d(n, V) of docs/MATHEMATICS.md §1.3: S = Z^T Z, rows of Z i.i.d. N(0, V).
@Suite struct WishartSamplerTests {
    static let draws = 20_000
    /// The ICL protocol's parameters: d = 5, n = 10, xi = 1, theta = 2.
    static func model() throws -> SpikedModel {
        var stream = RandomStream(seed: 800)
        return try SpikedModel.withRandomSpike(dimension: 5, noiseLevel: 1, spikeStrength: 2, using: &stream)
    }

    /// The classic bug for the controls: Z = G L instead of G L^T (rows N(0, L^T L), not V).
    func wrongFactorDraw(_ l: Matrix, n: Int, _ stream: inout RandomStream) -> Matrix {
        let z = Matrix(rows: n, columns: l.rows, elements: stream.normals(n * l.rows)) * l
        return (z.transposed * z).symmetrised
    }

    @Test func meanIsNTimesV() throws {
        // E[S] = n V; Var(S_ij) = n (V_ij^2 + V_ii V_jj). Entrywise z-tests of the mean of 2e4
        // draws, Bonferroni over the 15 entries, alpha = 1e-6.
        let model = try Self.model()
        let n = 10
        var sampler = try model.wishartSampler(degreesOfFreedom: n)
        let v = model.populationMatrix
        var variance = Matrix(rows: 5, columns: 5)
        for i in 0..<5 { for j in 0..<5 { variance[i, j] = Double(n) * (v[i, j] * v[i, j] + v[i, i] * v[j, j]) } }
        let test = EntrywiseMeanTest(expected: Double(n) * v, variance: variance, alpha: perTestAlpha)
        var stream = RandomStream(seed: 801)
        let draws = (0..<Self.draws).map { _ in sampler.draw(using: &stream) }
        let result = try test.evaluate(draws)
        #expect(!result.rejects, "max |z| = \(result.maxZ)")
        // Control 1: the normalised Wishart S / n (mean V, not n V) is rejected.
        #expect(try test.evaluate(draws.map { (1.0 / Double(n)) * $0 }).rejects)
        // Control 2: Z = G L (mean n L^T L): rejected, since L^T L != L L^T for this V.
        let l = try v.choleskyFactor()
        var control = RandomStream(seed: 802)
        let wrong = (0..<Self.draws).map { _ in wrongFactorDraw(l, n: n, &control) }
        #expect(try test.evaluate(wrong).rejects)
    }

    @Test func quadraticFormsAreScaledChiSquares() throws {
        // For any fixed u, Z u has i.i.d. N(0, u^T V u) entries, so u^T S u / (u^T V u) ~ chi^2_n
        // exactly. Seven directions: the spike v (variance xi^2 + theta), a unit w orthogonal to
        // it (variance xi^2) and the five coordinate axes. KS (DKW) against the chi^2_10 cdf,
        // Bonferroni alpha / 7 each; the test rejects when any direction does. This checks the
        // whole distribution along each direction, not only the mean.
        let model = try Self.model()
        let n = 10
        var sampler = try model.wishartSampler(degreesOfFreedom: n)
        let v = model.spike
        let population = model.populationMatrix
        var w = [Double](repeating: 0, count: 5)
        w[0] = 1
        w = w.subtracting(v.scaled(by: v[0])).normalised
        let axes = (0..<5).map { k in (0..<5).map { $0 == k ? 1.0 : 0.0 } }
        let directions = [v, w] + axes
        let chi2 = try ChiSquare(degreesOfFreedom: Double(n))
        let cdf: (Double) -> Double = { x in (try? chi2.cdf(max(x, 0))) ?? .nan }
        func rejects(_ draws: [Matrix]) throws -> Bool {
            try directions.contains { u in
                let scale = u.dot(population.multiplied(by: u))
                return try dkwRejects(draws.map { u.dot($0.multiplied(by: u)) / scale }, cdf: cdf,
                                      alpha: perTestAlpha / Double(directions.count))
            }
        }
        var stream = RandomStream(seed: 803)
        #expect(try !rejects((0..<Self.draws).map { _ in sampler.draw(using: &stream) }))
        // Control: with Z = G L, u^T S u / (u^T V u) is chi^2_10 times u^T L^T L u / u^T V u. A
        // scale error of 10% moves the chi^2_10 cdf by about 0.07, 3.5 times the DKW radius
        // (0.02 at N = 2e4); the largest error over the seven directions is printed and must
        // exceed 10% for the control to be meaningful.
        let l = try population.choleskyFactor()
        let worstScale = directions.map { u in abs(u.dot(naiveQuadratic(l, u)) / u.dot(population.multiplied(by: u)) - 1) }.max()!
        print("control: largest relative scale error of Z = G L over the directions = \(worstScale)")
        #expect(worstScale > 0.1)
        var control = RandomStream(seed: 804)
        #expect(try rejects((0..<Self.draws).map { _ in wrongFactorDraw(l, n: n, &control) }))
    }

    /// L^T L v, by plain loops.
    func naiveQuadratic(_ l: Matrix, _ v: [Double]) -> [Double] {
        let lv = l.multiplied(by: v)
        return l.transposed.multiplied(by: lv)
    }

    @Test func inPlaceAndAllocatingDrawsAgree() throws {
        let model = try Self.model()
        var a = try model.wishartSampler(degreesOfFreedom: 10)
        var b = a
        var s1 = RandomStream(seed: 805)
        var s2 = s1
        var result = Matrix(rows: 5, columns: 5)
        for _ in 0..<10 {
            a.draw(into: &result, using: &s1)
            #expect(result == b.draw(using: &s2))
            #expect(result.asymmetry == 0)
        }
        // A wrongly shaped result is replaced, not a crash.
        var wrongShape = Matrix(rows: 2, columns: 3)
        a.draw(into: &wrongShape, using: &s1)
        #expect(wrongShape.rows == 5 && wrongShape.columns == 5)
        // n < d gives a singular (rank n) draw, still symmetric PSD.
        var lowRank = try model.wishartSampler(degreesOfFreedom: 2)
        let s = lowRank.draw(using: &s1)
        #expect(throws: LinearAlgebraError.self) { try s.choleskyFactor() }
    }

    @Test func refusesInvalidParameters() throws {
        #expect(throws: InstanceError.invalidCount(name: "degreesOfFreedom", value: 0, requirement: ">= 1")) {
            try WishartSampler(degreesOfFreedom: 0, scale: Matrix.identity(3))
        }
        #expect(throws: InstanceError.linearAlgebra(.notPositiveDefinite(leadingMinor: 2))) {
            try WishartSampler(degreesOfFreedom: 3, scale: Matrix.diagonal([1, -1, 1]))
        }
        #expect(throws: InstanceError.linearAlgebra(.notSquare(rows: 2, columns: 3))) {
            try WishartSampler(degreesOfFreedom: 3, scale: Matrix(rows: 2, columns: 3))
        }
        #expect(throws: InstanceError.linearAlgebra(.nonFinite)) {
            try WishartSampler(degreesOfFreedom: 3, scale: Matrix.diagonal([1, .nan]))
        }
        #expect(throws: InstanceError.invalidCount(name: "scale.rows", value: 0, requirement: ">= 1")) {
            try WishartSampler(degreesOfFreedom: 3, scale: Matrix(rows: 0, columns: 0))
        }
    }
}
