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
    /// One result per property run, in the order given.
    public let results: [PropertyResult]
    /// Properties not started because the run was interrupted (empty for a complete run).
    public let notRun: [String]

    /// A report from its parts.
    public init(familyFalseFailRate: Double, perPropertyFalseFailRate: Double, profile: Profile, rootSeed: UInt64,
                results: [PropertyResult], notRun: [String] = []) {
        self.familyFalseFailRate = familyFalseFailRate
        self.perPropertyFalseFailRate = perPropertyFalseFailRate
        self.profile = profile
        self.rootSeed = rootSeed
        self.results = results
        self.notRun = notRun
    }

    private enum CodingKeys: String, CodingKey {
        case familyFalseFailRate, perPropertyFalseFailRate, profile, rootSeed, results, notRun
    }

    /// Decodes a report; `notRun` may be absent (reports written before it existed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        familyFalseFailRate = try c.decode(Double.self, forKey: .familyFalseFailRate)
        perPropertyFalseFailRate = try c.decode(Double.self, forKey: .perPropertyFalseFailRate)
        profile = try c.decode(Profile.self, forKey: .profile)
        rootSeed = try c.decode(UInt64.self, forKey: .rootSeed)
        results = try c.decode([PropertyResult].self, forKey: .results)
        notRun = try c.decodeIfPresent([String].self, forKey: .notRun) ?? []
    }

    /// True when the run was stopped before every property decided.
    public var interrupted: Bool { !notRun.isEmpty || results.contains { $0.interrupted == true } }

    /// Holds only if every property holds; fails if any fails; otherwise inconclusive or error.
    /// An interrupted run is at best inconclusive.
    public var decision: Decision {
        let decisions = results.map(\.decision)
        if decisions.contains(.error) { return .error }
        if decisions.contains(.fails) { return .fails }
        if decisions.contains(.inconclusive) || !notRun.isEmpty { return .inconclusive }
        return .holds
    }
}
