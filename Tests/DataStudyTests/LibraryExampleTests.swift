import AttentionModels
import DataFiles
import DataStudy
import Foundation
import Instances
import Randomness
import Testing

/// The "From Swift" example of docs/STUDY.md, line for line, so that it keeps compiling and
/// keeps doing what the document says (standardised wine: SGD on the real rows aligns with u_1
/// early in the run; see the study report for where it drifts later).
struct LibraryExampleTests {
    @Test func documentedExampleRuns() throws {
        let path = StudyTests.root.appendingPathComponent("data/wine.csv").path
        let data = try DataFile.readData(path: path).standardised                    // CSV or .npy
        let subspace = try PrincipalSubspace(data.covariance)                         // singular S is fine
        let rows = subspace.projectRows(data.centred)                                 // n x r, eigenbasis
        let source = try DataRowPromptSource(data: rows, promptsPerUnit: 4, centre: false)
        let lam = 1 / subspace.eigenvalues[0]
        let layer = try AttentionLayer(kind: .softmax, lam: lam)
        let sgd = try StochasticGradientDescent(learningRate: 0.15 / (8 * lam * subspace.eigenvalues[0] * subspace.eigenvalues[0]),
                                                maximumSteps: 300, unitsPerStep: 4)
        var start = RandomStream(seed: 1)
        let mu0 = start.unitVector(dimension: subspace.rank).map { $0 * 1e-3 }
        let run = sgd.train(layer, on: source, promptLength: 100, from: mu0, stream: RandomStream(seed: 2))
        let alignment = abs(run.parameters[0]) / run.parameters.map { $0 * $0 }.reduce(0, +).squareRoot()  // |cos(mu, u_1)|
        let muInDataCoordinates = subspace.lift(run.parameters)
        #expect(alignment > 0.9)
        #expect(muInDataCoordinates.count == 13)
    }
}
