import LinearAlgebra

/// A numeric data matrix read from a file: rows are samples, columns are coordinates. It keeps
/// where each row came from (`rowLines`) so that later checks can still name a line.
public struct DataMatrix: Sendable, Equatable {
    /// The path the matrix was read from (for messages and the report).
    public let source: String
    /// Column names from a header line, if the file had one.
    public let columnNames: [String]?
    /// The values, n x d.
    public let values: Matrix
    /// For each row, its 1-based line in a text file (nil for binary files).
    public let rowLines: [Int]?

    /// A matrix read from `source`.
    public init(source: String, columnNames: [String]?, values: Matrix, rowLines: [Int]?) {
        self.source = source
        self.columnNames = columnNames
        self.values = values
        self.rowLines = rowLines
    }

    /// n, the number of samples.
    public var sampleCount: Int { values.rows }
    /// d, the number of coordinates.
    public var dimension: Int { values.columns }

    /// The column means.
    public var mean: [Double] {
        var m = [Double](repeating: 0, count: dimension)
        for i in 0..<sampleCount { for j in 0..<dimension { m[j] += values[i, j] } }
        return m.map { $0 / Double(sampleCount) }
    }

    /// The rows minus the column means.
    public var centred: Matrix {
        let m = mean
        var c = values
        for i in 0..<sampleCount { for j in 0..<dimension { c[i, j] -= m[j] } }
        return c
    }

    /// The covariance with 1/n normalisation, (1/n) X_c^T X_c: the second moment of the centred
    /// rows, which is exactly the covariance of tokens resampled from them (`DataRowPromptSource`).
    public var covariance: Matrix { (1 / Double(sampleCount)) * centred.transposed.gram }

    /// The matrix with every column of positive variance scaled to unit variance (1/n), for
    /// data whose columns are in unrelated units; zero-variance columns are left as they are.
    public var standardised: DataMatrix {
        let c = centred
        var scaled = c
        for j in 0..<dimension {
            var v = 0.0
            for i in 0..<sampleCount { v += c[i, j] * c[i, j] }
            let sd = (v / Double(sampleCount)).squareRoot()
            guard sd > 0 else { continue }
            for i in 0..<sampleCount { scaled[i, j] = c[i, j] / sd }
        }
        return DataMatrix(source: source, columnNames: columnNames, values: scaled, rowLines: rowLines)
    }

    /// The label of column `j` for messages: its header name, or "column j+1".
    public func columnLabel(_ j: Int) -> String {
        if let names = columnNames, j < names.count, !names[j].isEmpty { return "column \(j + 1) (\(names[j]))" }
        return "column \(j + 1)"
    }
}
