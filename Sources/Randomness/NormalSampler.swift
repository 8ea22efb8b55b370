import Foundation
internal import CPUFeatures
internal import NormalKernels

/// Standard-normal sampling: a 1024-layer Marsaglia–Tsang ziggurat on eight interleaved
/// xoshiro256++ lanes, vectorised in C (Sources/NormalKernels) for the baseline, AVX2 and
/// AVX-512 and chosen at run time, with bit-identical output on all of them.
///
/// A stream's normals are z0, z1, ...: block b takes one word from every lane and lane k's
/// word decides z(8b + k) (99.57% of words on the fast path: a product and a compare); a value
/// that fails the fast test is finished by the wedge test or Marsaglia's exact tail on a
/// separate scalar stream, in the order of the values. `fill`, `normals(_:)` and `normal()`
/// hand out consecutive values of that one sequence, so any split of a request gives the same
/// numbers. docs/ENGINE.md, "Random streams", states the definition and what is bit-identical.
public enum NormalSampler {
    /// The instruction sets the generator is compiled for; the widest one the CPU supports is
    /// used unless a caller asks for another. All write the same bits, so the choice changes
    /// speed only (tests and `harness-bench` compare them).
    public enum InstructionSet: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
        /// The target's baseline (SSE2 on x86-64), available everywhere.
        case baseline = 0
        /// 256-bit AVX2 (x86-64 only).
        case avx2 = 1
        /// 512-bit AVX-512F (x86-64 only).
        case avx512 = 2

        /// The widest instruction set this CPU and OS support.
        public static var best: InstructionSet { InstructionSet(rawValue: Int(cpu_best_instruction_set())) ?? .baseline }

        /// The instruction sets usable here, narrowest first.
        public static var available: [InstructionSet] { allCases.filter { $0 <= best } }

        public static func < (a: InstructionSet, b: InstructionSet) -> Bool { a.rawValue < b.rawValue }

        public var description: String {
            switch self {
            case .baseline: "baseline"
            case .avx2: "AVX2"
            case .avx512: "AVX-512"
            }
        }
    }

    /// The number of interleaved generator lanes (values are made a block of this many at a time).
    public static let lanes = Int(normal_lanes)

    /// The layer edges x[0...1024] of the generator's table (x[0] = V / f(R) is the base layer's
    /// virtual width, x[1] = R, x[1024] = 0): constants computed with 200-bit arithmetic
    /// (scripts/ziggurat-tables), exposed so tests can check them. Every layer i = 1...1022 has
    /// area x[i] (f(x[i+1]) - f(x[i])) = V, and the top layer closes, x[1023] (1 - f(x[1023])) = V.
    public static let layerEdges: [Double] = Array(UnsafeBufferPointer(start: normal_ziggurat_edges(), count: Int(normal_table_size)))

    /// The densities f[i] = exp(-x[i]^2 / 2) at the layer edges, as the generator stores them.
    public static let layerDensities: [Double] = Array(UnsafeBufferPointer(start: normal_ziggurat_densities(), count: Int(normal_table_size)))

    /// Right edge of the base layer for 1024 layers of equal area (Marsaglia & Tsang, 2000): x[1],
    /// R = 4.0388; beyond it the generator draws from the exact tail.
    public static var tailStart: Double { layerEdges[1] }

    /// The common area V of every layer (for the unnormalised density exp(-x^2 / 2)), from R:
    /// the base layer is the rectangle [0, R] x [0, f(R)] plus the tail, so
    /// V = R f(R) + sqrt(pi / 2) erfc(R / sqrt 2), computed here with libm to check the table.
    public static let layerArea: Double = {
        let r = layerEdges[1]
        return r * exp(-0.5 * r * r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
    }()

    /// Fills `buffer` with the next standard normals of `stream`, generated with
    /// `instructionSet` (clamped to what the CPU supports; the values do not depend on it).
    public static func fill(_ buffer: UnsafeMutableBufferPointer<Double>, from stream: inout RandomStream,
                            instructionSet: InstructionSet = .best) {
        guard let out = buffer.baseAddress else { return }
        let key = stream.key
        stream.normalState.fill(out, count: buffer.count, key: key, instructionSet: Int32(instructionSet.rawValue))
    }

    /// Fills `array` with the next standard normals of `stream`.
    public static func fill(_ array: inout [Double], from stream: inout RandomStream) {
        array.withUnsafeMutableBufferPointer { fill($0, from: &stream) }
    }

    /// The next standard normal of `stream` (the same value `fill` would have written next).
    public static func next(from stream: inout RandomStream) -> Double {
        var value = 0.0
        withUnsafeMutablePointer(to: &value) { fill(UnsafeMutableBufferPointer(start: $0, count: 1), from: &stream) }
        return value
    }

    /// `count` draws of |Z| given |Z| > R from the generator's tail sampler alone, on a slow
    /// stream seeded by four words of `stream`: the far tail (beyond 6 sigma, about 8e-6 of
    /// these draws) is testable only this way, since 1e10 normals would be needed to see it.
    public static func tailDraws(_ count: Int, from stream: inout RandomStream) -> [Double] {
        precondition(count >= 0, "tailDraws needs count >= 0")
        var slow = SIMD4<UInt64>(stream.next(), stream.next(), stream.next(), stream.next()).validXoshiroState
        var values = [Double](repeating: 0, count: count)
        withUnsafeMutableBytes(of: &slow) { slowBytes in
            values.withUnsafeMutableBufferPointer {
                normal_tail_draws(slowBytes.baseAddress!.assumingMemoryBound(to: UInt64.self), $0.baseAddress, count)
            }
        }
        return values
    }

    /// exp(x) for x <= 0 as the generator's slow path computes it (a fixed polynomial, the same
    /// bits on every machine; arguments below -708 are clamped there). For accuracy tests.
    public static func kernelExponential(_ x: Double) -> Double { normal_exp_nonpositive(x) }

    /// log(x) for a positive normal x as the generator's tail computes it (a fixed polynomial).
    /// For accuracy tests.
    public static func kernelLogarithm(_ x: Double) -> Double { normal_log(x) }
}

extension NormalState {
    /// Writes the next `count` values to `out`: first what remains of the last block, then
    /// whole blocks straight into `out`, then one more block into `pending` for the rest.
    mutating func fill(_ out: UnsafeMutablePointer<Double>, count: Int, key: UInt64, instructionSet: Int32) {
        let lanes = NormalSampler.lanes
        var out = out
        var remaining = count
        while remaining > 0 && pendingCount > 0 {
            out.pointee = pending[lanes - pendingCount]
            pendingCount -= 1
            out += 1
            remaining -= 1
        }
        guard remaining > 0 else { return }
        if !isSeeded { seed(key: key) }
        let blocks = remaining / lanes
        let partial = remaining - blocks * lanes
        withUnsafeMutableBytes(of: &self.lanes) { lanesBytes in
            withUnsafeMutableBytes(of: &slow) { slowBytes in
                let lanesWords = lanesBytes.baseAddress!.assumingMemoryBound(to: UInt64.self)
                let slowWords = slowBytes.baseAddress!.assumingMemoryBound(to: UInt64.self)
                if blocks > 0 { normal_fill_blocks(lanesWords, slowWords, out, blocks, instructionSet) }
                if partial > 0 {
                    withUnsafeMutableBytes(of: &pending) { pendingBytes in
                        normal_fill_blocks(lanesWords, slowWords, pendingBytes.baseAddress!.assumingMemoryBound(to: Double.self), 1, instructionSet)
                    }
                }
            }
        }
        guard partial > 0 else { return }
        out += blocks * lanes
        for i in 0..<partial { out[i] = pending[i] }
        pendingCount = lanes - partial
    }
}

extension RandomStream {
    /// The next standard normal.
    public mutating func normal() -> Double { NormalSampler.next(from: &self) }

    /// The next `count` standard normals.
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
