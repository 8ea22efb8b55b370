import Testing
import Statistics

/// Reference values: scipy 1.17.1, `scipy.stats.norm.cdf / sf / ppf / isf` (printed with repr).
struct NormalTests {
    // (x, Φ(x), 1 − Φ(x)) from scipy.stats.norm.cdf(x), norm.sf(x).
    static let cdfTable: [(Double, Double, Double)] = [
        (-37.5, 4.605353009581954e-308, 1.0),
        (-10, 7.61985302416047e-24, 1.0),
        (-3, 0.0013498980316300933, 0.9986501019683699),
        (-1, 0.15865525393145707, 0.8413447460685429),
        (0, 0.5, 0.5),
        (0.5, 0.6914624612740131, 0.3085375387259869),
        (1.96, 0.9750021048517795, 0.024997895148220435),
        (8, 0.9999999999999993, 6.22096057427174e-16),
    ]

    @Test func cdfAndSurvivalMatchScipy() {
        // Tolerance 1e-14 + 2x²ε relative: glibc erfc is accurate to ~1 ulp, and rounding the
        // argument x/√2 (relative error ≤ ε) moves erfc(z) by 2z²·ε = x²·ε relative, since
        // d ln erfc(z)/dz ≈ −2z in the tail; the factor 2 covers the reference's own rounding.
        for (x, cdf, sf) in Self.cdfTable {
            let tolerance = 1e-14 + 2 * x * x * Double.ulpOfOne
            #expect(isClose(Normal.cdf(x), cdf, relative: tolerance), "cdf(\(x))")
            #expect(isClose(Normal.survival(x), sf, relative: tolerance), "sf(\(x))")
        }
    }

    @Test func quantileMatchesScipy() throws {
        // (p, Φ⁻¹(p)) from scipy.stats.norm.ppf(p).
        let table: [(Double, Double)] = [
            (1e-300, -37.0470962993612), (1e-20, -9.262340089798409),
            (1e-10, -6.361340902404056), (0.001, -3.090232306167813),
            (0.02425, -1.972961051311885), (0.3, -0.5244005127080409), (0.5, 0),
            (0.975, 1.959963984540054), (0.999999, 4.753424308817087),
        ]
        // Tolerance 4e-15 relative (18 ulps): after two Halley steps x solves Φ(x) = p up to
        // Φ's own error δΦ ≈ 2ε·Φ, so δx = δΦ/φ(x) and δx/|x| ≈ 2ε·Φ(x)/(φ(x)|x|) ≤ 4ε on this
        // table (Mills ratio Φ/φ ≤ 1/|x| in the tail; ≈ 1.65 at x = −0.52), plus the reference's
        // own ~1 ulp.
        for (p, x) in table {
            #expect(isClose(try Normal.quantile(p), x, relative: 4e-15), "ppf(\(p))")
        }
        // scipy.stats.norm.isf(1e-300) = 37.0470962993612
        #expect(isClose(try Normal.upperQuantile(1e-300), 37.0470962993612, relative: 4e-15))
    }

    @Test func quantileInvertsCdf() throws {
        // Round trip on a grid: Φ(Φ⁻¹(p)) = p to 1e-14 relative (a few ulps of each step).
        for i in 1..<1000 {
            let p = Double(i) / 1000
            #expect(isClose(Normal.cdf(try Normal.quantile(p)), p, relative: 1e-14), "p = \(p)")
        }
    }

    @Test func badInputIsATypedError() {
        #expect(throws: StatisticsError.self) { try Normal.quantile(1.5) }
        #expect(throws: StatisticsError.self) { try Normal.quantile(.nan) }
    }
}
