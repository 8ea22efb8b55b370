import DataFiles
import LinearAlgebra

/// What a study runs on: a covariance S and, when the user gave data, the rows it came from
/// (so that SGD can resample them). Built from a `DataMatrix` by `data(_:standardise:)` or
/// `covariance(_:)`.
public struct StudyInput: Sendable {
    /// The file the input came from (for the report and error messages).
    public let source: String
    /// S, d x d.
    public let covariance: Matrix
    /// The centred data rows (n x d), or nil when only a covariance was given.
    public let centredRows: Matrix?
    /// Column names from the file's header, if any.
    public let columnNames: [String]?
    /// Whether the columns were scaled to unit variance first.
    public let standardised: Bool
    /// What the report should say about how the file was read (e.g. a label column set apart).
    public var notes: [String] = []

    /// A study of `data`'s covariance (1/n normalisation) and rows; columns scaled to unit
    /// variance first if `standardise`. Throws when double precision cannot hold the
    /// covariance (`DataMatrix.checkedCovariance`).
    public static func data(_ data: DataMatrix, standardise: Bool = false) throws(DataFileError) -> StudyInput {
        let used = standardise ? data.standardised : data
        let moments = try used.centredRowsAndCheckedCovariance()
        var input = StudyInput(source: data.source, covariance: moments.covariance, centredRows: moments.centred,
                               columnNames: data.columnNames, standardised: standardise)
        if !data.labelColumns.isEmpty {
            let described = data.labelColumns.map { column in
                "\(column.label): \(column.values.prefix(3).joined(separator: ", "))\(column.values.count > 3 ? ", ..." : "")"
            }
            let list = described.joined(separator: "; ")
            input.notes.append("Set apart as labels of the rows, not read as coordinates: " + list + (list.hasSuffix("...") ? "" : "."))
        }
        return input
    }

    /// A study of a covariance matrix alone (no real-rows arm, no Gaussian-sample control).
    public static func covariance(_ matrix: DataMatrix) -> StudyInput {
        StudyInput(source: matrix.source, covariance: matrix.values.symmetrised, centredRows: nil, columnNames: matrix.columnNames,
                   standardised: false)
    }

    /// An input from its parts (for library users who hold the matrices already).
    public init(source: String, covariance: Matrix, centredRows: Matrix?, columnNames: [String]? = nil, standardised: Bool = false) {
        self.source = source
        self.covariance = covariance
        self.centredRows = centredRows
        self.columnNames = columnNames
        self.standardised = standardised
    }
}
