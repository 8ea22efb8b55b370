/// A column of a data file that labels the rows instead of holding a coordinate: row names, a
/// written row index, or a class column ("setosa", ...). The readers set such columns apart so
/// that they are never studied as data (a row index would be the top principal direction).
public struct LabelColumn: Sendable, Equatable {
    /// Its 1-based position among the file's columns.
    public let position: Int
    /// Its header name ("" when unnamed).
    public let name: String
    /// Its value on every row, in row order.
    public let values: [String]

    /// A label column.
    public init(position: Int, name: String, values: [String]) {
        self.position = position
        self.name = name
        self.values = values
    }

    /// How a message or report names it: "column 5 (species)" or "column 1".
    public var label: String { name.isEmpty ? "column \(position)" : "column \(position) (\(name))" }
}
