import Foundation
import LinearAlgebra
import Randomness
import Testing

/// The SIMD reductions and exp used by the attention layer's hot loop.
@Suite("Vector kernels")
struct VectorKernelsTests {
    @Test("dot, sum and range agree with plain loops for every length 0...40")
    func reductionsMatchPlainLoops() {
        var stream = RandomStream(seed: 3)
        for n in 0...40 {
            let a = stream.normals(n), b = stream.normals(n)
            let dot = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in VectorKernels.dot(pa.baseAddress!, pb.baseAddress!, count: n) } }
            let sum = a.withUnsafeBufferPointer { VectorKernels.sum($0.baseAddress!, count: n) }
            let range = a.withUnsafeBufferPointer { VectorKernels.range($0.baseAddress!, count: n) }
            // Reordered sums differ from the plain loop by at most n eps sum |terms| (Higham's bound).
            let dotBound = Double(n) * Double.ulpOfOne * zip(a, b).reduce(0) { $0 + abs($1.0 * $1.1) }
            #expect(abs(dot - zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }) <= dotBound)
            #expect(abs(sum - a.reduce(0, +)) <= Double(n) * Double.ulpOfOne * a.reduce(0) { $0 + abs($1) })
            #expect(range.min == (a.min() ?? .infinity) && range.max == (a.max() ?? -.infinity))
        }
    }

    @Test("expOfNonPositive is within 2 ulp of Foundation's exp on [-708, 0], and clamps below")
    func expMatchesFoundation() {
        var stream = RandomStream(seed: 4)
        var values = (0..<10_003).map { _ in -708 * stream.uniform() * stream.uniform() } + [0, -1e-300, -0.5 * log(2.0), -708, -800]
        let inputs = values
        values.withUnsafeMutableBufferPointer { VectorKernels.expOfNonPositive($0.baseAddress!, count: $0.count) }
        var worst = 0.0
        for (x, y) in zip(inputs, values) where x >= -708 {
            let exact = exp(x)
            worst = max(worst, abs(y - exact) / exact.ulp)
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
        #expect(values.last! == exp(-708.0) || abs(values.last! - exp(-708.0)) <= 2 * exp(-708.0).ulp, "below -708 the result is clamped to exp(-708)")
        #expect(values[values.count - 5] == 1, "exp(0) must be exactly 1")
    }
}
