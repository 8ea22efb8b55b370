import Foundation
import Randomness
import Testing

/// The generator's ziggurat table: 1024 layers of equal area V under f(x) = exp(-x^2 / 2),
/// stored as constants (scripts/ziggurat-tables) and checked here against their definition.
@Suite struct ZigguratTableTests {
    let x = NormalSampler.layerEdges
    let densities = NormalSampler.layerDensities
    let r = NormalSampler.tailStart
    let v = NormalSampler.layerArea
    let layers = 1024

    func f(_ t: Double) -> Double { exp(-0.5 * t * t) }

    /// R and V for 1024 layers as scripts/ziggurat-tables computes them in 200-bit arithmetic
    /// (mpmath: R the root of the closure condition, rounded once to a double; V = R f(R) +
    /// sqrt(pi/2) erfc(R / sqrt 2) at that R, 20 digits), independently of this machine's libm.
    static let referenceTailStart = 4.038849846109504
    static let referenceLayerArea = 0.0012263246463530898214

    @Test func baseLayerHoldsTheRectangleAndTheTail() {
        // The stored R is the 200-bit root rounded once: exactly the reference double.
        #expect(r == Self.referenceTailStart, "R = \(r)")
        // V = R f(R) + integral_R^inf f, with libm's exp and erfc (a few ulp each; 16 eps covers
        // the sum), against the 200-bit value.
        #expect(abs(v - Self.referenceLayerArea) <= 16 * Double.ulpOfOne * Self.referenceLayerArea, "V = \(v)")
        #expect(x.count == layers + 1 && densities.count == layers + 1)
        #expect(x[layers] == 0)
        // The base layer's virtual width: x[0] f(R) = V (x[0] rounded once, f(R) by libm within
        // 1 ulp, one product: 4 eps).
        #expect(abs(x[0] * f(r) - v) <= 4 * Double.ulpOfOne * v)
        #expect(zip(x.dropFirst(), x.dropFirst(2)).allSatisfy { $0 > $1 })  // strictly decreasing
    }

    @Test func storedDensitiesAreTheDensityAtTheEdges() {
        // f[i] is exp(-x[i]^2 / 2) of the stored x[i], rounded once from 200-bit arithmetic
        // (1/2 ulp). Recomputed here: x^2 / 2 rounds by 1/2 ulp relative, which moves exp by
        // (x^2 / 2) eps relative, and libm's exp adds 1 ulp: within (2 + x^2 / 2) eps relative.
        for i in 0...layers {
            let tolerance = (2 + x[i] * x[i] / 2) * Double.ulpOfOne * densities[i]
            #expect(abs(densities[i] - f(x[i])) <= tolerance, "f[\(i)] = \(densities[i]) vs \(f(x[i]))")
        }
    }

    @Test func everyLayerHasAreaV() {
        // Layer i (1 ... 1022) is [0, x_i] x [f(x_i), f(x_{i+1})]. Recomputing f(x) = exp(-x^2/2)
        // from a stored x with relative error ~2 eps errs by about (1 + x^2) 2 eps relative; the
        // difference f(x_{i+1}) - f(x_i) amplifies that by (f_i + f_{i+1}) / (f_{i+1} - f_i).
        // The stored x_i are the exact edges rounded once, which the same bound covers.
        for i in 1..<(layers - 1) {
            let (fi, fj) = (f(x[i]), f(x[i + 1]))
            let area = x[i] * (fj - fi)
            let tolerance = 4 * Double.ulpOfOne * (1 + x[i] * x[i]) * (fi + fj) / (fj - fi) * v + 4 * Double.ulpOfOne * v
            #expect(abs(area - v) <= tolerance, "layer \(i): area \(area) vs V \(v)")
        }
    }

    @Test func topLayerCloses() {
        // The top layer [0, x_1023] x [f(x_1023), 1] must again have area V. In exact arithmetic
        // it does for the exact R; R is a double, and the closure's sensitivity to R is 4908
        // relative per unit of R (central difference in 200-bit arithmetic, printed by
        // scripts/ziggurat-tables), so half an ulp of R (4.4e-16) may move it by 2.18e-12.
        // Evaluation here: 1 - f = -expm1(-x^2 / 2) to a few ulp, x rounded once: 16 eps.
        func closure(_ edge: Double) -> Double { abs(edge * -expm1(-0.5 * edge * edge) - v) / v }
        let tolerance = 4908 * r.ulp / 2 + 16 * Double.ulpOfOne
        #expect(closure(x[layers - 1]) <= tolerance, "top layer misses V by \(closure(x[layers - 1])) relative")
        // Control: a top edge 1e-10 relative off (a table from a recurrence that drifted) moves
        // the top layer's area by about 3e-10 relative (x (1 - f(x)) ~ x^3 / 2 near 0), 140
        // times the tolerance.
        #expect(closure(x[layers - 1] * (1 + 1e-10)) > tolerance)
    }
}
