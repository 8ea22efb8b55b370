import Foundation
import LinearAlgebra

/// Reads a numeric CSV file: one sample per line, the same number of fields on every line,
/// separated by commas (or semicolons or tabs, whichever the first line uses), with an optional
/// header line (a first line with a field that is not a number). Blank lines and lines starting
/// with '#' are skipped. Every refusal is a `DataFileError` naming the file and line: a ragged
/// row, a field that is not a number, a NaN or infinite value, fewer than `minimumRows` rows.
public enum CSVReader {
    /// Reads the file at `path`; `minimumRows` is 2 for a data matrix (a covariance needs two
    /// samples), 1 for a covariance matrix file.
    public static func read(path: String, minimumRows: Int = 2) throws(DataFileError) -> DataMatrix {
        let data = try DataFileError.contents(of: path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(file: path, problem: "is not UTF-8 text (for a NumPy array use the .npy extension)")
        }
        return try parse(text, source: path, minimumRows: minimumRows)
    }

    /// Parses CSV `text` as if read from `source` (see the type's rules).
    public static func parse(_ text: String, source: String, minimumRows: Int = 2) throws(DataFileError) -> DataMatrix {
        var separator: Character?
        var header: [String]?
        var values = [Double]()
        var lines = [Int]()
        var columns: Int?
        var firstLine: Int?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if separator == nil {
                separator = line.contains(",") ? "," : line.contains(";") ? ";" : line.contains("\t") ? "\t" : ","
            }
            let fields = line.split(separator: separator!, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            if let expected = columns {
                guard fields.count == expected else {
                    throw DataFileError(file: source, line: lineNumber,
                                        problem: "has \(fields.count) fields, but line \(firstLine!) has \(expected) (ragged rows)")
                }
            } else {
                columns = fields.count
                firstLine = lineNumber
                if values.isEmpty && header == nil && fields.contains(where: { Double($0) == nil }) {
                    header = fields
                    continue
                }
            }
            for (j, field) in fields.enumerated() {
                guard let x = Double(field) else {
                    let shown = field.isEmpty ? "an empty field" : "'\(field)'"
                    throw DataFileError(file: source, line: lineNumber, problem: "field \(j + 1) is \(shown), not a number")
                }
                guard x.isFinite else {
                    throw DataFileError(file: source, line: lineNumber,
                                        problem: "field \(j + 1) is '\(field)': missing or infinite values are not allowed (remove or impute the row)")
                }
                values.append(x)
            }
            lines.append(lineNumber)
        }
        guard let d = columns, d > 0 else { throw DataFileError(file: source, problem: "contains no data") }
        guard lines.count >= minimumRows else {
            throw DataFileError(file: source, line: lines.last,
                                problem: "has \(lines.count) data row\(lines.count == 1 ? "" : "s"); at least \(minimumRows) are needed")
        }
        return DataMatrix(source: source, columnNames: header, values: Matrix(rows: lines.count, columns: d, elements: values), rowLines: lines)
    }
}
