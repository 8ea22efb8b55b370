import LinearAlgebra
import Randomness

/// Prompts whose tokens are rows of a fixed data matrix, drawn uniformly with replacement: the
/// empirical distribution of the data in place of N(0, S), so that SGD can be run on real data
/// (`attention-pca study`, docs/STUDY.md). The rows are centred at construction, so the tokens
/// have mean 0 and second moment exactly the data's covariance with 1/n normalisation,
/// S = (1/n) sum_i (x_i - xbar)(x_i - xbar)^T: the S the paper's prediction is about.
///
/// Deterministic like the Gaussian sources: a unit's row indices come from the unit's stream
/// only. The unit is handed out in factored form with the identity as factor (tokens x = I g,
/// g the drawn rows), so the production layer runs on it unchanged.
public struct DataRowPromptSource: PromptSource {
    /// The centred rows, n x d (row i is x_i - xbar).
    public let rows: Matrix
    /// The column means subtracted at construction.
    public let mean: [Double]
    /// Prompts per unit (the work grain of parallel SGD).
    public let promptsPerUnit: Int

    /// A source resampling the rows of `data` (n x d, n >= 1, finite), centred first unless
    /// `centre` is false (for rows already centred, or to study uncentred data on purpose).
    public init(data: Matrix, promptsPerUnit: Int = 32, centre: Bool = true) throws(InstanceError) {
        try Require.count(data.rows, atLeast: 1, "data.rows")
        try Require.count(data.columns, atLeast: 1, "data.columns")
        try Require.count(promptsPerUnit, atLeast: 1, "promptsPerUnit")
        guard data.isFinite else {
            throw .invalidParameter(name: "data", value: .nan, requirement: "finite entries")
        }
        let n = data.rows, d = data.columns
        var mean = [Double](repeating: 0, count: d)
        if centre {
            for i in 0..<n { for j in 0..<d { mean[j] += data[i, j] } }
            mean = mean.map { $0 / Double(n) }
        }
        var centred = data
        for i in 0..<n { for j in 0..<d { centred[i, j] -= mean[j] } }
        rows = centred
        self.mean = mean
        self.promptsPerUnit = promptsPerUnit
    }

    /// d, the number of columns.
    public var dimension: Int { rows.columns }
    /// n, the number of rows resampled.
    public var sampleSize: Int { rows.rows }

    /// (1/n) sum_i x_i x_i^T of the centred rows: the tokens' covariance.
    public var covariance: Matrix { (1 / Double(sampleSize)) * rows.transposed.gram }

    /// Doubles of scratch a unit needs: the drawn rows (coordinate-major) and the identity factor.
    public func scratchCount(length: Int) -> Int { promptsPerUnit * length * dimension + dimension * dimension }

    /// Draws `promptsPerUnit` prompts of `length` rows, each row index uniform in 0..<n from
    /// `stream` (token by token, prompt by prompt), into `scratch`, with the identity as factor.
    public func drawUnit(length: Int, stream: inout RandomStream, scratch: UnsafeMutableBufferPointer<Double>) -> FactoredPrompts {
        let d = dimension, n = sampleSize
        let tokens = promptsPerUnit * length
        let base = scratch.baseAddress!
        rows.elements.withUnsafeBufferPointer { data in
            for t in 0..<tokens {
                let i = stream.integer(below: n)
                for a in 0..<d { base[a * tokens + t] = data[i * d + a] }
            }
        }
        let factor = base + tokens * d
        for i in 0..<d { for j in 0..<d { factor[i * d + j] = i == j ? 1 : 0 } }
        return FactoredPrompts(normals: base, factor: factor, dimension: d, latentDimension: d, count: promptsPerUnit, length: length)
    }
}
