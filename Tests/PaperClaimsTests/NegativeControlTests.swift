import Foundation
import PaperClaims
import PropertyEngine
import Testing

/// Every claim against each deliberately wrong model its catalogue entry lists: the verdict
/// must be a failure. A claim that cannot be made to fail is not a check.
@Suite("Negative controls: each claim rejects its wrong models")
struct NegativeControlTests {
    static var cases: [(String, String)] {
        ClaimTests.catalogue.entries.filter { ClaimTests.ids.contains($0.id) }
            .flatMap { entry in entry.negativeControls.map { (entry.id, $0) } }
    }

    @Test("the claim rejects the wrong model", arguments: cases)
    func wrongModelIsRejected(id: String, control: String) throws {
        let entry = try ClaimTests.catalogue.entry(id)
        let sabotage = try #require(Sabotage(rawValue: control))
        var settings = Settings(profile: .quick)
        // A rejection needs one counterexample (universal) or a sequential decision
        // (statistical); a short shrink keeps the control fast without changing the verdict.
        settings.shrinkBudget = 20
        let result = try PaperClaims.property(for: entry, sabotage: sabotage).run(settings)
        #expect(result.decision == .fails, "\(id) did not reject '\(control)': \(result.summary)")
    }
}
