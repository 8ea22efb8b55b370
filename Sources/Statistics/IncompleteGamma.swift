import Foundation

/// The regularised incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x).
///
/// Series for x < a + 1, Lentz continued fraction otherwise (Numerical Recipes §6.2), each to
/// about 1e-15 relative; the one computed directly is the smaller tail, so neither cancels.
public enum IncompleteGamma {
    /// P(a, x) = γ(a, x) / Γ(a), the lower regularised incomplete gamma function.
    public static func lower(_ a: Double, _ x: Double) throws -> Double {
        try validate(a, x)
        if x == 0 { return 0 }
        return x < a + 1 ? series(a, x) : 1 - continuedFraction(a, x)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a), the upper regularised incomplete gamma function.
    public static func upper(_ a: Double, _ x: Double) throws -> Double {
        try validate(a, x)
        if x == 0 { return 1 }
        return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x)
    }

    static func validate(_ a: Double, _ x: Double) throws {
        try StatisticsError.require(a > 0 && a.isFinite, "a", a, "finite and > 0")
        try StatisticsError.require(x >= 0 && !x.isNaN, "x", x, ">= 0")
    }

    static func prefactor(_ a: Double, _ x: Double) -> Double {
        exp(a * log(x) - x - lgamma(a))
    }

    static func series(_ a: Double, _ x: Double) -> Double {
        var ap = a
        var term = 1 / a
        var sum = term
        for _ in 0..<100_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * prefactor(a, x)
    }

    static func continuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return prefactor(a, x) * h
    }
}

/// The chi-square distribution with `degreesOfFreedom` degrees of freedom.
public struct ChiSquare: Sendable {
    /// The degrees of freedom k (> 0).
    public let degreesOfFreedom: Double

    /// Creates the distribution; throws if `degreesOfFreedom` is not positive and finite.
    public init(degreesOfFreedom: Double) throws {
        try StatisticsError.require(degreesOfFreedom > 0 && degreesOfFreedom.isFinite,
                                    "degreesOfFreedom", degreesOfFreedom, "finite and > 0")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(X ≤ x) = P(k/2, x/2).
    public func cdf(_ x: Double) throws -> Double {
        try x <= 0 ? 0 : IncompleteGamma.lower(degreesOfFreedom / 2, x / 2)
    }

    /// P(X > x) = Q(k/2, x/2): the p-value of a chi-square statistic, accurate in the tail.
    public func survival(_ x: Double) throws -> Double {
        try x <= 0 ? 1 : IncompleteGamma.upper(degreesOfFreedom / 2, x / 2)
    }
}
