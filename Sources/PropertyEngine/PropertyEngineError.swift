/// Typed errors for bad input to the engine, each naming the problem.
public enum PropertyEngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A claim that cannot be tested (e.g. rate threshold outside (0, 1)).
    case invalidClaim(String)
    /// Error rates outside (0, 1).
    case invalidErrorRates(ErrorRates)
    /// An environment variable or setting with an unusable value.
    case invalidSetting(name: String, value: String, expected: String)
    /// A regressions file that cannot be read or written.
    case regressionsFile(path: String, problem: String)
    /// A statistical outcome outside the claim's declared bounds, or not finite.
    case outcomeOutOfBounds(property: String, trial: Int, value: Double)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidClaim(let why): return "invalid claim: \(why)"
        case .invalidErrorRates(let e): return "invalid error rates α = \(e.falseFail), β = \(e.falsePass): both must lie in (0, 1)"
        case let .invalidSetting(name, value, expected): return "invalid setting \(name)=\(value): expected \(expected)"
        case let .regressionsFile(path, problem): return "regressions file \(path): \(problem)"
        case let .outcomeOutOfBounds(property, trial, value): return "property \(property), trial \(trial): outcome \(value) outside the claim's bounds"
        }
    }
}
