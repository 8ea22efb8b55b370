import Foundation
import Randomness

/// The harness's previous standard-normal generator, kept here only as the benchmark's
/// baseline for the vectorised one (`NormalSampler`, Sources/NormalKernels): the scalar
/// Marsaglia–Tsang ziggurat (256 layers) on the stream's words, with libm's exp and log.
/// Verbatim but for names and access; nothing else uses it.
enum ScalarZiggurat {
    /// Right edge of the base layer for 256 layers of equal area (Marsaglia & Tsang, 2000).
    static let tailStart = 3.6541528853610088
    /// The common area V of every layer (for the unnormalised density exp(-x^2 / 2)).
    ///
    /// Derived from R rather than typed in: the base layer is the rectangle [0, R] x [0, f(R)]
    /// plus the tail, so V = R f(R) + sqrt(pi / 2) erfc(R / sqrt(2)). The 12-digit literal
    /// 4.92867323399e-3 that is often quoted is 3e-12 relative too large, and the layer
    /// recurrence amplifies that about 300-fold: the top layer then misses V by 1e-9 relative
    /// instead of closing to rounding error (about 1e-13). See `layerEdges`.
    static let layerArea: Double = {
        let r = tailStart
        return r * exp(-0.5 * r * r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
    }()

    /// Layer abscissae x[0...256] (x[0] is the base layer's virtual width, x[256] = 0) and
    /// the density at each, f[i] = exp(-x[i]^2 / 2).
    static let tables: (x: [Double], f: [Double]) = {
        var x = [Double](repeating: 0, count: 257)
        let r = tailStart
        let fr = exp(-0.5 * r * r)
        x[0] = layerArea / fr
        x[1] = r
        for i in 2..<256 {
            x[i] = (-2 * log(layerArea / x[i - 1] + exp(-0.5 * x[i - 1] * x[i - 1]))).squareRoot()
        }
        x[256] = 0
        let f = x.map { exp(-0.5 * $0 * $0) }
        return (x, f)
    }()

    /// Fills `buffer` with independent standard-normal draws from `stream`.
    static func fill(_ buffer: UnsafeMutableBufferPointer<Double>, from stream: inout RandomStream) {
        let (xTable, fTable) = tables
        xTable.withUnsafeBufferPointer { xt in
            fTable.withUnsafeBufferPointer { ft in
                for i in 0..<buffer.count {
                    buffer[i] = draw(&stream, xt, ft)
                }
            }
        }
    }

    @inline(__always)
    private static func draw(
        _ stream: inout RandomStream,
        _ x: UnsafeBufferPointer<Double>,
        _ f: UnsafeBufferPointer<Double>
    ) -> Double {
        while true {
            let bits = stream.next()
            let layer = Int(bits & 0xFF)
            // Uniform in [-1, 1) from the high 52 bits.
            let u = Double(bitPattern: (bits >> 12) | 0x3FF0_0000_0000_0000) * 2 - 3
            let candidate = u * x[layer]
            if abs(candidate) < x[layer + 1] { return candidate }
            if layer == 0 { return tail(&stream, negative: u < 0) }
            let y = f[layer + 1] + (f[layer] - f[layer + 1]) * stream.uniform()
            if y < exp(-0.5 * candidate * candidate) { return candidate }
        }
    }

    /// Marsaglia's exact sampler for the normal tail beyond `tailStart`.
    private static func tail(_ stream: inout RandomStream, negative: Bool) -> Double {
        var x = 0.0
        var y = 0.0
        repeat {
            x = log(stream.openUniform()) / tailStart
            y = log(stream.openUniform())
        } while -2 * y < x * x
        return negative ? x - tailStart : tailStart - x
    }
}
