import Foundation
import PaperClaims
import PropertyEngine
import Testing

/// Every claim against each deliberately wrong model its catalogue entry lists: the verdict
/// must be a failure, and not by luck — the claim's power against the wrong model (the
/// probability of *fails* within the quick budget, at the least favourable end of the wrong
/// model's measured effect, from a first look at 20 trials or from the whole budget) must be at
/// least `requiredPower`. A claim that cannot be made to
/// fail is not a check, and one that fails only sometimes flips with any change of rounding.
@Suite("Negative controls: each claim rejects its wrong models, with power")
struct NegativeControlTests {
    /// The least power a control may have (issue 9): a control that misses one run in a
    /// thousand is decisive on every machine the suite meets.
    static let requiredPower = 0.999

    static var cases: [(String, String)] {
        ClaimTests.catalogue.entries.filter { ClaimTests.ids.contains($0.id) }
            .flatMap { entry in entry.negativeControls.map { (entry.id, $0) } }
    }

    @Test("the claim rejects the wrong model, with power ≥ 0.999 within its quick budget", arguments: cases)
    func wrongModelIsRejected(id: String, control: String) throws {
        let entry = try ClaimTests.catalogue.entry(id)
        let sabotage = try #require(Sabotage(rawValue: control))
        var settings = Settings(profile: .quick)
        // A rejection needs one counterexample (universal) or a sequential decision
        // (statistical); a short shrink keeps the control fast without changing the verdict.
        settings.shrinkBudget = 20
        let property = try PaperClaims.property(for: entry, sabotage: sabotage)
        // The power from a first look at 20 trials, or from the whole budget if that does not
        // establish it (two looks, each bound at 97.5%: 95% together). The verdict is decided
        // from the same records, evaluating only the trials it still needs.
        let (power, survey) = try #require(PowerAnalysis.establish(property, required: Self.requiredPower, settings: settings))
        let result = property.decide(survey.records, settings: settings, falseFailRate: nil)
        #expect(result.decision == .fails, "\(id) did not reject '\(control)': \(result.summary)")
        if ProcessInfo.processInfo.environment["PROPERTY_VERBOSE"] != nil {
            // Every surveyed trial's outcome and features, to see where a weak control is weak.
            for record in survey.records {
                let features = record.log.features.map { "\($0.name)=\(String(format: "%.4g", $0.value))" }.joined(separator: "; ")
                print("trial \(id) \(control) #\(record.index): outcome \(String(format: "%.4g", record.outcome)); \(features)")
            }
        }
        print("power \(id) \(control): surveyed \(power.surveyed), effect \(power.effectName) \(power.effect) bound \(power.effectBound) expected \(power.expectedTrials) budget \(power.budget) power \(power.power) (at effect \(power.powerAtEffect))")
        #expect(power.power >= Self.requiredPower,
                "\(id) against '\(control)': power \(power.power) < \(Self.requiredPower) (\(power.effectName) \(power.effect), bound \(power.effectBound) over \(power.surveyed) trials, budget \(power.budget), ≈\(power.expectedTrials) trials expected) — raise the budget or sharpen the claim")
    }
}
