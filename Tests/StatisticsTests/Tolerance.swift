import Foundation

/// |actual − expected| ≤ relative·|expected| (+ absolute), the check every reference test uses.
func isClose(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 0) -> Bool {
    abs(actual - expected) <= relative * abs(expected) + absolute
}

/// Relative error bound for a result computed as exp(log-prefactor): the log-prefactor is a sum
/// of terms whose magnitudes add up to `magnitude`, each accurate to a few ulps, so the result is
/// accurate to about 4·ε·magnitude relative, plus 1e-14 for the series or continued fraction.
func prefactorTolerance(_ magnitude: Double) -> Double {
    1e-14 + 4 * Double.ulpOfOne * magnitude
}

/// The magnitude of the terms in the log-prefactor of I_x(a, b).
func betaPrefactorMagnitude(x: Double, a: Double, b: Double) -> Double {
    abs(lgamma(a + b)) + abs(lgamma(a)) + abs(lgamma(b)) + abs(a * log(x)) + abs(b * log1p(-x))
}
