/// The outcome of checking one instance of a universal property: passed or not, with every
/// measured value and the tolerance it was judged against (reported with a counterexample).
public struct Check: Codable, Equatable, Sendable {
    /// Whether every part of the check passed.
    public var passed: Bool
    /// The measurements behind the verdict, in the order they were made.
    public var measurements: [Measurement]

    /// A check from explicit parts.
    public init(passed: Bool, measurements: [Measurement] = []) {
        self.passed = passed
        self.measurements = measurements
    }

    /// A check that passed with nothing measured.
    public static let pass = Check(passed: true)

    /// Passes when `condition` holds; `label` says what was required.
    public static func that(_ condition: Bool, _ label: String) -> Check {
        Check(passed: condition, measurements: [Measurement(label: label, measured: condition ? 1 : 0,
                                                            reference: 1, tolerance: 0, relation: .holds)])
    }

    /// Passes when |measured − expected| ≤ tolerance (NaN never passes).
    public static func close(_ measured: Double, to expected: Double, tolerance: Double, _ label: String) -> Check {
        let ok = abs(measured - expected) <= tolerance
        return Check(passed: ok, measurements: [Measurement(label: label, measured: measured, reference: expected,
                                                            tolerance: tolerance, relation: .close)])
    }

    /// Passes when measured ≤ bound + tolerance (NaN never passes).
    public static func atMost(_ measured: Double, _ bound: Double, tolerance: Double = 0, _ label: String) -> Check {
        Check(passed: measured <= bound + tolerance,
              measurements: [Measurement(label: label, measured: measured, reference: bound, tolerance: tolerance, relation: .atMost)])
    }

    /// Passes when measured ≥ bound − tolerance (NaN never passes).
    public static func atLeast(_ measured: Double, _ bound: Double, tolerance: Double = 0, _ label: String) -> Check {
        Check(passed: measured >= bound - tolerance,
              measurements: [Measurement(label: label, measured: measured, reference: bound, tolerance: tolerance, relation: .atLeast)])
    }

    /// Passes when every one of `checks` passes; keeps all their measurements.
    public static func all(_ checks: [Check]) -> Check {
        Check(passed: checks.allSatisfy(\.passed), measurements: checks.flatMap(\.measurements))
    }

    /// Both checks (all measurements kept).
    public static func && (lhs: Check, rhs: Check) -> Check { all([lhs, rhs]) }
}

/// One measured value, what it was compared with, and how.
public struct Measurement: Codable, Equatable, Sendable, CustomStringConvertible {
    /// How a measurement is judged.
    public enum Relation: String, Codable, Sendable {
        /// |measured − reference| ≤ tolerance.
        case close
        /// measured ≤ reference + tolerance.
        case atMost
        /// measured ≥ reference − tolerance.
        case atLeast
        /// A boolean condition (measured 1 = held).
        case holds
    }

    /// What was measured.
    public let label: String
    /// The measured value.
    public let measured: Double
    /// The value or bound it is compared with.
    public let reference: Double
    /// The allowed numerical slack.
    public let tolerance: Double
    /// How it is compared.
    public let relation: Relation

    /// Whether this measurement passes.
    public var passed: Bool {
        switch relation {
        case .close: return abs(measured - reference) <= tolerance
        case .atMost: return measured <= reference + tolerance
        case .atLeast: return measured >= reference - tolerance
        case .holds: return measured == 1
        }
    }

    /// "label: measured 0.3 ≤ 0.25 + 1e-12 ✗".
    public var description: String {
        let mark = passed ? "ok" : "FAILED"
        switch relation {
        case .close: return "\(label): measured \(measured), expected \(reference) ± \(tolerance) [\(mark)]"
        case .atMost: return "\(label): measured \(measured) ≤ \(reference) + \(tolerance) [\(mark)]"
        case .atLeast: return "\(label): measured \(measured) ≥ \(reference) − \(tolerance) [\(mark)]"
        case .holds: return "\(label) [\(mark)]"
        }
    }
}
