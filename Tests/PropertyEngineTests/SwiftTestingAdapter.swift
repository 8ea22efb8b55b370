import Testing
import PropertyEngine

/// The example Swift Testing adapter (the engine itself never imports Testing): runs a property
/// with settings from the environment (PROPERTY_PROFILE, PROPERTY_SEED, PROPERTY_REPLAY, …) and
/// records an issue carrying the verdict, counterexample and replay line unless it holds.
@discardableResult
func expectHolds(
    _ property: some Property, settings: Settings? = nil, sourceLocation: SourceLocation = #_sourceLocation
) throws -> PropertyResult {
    var settings = try settings ?? Settings.fromEnvironment()
    if settings.testFilter == nil, let test = Test.current { settings.testFilter = test.name }
    let result = property.run(settings)
    if result.decision != .holds {
        Issue.record(Comment(rawValue: result.summary), sourceLocation: sourceLocation)
    }
    return result
}

/// Engine tests use explicit settings: a fixed seed and worker count, never the environment.
func fixedSettings(seed: UInt64 = 42, workers: Int = 2, profile: Profile = .quick) -> Settings {
    Settings(profile: profile, rootSeed: seed, workers: workers)
}

struct AdapterExampleTests {
    /// The five-line example from docs/ENGINE.md, run through the adapter.
    @Test func universalExampleHolds() throws {
        let squares = UniversalProperty("square is non-negative", generator: Gen.reals(in: -1e3...1e3)) { x, _ in
            Check.atLeast(x * x, 0, "x²")
        }
        try expectHolds(squares)
    }

    @Test func statisticalExampleHolds() throws {
        // True rate 0.975 vs claim ≥ 0.9 with indifference 0.05; α = β = 1e-3 (standard);
        // the false-fail probability of this check is ≤ α = 1e-3 (and it is fixed by the seed).
        let coin = StatisticalProperty(
            "biased coin lands heads", generator: Gen.booleans(probability: 0.975),
            claim: .rate(atLeast: 0.9, indifference: 0.05), budget: .trials(5_000)) { heads, _ in heads }
        try expectHolds(coin)
    }
}
