import LinearAlgebra

/// Plain-loop reference arithmetic shared by the test targets, independent of BLAS and LAPACK
/// (a library target used only by tests: test targets cannot import each other).

/// The unit roundoff u = eps / 2 of float64.
public let unitRoundoff = Double.ulpOfOne / 2

/// gamma_k = k u / (1 - k u): the classic bound on the relative error of a k-term dot product
/// (Higham, Accuracy and Stability of Numerical Algorithms, Lemma 3.1 and section 3.5).
public func gamma(_ k: Int) -> Double { Double(k) * unitRoundoff / (1 - Double(k) * unitRoundoff) }

/// A B by the textbook triple loop.
public func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = Matrix(rows: a.rows, columns: b.columns)
    for i in 0..<a.rows { for j in 0..<b.columns {
        var s = 0.0
        for k in 0..<a.columns { s += a[i, k] * b[k, j] }
        c[i, j] = s
    } }
    return c
}
