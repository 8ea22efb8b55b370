/// Why a model, risk or trainer refused its input: each case names the offending quantity.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    /// A parameter is outside its domain (for example lam <= 0, L < 1, a NaN step size).
    case invalidParameter(name: String, value: Double, requirement: String)
    /// Two inputs disagree in dimension.
    case dimensionMismatch(expected: Int, actual: Int, what: String)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, requirement): "invalid \(name) = \(value): must be \(requirement)"
        case let .dimensionMismatch(expected, actual, what): "\(what) has dimension \(actual), expected \(expected)"
        }
    }
}
