import Foundation
import Testing
import Statistics

/// Reference values: scipy 1.17.1 (`scipy.special.gammainc/gammaincc/betainc/betaincinv`,
/// `scipy.stats.chi2.sf`, `scipy.stats.t.ppf/cdf`), printed with repr.
struct SpecialFunctionTests {
    @Test func incompleteGammaMatchesScipy() throws {
        // (a, x, P, Q) from scipy.special.gammainc(a, x), gammaincc(a, x).
        let table: [(Double, Double, Double, Double)] = [
            (0.5, 0.1, 0.34527915398142317, 0.6547208460185768),
            (3, 2, 0.32332358381693654, 0.6766764161830634),
            (10, 25, 0.9997785233617512, 0.0002214766382487835),
            (50, 40, 0.07033506665939494, 0.9296649333406051),
        ]
        for (a, x, p, q) in table {
            // Prefactor exp(a·ln x − x − lnΓ(a)): tolerance from the magnitude of its terms.
            let tolerance = prefactorTolerance(abs(a * log(x)) + x + abs(lgamma(a)))
            #expect(isClose(try IncompleteGamma.lower(a, x), p, relative: tolerance), "P(\(a), \(x))")
            #expect(isClose(try IncompleteGamma.upper(a, x), q, relative: tolerance), "Q(\(a), \(x))")
        }
        #expect(throws: StatisticsError.self) { try IncompleteGamma.lower(-1, 2) }
    }

    @Test func chiSquareSurvivalMatchesScipy() throws {
        // (k, x, P(X > x)) from scipy.stats.chi2.sf(x, k); 7.8147… is the 95% point for k = 3.
        let table: [(Double, Double, Double)] = [
            (3, 7.814727903251178, 0.05), (10, 40, 1.694474393006737e-05), (1, 0.5, 0.47950012218695337),
        ]
        for (k, x, sf) in table {
            let tolerance = prefactorTolerance(abs(k / 2 * log(x / 2)) + x / 2 + abs(lgamma(k / 2)))
            #expect(isClose(try ChiSquare(degreesOfFreedom: k).survival(x), sf, relative: tolerance))
        }
    }

    @Test func incompleteBetaMatchesScipy() throws {
        // (x, a, b, I_x(a, b)) from scipy.special.betainc(a, b, x).
        let table: [(Double, Double, Double, Double)] = [
            (0.3, 2, 5, 0.5798250000000003), (0.9, 0.5, 0.5, 0.7951672353008665),
            (0.01, 30, 3000, 0.5457023545879915), (0.999, 200, 2, 0.9823785953743628),
        ]
        for (x, a, b, value) in table {
            let tolerance = prefactorTolerance(betaPrefactorMagnitude(x: x, a: a, b: b))
            #expect(isClose(try IncompleteBeta.regularized(x: x, a: a, b: b), value, relative: tolerance),
                    "I_\(x)(\(a), \(b))")
        }
    }

    @Test func inverseIncompleteBetaMatchesScipy() throws {
        // (p, a, b, x) from scipy.special.betaincinv(a, b, p).
        let table: [(Double, Double, Double, Double)] = [
            (0.025, 5, 16, 0.08657146910143461), (0.975, 6, 15, 0.49104587170795744),
            (1e-08, 2, 3, 4.082594021609242e-05), (0.5, 0.3, 0.7, 0.15877468697850153),
        ]
        for (p, a, b, x) in table {
            // The forward error δI ≈ tol·I maps to δx = δI / density; we check the defining
            // equation I_x = p at the forward tolerance, and x itself at 1e-12 (the condition
            // number I/(x·density) of these points is below 10, times the forward tolerance).
            let found = try IncompleteBeta.inverse(p: p, a: a, b: b)
            let tolerance = prefactorTolerance(betaPrefactorMagnitude(x: x, a: a, b: b))
            #expect(isClose(try IncompleteBeta.regularized(x: found, a: a, b: b), p, relative: 10 * tolerance))
            #expect(isClose(found, x, relative: 1e-12), "betaincinv(\(a), \(b), \(p))")
        }
    }

    @Test func studentTMatchesScipy() throws {
        // (p, ν, t) from scipy.stats.t.ppf(p, ν).
        let table: [(Double, Double, Double)] = [
            (0.975, 1, 12.706204736174694), (0.975, 5, 2.5705818356363146),
            (0.95, 30, 1.697260886593957), (0.001, 3, -10.214531852407385), (0.99, 2.5, 5.353111173030872),
        ]
        // 1e-12 relative: the inverse beta's 1e-14-level error, amplified by the map
        // x ↦ √(ν(1−x)/x) whose condition number is ≤ 1/(2x) ≤ 50 at these points.
        for (p, nu, t) in table {
            #expect(isClose(try StudentT(degreesOfFreedom: nu).quantile(p), t, relative: 1e-12), "t(\(p), \(nu))")
        }
        // scipy.stats.t.cdf(-2.5, 7) = 0.020496109292876444
        #expect(isClose(try StudentT(degreesOfFreedom: 7).cdf(-2.5), 0.020496109292876444, relative: 1e-13))
    }
}
