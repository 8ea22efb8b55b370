/// Reductions over contiguous `Double` buffers with eight independent accumulators.
///
/// A plain `for` loop summing into one variable is latency-bound (each add waits for the
/// previous one: the compiler may not reassociate floating-point sums), which made the
/// attention layer's dot products over the L tokens its bottleneck. Eight lanes in two SIMD4
/// registers remove the dependency chain. The summation order is fixed, so results are
/// deterministic (though not bit-equal to a left-to-right sum).
public enum VectorKernels {
    /// sum_i a[i] b[i].
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count n: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            s0 += load(a + i) * load(b + i)
            s1 += load(a + i + 4) * load(b + i + 4)
            i += 8
        }
        var total = (s0 + s1).sum()
        while i < n { total += a[i] * b[i]; i += 1 }
        return total
    }

    /// sum_i a[i].
    @inlinable @inline(__always)
    public static func sum(_ a: UnsafePointer<Double>, count n: Int) -> Double {
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            s0 += load(a + i)
            s1 += load(a + i + 4)
            i += 8
        }
        var total = (s0 + s1).sum()
        while i < n { total += a[i]; i += 1 }
        return total
    }

    /// (min_i a[i], max_i a[i]); (+inf, -inf) for an empty buffer.
    @inlinable @inline(__always)
    public static func range(_ a: UnsafePointer<Double>, count n: Int) -> (min: Double, max: Double) {
        var lo = SIMD4<Double>(repeating: .infinity), hi = SIMD4<Double>(repeating: -.infinity)
        var i = 0
        while i + 4 <= n {
            let v = load(a + i)
            lo = pointwiseMin(lo, v)
            hi = pointwiseMax(hi, v)
            i += 4
        }
        var smallest = lo.min(), largest = hi.max()
        while i < n { smallest = Swift.min(smallest, a[i]); largest = Swift.max(largest, a[i]); i += 1 }
        return (smallest, largest)
    }

    /// Replaces each a[i] <= 0 by exp(a[i]), four lanes at a time (softmax weights after the
    /// max is subtracted). Cody-Waite reduction x = n ln 2 + r, |r| <= ln 2 / 2, a degree-13
    /// Taylor polynomial (truncation r^14 / 14! < 5e-18, below half an ulp) and 2^n put in the
    /// exponent bits: within 2 ulp of the true value. Arguments below -708 are clamped there
    /// (exp(-708) = 3.3e-308): next to a largest weight of 1 the difference is invisible.
    /// Written here because Foundation's exp is scalar and was a third of the softmax layer's time.
    @inlinable @inline(__always)
    public static func expOfNonPositive(_ a: UnsafeMutablePointer<Double>, count n: Int) {
        var i = 0
        while i + 4 <= n {
            let v = exp4(load(a + i))
            UnsafeMutableRawPointer(a + i).storeBytes(of: v, as: SIMD4<Double>.self)
            i += 4
        }
        if i < n {
            var tail = SIMD4<Double>(repeating: 0)
            for k in i..<n { tail[k - i] = a[k] }
            let v = exp4(tail)
            for k in i..<n { a[k] = v[k - i] }
        }
    }

    @inlinable @inline(__always)
    static func exp4(_ input: SIMD4<Double>) -> SIMD4<Double> {
        let x = pointwiseMax(input, SIMD4(repeating: -708))
        let shifter = SIMD4<Double>(repeating: 0x1.8p52)
        let shifted = x * SIMD4(repeating: 1.4426950408889634) + shifter  // round(x / ln 2) in the low bits
        let n = shifted - shifter
        let r = (x - n * SIMD4(repeating: 0.6931471803691238)) - n * SIMD4(repeating: 1.9082149292705877e-10)
        // Estrin's scheme for sum_k r^k / k!, k = 0...13 (shorter dependency chains than Horner).
        let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
        @inline(__always) func pair(_ a: Double, _ b: Double) -> SIMD4<Double> { SIMD4(repeating: a) + SIMD4(repeating: b) * r }
        let q0 = pair(1, 1) + pair(1.0 / 2, 1.0 / 6) * r2
        let q1 = pair(1.0 / 24, 1.0 / 120) + pair(1.0 / 720, 1.0 / 5_040) * r2
        let q2 = pair(1.0 / 40_320, 1.0 / 362_880) + pair(1.0 / 3_628_800, 1.0 / 39_916_800) * r2
        let q3 = pair(1.0 / 479_001_600, 1.0 / 6_227_020_800)
        let p = (q0 + q1 * r4) + (q2 + q3 * r4) * r8
        let bits = unsafeBitCast(shifted, to: SIMD4<UInt64>.self)
        let scale = unsafeBitCast((bits &+ SIMD4(repeating: 1023)) &<< SIMD4(repeating: 52), to: SIMD4<Double>.self)
        return p * scale
    }

    @inlinable @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
    }
}
