import LinearAlgebra
import Randomness
import TestSupport

/// Known-answer matrices and plain-loop helpers, independent of BLAS and LAPACK (the shared
/// ones, naiveProduct and gamma, are in TestSupport).

/// The entrywise absolute value |A|.
func absolute(_ a: Matrix) -> Matrix { Matrix(rows: a.rows, columns: a.columns, elements: a.elements.map(abs)) }

/// A matrix of i.i.d. N(0, 1) entries.
func gaussianMatrix(_ rows: Int, _ columns: Int, _ stream: inout RandomStream) -> Matrix {
    Matrix(rows: rows, columns: columns, elements: stream.normals(rows * columns))
}

/// An orthogonal matrix built without LAPACK: the product of three Householder reflectors
/// I - 2 w w^T / (w^T w) with Gaussian w. It is orthogonal only up to rounding, which the tests
/// measure (`orthogonalityDefect`) and add to their error budgets.
func householderProduct(_ d: Int, _ stream: inout RandomStream) -> Matrix {
    var q = Matrix.identity(d)
    for _ in 0..<3 {
        let w = stream.normals(d)
        let scale = 2 / w.reduce(0) { $0 + $1 * $1 }
        var h = Matrix.identity(d)
        for i in 0..<d { for j in 0..<d { h[i, j] -= scale * w[i] * w[j] } }
        q = naiveProduct(q, h)
    }
    return q
}

/// ||Q^T Q - I||_F, by plain loops.
func orthogonalityDefect(_ q: Matrix) -> Double {
    let g = naiveProduct(q.transposed, q)
    return (g - Matrix.identity(q.columns)).frobeniusNorm
}

/// Q diag(s) Q^T by plain loops.
func spectralMatrix(_ q: Matrix, _ s: [Double]) -> Matrix {
    var scaled = q
    for i in 0..<q.rows { for j in 0..<q.columns { scaled[i, j] *= s[j] } }
    return naiveProduct(scaled, q.transposed).symmetrised
}
