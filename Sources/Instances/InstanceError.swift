import LinearAlgebra

/// Why an instance generator refused its parameters. Every case names the offending parameter
/// (as it is spelled at the call site), so a property that draws bad parameters reports them
/// instead of producing NaNs or crashing later.
public enum InstanceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A real parameter is NaN, infinite or outside its domain (`requirement` says which).
    case invalidParameter(name: String, value: Double, requirement: String)
    /// An integer parameter (a dimension, a count) is outside its domain.
    case invalidCount(name: String, value: Int, requirement: String)
    /// A vector parameter has the wrong number of entries.
    case lengthMismatch(name: String, expected: Int, actual: Int)
    /// The requested spectrum's condition number is beyond what float64 can hold in S: the
    /// rounding of Q diag(s) Q^T (about d^2 ulp of s_1) would swamp the smallest eigenvalue.
    case illConditioned(conditionNumber: Double, limit: Double)
    /// A linear-algebra step refused its input (for example a scale matrix that is not SPD).
    case linearAlgebra(LinearAlgebraError)

    /// The name of the parameter at fault, or nil for errors that are about a whole matrix.
    public var parameterName: String? {
        switch self {
        case let .invalidParameter(name, _, _), let .invalidCount(name, _, _), let .lengthMismatch(name, _, _):
            name
        case .illConditioned: "eigenvalues"
        case .linearAlgebra: nil
        }
    }

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, requirement): "\(name) = \(value) is invalid: needs \(requirement)"
        case let .invalidCount(name, value, requirement): "\(name) = \(value) is invalid: needs \(requirement)"
        case let .lengthMismatch(name, expected, actual): "\(name) has \(actual) entries, expected \(expected)"
        case let .illConditioned(kappa, limit): "spectrum has condition number \(kappa), beyond the float64 limit \(limit)"
        case let .linearAlgebra(error): error.description
        }
    }
}

/// Parameter checks shared by the generators; each throws an `InstanceError` naming the parameter.
enum Require {
    /// `value` is finite and strictly positive.
    static func positive(_ value: Double, _ name: String) throws(InstanceError) {
        guard value.isFinite, value > 0 else {
            throw .invalidParameter(name: name, value: value, requirement: "a finite value > 0")
        }
    }

    /// `value` is an integer at least `minimum`.
    static func count(_ value: Int, atLeast minimum: Int, _ name: String) throws(InstanceError) {
        guard value >= minimum else { throw .invalidCount(name: name, value: value, requirement: ">= \(minimum)") }
    }

    /// Runs a LinearAlgebra call, rethrowing its error as an `InstanceError`.
    static func linearAlgebra<T>(_ body: () throws(LinearAlgebraError) -> T) throws(InstanceError) -> T {
        do { return try body() } catch { throw .linearAlgebra(error) }
    }
}
