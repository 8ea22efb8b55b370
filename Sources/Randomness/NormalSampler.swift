import Foundation

/// Standard-normal sampling by the Marsaglia–Tsang ziggurat (256 layers, 64-bit draws).
///
/// One 64-bit word gives both the layer (low 8 bits) and the abscissa (high 52 bits); about
/// 98.8% of draws return after one comparison. The tail beyond R uses Marsaglia's exact
/// exponential method, so the distribution is exact up to floating-point rounding.
public enum NormalSampler {
    /// Right edge of the base layer for 256 layers of equal area (Marsaglia & Tsang, 2000).
    public static let tailStart = 3.6541528853610088
    /// The common area V of every layer (for the unnormalised density exp(-x^2 / 2)).
    ///
    /// Derived from R rather than typed in: the base layer is the rectangle [0, R] x [0, f(R)]
    /// plus the tail, so V = R f(R) + sqrt(pi / 2) erfc(R / sqrt(2)). The 12-digit literal
    /// 4.92867323399e-3 that is often quoted is 3e-12 relative too large, and the layer
    /// recurrence amplifies that about 300-fold: the top layer then misses V by 1e-9 relative
    /// instead of closing to rounding error (about 1e-13). See `layerEdges`.
    public static let layerArea: Double = {
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

    /// The layer edges x[0...256] the sampler uses (x[0] = V / f(R) is the base layer's virtual
    /// width, x[1] = R, x[256] = 0), exposed so tests can check the table: every layer
    /// i = 1...255 has area x[i] (f(x[i+1]) - f(x[i])) = V, and the top layer closes,
    /// x[255] (1 - f(x[255])) = V.
    public static var layerEdges: [Double] { tables.x }

    /// Fills `buffer` with independent standard-normal draws from `stream`.
    public static func fill(_ buffer: UnsafeMutableBufferPointer<Double>, from stream: inout RandomStream) {
        let (xTable, fTable) = tables
        xTable.withUnsafeBufferPointer { xt in
            fTable.withUnsafeBufferPointer { ft in
                for i in 0..<buffer.count {
                    buffer[i] = draw(&stream, xt, ft)
                }
            }
        }
    }

    /// Fills `array` with independent standard-normal draws from `stream`.
    public static func fill(_ array: inout [Double], from stream: inout RandomStream) {
        array.withUnsafeMutableBufferPointer { fill($0, from: &stream) }
    }

    /// One standard-normal draw (slower per value than `fill`, which reads the tables once).
    public static func next(from stream: inout RandomStream) -> Double {
        let (xTable, fTable) = tables
        return xTable.withUnsafeBufferPointer { xt in
            fTable.withUnsafeBufferPointer { ft in draw(&stream, xt, ft) }
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

extension RandomStream {
    /// One standard-normal draw.
    public mutating func normal() -> Double { NormalSampler.next(from: &self) }

    /// `count` independent standard-normal draws.
    public mutating func normals(_ count: Int) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        NormalSampler.fill(&values, from: &self)
        return values
    }

    /// A point uniform on the unit sphere of R^dimension (a normalised Gaussian vector).
    public mutating func unitVector(dimension: Int) -> [Double] {
        precondition(dimension > 0, "unitVector needs dimension >= 1")
        while true {
            let g = normals(dimension)
            let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 1e-300 { return g.map { $0 / norm } }
        }
    }
}
