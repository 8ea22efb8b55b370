import Foundation
import PaperClaims
import PropertyEngine
import Testing

/// Every catalogue entry is its own Swift Testing case, run in the profile chosen by
/// PROPERTY_PROFILE (quick by default); a failure prints the verdict, the shrunk
/// counterexample, the statistic with its interval, and the replay command.
@Suite("The paper's claims")
struct ClaimTests {
    static let catalogue: ClaimCatalogue = {
        do { return try ClaimCatalogue.load(from: try ClaimCatalogue.defaultFolder()) } catch {
            fatalError("the claim catalogue does not load: \(error)")
        }
    }()

    /// All claim ids, or those listed in CLAIMS (comma-separated) to run some alone.
    static var ids: [String] {
        let all = catalogue.entries.map(\.id)
        guard let only = ProcessInfo.processInfo.environment["CLAIMS"] else { return all }
        let wanted = only.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        return all.filter { wanted.contains($0) }
    }

    static func settings(for id: String) throws -> Settings {
        var settings = try Settings.fromEnvironment()
        settings.testFilter = "ClaimTests/claimHolds"
        settings.replayTemplate = "CLAIMS={property} PROPERTY_PROFILE={profile} PROPERTY_SEED={seed} PROPERTY_REPLAY='{property}:{trial}' "
            + "scripts/with-blas swift test -c release --filter ClaimTests"
        settings.rerunTemplate = "CLAIMS={property} PROPERTY_PROFILE={profile} PROPERTY_SEED={seed} "
            + "scripts/with-blas swift test -c release --filter ClaimTests"
        return settings
    }

    @Test("claim holds", arguments: ids)
    func claimHolds(id: String) throws {
        let entry = try Self.catalogue.entry(id)
        let result = try PaperClaims.property(for: entry).run(try Self.settings(for: id))
        if ProcessInfo.processInfo.environment["PROPERTY_VERBOSE"] != nil { print(result.summary) }
        #expect(result.decision == .holds, "\(result.summary)")
    }
}
