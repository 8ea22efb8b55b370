/// A dense row-major matrix of `Double`, sized for the harness's problems (d up to a few
/// hundred). Products and factorisations go to OpenBLAS/LAPACKE; see `Matrix+BLAS.swift`.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The entries in row-major order: entry (i, j) is `elements[i * columns + j]`.
    public var elements: [Double]

    /// A `rows` x `columns` matrix with every entry equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = [Double](repeating: value, count: rows * columns)
    }

    /// A matrix over row-major `elements`; their count must be `rows * columns`.
    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns, "Matrix needs rows * columns elements")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from a list of equally long rows.
    public init(rowList: [[Double]]) {
        let columns = rowList.first?.count ?? 0
        precondition(rowList.allSatisfy { $0.count == columns }, "Matrix rows must have equal length")
        self.init(rows: rowList.count, columns: columns, elements: rowList.flatMap { $0 })
    }

    /// The n x n identity.
    public static func identity(_ n: Int) -> Matrix { diagonal([Double](repeating: 1, count: n)) }

    /// The square matrix with `values` on its diagonal.
    public static func diagonal(_ values: [Double]) -> Matrix {
        var m = Matrix(rows: values.count, columns: values.count)
        for (i, v) in values.enumerated() { m[i, i] = v }
        return m
    }

    /// The rank-one matrix u v^T.
    public static func outer(_ u: [Double], _ v: [Double]) -> Matrix {
        var m = Matrix(rows: u.count, columns: v.count)
        for i in u.indices { for j in v.indices { m[i, j] = u[i] * v[j] } }
        return m
    }

    /// Entry (row, column).
    @inlinable
    public subscript(row: Int, column: Int) -> Double {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// True when the matrix has as many rows as columns.
    public var isSquare: Bool { rows == columns }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] { Array(elements[(i * columns)..<((i + 1) * columns)]) }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] { (0..<rows).map { self[$0, j] } }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    /// The sum of the diagonal entries.
    public var trace: Double {
        precondition(isSquare, "trace needs a square matrix")
        return (0..<rows).reduce(0) { $0 + self[$1, $1] }
    }

    /// The largest |A_ij - A_ji|: zero for an exactly symmetric matrix.
    public var asymmetry: Double {
        precondition(isSquare, "asymmetry needs a square matrix")
        var worst = 0.0
        for i in 0..<rows { for j in (i + 1)..<max(i + 1, columns) { worst = max(worst, abs(self[i, j] - self[j, i])) } }
        return worst
    }

    /// (A + A^T) / 2: removes rounding asymmetry left by products such as A A^T.
    public var symmetrised: Matrix {
        var s = self
        for i in 0..<rows { for j in 0..<i {
            let mean = 0.5 * (self[i, j] + self[j, i])
            s[i, j] = mean
            s[j, i] = mean
        } }
        return s
    }

    /// The largest absolute entry (the max norm).
    public var maxAbs: Double { elements.reduce(0) { max($0, abs($1)) } }

    /// The Frobenius norm.
    public var frobeniusNorm: Double { elements.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// True when every entry is finite.
    public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

    public var description: String {
        (0..<rows).map { i in row(i).map { String($0) }.joined(separator: " ") }.joined(separator: "\n")
    }

    /// Entrywise sum.
    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "Matrix sum needs equal shapes")
        return Matrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 + $1 })
    }

    /// Entrywise difference.
    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "Matrix difference needs equal shapes")
        return Matrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 - $1 })
    }

    /// Scalar multiple.
    public static func * (s: Double, a: Matrix) -> Matrix {
        Matrix(rows: a.rows, columns: a.columns, elements: a.elements.map { s * $0 })
    }
}
