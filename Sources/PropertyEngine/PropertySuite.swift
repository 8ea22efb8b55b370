import Statistics

/// The outcome of a run of many properties under one family-wise false-alarm rate.
public struct RunReport: Codable, Equatable, Sendable {
    /// The family-wise false-fail rate of the whole run.
    public let familyFalseFailRate: Double
    /// The α each statistical property was held to (Bonferroni share).
    public let perPropertyFalseFailRate: Double
    /// The profile.
    public let profile: Profile
    /// The root seed.
    public let rootSeed: UInt64
    /// One result per property, in the order given.
    public let results: [PropertyResult]

    /// Holds only if every property holds; fails if any fails; otherwise inconclusive or error.
    public var decision: Decision {
        let decisions = results.map(\.decision)
        if decisions.contains(.error) { return .error }
        if decisions.contains(.fails) { return .fails }
        if decisions.contains(.inconclusive) { return .inconclusive }
        return .holds
    }
}

/// Runs many properties with run-level error control: the family-wise false-fail rate is
/// split equally over the statistical properties (Bonferroni, valid under any dependence;
/// Holm's step-down needs p-values, which anytime-valid sequential tests do not produce).
/// Universal properties have no sampling false-fail rate, so they take no share.
public enum PropertySuite {
    /// Runs `properties` in order; each statistical one is held to α_family / (number of them).
    public static func run(_ properties: [any Property], familyFalseFailRate: Double, settings: Settings) throws -> RunReport {
        let statistical = properties.filter { $0.kind == .statistical }.count
        let share = try MultipleTesting.bonferroniShare(alpha: familyFalseFailRate, count: max(statistical, 1))
        let results = properties.map { $0.run(settings, falseFailRate: $0.kind == .statistical ? share : nil) }
        return RunReport(familyFalseFailRate: familyFalseFailRate, perPropertyFalseFailRate: share,
                         profile: settings.profile, rootSeed: settings.rootSeed, results: results)
    }
}
