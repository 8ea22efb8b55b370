import Instances
import LinearAlgebra
import Randomness
import Testing

/// Singular covariances are split into their non-null part instead of refused; data rows
/// resampled as prompts have the data's covariance and are deterministic.
struct PrincipalSubspaceTests {
    @Test func singularMatrixIsReduced() throws {
        // S = diag(4, 1, 0) rotated by 45 degrees in the (1, 3) plane.
        let c = 0.5.squareRoot()
        let q = Matrix(rowList: [[c, 0, -c], [0, 1, 0], [c, 0, c]])
        let s = (q * Matrix.diagonal([4, 1, 0]) * q.transposed).symmetrised
        #expect(throws: (any Error).self) { try Covariance(s) }
        let p = try PrincipalSubspace(s)
        #expect(p.rank == 2 && p.nullity == 1)
        #expect(zip(p.reduced.eigenvalues, [4.0, 1.0]).allSatisfy { abs($0 - $1) <= 1e-14 * 4 })
        #expect(abs(abs(p.topEigenvector.dot([c, 0, c])) - 1) < 1e-12)
        let y = [0.3, -0.2]
        #expect(p.project(p.lift(y)).subtracting(y).norm < 1e-12)
        #expect(abs(p.conditionNumber - 4) < 1e-12)
    }

    @Test func indefiniteAndNullRefused() throws {
        #expect(throws: InstanceError.self) { try PrincipalSubspace(Matrix(rowList: [[1, 2], [2, 1]])) }
        #expect(throws: InstanceError.self) { try PrincipalSubspace(Matrix(rows: 2, columns: 2)) }
    }

    @Test func dataRowsResampledDeterministically() throws {
        let data = Matrix(rowList: [[1, 2], [3, 1], [5, 6], [-1, 0]])
        let source = try DataRowPromptSource(data: data, promptsPerUnit: 2)
        #expect(source.mean == [2, 2.25])
        let length = 5
        var a = [Double](repeating: 0, count: source.scratchCount(length: length))
        var b = a
        var tokensA = [Double](repeating: 0, count: 2 * length * 2), tokensB = tokensA
        var s1 = RandomStream(seed: 3), s2 = RandomStream(seed: 3)
        a.withUnsafeMutableBufferPointer { scratch in
            tokensA.withUnsafeMutableBufferPointer { source.fillUnit($0, length: length, stream: &s1, scratch: scratch) }
        }
        b.withUnsafeMutableBufferPointer { scratch in
            tokensB.withUnsafeMutableBufferPointer { source.fillUnit($0, length: length, stream: &s2, scratch: scratch) }
        }
        #expect(tokensA == tokensB)
        // Every token is one of the centred rows.
        let centred = (0..<4).map { i in [data[i, 0] - 2, data[i, 1] - 2.25] }
        let tokens = 2 * length
        for t in 0..<tokens {
            let x = [tokensA[t], tokensA[tokens + t]]
            #expect(centred.contains(x))
        }
        let cov = source.covariance
        #expect(abs(cov[0, 0] - 5) < 1e-12)
    }
}
