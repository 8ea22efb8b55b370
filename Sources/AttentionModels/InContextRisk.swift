import Instances
import LinearAlgebra

/// R_ICL(mu): the infinite-prompt softmax risk averaged over prompt covariances S ~ W_d(n, V),
/// V = xi^2 I + theta v v^T (docs/MATHEMATICS.md §3.3). Its minimisers are +- sqrt(alpha2) v (§4.4).
public struct InContextRisk: DifferentiableRisk {
    /// The spike v (unit vector).
    public let spike: [Double]
    /// The noise level xi > 0.
    public let xi: Double
    /// The spike strength theta > 0.
    public let theta: Double
    /// The Wishart degrees of freedom n >= 1.
    public let degreesOfFreedom: Int
    /// The attention scale lam > 0.
    public let lam: Double
    /// V = xi^2 I + theta v v^T as a validated covariance.
    public let scale: Covariance

    /// The in-context risk for spike `spike`, noise `xi`, strength `theta`, `n` and `lam`.
    public init(spike: [Double], xi: Double, theta: Double, degreesOfFreedom n: Int, lam: Double) throws(ModelError) {
        guard xi.isFinite, xi > 0 else { throw .invalidParameter(name: "xi", value: xi, requirement: "a finite number > 0") }
        guard theta.isFinite, theta > 0 else { throw .invalidParameter(name: "theta", value: theta, requirement: "a finite number > 0") }
        guard n >= 1 else { throw .invalidParameter(name: "n", value: Double(n), requirement: "an integer >= 1") }
        guard lam.isFinite, lam > 0 else { throw .invalidParameter(name: "lam", value: lam, requirement: "a finite number > 0") }
        guard !spike.isEmpty, spike.isFinite, abs(spike.norm - 1) <= 1e-12 * Double(spike.count) else {
            throw .invalidParameter(name: "|v|", value: spike.norm, requirement: "1 (a unit spike)")
        }
        let d = spike.count
        var v = Matrix.outer(spike, spike)
        v = theta * v + Matrix.diagonal([Double](repeating: xi * xi, count: d))
        do { scale = try Covariance(v) } catch {
            throw .invalidParameter(name: "V", value: .nan, requirement: "symmetric positive definite (\(error))")
        }
        self.spike = spike
        self.xi = xi
        self.theta = theta
        self.degreesOfFreedom = n
        self.lam = lam
    }

    public var dimension: Int { spike.count }

    /// tr V = d xi^2 + theta.
    public var traceV: Double { Double(dimension) * xi * xi + theta }

    /// The same risk in the shared quartic form with M = V (A = mu^T V mu, B = mu^T V^2 mu).
    var form: QuarticForm {
        let n = Double(degreesOfFreedom)
        let tv = traceV
        return QuarticForm(m: scale.matrix, mSquared: scale.squared, eigen: scale.eigen,
                           c0: n * tv, ca: -2 * lam * n * tv, cb: -2 * lam * n * (n + 1),
                           caa: lam * lam * n * (n + 2) * tv, cab: lam * lam * n * (n + 2) * (n + 3))
    }

    /// The formula of docs/MATHEMATICS.md §3.3, evaluated literally from r2 = |mu|^2 and c2 = <mu, v>^2:
    /// n trV - 2 lam n ((n+1) B + trV A) + lam^2 n (n+2) ((n+3) A B + trV A^2).
    public func value(at mu: [Double]) -> Double {
        let n = Double(degreesOfFreedom)
        let r2 = mu.squaredNorm
        let c2 = mu.dot(spike) * mu.dot(spike)
        let x2 = xi * xi
        let a = x2 * r2 + theta * c2
        let b = x2 * x2 * r2 + (2 * x2 * theta + theta * theta) * c2
        let tv = traceV
        return n * tv - 2 * lam * n * ((n + 1) * b + tv * a) + lam * lam * n * (n + 2) * ((n + 3) * a * b + tv * a * a)
    }

    public func gradient(at mu: [Double]) -> [Double] { form.gradient(at: mu) }

    public func hessian(at mu: [Double]) -> Matrix { form.hessian(at: mu) }

    /// The origin and the critical points along the eigenvectors of V, best (+- sqrt(alpha2) v) first.
    public var criticalPoints: [CriticalPoint] { form.criticalPoints() }

    /// alpha2 = ((n+d+1) xi^2 + (n+2) theta) / (lam (n+2)(xi^2+theta)((n+d+3) xi^2 + (n+4) theta)) (docs/MATHEMATICS.md §4.4).
    public var optimalSquaredNorm: Double {
        let n = Double(degreesOfFreedom)
        let d = Double(dimension)
        let x2 = xi * xi
        return ((n + d + 1) * x2 + (n + 2) * theta) / (lam * (n + 2) * (x2 + theta) * ((n + d + 3) * x2 + (n + 4) * theta))
    }

    /// The Hessian's largest eigenvalue at the minimiser, 8 lam n s_v (trV + (n+1) s_v), s_v = xi^2 + theta
    /// (docs/MATHEMATICS.md §4.4).
    public var curvatureAtMinimumClosedForm: Double {
        let sv = xi * xi + theta
        return 8 * lam * Double(degreesOfFreedom) * sv * (traceV + Double(degreesOfFreedom + 1) * sv)
    }
}
