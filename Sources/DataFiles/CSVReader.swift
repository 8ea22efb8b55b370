import Foundation
import LinearAlgebra

/// Reads a numeric CSV file: one sample per line, the same number of fields on every line,
/// with an optional header line (a first line with a field that is not a number) and optional
/// label columns: under a header, columns of names (not numbers) on every row, as R's
/// write.csv and pandas' to_csv write row names, or a class column; and an unnamed first column
/// holding the row numbers 0, 1, 2, ... or 1, 2, 3, ..., a written row index. Label columns are
/// kept apart from the values (`DataMatrix.labelColumns`), never read as data. Blank lines
/// and lines starting with '#' are skipped. Lines may end in LF, CRLF (Windows) or CR, and a
/// leading UTF-8 byte-order mark (Excel's "CSV UTF-8") is ignored. The first line decides the
/// separator: a semicolon if it has one outside quotes (the separator of locales with decimal commas), else a
/// comma, else a tab, else runs of spaces (NumPy's `savetxt` default, many `.txt`/`.dat` files).
/// Every refusal is a `DataFileError` naming the file and line: a ragged row, a field that is
/// not a number (a decimal comma is named as such), a NaN or infinite value, fewer than
/// `minimumRows` rows.
public enum CSVReader {
    /// Parses CSV `text` as if read from `source` (see the type's rules); `minimumRows` is 2 for
    /// a data matrix (a covariance needs two samples), 1 for a covariance matrix file. Files are
    /// opened by `DataFile`, which chooses the reader from what they hold.
    public static func parse(_ text: String, source: String, minimumRows: Int = 2) throws(DataFileError) -> DataMatrix {
        var separator: Character?
        var header: [String]?
        var values = [Double]()
        var lines = [Int]()
        var columns: Int?
        var firstLine: Int?
        var labelPositions: [Int] = []  // 0-based file columns holding names, decided on the first data row
        var labels: [[String]] = []
        var lineNumber = 0
        // Swift reads "\r\n" as one Character, so lines are split on every kind of newline,
        // not on "\n" alone (which would leave a whole CRLF file as one line).
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        for rawLine in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = trimmed(rawLine)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if separator == nil {
                // Decided outside quotes, so a header name like "mass (kg; dry)" does not count.
                let bare = line.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                    .filter { $0.offset % 2 == 0 }.map(\.element).joined()
                separator = bare.contains(";") ? ";" : bare.contains(",") ? "," : bare.contains("\t") ? "\t" : " "
            }
            let pieces = separator == " "
                ? line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                : line.split(separator: separator!, omittingEmptySubsequences: false)
            let fields = pieces.map { String(trimmed(trimmed($0), removing: "\"")) }
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
            if lines.isEmpty, header != nil {
                // Under a header, the first data row's names (fields that are not numbers, nor
                // missing values) mark label columns, if some field of the row is a number.
                let names = fields.indices.filter { isName(fields[$0], separator: separator!) }
                if names.count < fields.count {
                    labelPositions = names
                    labels = names.map { _ in [] }
                }
            }
            for (k, j) in labelPositions.enumerated() {
                guard isName(fields[j], separator: separator!) else {
                    throw DataFileError(file: source, line: lineNumber,
                                        problem: "field \(j + 1) is '\(fields[j])', but on line \(lines[0]) it is '\(labels[k][0])', not a number: "
                                            + "a column holds numbers on every row or names on every row (a missing value, or a typo on line \(lines[0])?)")
                }
                labels[k].append(fields[j])
            }
            for (j, field) in fields.enumerated() where !labelPositions.contains(j) {
                guard let x = Double(field) else {
                    let shown = field.isEmpty ? "an empty field" : "'\(field)'"
                    let decimalComma = separator != "," && Double(field.replacingOccurrences(of: ",", with: ".")) != nil
                    let missing = field.isEmpty || missingMarkers.contains(field)
                    throw DataFileError(file: source, line: lineNumber, problem: "field \(j + 1) is \(shown), not a number"
                                        + (decimalComma ? " (a decimal comma? write decimal points: 1.5, not 1,5)" : "")
                                        + (missing ? " (a missing value? remove or impute the row)" : ""))
                }
                guard x.isFinite else {
                    throw DataFileError(file: source, line: lineNumber,
                                        problem: "field \(j + 1) is '\(field)': missing or infinite values are not allowed (remove or impute the row)")
                }
                values.append(x)
            }
            lines.append(lineNumber)
        }
        guard var d = columns, d > 0 else { throw DataFileError(file: source, problem: "contains no data") }
        guard lines.count >= minimumRows else {
            throw DataFileError(file: source, line: lines.last,
                                problem: "has \(lines.count) data row\(lines.count == 1 ? "" : "s"); at least \(minimumRows) are needed")
        }
        // A written row index (pandas' to_csv and R's write.csv write one by default, under an empty
        // name that pandas reads back as "Unnamed: 0"): taken as data it would be the dominant
        // "principal direction", so it is set apart as labels.
        var stored = d - labelPositions.count  // values per row
        if !labelPositions.contains(0), let name = header?.first, ["", "Unnamed: 0", "index"].contains(name), stored > 1,
           (0..<lines.count).allSatisfy({ values[$0 * stored] == Double($0) })
            || (0..<lines.count).allSatisfy({ values[$0 * stored] == Double($0 + 1) }) {
            labelPositions.insert(0, at: 0)
            labels.insert((0..<lines.count).map { String(Int(values[$0 * stored])) }, at: 0)
            values = (0..<lines.count).flatMap { i in values[(i * stored + 1)..<((i + 1) * stored)] }
            stored -= 1
        }
        guard stored > 0 else {
            throw DataFileError(file: source, line: lines.first, problem: "has no numeric column (every column holds names)")
        }
        let labelColumns = zip(labelPositions, labels).map { LabelColumn(position: $0 + 1, name: header?[$0] ?? "", values: $1) }
        header = header.map { names in names.indices.filter { !labelPositions.contains($0) }.map { names[$0] } }
        d = stored
        return DataMatrix(source: source, columnNames: header, values: Matrix(rows: lines.count, columns: d, elements: values),
                          rowLines: lines, labelColumns: labelColumns)
    }

    /// `text` without leading and trailing whitespace (or, given `removing`, that character).
    /// Written on Substring rather than with Foundation's trimmingCharacters, which bridges
    /// every field to NSString: that made a 200,000 x 20 file take 41 s to read.
    static func trimmed(_ text: Substring, removing quote: Character? = nil) -> Substring {
        let drop: (Character) -> Bool = quote.map { q in { $0 == q } } ?? { $0.isWhitespace }
        var result = text.drop(while: drop)
        while let last = result.last, drop(last) { result = result.dropLast() }
        return result
    }

    /// Whether `field` can be a row name: not a number, not a number with a decimal comma (in
    /// a file not separated by commas), not empty and not a missing-value marker.
    static func isName(_ field: String, separator: Character) -> Bool {
        !field.isEmpty && Double(field) == nil && !missingMarkers.contains(field)
            && (separator == "," || Double(field.replacingOccurrences(of: ",", with: ".")) == nil)
    }

    /// Spellings of a missing value in exported tables, named as such in the refusal.
    static let missingMarkers: Set<String> = ["NA", "N/A", "n/a", "na", "null", "NULL", "None", "none", "?", "-", ".", "missing"]
}
