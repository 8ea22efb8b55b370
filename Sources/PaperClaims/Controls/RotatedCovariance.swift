import Foundation
import Instances
import LinearAlgebra

extension Covariance {
    /// The same spectrum with u_1 and u_2 rotated by `angle` in their plane: prompts from it
    /// have a top direction `angle` away from this covariance's u_1 (the `rotated-data` control).
    func rotatingTopPair(by angle: Double) throws -> Covariance {
        var basis = eigen.vectors
        let c = cos(angle), s = sin(angle)
        for i in 0..<dimension {
            let u1 = basis[i, 0], u2 = basis[i, 1]
            basis[i, 0] = c * u1 + s * u2
            basis[i, 1] = -s * u1 + c * u2
        }
        return try Covariance.withSpectrum(eigenvalues, basis: basis)
    }
}
