/// Opens a data or covariance file by its extension: `.npy` through `NumPyReader`, anything
/// else as CSV through `CSVReader`; and validates a covariance file (square, symmetric).
public enum DataFile {
    /// Reads a data matrix (rows = samples) from `path`.
    public static func readData(path: String) throws(DataFileError) -> DataMatrix {
        try (path.lowercased().hasSuffix(".npy") ? NumPyReader.read(path: path) : CSVReader.read(path: path))
    }

    /// Reads a covariance matrix from `path` and checks that it is square and symmetric to
    /// 1e-8 relative to its largest entry (a file written with 8+ significant digits passes;
    /// anything larger is not rounding), naming the line of the worst entry otherwise.
    /// Definiteness is checked by `PrincipalSubspace`, which reports indefinite matrices.
    public static func readCovariance(path: String) throws(DataFileError) -> DataMatrix {
        let m = try (path.lowercased().hasSuffix(".npy") ? NumPyReader.read(path: path, minimumRows: 1)
            : CSVReader.read(path: path, minimumRows: 1))
        let a = m.values
        guard a.rows == a.columns else {
            throw DataFileError(file: path, problem: "is \(a.rows) x \(a.columns); a covariance matrix must be square")
        }
        let scale = max(a.maxAbs, .leastNormalMagnitude)
        var worst = (0.0, 0, 0)
        for i in 0..<a.rows { for j in 0..<i where abs(a[i, j] - a[j, i]) > worst.0 { worst = (abs(a[i, j] - a[j, i]), i, j) } }
        if worst.0 > 1e-8 * scale {
            let (_, i, j) = worst
            throw DataFileError(file: path, line: m.rowLines?[i],
                                problem: "is not symmetric: entry (\(i + 1), \(j + 1)) = \(a[i, j]) but (\(j + 1), \(i + 1)) = \(a[j, i])")
        }
        return m
    }
}
