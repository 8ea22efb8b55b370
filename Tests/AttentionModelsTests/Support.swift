import Foundation
import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// Test fixtures shared by the model tests: random instances and derivative checks.
enum Fixture {
    /// The paper's covariance A A^T + 0.1 I with A d x d of iid N(0, 1).
    static func paperCovariance(dimension d: Int, stream: inout RandomStream) -> Covariance {
        let a = Matrix(rows: d, columns: d, elements: stream.normals(d * d))
        return try! Covariance(a.gram + 0.1 * Matrix.identity(d))
    }

    /// A covariance with the given spectrum in a random orthonormal basis (Gram-Schmidt of a
    /// Gaussian matrix; the fixture does not need Haar exactness).
    static func covariance(eigenvalues: [Double], stream: inout RandomStream) -> Covariance {
        let d = eigenvalues.count
        var basis = [[Double]]()
        while basis.count < d {
            var v = stream.normals(d)
            for _ in 0..<2 { for b in basis { v = v.subtracting(b.scaled(by: b.dot(v))) } }
            if v.norm > 1e-8 { basis.append(v.normalised) }
        }
        let q = Matrix(rows: d, columns: d, elements: (0..<d).flatMap { i in basis.map { $0[i] } })
        return try! Covariance((q * Matrix.diagonal(eigenvalues) * q.transposed).symmetrised)
    }
}

/// Central differences with one Richardson step: D(h) = f'(x) + h^2/6 f''' + O(h^4), so
/// (4 D(h/2) - D(h)) / 3 = f'(x) + O(h^4). For the quartic risks the O(h^4) term is exactly
/// zero (f^(5) = 0), leaving only rounding: about eps |f| / h per evaluation.
enum FiniteDifference {
    static func derivative(_ f: ([Double]) -> Double, at x: [Double], direction e: [Double], step h: Double) -> Double {
        func central(_ h: Double) -> Double {
            (f(x.adding(e.scaled(by: h))) - f(x.subtracting(e.scaled(by: h)))) / (2 * h)
        }
        return (4 * central(h / 2) - central(h)) / 3
    }

    /// The finite-difference gradient, coordinate by coordinate.
    static func gradient(_ f: ([Double]) -> Double, at x: [Double], step h: Double) -> [Double] {
        (0..<x.count).map { i in
            var e = [Double](repeating: 0, count: x.count)
            e[i] = 1
            return derivative(f, at: x, direction: e, step: h)
        }
    }

    /// The bound on the rounding error of `derivative` when each evaluation of f is off by at
    /// most delta = `relativeError` x `magnitude`: (4 D(h/2) - D(h)) / 3 weighs the four values
    /// by 4/(3h), 4/(3h), 1/(6h), 1/(6h), so its error is at most 3 delta / h.
    static func roundingBound(magnitude: Double, relativeError: Double, step h: Double) -> Double {
        3 * relativeError * magnitude / h
    }

    /// Relative rounding of evaluating a quartic form in d dimensions: two matrix-vector
    /// products and dot products of length d (gamma_{2d} each) and a handful of scalar
    /// operations; (2d + 10) eps bounds the accumulated relative error of each term.
    static func quarticRelativeError(dimension d: Int) -> Double { Double(2 * d + 10) * Double.ulpOfOne }
}

/// A two-sided z-test of "the mean of these draws is `expected`", at false-alarm rate alpha,
/// that accounts for skewed (heavy right-tailed) draws: the acceptance bound is the
/// Cornish-Fisher quantile z + (z^2 - 1) g / 6 of the standardised mean, g = (sample
/// skewness) / sqrt(N) its skewness, on the side the skew lengthens.
struct MeanTest: CustomStringConvertible {
    let mean: Double
    let standardError: Double
    let expected: Double
    let z: Double
    let bound: Double

    /// Two-sided alpha = 1e-4: Phi^-1(1 - 5e-5) = 3.890591886 (scipy.stats.norm.isf(5e-5)).
    static let zQuantile = 3.890591886

    init(draws: [Double], expected: Double) {
        let n = Double(draws.count)
        let mean = draws.reduce(0, +) / n
        var m2 = 0.0, m3 = 0.0
        for x in draws { let c = x - mean; m2 += c * c; m3 += c * c * c }
        let variance = m2 / (n - 1)
        let skewOfMean = (m3 / n) / pow(m2 / n, 1.5) / n.squareRoot()
        self.mean = mean
        self.standardError = (variance / n).squareRoot()
        self.expected = expected
        self.z = (mean - expected) / standardError
        let q = Self.zQuantile
        // A positive skew stretches the upper tail of the mean: widen the bound on that side.
        self.bound = q + (q * q - 1) * abs(skewOfMean) / 6
    }

    /// True when the draws are consistent with `expected` at alpha = 1e-4.
    var accepts: Bool { abs(z) <= bound }

    var description: String { "mean \(mean) +- \(standardError) vs expected \(expected): z = \(z), bound \(bound)" }
}
