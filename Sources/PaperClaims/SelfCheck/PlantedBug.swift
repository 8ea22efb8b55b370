import PropertyEngine

/// One implementation bug that the mutation self-check plants and the claim suite must catch:
/// either a wrong model from the negative-control catalogue (`Sabotage`, built beside the
/// production code, never an edit of it) or a fault injected into the engine's own trial
/// loop through its documented seam (`Settings.plantedStreamIndex`).
public struct PlantedBug: Sendable, Hashable {
    /// How the bug is planted.
    public enum Plant: Sendable, Hashable {
        /// Run the claims that list this wrong model against it.
        case wrongModel(Sabotage)
        /// Every odd trial draws the random stream of the trial before it (shared randomness):
        /// every claim must stop with the duplicate-trial health failure.
        case sharedTrialStreams
    }

    /// The bug's id, as printed in the self-check table.
    public let id: String
    /// What the bug is, in a sentence.
    public let summary: String
    /// How it is planted.
    public let plant: Plant

    /// A planted wrong model.
    public static func wrongModel(_ sabotage: Sabotage) -> PlantedBug {
        PlantedBug(id: sabotage.rawValue, summary: sabotage.summary, plant: .wrongModel(sabotage))
    }

    /// Trial 2k + 1 draws the stream of trial 2k, so pairs of trials share their randomness.
    public static let sharedTrialStreams = PlantedBug(
        id: "shared-trial-streams",
        summary: "trial 2k+1 draws the random stream of trial 2k: every claim would count each instance twice",
        plant: .sharedTrialStreams)

    /// The claims of `catalogue` this bug is planted under: those listing the wrong model, or
    /// every claim for an engine fault.
    public func claims(in catalogue: ClaimCatalogue) -> [ClaimEntry] {
        switch plant {
        case .wrongModel(let sabotage): return catalogue.entries.filter { $0.negativeControls.contains(sabotage.rawValue) }
        case .sharedTrialStreams: return catalogue.entries
        }
    }

    /// The settings a run under this bug uses.
    func plantedSettings(_ settings: Settings) -> Settings {
        var planted = settings
        if plant == .sharedTrialStreams { planted.plantedStreamIndex = { $0 & ~1 } }
        return planted
    }

    /// Every bug the self-check plants for `catalogue`: each wrong model some claim lists, in
    /// `Sabotage` order, then the engine faults.
    public static func all(in catalogue: ClaimCatalogue) -> [PlantedBug] {
        let listed = Set(catalogue.entries.flatMap(\.negativeControls))
        return Sabotage.allCases.filter { listed.contains($0.rawValue) }.map(wrongModel) + [sharedTrialStreams]
    }
}
