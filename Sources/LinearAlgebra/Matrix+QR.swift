internal import CLapack

/// A thin QR factorisation A = Q R of an m x n matrix, with k = min(m, n): Q is m x k with
/// orthonormal columns and R is k x n upper triangular (trapezoidal when k < n).
public struct QRDecomposition: Sendable, Equatable {
    /// The m x k factor with orthonormal columns.
    public let q: Matrix
    /// The k x n upper-triangular factor.
    public let r: Matrix
}

extension Matrix {
    /// The Householder QR factorisation (LAPACK dgeqrf, then dorgqr to form Q explicitly).
    ///
    /// Householder QR is backward stable: Q is orthonormal to a few ulp times the size whatever
    /// the conditioning of the matrix, unlike Gram–Schmidt. LAPACK does not fix the signs of the
    /// diagonal of R; callers who need diag(R) > 0 (for example a Haar-random orthogonal matrix)
    /// flip the matching columns of Q and rows of R themselves.
    public func qrDecomposition() throws(LinearAlgebraError) -> QRDecomposition {
        guard isFinite else { throw .nonFinite }
        let m = rows, n = columns, k = Swift.min(m, n)
        guard k > 0 else {
            return QRDecomposition(q: Matrix(rows: m, columns: 0), r: Matrix(rows: 0, columns: n))
        }
        BLASRuntime.configureOnce()
        var a = elements
        var tau = [Double](repeating: 0, count: k)
        let factorInfo = a.withUnsafeMutableBufferPointer { pa in
            tau.withUnsafeMutableBufferPointer { pt in
                LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, clapack_int(m), clapack_int(n), pa.baseAddress!,
                               clapack_int(n), pt.baseAddress!)
            }
        }
        guard factorInfo == 0 else { throw .lapackFailure(routine: "dgeqrf", info: Int(factorInfo)) }

        var r = Matrix(rows: k, columns: n)
        for i in 0..<k { for j in i..<n { r[i, j] = a[i * n + j] } }

        // The reflectors live below the diagonal of the first k columns; dorgqr expands them.
        var q = [Double](repeating: 0, count: m * k)
        for i in 0..<m { for j in 0..<k { q[i * k + j] = a[i * n + j] } }
        let formInfo = q.withUnsafeMutableBufferPointer { pq in
            tau.withUnsafeBufferPointer { pt in
                LAPACKE_dorgqr(LAPACK_ROW_MAJOR, clapack_int(m), clapack_int(k), clapack_int(k),
                               pq.baseAddress!, clapack_int(k), pt.baseAddress!)
            }
        }
        guard formInfo == 0 else { throw .lapackFailure(routine: "dorgqr", info: Int(formInfo)) }
        return QRDecomposition(q: Matrix(rows: m, columns: k, elements: q), r: r)
    }
}
