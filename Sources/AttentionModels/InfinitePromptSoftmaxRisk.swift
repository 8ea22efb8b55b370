import Instances
import LinearAlgebra

/// R_inf(mu) = tr S - 2 lam b + lam^2 a b: the softmax layer's risk as the prompt length tends
/// to infinity (the softmax average becomes the tilted mean lam alpha S mu; docs/MATHEMATICS.md §3.1).
public struct InfinitePromptSoftmaxRisk: DifferentiableRisk {
    /// The token covariance S.
    public let covariance: Covariance
    /// The attention scale lam > 0.
    public let lam: Double

    /// The risk for tokens N(0, S) and scale `lam`; `lam` must be positive and finite.
    public init(covariance: Covariance, lam: Double) throws(ModelError) {
        guard lam.isFinite, lam > 0 else { throw .invalidParameter(name: "lam", value: lam, requirement: "a finite number > 0") }
        self.covariance = covariance
        self.lam = lam
    }

    public var dimension: Int { covariance.dimension }

    /// The risk as tr S - 2 lam b + lam^2 a b.
    var form: QuarticForm {
        QuarticForm(m: covariance.matrix, mSquared: covariance.squared, eigen: covariance.eigen,
                    c0: covariance.trace, ca: 0, cb: -2 * lam, caa: 0, cab: lam * lam)
    }

    public func value(at mu: [Double]) -> Double { form.value(at: mu) }

    /// 2 lam [ (lam a - 2) S^2 mu + lam b S mu ].
    public func gradient(at mu: [Double]) -> [Double] { form.gradient(at: mu) }

    /// -4 lam S^2 + lam^2 [ 4 (S mu mu^T S^2 + S^2 mu mu^T S) + 2 a S^2 + 2 b S ].
    public func hessian(at mu: [Double]) -> Matrix { form.hessian(at: mu) }

    /// The origin (value tr S) and +- u_i / sqrt(lam s_i) with value tr S - s_i, best first.
    public var criticalPoints: [CriticalPoint] { form.criticalPoints() }

    /// The Hessian's eigenvalues at the minimiser in closed form (docs/MATHEMATICS.md §4.2): 8 lam s_1^2
    /// along u_1, then 2 lam s_j (s_1 - s_j) along u_j for j = 2...d. They set stable steps,
    /// relaxation times and stopping rules without an eigendecomposition.
    public var curvaturesAtMinimum: [Double] {
        let s = covariance.eigenvalues
        return [8 * lam * s[0] * s[0]] + s.dropFirst().map { 2 * lam * $0 * (s[0] - $0) }
    }

    /// The Hessian's largest eigenvalue at the minimiser, 8 lam s_1^2 (docs/MATHEMATICS.md §4.2).
    public var curvatureAtMinimumClosedForm: Double { curvaturesAtMinimum[0] }
}
