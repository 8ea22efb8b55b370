import Foundation
import PaperClaims
import PropertyEngine

/// Turns the command line's claim and experiment choices into runnable claims and
/// experiments, with errors that name the unknown id and list the known ones.
public enum ClaimSelection {
    /// The claims `ids` of `catalogue` (all when empty), paired with their properties from
    /// `property` (default: `PaperClaims.property(for:)`). An unknown id is an error; a claim
    /// without an implementation is an error when asked for by id, and otherwise listed as not run.
    public static func claims(
        _ ids: [String], in catalogue: ClaimCatalogue,
        property: (ClaimEntry) throws -> any Property = { try PaperClaims.property(for: $0) }
    ) throws -> (claims: [ClaimUnderTest], notRun: [NotRun]) {
        let known = catalogue.entries.map(\.id)
        for id in ids where !known.contains(id) {
            throw ReportsError.unknownName(kind: "claim", name: id, known: known)
        }
        let entries = ids.isEmpty ? catalogue.entries : ids.map { id in catalogue.entries.first { $0.id == id }! }
        var claims: [ClaimUnderTest] = []
        var notRun: [NotRun] = []
        for entry in entries {
            do {
                claims.append(ClaimUnderTest(entry: entry, property: try property(entry)))
            } catch {
                if !ids.isEmpty { throw ReportsError.invalidRequest("claim '\(entry.id)' cannot be run: \(error)") }
                notRun.append(NotRun(id: entry.id, reason: "cannot be run: \(error)"))
            }
        }
        return (claims, notRun)
    }

    /// The experiments `ids` among `available` (all when empty); an unknown id is an error.
    public static func experiments(_ ids: [String], in available: [ExperimentUnderTest]) throws(ReportsError) -> [ExperimentUnderTest] {
        if ids.isEmpty { return available }
        return try ids.map { id throws(ReportsError) in
            guard let e = available.first(where: { $0.id == id }) else {
                throw .unknownName(kind: "experiment", name: id, known: available.map(\.id))
            }
            return e
        }
    }

    /// Experiment options per profile: quick 2 runs on every 5th sweep point (minutes), nightly
    /// 10 runs on every 2nd, paper the published runs on every point.
    public static func experimentOptions(profile: Profile, seed: UInt64, workers: Int, runs: Int?, stride: Int?, publishedRuns: Int = 10,
                                         seeds: Int = 1) -> ExperimentOptions {
        let defaults: (Int, Int) = switch profile {
        case .quick: (2, 5)
        case .nightly: (10, 2)
        case .paper: (publishedRuns, 1)
        }
        var options = ExperimentOptions(seed: seed, runs: runs ?? defaults.0, sweepStride: stride ?? defaults.1, workers: workers,
                                        profile: profile)
        options.seedCount = seeds
        return options
    }
}
