import Instances
import LinearAlgebra

/// R_lin,L(mu) = T - 2 lam T a - 2 lam (L+1) b + lam^2 (L+2) T a^2 + lam^2 (L+2)(L+3) a b: the
/// exact risk of linear attention on prompts of L Gaussian tokens (Isserlis; docs/MATHEMATICS.md §3.2).
public struct LinearAttentionRisk: DifferentiableRisk {
    /// The token covariance S.
    public let covariance: Covariance
    /// The attention scale lam > 0.
    public let lam: Double
    /// The prompt length L >= 1 (tokens per prompt, query included).
    public let promptLength: Int

    /// The risk for tokens N(0, S), scale `lam` and prompts of `promptLength` tokens.
    public init(covariance: Covariance, lam: Double, promptLength: Int) throws(ModelError) {
        guard lam.isFinite, lam > 0 else { throw .invalidParameter(name: "lam", value: lam, requirement: "a finite number > 0") }
        guard promptLength >= 1 else { throw .invalidParameter(name: "L", value: Double(promptLength), requirement: "an integer >= 1") }
        self.covariance = covariance
        self.lam = lam
        self.promptLength = promptLength
    }

    public var dimension: Int { covariance.dimension }

    var form: QuarticForm {
        let t = covariance.trace
        let l = Double(promptLength)
        return QuarticForm(m: covariance.matrix, mSquared: covariance.squared, eigen: covariance.eigen,
                           c0: t, ca: -2 * lam * t, cb: -2 * lam * (l + 1),
                           caa: lam * lam * (l + 2) * t, cab: lam * lam * (l + 2) * (l + 3))
    }

    public func value(at mu: [Double]) -> Double { form.value(at: mu) }

    /// 2 lam [ P S mu + Q S^2 mu ], P = -2T + lam (L+2)(2 T a + (L+3) b), Q = -2(L+1) + lam (L+2)(L+3) a.
    public func gradient(at mu: [Double]) -> [Double] { form.gradient(at: mu) }

    /// The exact Hessian (derived from the gradient above).
    public func hessian(at mu: [Double]) -> Matrix { form.hessian(at: mu) }

    /// The origin and +- sqrt(s_i*) u_i, s_i* = (T + (L+1) s_i) / (lam (L+2) s_i (T + (L+3) s_i)), best first.
    public var criticalPoints: [CriticalPoint] { form.criticalPoints() }

    /// The closed-form value at the critical point along u_i (docs/MATHEMATICS.md §4.3),
    /// R_i* = T - (T + (L+1) s_i)^2 / ((L+2)(T + (L+3) s_i)); direction 0 gives the minimum R_1*.
    public func criticalValue(direction i: Int) -> Double {
        let t = covariance.trace
        let s = covariance.eigenvalues[i]
        let l = Double(promptLength)
        return t - (t + (l + 1) * s) * (t + (l + 1) * s) / ((l + 2) * (t + (l + 3) * s))
    }

    /// The closed-form squared norm s_i* of the critical point along u_i (docs/MATHEMATICS.md §4.3).
    public func criticalSquaredNorm(direction i: Int) -> Double {
        let t = covariance.trace
        let s = covariance.eigenvalues[i]
        let l = Double(promptLength)
        return (t + (l + 1) * s) / (lam * (l + 2) * s * (t + (l + 3) * s))
    }

    /// The Hessian's largest eigenvalue at the minimiser, 8 lam s_1 (T + (L+1) s_1) (docs/MATHEMATICS.md §4.3).
    public var curvatureAtMinimumClosedForm: Double {
        let s = covariance.eigenvalues[0]
        return 8 * lam * s * (covariance.trace + Double(promptLength + 1) * s)
    }
}
