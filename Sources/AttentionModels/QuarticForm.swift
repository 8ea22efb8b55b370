import LinearAlgebra

/// The shape shared by every closed-form risk (docs/MATHEMATICS.md §3.4):
/// R(mu) = c0 + ca a + cb b + caa a^2 + cab a b, with a = mu^T M mu and b = mu^T M^2 mu for a
/// symmetric positive-definite M (S for the single-covariance risks, V for the in-context one).
///
/// Writing the derivatives once, here, keeps the three risks from repeating them; the tests
/// check each risk against the formulas of docs/MATHEMATICS.md §3 and against finite differences.
struct QuarticForm: Sendable {
    let m: Matrix
    let mSquared: Matrix
    let eigen: SymmetricEigendecomposition
    let c0, ca, cb, caa, cab: Double

    func value(at mu: [Double]) -> Double {
        let mMu = m.multiplied(by: mu)
        let a = mu.dot(mMu)
        let b = mMu.dot(mMu)
        return c0 + ca * a + cb * b + caa * a * a + cab * a * b
    }

    /// 2 (ca + 2 caa a + cab b) M mu + 2 (cb + cab a) M^2 mu.
    func gradient(at mu: [Double]) -> [Double] {
        let mMu = m.multiplied(by: mu)
        let m2Mu = m.multiplied(by: mMu)
        let a = mu.dot(mMu)
        let b = mMu.dot(mMu)
        let first = 2 * (ca + 2 * caa * a + cab * b)
        let second = 2 * (cb + cab * a)
        return (0..<mu.count).map { first * mMu[$0] + second * m2Mu[$0] }
    }

    /// 2 (ca + 2 caa a + cab b) M + 2 (cb + cab a) M^2 + 8 caa M mu (M mu)^T
    /// + 4 cab (M mu (M^2 mu)^T + M^2 mu (M mu)^T).
    func hessian(at mu: [Double]) -> Matrix {
        let mMu = m.multiplied(by: mu)
        let m2Mu = m.multiplied(by: mMu)
        let a = mu.dot(mMu)
        let b = mMu.dot(mMu)
        var h = (2 * (ca + 2 * caa * a + cab * b)) * m + (2 * (cb + cab * a)) * mSquared
        h.addOuter(mMu, factor: 8 * caa)
        h.addSymmetricOuter(mMu, m2Mu, factor: 4 * cab)
        return h
    }

    /// Along an eigenvector u of M with eigenvalue s, mu = c u is critical (docs/MATHEMATICS.md §4.1) when
    /// c^2 = -(ca + cb s) / (2 s (caa + cab s)), with value c0 - (ca + cb s)^2 / (4 (caa + cab s)).
    func criticalPoints() -> [CriticalPoint] {
        let d = m.rows
        var points = [CriticalPoint]()
        for (i, s) in eigen.values.enumerated() {
            let squaredScale = -(ca + cb * s) / (2 * s * (caa + cab * s))
            guard squaredScale > 0 else { continue }
            let value = c0 - (ca + cb * s) * (ca + cb * s) / (4 * (caa + cab * s))
            points.append(CriticalPoint(point: eigen.vector(i).scaled(by: squaredScale.squareRoot()), value: value, direction: i))
        }
        points.sort { $0.value < $1.value }
        return [CriticalPoint(point: [Double](repeating: 0, count: d), value: c0, direction: nil)] + points
    }
}
