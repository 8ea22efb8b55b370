import AttentionModels
import Instances
import LinearAlgebra
import Randomness

/// The production attention layer (`AttentionLayer.lossAndGradient` on a unit of factored
/// prompts, the call SGD makes) evaluated along two eigen-directions u_1 and u_m of S, and
/// separated into the scalar functions of the finite-L reduction (docs/MATHEMATICS.md §5.1)
/// R_L(mu) = (b/a) P_L(kappa) + (T - b/a) Q_L(kappa) and their kappa-derivatives.
///
/// Along mu_j(kappa) = sqrt(kappa / (lam s_j)) u_j, a = kappa / lam and b/a = s_j, so
/// R_j(kappa) := R_L(mu_j(kappa)) = s_j P_L(kappa) + (T - s_j) Q_L(kappa), and since
/// d mu_j / d kappa = mu_j / (2 kappa), R_j'(kappa) = <grad R_L(mu_j), mu_j> / (2 kappa). The two
/// directions give two linear equations in (P, Q), solved as
///   P = [(T - s_m) R_1 - (T - s_1) R_m] / (T (s_1 - s_m)),
///   Q = [s_1 R_m - s_m R_1] / (T (s_1 - s_m)),
/// and the same combination of R_1', R_m' gives P', Q'. s_1 > s_m is needed (a strict gap).
///
/// Common random numbers: tokens are x = U diag(sqrt s) g (U the eigenvectors, g standard
/// normal), and direction m sees the same g with coordinates 1 and m swapped, i.e. factor
/// U diag(sqrt s) Pi. Both prompt sets are exactly N(0, S); the softmax weights of the two
/// evaluations are then identical, so per prompt R_1 - R_m = (s_1 - s_m)(p - q_m) with p and q_m
/// the draws of the scalar reduction, and at d = 2 the separated P and Q of a prompt are exactly
/// the reduction's p and q (computed by the kernel): the separation adds no noise.
struct EigenPairProbe {
    /// The layer that trains (or a deliberately wrong variant of it).
    let layer: AttentionLayer
    /// The token covariance S.
    let covariance: Covariance
    /// The index m >= 1 of the second eigen-direction (eigenvalues in descending order).
    let other: Int

    /// Batch means of the separated quantities at one kappa.
    struct Separated {
        /// Estimate of P_L(kappa).
        let p: Double
        /// Estimate of Q_L(kappa).
        let q: Double
        /// Estimate of P_L'(kappa).
        let pSlope: Double
        /// Estimate of Q_L'(kappa).
        let qSlope: Double
    }

    /// The probe along u_1 and u_`other`; throws when s_1 = s_other (no separation exists).
    init(layer: AttentionLayer, covariance: Covariance, other: Int) throws(ModelError) {
        precondition(other >= 1 && other < covariance.dimension, "the second direction is one of u_2 ... u_d")
        let gap = covariance.eigenvalues[0] - covariance.eigenvalues[other]
        guard gap > 0 else {
            throw .invalidParameter(name: "s_1 - s_m", value: gap, requirement: "> 0 (two distinct eigenvalues separate P and Q)")
        }
        self.layer = layer
        self.covariance = covariance
        self.other = other
    }

    /// Batch means over `count` fresh prompts of `length` tokens drawn from `stream`, each
    /// evaluated by the layer along both directions at scale `kappa`.
    func batch(kappa: Double, length: Int, count: Int, stream: inout RandomStream) -> Separated {
        let d = covariance.dimension, m = other
        let s = covariance.eigenvalues, u = covariance.eigen.vectors
        let total = s.reduce(0, +)
        var normals = [Double](repeating: 0, count: count * length * d)
        NormalSampler.fill(&normals, from: &stream)
        // F = U diag(sqrt s) (row-major d x d) and F Pi (columns 1 and m swapped).
        var factor = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for a in 0..<d { factor[i * d + a] = u[i, a] * s[a].squareRoot() } }
        var swapped = factor
        for i in 0..<d { swapped.swapAt(i * d, i * d + m) }
        var scratch = [Double](repeating: 0, count: AttentionLayer.scratchCount(length: length, dimension: d))
        func evaluate(_ f: [Double], direction j: Int) -> (risk: Double, slope: Double) {
            let mu = (0..<d).map { u[$0, j] * (kappa / (layer.lam * s[j])).squareRoot() }
            var gradient = [Double](repeating: 0, count: d)
            let loss = normals.withUnsafeBufferPointer { g in
                f.withUnsafeBufferPointer { fp in
                    scratch.withUnsafeMutableBufferPointer { sp in
                        gradient.withUnsafeMutableBufferPointer { gp in
                            let unit = FactoredPrompts(normals: g.baseAddress!, factor: fp.baseAddress!, dimension: d, latentDimension: d,
                                                       count: count, length: length)
                            return layer.lossAndGradient(unit, mu: mu, gradient: gp.baseAddress!, scratch: sp.baseAddress!)
                        }
                    }
                }
            }
            let n = Double(count)
            return (loss / n, gradient.dot(mu) / n / (2 * kappa))
        }
        let first = evaluate(factor, direction: 0), second = evaluate(swapped, direction: m)
        let denominator = total * (s[0] - s[m])
        func p(_ r1: Double, _ rm: Double) -> Double { ((total - s[m]) * r1 - (total - s[0]) * rm) / denominator }
        func q(_ r1: Double, _ rm: Double) -> Double { (s[0] * rm - s[m] * r1) / denominator }
        return Separated(p: p(first.risk, second.risk), q: q(first.risk, second.risk),
                         pSlope: p(first.slope, second.slope), qSlope: q(first.slope, second.slope))
    }
}
