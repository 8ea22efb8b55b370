import AttentionModels
import LinearAlgebra

/// A wrong risk in place of the correct one (a negative control): descent follows `wrong`
/// (times `factor`), while the critical points the claim targets stay those of `correct`.
struct ReplacedRisk: DifferentiableRisk {
    let correct: any DifferentiableRisk
    let factor: Double
    let wrong: any DifferentiableRisk

    var dimension: Int { correct.dimension }
    var criticalPoints: [CriticalPoint] { correct.criticalPoints }
    func value(at mu: [Double]) -> Double { factor * wrong.value(at: mu) }
    func gradient(at mu: [Double]) -> [Double] { wrong.gradient(at: mu).scaled(by: factor) }
    func hessian(at mu: [Double]) -> Matrix { factor * wrong.hessian(at: mu) }
}
