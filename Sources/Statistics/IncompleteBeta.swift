import Foundation

/// The regularised incomplete beta function I_x(a, b) and its inverse in x.
///
/// Continued fraction by modified Lentz (Numerical Recipes §6.4), using the symmetry
/// I_x(a, b) = 1 − I_{1−x}(b, a) so the fraction always converges fast; about 1e-14 relative.
/// The inverse is a safeguarded Newton iteration (bisection fallback) to about 1e-14 relative.
public enum IncompleteBeta {
    /// I_x(a, b) for a, b > 0 and x in [0, 1].
    public static func regularized(x: Double, a: Double, b: Double) throws -> Double {
        try validate(a, b)
        try StatisticsError.require(x >= 0 && x <= 1, "x", x, "in [0, 1]")
        return value(x, a, b)
    }

    /// The x in [0, 1] with I_x(a, b) = p (the quantile of the Beta(a, b) distribution).
    public static func inverse(p: Double, a: Double, b: Double) throws -> Double {
        try validate(a, b)
        try StatisticsError.require(p >= 0 && p <= 1, "p", p, "in [0, 1]")
        if p == 0 { return 0 }
        if p == 1 { return 1 }
        var lo = 0.0
        var hi = 1.0
        var x = initialGuess(p, a, b)
        let logBeta = lgamma(a) + lgamma(b) - lgamma(a + b)
        for _ in 0..<200 {
            let f = value(x, a, b) - p
            if f < 0 { lo = x } else { hi = x }
            if f == 0 { return x }
            let density = exp((a - 1) * log(x) + (b - 1) * log1p(-x) - logBeta)
            var next = x - f / density
            if !(next > lo && next < hi) || !next.isFinite { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 1e-15 * x || hi - lo <= 4 * Double.ulpOfOne * hi { return next }
            x = next
        }
        return x
    }

    static func validate(_ a: Double, _ b: Double) throws {
        try StatisticsError.require(a > 0 && a.isFinite, "a", a, "finite and > 0")
        try StatisticsError.require(b > 0 && b.isFinite, "b", b, "finite and > 0")
    }

    static func value(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x == 0 { return 0 }
        if x == 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a, b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, b, a) / b
    }

    static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<100_000 {
            let mm = Double(m), m2 = 2 * mm
            var aa = mm * (b - mm) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + mm) * (qab + mm) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }

    /// Numerical Recipes' starting point for the inverse (§6.14).
    static func initialGuess(_ p: Double, _ a: Double, _ b: Double) -> Double {
        if a >= 1 && b >= 1 {
            let pp = p < 0.5 ? p : 1 - p
            let t = (-2 * log(pp)).squareRoot()
            var x = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
            if p < 0.5 { x = -x }
            let al = (x * x - 3) / 6
            let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
            let w = x * (al + h).squareRoot() / h
                - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5.0 / 6 - 2 / (3 * h))
            let guess = a / (a + b * exp(2 * w))
            return min(max(guess, 1e-300), 1 - 1e-16)
        }
        let lna = log(a / (a + b)), lnb = log(b / (a + b))
        let t = exp(a * lna) / a, u = exp(b * lnb) / b
        let w = t + u
        let guess = p < t / w ? pow(a * w * p, 1 / a) : 1 - pow(b * w * (1 - p), 1 / b)
        return min(max(guess, 1e-300), 1 - 1e-16)
    }
}
