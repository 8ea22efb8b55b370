/// A typed error for invalid arguments to a statistical function (never a crash on bad input).
public enum StatisticsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An argument lies outside its domain; `name` names it and `requirement` states the domain.
    case invalidArgument(name: String, value: Double, requirement: String)

    /// A one-line explanation naming the offending argument.
    public var description: String {
        switch self {
        case let .invalidArgument(name, value, requirement):
            return "invalid argument \(name) = \(value): must be \(requirement)"
        }
    }

    static func require(_ condition: Bool, _ name: String, _ value: Double, _ requirement: String) throws {
        if !condition { throw StatisticsError.invalidArgument(name: name, value: value, requirement: requirement) }
    }
}
