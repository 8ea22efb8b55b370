import Foundation
import Randomness
import Testing

/// The ziggurat's table: 256 layers of equal area V under f(x) = exp(-x^2 / 2).
@Suite struct ZigguratTableTests {
    let x = NormalSampler.layerEdges
    let r = NormalSampler.tailStart
    let v = NormalSampler.layerArea

    func f(_ t: Double) -> Double { exp(-0.5 * t * t) }

    @Test func baseLayerHoldsTheRectangleAndTheTail() {
        // V = R f(R) + integral_R^inf f = R f(R) + sqrt(pi/2) erfc(R / sqrt 2): the definition of
        // V given R. erfc and exp are accurate to a few ulp; 16 eps covers the sum.
        let exact = r * f(r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
        #expect(abs(v - exact) <= 16 * Double.ulpOfOne * exact)
        #expect(x.count == 257)
        #expect(x[1] == r && x[256] == 0)
        // The base layer's virtual width: x[0] f(R) = V (one division, one product: 4 eps).
        #expect(abs(x[0] * f(r) - v) <= 4 * Double.ulpOfOne * v)
        #expect(zip(x.dropFirst(), x.dropFirst(2)).allSatisfy { $0 > $1 })  // strictly decreasing
    }

    @Test func everyLayerHasAreaV() {
        // Layer i (1...254) is [0, x_i] x [f(x_i), f(x_{i+1})]. Recomputing f(x) = exp(-x^2/2)
        // from a stored x with relative error ~2 eps errs by about (1 + x^2) 2 eps relative; the
        // difference f(x_{i+1}) - f(x_i) amplifies that by (f_i + f_{i+1}) / (f_{i+1} - f_i).
        for i in 1..<255 {
            let (fi, fj) = (f(x[i]), f(x[i + 1]))
            let area = x[i] * (fj - fi)
            let tolerance = 4 * Double.ulpOfOne * (1 + x[i] * x[i]) * (fi + fj) / (fj - fi) * v + 4 * Double.ulpOfOne * v
            #expect(abs(area - v) <= tolerance, "layer \(i): area \(area) vs V \(v)")
        }
    }

    @Test func topLayerCloses() {
        // The recurrence x_{i+1} = f^-1(V / x_i + f(x_i)) runs 254 steps; the top layer
        // [0, x_255] x [f(x_255), 1] must again have area V. Error budget: each step rounds x_i
        // by at most ~4 ulp (log, exp, sqrt, division), and the closure's sensitivity to a
        // relative change of x_i, summed over i = 1...255, is 5.2e4 (finite differences of the
        // recurrence in float64, offline). Bound: 4 eps * 5.2e4 = 4.6e-11 relative; tolerance
        // 5e-11. The often-quoted V = 4.92867323399e-3 misses by 9.9e-10 and fails here.
        let top = x[255] * (1 - f(x[255]))
        let relative = abs(top - v) / v
        #expect(relative <= 5e-11, "top layer area \(top) vs V \(v): relative \(relative)")
    }
}
