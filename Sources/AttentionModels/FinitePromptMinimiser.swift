import Foundation
import Instances
import LinearAlgebra
import Randomness

/// Where along its axis u (u_1, or the spike v) the finite-L softmax risk has its minimiser, and
/// the risk's curvature and third derivatives there, computed from the finite-L reduction
/// (docs/MATHEMATICS.md §5.1, §5.5, §5.6) by Monte Carlo, independently of the layer SGD trains
/// (no attention kernel is involved). Claims use it as the reference for where SGD must settle
/// (`softmax-finite-sgd`, `icl-sgd`).
///
/// For a prompt covariance S, R_L(mu; S) = rho P_L(kappa) + (tr S - rho) Q_L(kappa) with
/// a = mu^T S mu, rho = |S mu|^2 / a, kappa = lam a (docs/MATHEMATICS.md §5.1), and
/// P_L, Q_L = E over g ~ N(0, I_L) of p = (g_1 - sum_k w_k g_k)^2 and
/// q = (1 - w_1)^2 + sum_{k>=2} w_k^2, w = softmax_k(kappa g_1 g_k). The estimate averages
/// rho p + (tr S - rho) q over samples that pair one g with one S: S fixed for Gaussian prompts,
/// S ~ W_d(n, V) drawn jointly with g in context. Common random numbers make the estimate smooth
/// in mu. Along the axis, mu = c u, it depends on t = lam c^2 only; t* is found by golden section
/// on log t (for Gaussian prompts kappa*_L = t* s_1).
///
/// Errors: the minimiser's Monte Carlo standard error is the delta method's
/// SE(R'(t*)) / R''(t*), from per-sample central differences of R'. Derivatives across the axis
/// are central differences of the same smooth estimate.
public struct FinitePromptMinimiser: Sendable {
    /// t* = lam c*^2.
    public let scale: Double
    /// Its Monte Carlo standard error.
    public let scaleError: Double
    /// t* R'''(t*) / R''(t*) along the axis (0 for a quadratic in t, e.g. R_inf along u_1).
    public let shape: Double
    /// The scale lam.
    public let lam: Double
    /// An orthonormal basis whose first vector is the axis u (for Gaussian prompts the
    /// eigenvectors of S; in context v and a completion).
    public let basis: [[Double]]
    /// The Hessian's diagonal at mu* = c* u in `basis`: h_par first, then the h_j across.
    public let curvatures: [Double]
    /// Third derivatives R_uuu (first) and R_ujj (across) at mu*, in `basis`.
    public let thirdDerivatives: [Double]

    /// c* = sqrt(t* / lam): the distance of the minimiser from the origin along u.
    public var norm: Double { (scale / lam).squareRoot() }
    /// The standard error of c*, sigma_t / (2 lam c*).
    public var normError: Double { scaleError / (2 * lam * norm) }
    /// mu* = c* u.
    public var minimiser: [Double] { basis[0].scaled(by: norm) }
    /// The Hessian at mu*, sum_i h_i b_i b_i^T (diagonal in `basis` by the model's symmetry:
    /// reflections fixing u, and in context rotations fixing v).
    public var hessian: Matrix {
        let d = basis.count
        var h = Matrix(rows: d, columns: d)
        for (value, b) in zip(curvatures, basis) { h = h + value * Matrix.outer(b, b) }
        return h.symmetrised
    }

    /// The mean offset along u of a stationary distribution with covariance `spread` around
    /// mu*: at stationarity E[grad R] = 0, so to second order
    /// h_par delta = -(R_uuu C_uu + sum_j R_ujj C_jj) / 2 (C in `basis`).
    public func meanOffset(spread c: Matrix) -> Double {
        var total = 0.0
        for (third, b) in zip(thirdDerivatives, basis) { total += third * b.dot(c.multiplied(by: b)) }
        return -total / (2 * curvatures[0])
    }

    /// The samples: g_1 g_k (L per sample) and the covariance of each (one shared S, or one per sample).
    private struct Samples {
        let products: [Double]
        let length: Int
        let dimension: Int
        /// d x d per sample, row-major, or one matrix when `shared`.
        let covariances: [Double]
        let traces: [Double]
        let shared: Bool
        let lam: Double
        var count: Int { products.count / length }

        /// rho p + (tr S - rho) q for the first `limit` samples (all by default) at mu.
        func values(_ mu: [Double], limit: Int? = nil) -> [Double] {
            let d = dimension
            let count = min(limit ?? self.count, self.count)
            var out = [Double](repeating: 0, count: count)
            var w = [Double](repeating: 0, count: length)
            var sMu = [Double](repeating: 0, count: d)
            var a = 0.0, b = 0.0
            for i in 0..<count {
                if i == 0 || !shared {
                    let base = shared ? 0 : i * d * d
                    a = 0; b = 0
                    for r in 0..<d {
                        var entry = 0.0
                        for c in 0..<d { entry += covariances[base + r * d + c] * mu[c] }
                        sMu[r] = entry
                        a += mu[r] * entry
                        b += entry * entry
                    }
                }
                let kappa = lam * a, rho = b / a
                let row = i * length
                var largest = -Double.infinity
                for k in 0..<length { largest = max(largest, kappa * products[row + k]) }
                var total = 0.0
                for k in 0..<length {
                    w[k] = exp(kappa * products[row + k] - largest)
                    total += w[k]
                }
                // With products g_1 g_k: (g_1 - sum_k w_k g_k)^2 = (g_1^2 - sum_k w_k g_1 g_k)^2 / g_1^2.
                let g1Squared = products[row]
                var weighted = 0.0, q = 0.0
                for k in 0..<length {
                    let wk = w[k] / total
                    weighted += wk * products[row + k]
                    q += k == 0 ? (1 - wk) * (1 - wk) : wk * wk
                }
                let p = g1Squared > 0 ? (g1Squared - weighted) * (g1Squared - weighted) / g1Squared : 0
                out[i] = rho * p + (traces[shared ? 0 : i] - rho) * q
            }
            return out
        }

        /// Their mean.
        func mean(_ mu: [Double], limit: Int? = nil) -> Double {
            let v = values(mu, limit: limit)
            return v.reduce(0, +) / Double(v.count)
        }
    }

    /// Gaussian prompts N(0, S), axis u_1: `samples` draws of g from `stream`.
    public static func gaussian(covariance s: Covariance, lam: Double, length: Int, samples: Int, stream: RandomStream) -> FinitePromptMinimiser {
        precondition(length >= 2 && samples >= 2 && lam > 0, "L >= 2, >= 2 samples, lam > 0")
        let d = s.dimension
        var random = stream
        let data = Samples(products: draws(length: length, samples: samples, stream: &random), length: length, dimension: d,
                           covariances: s.matrix.elements, traces: [s.trace], shared: true, lam: lam)
        let basis = (0..<d).map { s.eigen.vector($0) }
        // kappa*_L lies near [1, 2] (kappa*_2 = 2, kappa*_L -> 1: docs/MATHEMATICS.md §5.2, §5.3): bracket t s_1 in [0.25, 8].
        let s1 = s.eigenvalues[0]
        return minimise(data, basis: basis, lam: lam, low: 0.25 / s1, high: 8 / s1, isotropicAcross: false)
    }

    /// In context: S ~ W_d(n, V) and g drawn jointly, `samples` pairs from `stream`, axis v.
    public static func inContext(risk: InContextRisk, length: Int, samples: Int, stream: RandomStream) throws(ModelError) -> FinitePromptMinimiser {
        precondition(length >= 2 && samples >= 2, "L >= 2, >= 2 samples")
        let d = risk.dimension
        var random = stream
        let products = draws(length: length, samples: samples, stream: &random)
        var sampler: WishartSampler
        do { sampler = try WishartSampler(degreesOfFreedom: risk.degreesOfFreedom, scale: risk.scale.matrix) } catch {
            throw .invalidParameter(name: "V", value: .nan, requirement: "a valid Wishart scale (\(error))")
        }
        var s = Matrix(rows: d, columns: d)
        var covariances = [Double](), traces = [Double]()
        covariances.reserveCapacity(samples * d * d)
        var covarianceStream = stream.child("covariances")
        for _ in 0..<samples {
            sampler.draw(into: &s, using: &covarianceStream)
            covariances.append(contentsOf: s.elements)
            traces.append(s.trace)
        }
        let data = Samples(products: products, length: length, dimension: d, covariances: covariances, traces: traces,
                           shared: false, lam: risk.lam)
        // The infinite-prompt minimiser t = lam alpha2 sets the scale; the finite-L one is
        // within a factor of a few of it (kappa*_L near [1, 2] against kappa*_inf = 1).
        let t0 = risk.lam * risk.optimalSquaredNorm
        return minimise(data, basis: completion(of: risk.spike), lam: risk.lam, low: t0 / 4, high: 8 * t0, isotropicAcross: true)
    }

    /// An orthonormal basis starting with `u` (Gram-Schmidt on u and the coordinate vectors).
    private static func completion(of u: [Double]) -> [[Double]] {
        let d = u.count
        var basis = [u.normalised]
        for e in 0..<d where basis.count < d {
            var x = [Double](repeating: 0, count: d)
            x[e] = 1
            for _ in 0..<2 { for b in basis { x = x.subtracting(b.scaled(by: x.dot(b))) } }
            if x.norm > 1e-6 { basis.append(x.normalised) }
        }
        return basis
    }

    private static func draws(length: Int, samples: Int, stream: inout RandomStream) -> [Double] {
        let g = stream.normals(length * samples)
        var products = [Double](repeating: 0, count: g.count)
        for i in 0..<samples {
            let g1 = g[i * length]
            for k in 0..<length { products[i * length + k] = g1 * g[i * length + k] }
        }
        return products
    }

    private static func minimise(_ data: Samples, basis: [[Double]], lam: Double, low: Double, high: Double,
                                 isotropicAcross: Bool) -> FinitePromptMinimiser {
        let u = basis[0]
        func along(_ t: Double) -> [Double] { u.scaled(by: (t / lam).squareRoot()) }
        // Golden section on log t over an eighth of the samples (36 reductions by 0.618 shrink the
        // bracket, log width ln 32 = 3.5, to 1e-7), then Newton steps on all of them from there
        // (the coarse minimiser is within a few Monte Carlo errors, about 1%, and the common draws
        // make the estimate smooth, so three steps converge far below the error).
        let coarse = data.count / 8
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = log(low), b = log(high)
        var x1 = b - ratio * (b - a), x2 = a + ratio * (b - a)
        var f1 = data.mean(along(exp(x1)), limit: coarse), f2 = data.mean(along(exp(x2)), limit: coarse)
        for _ in 0..<36 {
            if f1 < f2 {
                b = x2; x2 = x1; f2 = f1
                x1 = b - ratio * (b - a); f1 = data.mean(along(exp(x1)), limit: coarse)
            } else {
                a = x1; x1 = x2; f1 = f2
                x2 = a + ratio * (b - a); f2 = data.mean(along(exp(x2)), limit: coarse)
            }
        }
        var t = exp((a + b) / 2)
        for _ in 0..<3 {
            let h = 0.01 * t
            let up = data.mean(along(t + h)), middle = data.mean(along(t)), down = data.mean(along(t - h))
            let slope = (up - down) / (2 * h), curvature = (up - 2 * middle + down) / (h * h)
            guard curvature > 0 else { break }
            t = min(max(t - slope / curvature, 0.9 * t), 1.1 * t)
        }
        // R_tt and R_ttt by central differences of the mean (step 5% of t*, where the Monte
        // Carlo mean is smooth); SE(R_t) from per-sample central differences (step 1e-4 t*).
        let big = 0.05 * t
        let m2 = data.mean(along(t - 2 * big)), m1 = data.mean(along(t - big)), c0 = data.mean(along(t))
        let p1 = data.mean(along(t + big)), p2 = data.mean(along(t + 2 * big))
        let second = (p1 - 2 * c0 + m1) / (big * big)
        let third = (p2 - 2 * p1 + 2 * m1 - m2) / (2 * big * big * big)
        let small = 1e-4 * t
        let up = data.values(along(t + small)), down = data.values(along(t - small))
        var sum = 0.0, sumSquares = 0.0
        for i in 0..<data.count {
            let derivative = (up[i] - down[i]) / (2 * small)
            sum += derivative
            sumSquares += derivative * derivative
        }
        let n = Double(data.count)
        let meanDerivative = sum / n
        let standardError = ((sumSquares / n - meanDerivative * meanDerivative) / (n - 1)).squareRoot()
        // In c = sqrt(t / lam), at the minimum (R_t = 0): R_cc = (2 t / c)^2 R_tt and
        // R_ccc = (2 t / c)^3 R_ttt + 3 (2 t / c)(2 t / c^2) R_tt (chain rule with dt/dc = 2 t / c).
        let c = (t / lam).squareRoot()
        let dt = 2 * t / c
        var curvatures = [dt * dt * second]
        var thirds = [dt * dt * dt * third + 3 * dt * (2 * t / (c * c)) * second]
        // Across: h_j(c) = [R(c u + e b_j) + R(c u - e b_j) - 2 R(c u)] / e^2 at c*, c* +- D, and
        // R_ujj = (h_j(c* + D) - h_j(c* - D)) / (2 D); e = 0.2 c*, D = 0.1 c* (truncation O(e^2)
        // relative, a few percent; the common draws keep the differences smooth). They only set
        // SGD's predicted spread and bias, so a quarter of the samples serve; in context every
        // direction across v is equivalent (V is isotropic there), so one is computed for all.
        let e = 0.2 * c, step = 0.1 * c
        let quarter = max(2, data.count / 4)
        let centres = [c - step, c, c + step].map { (x: Double) -> (point: [Double], value: Double) in
            let p = u.scaled(by: x)
            return (p, data.mean(p, limit: quarter))
        }
        for j in 1..<basis.count {
            if !isotropicAcross || j == 1 {
                let h = centres.map { centre in
                    (data.mean(centre.point.adding(basis[j].scaled(by: e)), limit: quarter)
                        + data.mean(centre.point.subtracting(basis[j].scaled(by: e)), limit: quarter) - 2 * centre.value) / (e * e)
                }
                curvatures.append(h[1])
                thirds.append((h[2] - h[0]) / (2 * step))
            } else {
                curvatures.append(curvatures[1])
                thirds.append(thirds[1])
            }
        }
        return FinitePromptMinimiser(scale: t, scaleError: standardError / second, shape: t * third / second, lam: lam, basis: basis,
                                     curvatures: curvatures, thirdDerivatives: thirds)
    }
}
