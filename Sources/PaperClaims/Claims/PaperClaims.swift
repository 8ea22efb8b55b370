import PropertyEngine

/// The registry of the paper's claims and experiments: maps catalogue entries to the Swift code
/// that checks them, and runs a selection under one family-wise false-alarm rate.
public enum PaperClaims {
    /// Every claim implementation, one per catalogue entry.
    public static let implementations: [any PaperClaim.Type] = [
        SoftmaxInfiniteConvergence.self,
        LinearClosedFormConvergence.self,
        InContextConvergence.self,
        CriticalPointLandscape.self,
        SoftmaxFiniteSGD.self,
        InContextSGD.self,
        LinearSGD.self,
        SamplingTrend.self,
        SpectralGapScaling.self,
        FormulasAgainstMonteCarlo.self,
        InContextIdentity.self,
        DimensionScaling.self,
        FinitePromptSoftmax.self,
        InContextBeatsSingleCovariance.self,
        SoftmaxSaturation.self,
    ]

    /// The family-wise false-fail rate of a verification run (split over its statistical claims).
    public static let defaultFamilyFalseFailRate = 0.01

    /// The implementation serving `id`.
    public static func implementation(_ id: String) throws(CatalogueError) -> any PaperClaim.Type {
        guard let found = implementations.first(where: { $0.id == id }) else {
            throw CatalogueError(file: "\(id).yaml", field: "id", problem: "no Swift implementation serves claim '\(id)'")
        }
        return found
    }

    /// The property checking `entry`, optionally against a deliberately wrong model. Trials run
    /// in parallel batches of `protocol.trials-per-batch` (default 64) and a counterexample is
    /// shrunk with at most `protocol.shrink-budget` re-evaluations (default 200), since each
    /// re-evaluation re-runs a whole training run.
    public static func property(for entry: ClaimEntry, sabotage: Sabotage? = nil) throws -> any Property {
        let method = entry.method
        return ClaimExecution(try implementation(entry.id).property(for: entry, sabotage: sabotage),
                              trialsPerBatch: method.has("trials-per-batch") ? try method.integer("trials-per-batch", atLeast: 1) : 64,
                              shrinkBudget: method.has("shrink-budget") ? try method.integer("shrink-budget", atLeast: 0) : 200)
    }

    /// Checks the claims `ids` (all when nil) of `catalogue` under `settings`.
    public static func verify(_ catalogue: ClaimCatalogue, only ids: [String]? = nil, settings: Settings,
                              familyFalseFailRate: Double = defaultFamilyFalseFailRate) throws -> RunReport {
        let selected = try (ids ?? catalogue.entries.map(\.id)).map { id throws(CatalogueError) in try catalogue.entry(id) }
        let properties = try selected.map { try property(for: $0) }
        return try PropertySuite.run(properties, familyFalseFailRate: familyFalseFailRate, settings: settings)
    }

    /// The paper's experiments (docs/MATHEMATICS.md §9), in the order of the paper's figures.
    public static let experiments: [PaperExperiment] = PaperExperiments.all

    /// The experiment with this id.
    public static func experiment(_ id: String) throws(CatalogueError) -> PaperExperiment {
        guard let found = experiments.first(where: { $0.id == id }) else {
            throw CatalogueError(file: "experiments", field: "", problem: "no experiment '\(id)'; known: \(experiments.map(\.id).joined(separator: ", "))")
        }
        return found
    }
}
