/// How hard a run tries: `quick` for `swift test`, `nightly` for fresh seeds and larger
/// budgets, `paper` for the paper's parameters. Chosen by `PROPERTY_PROFILE` (or a CLI flag).
public enum Profile: String, Codable, CaseIterable, Sendable {
    /// The default: fixed root seed, small budgets, minutes.
    case quick
    /// A fresh root seed (always reported) and larger budgets.
    case nightly
    /// The paper's parameters, fixed root seed.
    case paper

    /// The root seed used when none is given (nil: draw a fresh one, as `nightly` does).
    public var defaultSeed: UInt64? {
        switch self {
        case .quick: return 0x5EED_0001
        case .nightly: return nil
        case .paper: return 2605_18315
        }
    }
}

/// A property's trial budget per profile, and how slow one trial may be before a warning.
public struct Budget: Codable, Equatable, Sendable {
    /// Trials under `quick`.
    public var quick: Int
    /// Trials under `nightly`.
    public var nightly: Int
    /// Trials under `paper`.
    public var paper: Int
    /// Seconds one trial may take before the health check looks at it; it warns only if the trial
    /// also took more than 10x the median trial (an outlier instance, not a uniformly slow claim).
    public var slowTrialSeconds: Double

    /// A budget with explicit counts per profile.
    public init(quick: Int, nightly: Int, paper: Int, slowTrialSeconds: Double = 1) {
        self.quick = quick
        self.nightly = nightly
        self.paper = paper
        self.slowTrialSeconds = slowTrialSeconds
    }

    /// The same count under every profile.
    public static func trials(_ count: Int) -> Budget { Budget(quick: count, nightly: count, paper: count) }

    /// 100 / 1 000 / 10 000 trials (Hypothesis's default is 100).
    public static let standard = Budget(quick: 100, nightly: 1_000, paper: 10_000)

    /// The trial count for `profile`.
    public func trials(for profile: Profile) -> Int {
        switch profile {
        case .quick: return quick
        case .nightly: return nightly
        case .paper: return paper
        }
    }
}
