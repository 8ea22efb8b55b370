internal import CLapack
import Foundation

/// Row-major BLAS calls on raw buffers, for hot loops that must not allocate.
///
/// The first call configures OpenBLAS once: it runs single-threaded (the harness parallelises
/// over independent trials and batches itself, and a single-threaded BLAS is bit-reproducible).
public enum BLAS {
    /// C = alpha * op(A) op(B) + beta * C, all row-major; op(A) is m x k, op(B) is k x n.
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Double = 1, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double = 0, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        BLASRuntime.configureOnce()
        cblas_dgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y = alpha * op(A) x + beta * y, row-major A of m x n.
    public static func gemv(
        transposeA: Bool = false, m: Int, n: Int,
        alpha: Double = 1, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double = 0, y: UnsafeMutablePointer<Double>
    ) {
        BLASRuntime.configureOnce()
        cblas_dgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, Int32(m), Int32(n),
                    alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}

/// What OpenBLAS is doing in this process: its kernel, its configuration, its threads.
public enum BLASRuntime {
    private static let configured: Bool = {
        openblas_set_num_threads(1)
        warnIfSlowKernel()
        return true
    }()

    /// Makes OpenBLAS single-threaded; idempotent and thread-safe (a lazily set global).
    public static func configureOnce() { _ = configured }

    /// The kernel OpenBLAS chose for this CPU (for example "SkylakeX", "Haswell", "Prescott").
    public static var coreName: String {
        configureOnce()
        return String(cString: openblas_get_corename())
    }

    /// OpenBLAS's build configuration string (version, threading model, max threads).
    public static var configuration: String {
        configureOnce()
        return String(cString: openblas_get_config())
    }

    /// The OPENBLAS_CORETYPE the process started with, if any.
    public static var requestedCoreType: String? { ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] }

    /// Debian's OpenBLAS 0.3.21 misdetects some AVX-512 CPUs and falls back to the generic
    /// Prescott kernel (3-4x slower dgemm). The fix must be in the environment before the process
    /// starts (`scripts/with-blas` sets it), so here we only warn, once, on standard error.
    private static func warnIfSlowKernel() {
        let core = String(cString: openblas_get_corename()).lowercased()
        guard core == "prescott" || core == "core2" || core == "nehalem" else { return }
        let message = "warning: OpenBLAS is using its slow '\(core)' kernel; run through scripts/with-blas "
            + "(sets OPENBLAS_CORETYPE) for the optimised one. Results are correct either way.\n"
        FileHandle.standardError.write(Data(message.utf8))
    }
}
