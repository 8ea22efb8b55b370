import Foundation
import Randomness
import Statistics

/// The power of a property against a model: the probability that a run within the property's
/// trial budget ends in *fails*, computed from a survey of that model's trials.
///
/// The effect is measured on the surveyed trials, then moved to the least favourable end of
/// its one-sided `confidence` interval (toward "the claim holds"), and the power is the
/// operating characteristic there:
/// - universal: with counterexample rate q, 1 − (1 − q)^budget (any one counterexample fails);
/// - statistical rate: the exact probability that Wald's random walk with Bernoulli(p) steps
///   crosses ln(1/α) before −ln(1/β) within the budget (dynamic programming over successes);
/// - statistical mean: the same probability by resampling the surveyed outcomes, shifted to
///   the interval's bound, through the sequential test (a fixed-seed bootstrap).
public struct PowerEstimate: Codable, Equatable, Sendable {
    /// The property's name.
    public let property: String
    /// Universal or statistical.
    public let kind: PropertyKind
    /// Counted trials surveyed.
    public let surveyed: Int
    /// What was measured: "counterexample rate", "pass rate" or "mean outcome".
    public let effectName: String
    /// The measured effect (point estimate).
    public let effect: Double
    /// The effect at the least favourable end of its one-sided confidence interval.
    public let effectBound: Double
    /// The confidence of that bound.
    public let confidence: Double
    /// The trial budget within which the property must fail.
    public let budget: Int
    /// Expected trials to a *fails* verdict at `effectBound` (∞ if the walk does not drift to it).
    public let expectedTrials: Double
    /// P(fails within the budget) at `effectBound`.
    public let power: Double
    /// P(fails within the budget) at the point estimate `effect`.
    public let powerAtEffect: Double
    /// How the power was computed.
    public let method: String
}

/// Computes `PowerEstimate`s from surveys (see `PowerEstimate`).
public enum PowerAnalysis {
    /// Resamples used for mean claims; with all of them failing, the power is ≥ 0.9997 at 95%.
    public static let bootstrapReplicates = 10_000

    /// The power of `survey`'s property at `falseFailRate` (default: its own α) and the
    /// least favourable end of the effect's one-sided `confidence` interval; nil if nothing
    /// was counted.
    public static func estimate(_ survey: Survey, falseFailRate: Double? = nil, confidence: Double = 0.95) -> PowerEstimate? {
        let n = survey.records.count
        guard n > 0 else { return nil }
        switch survey.kind {
        case .universal:
            let failures = survey.counterexamples
            let q = Double(failures) / Double(n)
            // Two-sided CP at 1 − 2(1 − c) gives the one-sided c bounds.
            let bound = failures == 0 ? 0 : ((try? BinomialInterval.clopperPearson(successes: failures, trials: n, confidence: 2 * confidence - 1))?.lower ?? 0)
            func power(_ q: Double) -> Double { q >= 1 ? 1 : -expm1(Double(survey.budget) * log1p(-q)) }
            return PowerEstimate(property: survey.property, kind: .universal, surveyed: n, effectName: "counterexample rate",
                                 effect: q, effectBound: bound, confidence: confidence, budget: survey.budget,
                                 expectedTrials: bound > 0 ? 1 / bound : .infinity, power: power(bound), powerAtEffect: power(q),
                                 method: "1 − (1 − q)^budget at the one-sided \(confidence) Clopper–Pearson lower bound of q")
        case .statistical:
            guard let claim = survey.claim, var errors = survey.errors else { return nil }
            if let alpha = falseFailRate { errors.falseFail = min(errors.falseFail, alpha) }
            guard let test = try? SequentialTest(claim: claim, errors: errors) else { return nil }
            let outcomes = survey.records.map(\.outcome)
            switch claim.kind {
            case .rate:
                let successes = outcomes.filter { $0 >= 0.5 }.count
                let p = Double(successes) / Double(n)
                let interval = try? BinomialInterval.clopperPearson(successes: successes, trials: n, confidence: 2 * confidence - 1)
                // Toward the claim: a higher pass rate for "at least", lower for "at most".
                let bound = claim.direction == .atLeast ? (interval?.upper ?? 1) : (interval?.lower ?? 0)
                return PowerEstimate(property: survey.property, kind: .statistical, surveyed: n, effectName: "pass rate",
                                     effect: p, effectBound: bound, confidence: confidence, budget: survey.budget,
                                     expectedTrials: test.expectedTrialsToFail(rate: bound),
                                     power: test.failProbability(rate: bound, within: survey.budget),
                                     powerAtEffect: test.failProbability(rate: p, within: survey.budget),
                                     method: "exact operating characteristic of the sequential test at the one-sided \(confidence) Clopper–Pearson bound of the pass rate")
            case .mean:
                let moments = RunningMoments(outcomes)
                let t = n > 1 ? ((try? StudentT(degreesOfFreedom: Double(n - 1)).quantile(confidence)) ?? 0) : 0
                let half = n > 1 ? t * moments.standardError : 0
                let bound = claim.direction == .atLeast ? moments.mean + half : moments.mean - half
                let shifted = outcomes.map { $0 + (bound - moments.mean) }
                let seed = StableHash.fnv1a(survey.property)
                return PowerEstimate(property: survey.property, kind: .statistical, surveyed: n, effectName: "mean outcome",
                                     effect: moments.mean, effectBound: bound, confidence: confidence, budget: survey.budget,
                                     expectedTrials: test.expectedTrialsToFail(meanIncrementOf: shifted),
                                     power: test.failProbability(resampling: shifted, within: survey.budget, replicates: bootstrapReplicates, seed: seed),
                                     powerAtEffect: test.failProbability(resampling: outcomes, within: survey.budget, replicates: bootstrapReplicates, seed: seed),
                                     method: "sequential test on \(bootstrapReplicates) resamples of the surveyed outcomes shifted to the one-sided \(confidence) Student t bound of their mean")
            }
        }
    }
}

extension PowerAnalysis {
    /// Shows that `property` has at least `required` power against the model it runs, spending
    /// as few trials as the effect allows: a first look at `firstLook` trials, and only if that
    /// does not establish the power, a survey of the whole budget. Each look bounds the effect at
    /// one-sided confidence 1 − (1 − `confidence`)/2, so by Bonferroni the two looks together
    /// keep the stated `confidence` that the bound is not optimistic. Returns the estimate that
    /// decided and its survey (whose records the verdict can reuse); nil if nothing was counted.
    public static func establish(_ property: any Property, required: Double, settings: Settings, firstLook: Int = 20,
                                 confidence: Double = 0.95, falseFailRate: Double? = nil) -> (estimate: PowerEstimate, survey: Survey)? {
        let perLook = 1 - (1 - confidence) / 2
        guard let first = property.survey(trials: firstLook, settings: settings) else { return nil }
        if first.records.count >= first.budget || first.records.count < firstLook {
            return estimate(first, falseFailRate: falseFailRate, confidence: confidence).map { ($0, first) }
        }
        if let early = estimate(first, falseFailRate: falseFailRate, confidence: perLook), early.power >= required {
            return (early, first)
        }
        guard let whole = property.survey(trials: nil, settings: settings),
              let late = estimate(whole, falseFailRate: falseFailRate, confidence: perLook) else { return nil }
        return (late, whole)
    }
}

extension SequentialTest {
    /// P(the test fails within `budget` trials) when outcomes are Bernoulli(`rate`): exact,
    /// by propagating the probability of every undecided (trials, successes) state.
    public func failProbability(rate p: Double, within budget: Int) -> Double {
        let up = increment(1), down = increment(0)
        var undecided = [1.0]   // undecided[k]: P(k successes so far and no decision yet)
        var failed = 0.0
        for n in 1...max(1, budget) {
            var next = [Double](repeating: 0, count: n + 1)
            for (k, mass) in undecided.enumerated() where mass > 0 {
                next[k + 1] += mass * p
                next[k] += mass * (1 - p)
            }
            for k in 0...n where next[k] > 0 {
                let evidence = Double(k) * up + Double(n - k) * down
                if evidence >= failBoundary { failed += next[k]; next[k] = 0 } else if evidence <= holdBoundary { next[k] = 0 }
            }
            undecided = next
        }
        return min(1, failed)
    }

    /// P(the test fails within `budget` trials) when outcomes are drawn with replacement from
    /// `outcomes`: the fraction of `replicates` resampled runs that fail (fixed seed).
    public func failProbability(resampling outcomes: [Double], within budget: Int, replicates: Int, seed: UInt64) -> Double {
        guard !outcomes.isEmpty else { return 0 }
        let increments = outcomes.map { increment($0) }
        var stream = RandomStream(seed: seed).child("power")
        var failures = 0
        for _ in 0..<replicates {
            var evidence = 0.0
            for _ in 0..<budget {
                evidence += increments[stream.integer(below: increments.count)]
                if evidence >= failBoundary { failures += 1; break }
                if evidence <= holdBoundary { break }
            }
        }
        return Double(failures) / Double(replicates)
    }

    /// Wald's approximation of the expected trials to *fails* for Bernoulli(`rate`) outcomes
    /// (∞ when the walk does not drift toward the fail boundary).
    public func expectedTrialsToFail(rate p: Double) -> Double {
        let drift = p * increment(1) + (1 - p) * increment(0)
        return drift > 0 ? failBoundary / drift : .infinity
    }

    /// Wald's approximation of the expected trials to *fails* for outcomes like `outcomes`.
    public func expectedTrialsToFail(meanIncrementOf outcomes: [Double]) -> Double {
        guard !outcomes.isEmpty else { return .infinity }
        let drift = outcomes.map { increment($0) }.reduce(0, +) / Double(outcomes.count)
        return drift > 0 ? failBoundary / drift : .infinity
    }
}
