internal import CLapack

extension Matrix {
    /// The matrix product (one dgemm).
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "Matrix product needs a.columns == b.rows")
        var c = Matrix(rows: a.rows, columns: b.columns)
        guard a.rows > 0, b.columns > 0, a.columns > 0 else { return c }
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(m: a.rows, n: b.columns, k: a.columns,
                              a: pa.baseAddress!, lda: a.columns, b: pb.baseAddress!, ldb: b.columns,
                              c: pc.baseAddress!, ldc: b.columns)
                }
            }
        }
        return c
    }

    /// The matrix-vector product A x (one dgemv).
    public func multiplied(by x: [Double]) -> [Double] {
        precondition(x.count == columns, "Matrix-vector product needs x.count == columns")
        var y = [Double](repeating: 0, count: rows)
        guard rows > 0, columns > 0 else { return y }
        elements.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    BLAS.gemv(m: rows, n: columns, a: pa.baseAddress!, lda: columns,
                              x: px.baseAddress!, y: py.baseAddress!)
                }
            }
        }
        return y
    }

    /// A A^T, symmetrised (one dgemm).
    public var gram: Matrix {
        var c = Matrix(rows: rows, columns: rows)
        guard rows > 0, columns > 0 else { return c }
        elements.withUnsafeBufferPointer { pa in
            c.elements.withUnsafeMutableBufferPointer { pc in
                BLAS.gemm(transposeB: true, m: rows, n: rows, k: columns,
                          a: pa.baseAddress!, lda: columns, b: pa.baseAddress!, ldb: columns,
                          c: pc.baseAddress!, ldc: rows)
            }
        }
        return c.symmetrised
    }

    /// Checks that the matrix is square, finite and symmetric to a relative tolerance.
    ///
    /// The default tolerance, 64 ulp of the largest entry times the size, covers the rounding
    /// of products such as A A^T; anything beyond it is a caller's error, not rounding.
    public func validateSymmetric(relativeTolerance: Double? = nil) throws(LinearAlgebraError) {
        guard isSquare else { throw .notSquare(rows: rows, columns: columns) }
        guard isFinite else { throw .nonFinite }
        let tolerance = (relativeTolerance ?? 64 * Double.ulpOfOne * Double(max(rows, 1))) * Swift.max(maxAbs, .leastNormalMagnitude)
        let a = asymmetry
        guard a <= tolerance else { throw .notSymmetric(asymmetry: a, tolerance: tolerance) }
    }

    /// The eigendecomposition of a symmetric matrix (LAPACK dsyevd): eigenvalues in descending
    /// order and unit eigenvectors as the columns of `vectors`, each signed so that its entry of
    /// largest magnitude is positive (a deterministic convention for comparisons).
    public func symmetricEigendecomposition() throws(LinearAlgebraError) -> SymmetricEigendecomposition {
        try validateSymmetric()
        let n = rows
        guard n > 0 else { return SymmetricEigendecomposition(values: [], vectors: self) }
        BLASRuntime.configureOnce()
        var a = symmetrised.elements
        var w = [Double](repeating: 0, count: n)
        let info = a.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { pw in
                LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                               clapack_int(n), pa.baseAddress!, clapack_int(n), pw.baseAddress!)
            }
        }
        guard info == 0 else { throw .lapackFailure(routine: "dsyevd", info: Int(info)) }
        // LAPACK returns ascending order; reverse to descending and fix signs.
        var vectors = Matrix(rows: n, columns: n)
        var values = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let source = n - 1 - k
            values[k] = w[source]
            var largest = 0.0
            for i in 0..<n where abs(a[i * n + source]) > abs(largest) { largest = a[i * n + source] }
            let sign: Double = largest < 0 ? -1 : 1
            for i in 0..<n { vectors[i, k] = sign * a[i * n + source] }
        }
        return SymmetricEigendecomposition(values: values, vectors: vectors)
    }

    /// The lower-triangular Cholesky factor L with A = L L^T (LAPACK dpotrf); throws
    /// `.notPositiveDefinite` naming the first failing leading minor.
    public func choleskyFactor() throws(LinearAlgebraError) -> Matrix {
        try validateSymmetric()
        let n = rows
        guard n > 0 else { return self }
        BLASRuntime.configureOnce()
        var a = symmetrised.elements
        let info = a.withUnsafeMutableBufferPointer { pa in
            LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), clapack_int(n), pa.baseAddress!, clapack_int(n))
        }
        if info > 0 { throw .notPositiveDefinite(leadingMinor: Int(info)) }
        guard info == 0 else { throw .lapackFailure(routine: "dpotrf", info: Int(info)) }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { a[i * n + j] = 0 } }
        return Matrix(rows: n, columns: n, elements: a)
    }
}

/// Eigenvalues (descending) and matching unit eigenvectors (columns) of a symmetric matrix.
public struct SymmetricEigendecomposition: Sendable, Equatable {
    /// Eigenvalues, largest first.
    public let values: [Double]
    /// Eigenvectors as columns, in the order of `values`.
    public let vectors: Matrix

    /// The unit eigenvector of the k-th largest eigenvalue (k = 0 is the top one).
    public func vector(_ k: Int) -> [Double] { vectors.column(k) }

    /// Rebuilds V diag(f(values)) V^T: a spectral function of the matrix (f = identity gives A).
    public func reconstructed(applying f: (Double) -> Double = { $0 }) -> Matrix {
        let n = values.count
        var scaled = vectors
        for i in 0..<n { for k in 0..<n { scaled[i, k] *= f(values[k]) } }
        return (scaled * vectors.transposed).symmetrised
    }
}
