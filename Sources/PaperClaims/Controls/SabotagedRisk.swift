import AttentionModels
import Instances
import LinearAlgebra

/// R_inf with a deliberately wrong formula (a negative control): GD on it must not reach the
/// paper's minimiser. Its critical points and curvature are those of the correct risk, so the
/// step-size rule and the claim's target stay the paper's; only the descent is wrong.
struct SabotagedInfiniteRisk: DifferentiableRisk {
    let base: InfinitePromptSoftmaxRisk
    let sabotage: Sabotage

    var dimension: Int { base.dimension }
    var criticalPoints: [CriticalPoint] { base.criticalPoints }

    private func forms(_ mu: [Double]) -> (sMu: [Double], s2Mu: [Double], a: Double, b: Double) {
        let sMu = base.covariance.matrix.multiplied(by: mu)
        return (sMu, base.covariance.matrix.multiplied(by: sMu), mu.dot(sMu), sMu.dot(sMu))
    }

    func value(at mu: [Double]) -> Double {
        switch sabotage {
        case .squareReplacedByCovariance:
            let (_, _, a, _) = forms(mu)
            let lam = base.lam
            return base.covariance.trace - 2 * lam * a + lam * lam * a * a
        default:
            return base.value(at: mu)
        }
    }

    func gradient(at mu: [Double]) -> [Double] {
        let (sMu, s2Mu, a, b) = forms(mu)
        let lam = base.lam
        switch sabotage {
        case .squareReplacedByCovariance:
            return sMu.scaled(by: -4 * lam + 4 * lam * lam * a)
        case .gradientSignError:
            return (0..<dimension).map { 2 * lam * ((lam * a - 2) * s2Mu[$0] - lam * b * sMu[$0]) }
        default:
            return base.gradient(at: mu)
        }
    }

    func hessian(at mu: [Double]) -> Matrix { base.hessian(at: mu) }
}
