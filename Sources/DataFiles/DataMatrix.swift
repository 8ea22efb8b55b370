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
    /// The file's columns that label the rows rather than hold data (row names as R's
    /// write.csv and pandas' to_csv write them, a row index, a class column), set apart; empty
    /// when every column is data. `values` and `columnNames` leave them out.
    public let labelColumns: [LabelColumn]

    /// A matrix read from `source`.
    public init(source: String, columnNames: [String]?, values: Matrix, rowLines: [Int]?, labelColumns: [LabelColumn] = []) {
        self.source = source
        self.columnNames = columnNames
        self.values = values
        self.rowLines = rowLines
        self.labelColumns = labelColumns
    }

    /// The row names: the file's first column when it is a label column, else nil.
    public var rowLabels: [String]? { labelColumns.first { $0.position == 1 }?.values }

    /// n, the number of samples.
    public var sampleCount: Int { values.rows }
    /// d, the number of coordinates.
    public var dimension: Int { values.columns }

    /// The column means. A column whose plain sum overflows (values near 1.8e308) is averaged
    /// as the sum of value / n instead, which is finite for finite values.
    public var mean: [Double] {
        let n = Double(sampleCount)
        var m = [Double](repeating: 0, count: dimension)
        for i in 0..<sampleCount { for j in 0..<dimension { m[j] += values[i, j] } }
        return (0..<dimension).map { j in
            m[j].isFinite ? m[j] / n : (0..<sampleCount).reduce(0.0) { $0 + values[$1, j] / n }
        }
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
    public var covariance: Matrix { Self.covariance(ofCentred: centred) }

    /// (1/n) C^T C for centred rows C.
    private static func covariance(ofCentred c: Matrix) -> Matrix { (1 / Double(c.rows)) * c.transposed.gram }

    /// The covariance, or an error naming the column when double precision cannot hold it:
    /// an entry beyond 1.8e308 (values of about 1e154 and more), or a column whose values
    /// differ but whose variance falls below the normal range (2.2e-308: values of about
    /// 1e-154 and less), which would read as zero variance or lose its digits. The study's
    /// conclusions do not depend on the data's scale, so dividing the data by a constant or
    /// `standardised` (which handles any finite scale) is the cure the message gives.
    public func checkedCovariance() throws(DataFileError) -> Matrix { try centredRowsAndCheckedCovariance().covariance }

    /// The centred rows and `checkedCovariance`, from one centring: for callers that need both.
    public func centredRowsAndCheckedCovariance() throws(DataFileError) -> (centred: Matrix, covariance: Matrix) {
        let c = centred
        let s = Self.covariance(ofCentred: c)
        let cure = "divide the data by a constant (the study does not depend on the scale) or standardise the columns (--standardise)"
        for j in 0..<dimension {
            if (0..<dimension).contains(where: { !s[j, $0].isFinite }) {
                throw DataFileError(file: source, problem: "the covariance of \(columnLabel(j)) overflows double precision "
                                    + "(values up to \(Self.largestMagnitude(ofColumn: j, in: c))): \(cure)")
            }
            if s[j, j] < .leastNormalMagnitude, case let largest = Self.largestMagnitude(ofColumn: j, in: c), largest > 0 {
                throw DataFileError(file: source, problem: "the variance of \(columnLabel(j)) underflows double precision "
                                    + "(values vary by at most \(largest)): \(cure)")
            }
        }
        return (c, s)
    }

    /// max_i |c[i, j]|.
    private static func largestMagnitude(ofColumn j: Int, in c: Matrix) -> Double {
        (0..<c.rows).reduce(0.0) { max($0, abs(c[$1, j])) }
    }

    /// The matrix with every column of positive variance scaled to unit variance (1/n), for
    /// data whose columns are in unrelated units; zero-variance columns are left as they are.
    /// Each column's standard deviation is computed on the column divided by its largest
    /// magnitude first, so values of any finite scale (1e300 or 1e-300) neither overflow nor
    /// underflow when squared.
    public var standardised: DataMatrix {
        let c = centred
        var scaled = c
        for j in 0..<dimension {
            var v = 0.0
            for i in 0..<sampleCount { v += c[i, j] * c[i, j] }
            let variance = v / Double(sampleCount)
            if variance.isFinite && variance >= .leastNormalMagnitude {
                let sd = variance.squareRoot()
                for i in 0..<sampleCount { scaled[i, j] = c[i, j] / sd }
                continue
            }
            // The squares overflowed or underflowed: the same on the column over its largest magnitude.
            let largest = Self.largestMagnitude(ofColumn: j, in: c)
            guard largest > 0 && largest.isFinite else { continue }
            var w = 0.0
            for i in 0..<sampleCount { w += (c[i, j] / largest) * (c[i, j] / largest) }
            let sd = (w / Double(sampleCount)).squareRoot()
            for i in 0..<sampleCount { scaled[i, j] = (c[i, j] / largest) / sd }
        }
        return DataMatrix(source: source, columnNames: columnNames, values: scaled, rowLines: rowLines, labelColumns: labelColumns)
    }

    /// The label of column `j` for messages: its header name, or "column j+1".
    public func columnLabel(_ j: Int) -> String {
        if let names = columnNames, j < names.count, !names[j].isEmpty { return "column \(j + 1) (\(names[j]))" }
        return "column \(j + 1)"
    }
}
