import DataFiles
import DataStudy
import Foundation
import Instances
import LinearAlgebra
import Randomness
import Statistics
import Testing

/// The study end to end: on singular input, on the committed real data sets (data/), and the
/// `attention-pca study` command's exit statuses.
struct StudyTests {
    /// The package root (two folders above this file's folder).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func quick(steps: Int = 400, runs: Int = 4) -> StudyConfiguration {
        var c = StudyConfiguration()
        c.steps = steps
        c.runs = runs
        c.promptLength = 50
        return c
    }

    @Test func gaussianControlHasExactlyTheCovariance() throws {
        let (sample, exact) = StudyRunner.gaussianSample(rows: 50, eigenvalues: [4, 2, 1e-3], stream: RandomStream(seed: 7))
        #expect(exact)
        let cov = (1 / 50.0) * sample.transposed.gram
        let expected = Matrix.diagonal([4, 2, 1e-3])
        #expect((cov - expected).maxAbs <= 1e-12 * 4)
    }

    @Test func singularDataEndToEnd() throws {
        // Three informative coordinates, one constant column and one duplicate column: rank 3 of 5.
        var stream = RandomStream(seed: 11)
        let n = 200
        var rows = [Double]()
        for _ in 0..<n {
            let g = stream.normals(3)
            let x = [3 * g[0], 1 * g[1], 0.5 * g[2]]
            rows += [x[0], 7, x[1], x[2], x[1]]
        }
        let data = DataMatrix(source: "singular.csv", columnNames: nil, values: Matrix(rows: n, columns: 5, elements: rows), rowLines: nil)
        let result = try StudyRunner.run(.data(data), configuration: Self.quick())
        #expect(result.spectrum.rank == 3)
        #expect(result.spectrum.zeroVarianceCoordinates == [2])
        #expect(result.notes.contains { $0.contains("singular") && $0.contains("projected out") })
        #expect(result.gradientDescent.allSatisfy { $0.diagnosis == "converged" && $0.alignment > 0.999 })
        #expect(result.sgd.count == 3)
        #expect(result.verdict.holds, "\(result.verdict.headline)")
        #expect(result.spectrum.topEigenvector.count == 5)
    }

    @Test func indefiniteCovarianceRefused() throws {
        let m = DataMatrix(source: "bad.csv", columnNames: nil, values: Matrix(rowList: [[1, 2], [2, 1]]), rowLines: [1, 2])
        do {
            _ = try StudyRunner.run(.covariance(m), configuration: Self.quick())
            Issue.record("an indefinite covariance was accepted")
        } catch let error as DataFileError {
            #expect(error.file == "bad.csv" && error.problem.contains("indefinite"))
        }
    }

    @Test func covarianceOnlyStudy() throws {
        let m = DataMatrix(source: "c.csv", columnNames: nil, values: Matrix(rowList: [[3, 0.5, 0], [0.5, 1, 0], [0, 0, 0]]), rowLines: [1, 2, 3])
        let result = try StudyRunner.run(.covariance(m), configuration: Self.quick())
        #expect(result.sgd.count == 1 && result.comparisons.isEmpty)
        #expect(result.spectrum.rank == 2)
        #expect(result.verdict.judgedArm == StudyRunner.gaussianTokens)
    }

    @Test func wineEndToEnd() throws {
        let data = try DataFile.readData(path: Self.root.appendingPathComponent("data/wine.csv").path)
        #expect(data.sampleCount == 178 && data.dimension == 13)
        let result = try StudyRunner.run(.data(data, standardise: true), configuration: Self.quick())
        #expect(result.spectrum.rank == 13)
        #expect(result.sgd.map(\.name) == [StudyRunner.gaussianTokens, StudyRunner.realRows, StudyRunner.gaussianSample])
        #expect(result.sgd.allSatisfy { $0.alignments.count == 4 && $0.diverged == 0 })
        #expect(result.comparisons.count == 2)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("study-\(UUID().uuidString)")
        try StudyReport.write(result, to: folder, command: "test")
        let report = try String(contentsOf: folder.appendingPathComponent("REPORT.md"), encoding: .utf8)
        #expect(report.contains(result.verdict.headline))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("figures/alignment.svg").path))
        let json = try Data(contentsOf: folder.appendingPathComponent("results.json"))
        #expect(json.count > 1000)
    }

    @Test func digitsIsSingularAndStudied() throws {
        let data = try DataFile.readData(path: Self.root.appendingPathComponent("data/digits.csv").path)
        #expect(data.sampleCount == 1797 && data.dimension == 64)
        let result = try StudyRunner.run(.data(data), configuration: Self.quick(steps: 300, runs: 2))
        #expect(result.spectrum.rank < 64)
        #expect(!result.spectrum.zeroVarianceCoordinates.isEmpty)
        #expect(result.gradientDescent.first?.alignment ?? 0 > 0.99)
    }
}
