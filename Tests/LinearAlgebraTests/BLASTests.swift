import LinearAlgebra
import Randomness
import TestSupport
import Testing

/// BLAS calls and Matrix arithmetic against plain loops.
///
/// Tolerance: every entry of alpha op(A) op(B) + beta C is a (k + 2)-term dot product, so both
/// the BLAS result and the loop are within gamma_{k+2} (|alpha| |op A| |op B| + |beta| |C|) of the
/// exact value (Higham, section 3.5); they differ from each other by at most twice that.
@Suite struct BLASTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        let m, n, k: Int
        let transposeA, transposeB: Bool
        var testDescription: String { "\(m)x\(n)x\(k) tA=\(transposeA) tB=\(transposeB)" }
    }

    static let shapes: [Shape] = [(1, 1, 1), (3, 5, 7), (37, 53, 29), (2560, 5, 5), (5, 5, 2560)].flatMap { s in
        [false, true].flatMap { ta in [false, true].map { tb in Shape(m: s.0, n: s.1, k: s.2, transposeA: ta, transposeB: tb) } }
    }

    @Test(arguments: shapes)
    func gemmMatchesTheTripleLoop(shape: Shape) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        var stream = RandomStream(seed: 300).child(shape.testDescription)
        // Stored operands with padded leading dimensions (lda = stored columns + 3).
        let (aRows, aColumns) = shape.transposeA ? (k, m) : (m, k)
        let (bRows, bColumns) = shape.transposeB ? (n, k) : (k, n)
        let (lda, ldb, ldc) = (aColumns + 3, bColumns + 3, n + 3)
        let aStored = stream.normals(aRows * lda)
        let bStored = stream.normals(bRows * ldb)
        var c = stream.normals(m * ldc)
        let c0 = c
        let (alpha, beta) = (0.7, -1.3)
        aStored.withUnsafeBufferPointer { pa in
            bStored.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(transposeA: shape.transposeA, transposeB: shape.transposeB, m: m, n: n, k: k,
                              alpha: alpha, a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                              beta: beta, c: pc.baseAddress!, ldc: ldc)
                }
            }
        }
        func a(_ i: Int, _ p: Int) -> Double { shape.transposeA ? aStored[p * lda + i] : aStored[i * lda + p] }
        func b(_ p: Int, _ j: Int) -> Double { shape.transposeB ? bStored[j * ldb + p] : bStored[p * ldb + j] }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k { sum += a(i, p) * b(p, j); magnitude += abs(a(i, p) * b(p, j)) }
                let expected = alpha * sum + beta * c0[i * ldc + j]
                let bound = 2 * gamma(k + 2) * (abs(alpha) * magnitude + abs(beta) * abs(c0[i * ldc + j]))
                worst = max(worst, abs(c[i * ldc + j] - expected) / bound)
            }
            // The padding columns of C are untouched.
            for j in n..<ldc { #expect(c[i * ldc + j] == c0[i * ldc + j]) }
        }
        #expect(worst <= 1, "worst error / bound = \(worst)")
    }

    @Test(arguments: [false, true])
    func gemvMatchesTheLoop(transposeA: Bool) {
        var stream = RandomStream(seed: 301)
        let (m, n) = (41, 23)
        let a = stream.normals(m * n)
        let x = stream.normals(transposeA ? m : n)
        var y = stream.normals(transposeA ? n : m)
        let y0 = y
        a.withUnsafeBufferPointer { pa in x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
            BLAS.gemv(transposeA: transposeA, m: m, n: n, alpha: -2, a: pa.baseAddress!, lda: n,
                      x: px.baseAddress!, beta: 0.5, y: py.baseAddress!)
        } } }
        for i in 0..<y.count {
            let terms = (0..<x.count).map { p in (transposeA ? a[p * n + i] : a[i * n + p]) * x[p] }
            let expected = -2 * terms.reduce(0, +) + 0.5 * y0[i]
            let bound = 2 * gamma(x.count + 2) * (2 * terms.reduce(0) { $0 + abs($1) } + 0.5 * abs(y0[i]))
            #expect(abs(y[i] - expected) <= bound)
        }
    }

    @Test func matrixArithmeticMatchesLoops() {
        var stream = RandomStream(seed: 302)
        let a = gaussianMatrix(7, 4, &stream)
        let b = gaussianMatrix(4, 9, &stream)
        let product = a * b
        let reference = naiveProduct(a, b)
        let scale = naiveProduct(absolute(a), absolute(b))
        for i in 0..<7 { for j in 0..<9 { #expect(abs(product[i, j] - reference[i, j]) <= 2 * gamma(4) * scale[i, j]) } }

        let x = stream.normals(4)
        let ax = a.multiplied(by: x)
        for i in 0..<7 {
            let terms = (0..<4).map { a[i, $0] * x[$0] }
            #expect(abs(ax[i] - terms.reduce(0, +)) <= 2 * gamma(4) * terms.reduce(0) { $0 + abs($1) })
        }
        let g = a.gram
        #expect(g.asymmetry == 0)
        let gReference = naiveProduct(a, a.transposed)
        let gScale = naiveProduct(absolute(a), absolute(a).transposed)
        for i in 0..<7 { for j in 0..<7 { #expect(abs(g[i, j] - gReference[i, j]) <= 2 * gamma(4) * gScale[i, j]) } }

        #expect(a.transposed.transposed == a)
        #expect(a.transposed[2, 5] == a[5, 2])
        #expect(Matrix(rowList: [[1, 2], [3, 4]]).trace == 5)
        #expect(Matrix(rowList: [[1, 2], [4, 1]]).symmetrised == Matrix(rowList: [[1, 3], [3, 1]]))
        // Empty products are zero matrices of the right shape, not crashes.
        #expect(Matrix(rows: 3, columns: 0) * Matrix(rows: 0, columns: 2) == Matrix(rows: 3, columns: 2))
    }

    /// Which OpenBLAS kernel runs, and that it computes correctly. Under `scripts/with-blas` on an
    /// AVX-512 CPU the requested SkylakeX kernel must be the one in use (OpenBLAS reads
    /// OPENBLAS_CORETYPE at load; a mismatch means the environment did not reach the library).
    @Test func reportsTheKernelAndItComputesCorrectly() {
        let core = BLASRuntime.coreName
        print("OpenBLAS core: \(core); requested: \(BLASRuntime.requestedCoreType ?? "none"); config: \(BLASRuntime.configuration)")
        #expect(!core.isEmpty)
        if let requested = BLASRuntime.requestedCoreType, !requested.isEmpty {
            #expect(core.lowercased() == requested.lowercased(), "requested \(requested), running \(core)")
        }
        // A product large enough to use the kernel's blocked path (k = 300 > the kernels' inner
        // block sizes), checked entrywise against loops with the gamma_k bound.
        var stream = RandomStream(seed: 303)
        let a = gaussianMatrix(64, 300, &stream)
        let b = gaussianMatrix(300, 48, &stream)
        let product = a * b
        let reference = naiveProduct(a, b)
        let scale = naiveProduct(absolute(a), absolute(b))
        var worst = 0.0
        for i in 0..<64 { for j in 0..<48 { worst = max(worst, abs(product[i, j] - reference[i, j]) / (2 * gamma(300) * scale[i, j])) } }
        #expect(worst <= 1, "kernel \(core): worst error / bound = \(worst)")
    }
}
