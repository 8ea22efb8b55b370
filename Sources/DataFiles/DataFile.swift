import Foundation

/// Opens a data or covariance file by what it holds: a NumPy array (its magic bytes, or the
/// `.npy` extension) through `NumPyReader`, text through `CSVReader`, a zip archive (`.npz`)
/// refused with how to convert it; and validates a covariance file (square, symmetric).
public enum DataFile {
    /// Reads a data matrix (rows = samples) from `path`.
    public static func readData(path: String) throws(DataFileError) -> DataMatrix {
        try read(path: path, minimumRows: 2)
    }

    /// Reads `path` with the reader its contents call for.
    static func read(path: String, minimumRows: Int) throws(DataFileError) -> DataMatrix {
        let bytes = [UInt8](try DataFileError.contents(of: path))
        if bytes.starts(with: NumPyReader.magic) || path.lowercased().hasSuffix(".npy") {
            return try NumPyReader.parse(bytes, source: path, minimumRows: minimumRows)
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw DataFileError(file: path, problem: "is a zip archive (NumPy's .npz?), which is not read: save the one array "
                                + "with numpy.save(\"data.npy\", array) and give that file")
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw DataFileError(file: path, problem: "is neither a NumPy .npy array nor UTF-8 text")
        }
        return try CSVReader.parse(text, source: path, minimumRows: minimumRows)
    }

    /// Reads a covariance matrix from `path` and checks that it is square and symmetric to
    /// 1e-8 relative to its largest entry (a file written with 8+ significant digits passes;
    /// anything larger is not rounding), naming the line of the worst entry otherwise.
    /// Definiteness is checked by `PrincipalSubspace`, which reports indefinite matrices.
    public static func readCovariance(path: String) throws(DataFileError) -> DataMatrix {
        let m = try read(path: path, minimumRows: 1)
        let a = m.values
        guard a.rows == a.columns else {
            throw DataFileError(file: path, problem: "is \(a.rows) x \(a.columns); a covariance matrix must be square")
        }
        // A labelled matrix (pandas' df.cov().to_csv(), R's write.csv(cov(x))) names its rows as
        // its columns; different orders would pair variances with the wrong covariances.
        if let rows = m.rowLabels, let columns = m.columnNames,
           let i = zip(rows, columns).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            throw DataFileError(file: path, line: m.rowLines?[i],
                                problem: "labels its row \(i + 1) '\(rows[i])' but its column \(i + 1) '\(columns[i])': rows and columns must be in the same order")
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
